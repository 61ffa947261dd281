-- Leaf selection for fct_function_expenditure. Per entity, the best evidence available:
--   1. the 支出总表 (all funds), else
--   2. the fund tables (一般公共预算 + 政府性基金 + 国有资本经营 支出表), else
--   3. the narrative's resolved 项 figures (plus 类 figures of classes with no 项 figure).
-- Only leaf rows (row_kind = 'detail') become facts: printed 类/款/合计 subtotals are evidence
-- for reconciliation, never facts, so nothing is counted twice.
with table_rows as (

    select *,
        case
            when table_kind = 'expenditure_summary' then 1
            when table_kind in ('general_budget_expenditure', 'gov_fund_expenditure', 'state_capital_expenditure') then 2
        end as evidence_rank
    from {{ ref('int_table_rows_pivoted') }}
    where code is not null
      and table_rank = 1
      and coalesce(code_system, 'functional') = 'functional'
      and table_kind in ('expenditure_summary', 'general_budget_expenditure', 'gov_fund_expenditure', 'state_capital_expenditure')

),

best_table as (

    select entity_id, min(evidence_rank) as evidence_rank
    from table_rows
    where row_kind = 'detail'
    group by 1

),

table_leaves as (

    select r.*
    from table_rows as r
    inner join best_table as b
        on b.entity_id = r.entity_id
       and b.evidence_rank = r.evidence_rank
    where r.row_kind = 'detail'

),

table_facts as (

    select entity_id, code as functional_code, 'basic' as expenditure_type, basic_wan as amount_wan,
           source_ref, table_kind, name as printed_name
    from table_leaves where basic_wan is not null
    union all
    select entity_id, code, 'project', project_wan, source_ref, table_kind, name
    from table_leaves where project_wan is not null
    union all
    select entity_id, code, 'unspecified', total_wan, source_ref, table_kind, name
    from table_leaves where basic_wan is null and project_wan is null and total_wan is not null

),

narrative as (

    select *
    from {{ ref('int_narrative_figures_resolved') }}
    where resolution = 'resolved'
      and amount is not null
      and entity_id not in (select entity_id from best_table)

),

narrative_items as (

    select *
    from narrative
    where measure = 'function_item'
    qualify row_number() over (partition by entity_id, functional_code order by line_number, figure_seq) = 1

),

narrative_classes as (

    select *
    from narrative
    where measure = 'function_class'
      and not exists (
          select 1 from narrative_items as i
          where i.entity_id = narrative.entity_id and i.class_code = narrative.functional_code
      )
    qualify row_number() over (partition by entity_id, functional_code order by line_number, figure_seq) = 1

),

narrative_facts as (

    select entity_id, functional_code, 'unspecified' as expenditure_type, {{ to_wan('amount', 'unit') }} as amount_wan,
           {{ source_ref('source_file', 'line_number') }} as source_ref, cast(null as varchar) as table_kind,
           coalesce(item_name, class_name) as printed_name
    from narrative_items
    union all
    select entity_id, functional_code, 'unspecified', {{ to_wan('amount', 'unit') }},
           {{ source_ref('source_file', 'line_number') }}, null, class_name
    from narrative_classes

)

select *, 'table' as evidence from table_facts
union all
select *, 'narrative' as evidence from narrative_facts
