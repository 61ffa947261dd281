-- Every printed cell of a usable table (duplicate copies excluded) with its side (revenue /
-- expenditure), in 万元. int_table_rows_pivoted keeps only the expenditure side; the
-- income = expenditure rules need both sides of the 收支总表. The join itself is
-- int_table_cells_joined; this model adds the normalised label the rules match on.
select
    entity_id,
    source_file,
    table_id,
    table_kind,
    row_number,
    row_kind,
    parent_row_number,
    code,
    regexp_replace(coalesce(label, name, ''), '\s+', '', 'g') as label_norm,
    column_key,
    column_label,
    column_index,
    is_final_account,
    side,
    amount_wan,
    unit_printed as unit,
    source_ref
from {{ ref('int_table_cells_joined') }}
