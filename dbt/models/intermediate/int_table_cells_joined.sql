-- Every amount cell of a usable table (second printed copies excluded) with its row, its table
-- and its entity: the one place the cell / row / table / entity join is written.
select
    {{ entity_id_of('a') }} as entity_id,
    a.source_file,
    a.table_id,
    t.table_kind,
    t.title as table_title,
    t.is_final_account,
    a.row_number,
    r.row_kind,
    r.code,
    r.code_system,
    r.block_code,
    r.name,
    r.label,
    r.parent_row_number,
    a.column_key,
    a.column_label,
    a.column_index,
    a.side,
    a.amount as amount_printed,
    a.unit as unit_printed,
    {{ to_wan('a.amount', 'a.unit') }} as amount_wan,
    coalesce(a.line_number, r.line_number) as line_number,
    {{ source_ref('a.source_file', 'coalesce(a.line_number, r.line_number)', 'coalesce(a.page, r.page)') }} as source_ref,
    a.source_file || '|t' || a.table_id || '|r' || a.row_number || '|' || a.column_key || '|' || coalesce(a.side, '') as cell_key
from {{ ref('stg_budget_docs__table_amounts') }} as a
inner join {{ ref('stg_budget_docs__tables') }} as t
    on t.source_file = a.source_file and t.table_id = a.table_id
inner join {{ ref('stg_budget_docs__table_rows') }} as r
    on r.source_file = a.source_file and r.table_id = a.table_id and r.row_number = a.row_number
{{ join_entity('a') }}
where not t.is_duplicate_copy
