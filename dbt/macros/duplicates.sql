{#-
  Identical bytes under two names are one document: the loader marks every name but the first
  (by partition key) of a content hash in staging.file_manifest.duplicate_of (and gives it a
  warning row in load_errors). The staging models keep only the rows of the other names, so no
  mart counts a document twice.
  Usage, in a staging model: from source where {{ not_a_duplicate() }}
-#}
{% macro not_a_duplicate(file_col='source_file') -%}
    {{ file_col }} not in (
        select source_file from {{ source('staging', 'file_manifest') }} where duplicate_of is not null
    )
{%- endmacro %}
