{#-
  Whether a table figure's printed line is one the reader is not sure of: its table's reading is
  uncertain (its own sums do not close beyond a few isolated checksums), or the two independent
  readings of the grid read a cell of that line differently and neither closes
  (extractors.tables.arbiter). NULL for a figure from the prose.
-#}
{% macro reading_uncertain(source_ref_col, evidence_col) -%}
    case when {{ evidence_col }} <> 'table' then null
         else {{ source_ref_col }} in (
             select source_ref from {{ ref('int_table_rows_pivoted') }}
             where reading_uncertain)
    end
{%- endmacro %}
