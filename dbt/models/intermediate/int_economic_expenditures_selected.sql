-- Leaf selection for fct_economic_expenditure: the economic leaf rows of the basic-expenditure
-- table (一般公共预算基本支出表), split into personnel / public by the printed columns where the
-- table prints them. Every printed leaf line is kept (a code printed twice is two lines, as the
-- document prints it); printed 类 subtotals and repeated subtotals are never facts.
with table_rows as (

    select *,
        coalesce({{ fund_scope_named('table_title') }}, 'all_funds') as fund_scope
    from {{ ref('int_table_rows_pivoted') }}
    where code is not null
      and table_rank = 1
      and table_kind = 'general_budget_basic_expenditure'
      and coalesce(code_system, 'economic') = 'economic'
      -- shaped as an economic code (301, 30101, 3010201; 政府预算 501, 50101): a unit code (125001) or a
      -- functional one misread into the table is no economic leaf (it stays in fct_reported_figure)
      and {{ economic_code_shaped('code') }}
      and row_kind = 'detail'

)

select entity_id, code as economic_code, 'personnel' as cost_type, personnel_wan as amount_wan,
       source_ref, name as printed_name, 'table' as evidence, fund_scope
from table_rows where personnel_wan is not null
union all
select entity_id, code, 'public', public_wan, source_ref, name, 'table', fund_scope
from table_rows where public_wan is not null
union all
select entity_id, code, 'unspecified', total_wan, source_ref, name, 'table', fund_scope
from table_rows where personnel_wan is null and public_wan is null and total_wan is not null
