-- Every printed cell of a usable table (duplicate copies excluded) with its side (revenue /
-- expenditure), in 万元. int_table_rows_pivoted keeps only the expenditure side; the
-- income = expenditure rules need both sides of the 收支总表.
select
    {{ entity_id_of('a') }} as entity_id,
    a.source_file,
    a.table_id,
    t.table_kind,
    a.row_number,
    r.row_kind,
    r.code,
    regexp_replace(coalesce(r.label, r.name, ''), '\s+', '', 'g') as label_norm,
    a.column_key,
    a.column_label,
    t.is_final_account,
    a.side,
    {{ to_wan('a.amount', 'a.unit') }} as amount_wan,
    a.unit,
    {{ source_ref('a.source_file', 'coalesce(a.line_number, r.line_number)', 'coalesce(a.page, r.page)') }} as source_ref
from {{ ref('stg_budget_docs__table_amounts') }} as a
inner join {{ ref('stg_budget_docs__tables') }} as t
    on t.source_file = a.source_file and t.table_id = a.table_id
inner join {{ ref('stg_budget_docs__table_rows') }} as r
    on r.source_file = a.source_file and r.table_id = a.table_id and r.row_number = a.row_number
{{ join_entity('a') }}
where not t.is_duplicate_copy
