-- Rule fact_additivity (blocking): the additive facts add up to the printed leaf lines they are
-- selected from — Σ fct_function_expenditure (table evidence) = Σ the printed 项/leaf amounts of
-- that table, Σ fct_economic_expenditure = Σ the printed leaf amounts of the basic-expenditure
-- table; where the 支出总表 is split by fund, each fund table's facts = its leaf lines and all facts
-- (fund tables + other funds) = the 支出总表's leaf lines. A fail means the warehouse lost or duplicated a fact (never a document discrepancy).
with leaves as (

    select
        entity_id, table_kind,
        sum(case when personnel_wan is null and public_wan is null then total_wan
                 else coalesce(personnel_wan, 0) + coalesce(public_wan, 0) end) as leaves_wan,
        min(unit) as unit,
        min(source_ref) as source_ref
    from {{ ref('int_table_rows_pivoted') }}
    where row_kind = 'detail' and code is not null
      and table_rank = 1  -- the table the facts are selected from (see int_table_rows_pivoted)
      and table_kind = 'general_budget_basic_expenditure'
      and coalesce(code_system, 'economic') = 'economic'
      and {{ economic_code_shaped('code') }}  -- the lines int_economic_expenditures_selected takes
    group by 1, 2
    union all
    -- the functional lines facts are selected from: each line's amount (合计, else 基本 + 项目)
    select entity_id, table_kind, sum(amount_wan), min(unit), min(source_ref)
    from {{ ref('int_function_leaves_scoped') }}
    where not is_within_appropriation
    group by 1, 2

),

-- entities whose 支出总表 is split by fund: the fund tables' lines are facts of their own kind,
-- and their other_funds facts are the 支出总表's lines beyond the fund tables, where positive
split as (

    select entity_id, sum(case when other_wan < 0 then other_wan else 0 end) as negative_other_wan
    from {{ ref('int_other_fund_expenditures_derived') }}
    where is_splittable
    group by 1

),

table_facts as (

    select * from {{ ref('fct_function_expenditure') }}
    where evidence = 'table'

),

function_facts as (

    select entity_id, table_kind, sum(amount_wan) as facts_wan, count(*) as n_facts
    from table_facts
    where entity_id not in (select entity_id from split) or table_kind <> 'expenditure_summary'
    group by 1, 2
    union all
    -- split: all facts of the entity and the negative other funds (the fund tables' excess, a
    -- finding of fund_tables_within_summary, never a fact) make the 支出总表's leaf lines
    select f.entity_id, 'expenditure_summary', sum(f.amount_wan) + max(s.negative_other_wan), count(*)
    from table_facts as f
    inner join split as s using (entity_id)
    group by 1

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
    'Σ ' || f.n_facts || ' facts ' || {{ fmt_figure('f.facts_wan', 'l.unit') }} || ' vs Σ printed leaf lines of ' || f.table_kind || ' '
        || case when l.leaves_wan is null then '— (no such table)' else {{ fmt_figure('l.leaves_wan', 'l.unit') }} end as message,
    {{ label_zh('table_kind', 'f.table_kind') }} || '：' || f.n_facts || ' 条事实之和 ' || {{ fmt_figure('f.facts_wan', 'l.unit') }} || ' 与 印刷明细行之和 '
        || case when l.leaves_wan is null then '—（无此表）' else {{ fmt_figure('l.leaves_wan', 'l.unit') }} end || ' 比较' as message_zh,
    l.source_ref
from facts as f
left join leaves as l using (entity_id, table_kind)
