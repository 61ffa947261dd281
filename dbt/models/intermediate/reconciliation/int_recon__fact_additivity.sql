-- Rule fact_additivity (blocking): the additive facts add up to the printed leaf lines they are
-- selected from — Σ fct_function_expenditure (table evidence) = Σ the printed 项/leaf amounts of
-- that table, Σ fct_economic_expenditure = Σ the printed leaf amounts of the basic-expenditure
-- table. A fail means the warehouse lost or duplicated a fact (never a document discrepancy).
with leaves as (

    select
        entity_id, table_kind,
        sum(case
                when table_kind = 'general_budget_basic_expenditure' then
                    case when personnel_wan is null and public_wan is null then total_wan
                         else coalesce(personnel_wan, 0) + coalesce(public_wan, 0) end
                else
                    case when basic_wan is null and project_wan is null then total_wan
                         else coalesce(basic_wan, 0) + coalesce(project_wan, 0) end
            end) as leaves_wan,
        min(unit) as unit,
        min(source_ref) as source_ref
    from {{ ref('int_table_rows_pivoted') }}
    where row_kind = 'detail' and code is not null
      and table_rank = 1  -- the table the facts are selected from (see int_table_rows_pivoted)
    group by 1, 2

),

function_facts as (

    select entity_id, table_kind, sum(amount_wan) as facts_wan, count(*) as n_facts
    from {{ ref('fct_function_expenditure') }}
    where evidence = 'table'
    group by 1, 2

),

economic_facts as (

    select entity_id, 'general_budget_basic_expenditure' as table_kind, sum(amount_wan) as facts_wan, count(*) as n_facts
    from {{ ref('fct_economic_expenditure') }}
    group by 1, 2

),

facts as (

    select * from function_facts
    union all
    select * from economic_facts

)

select
    f.entity_id,
    'fact_additivity' as rule_id,
    f.table_kind as subject,
    l.leaves_wan as expected_wan,
    f.facts_wan as actual_wan,
    cast(0 as decimal(18, 7)) as tolerance_wan,
    case when l.leaves_wan is null then 'fail' end as forced_status,
    'Σ ' || f.n_facts || ' facts ' || f.facts_wan || ' vs Σ printed leaf lines of ' || f.table_kind || ' '
        || coalesce(cast(l.leaves_wan as varchar), '— (no such table)') as message,
    l.source_ref
from facts as f
left join leaves as l using (entity_id, table_kind)
