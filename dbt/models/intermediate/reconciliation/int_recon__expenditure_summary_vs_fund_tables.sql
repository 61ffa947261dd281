-- Rule expenditure_summary_vs_fund_tables: 支出总表 合计 = 一般公共预算支出表 合计 + 政府性基金
-- 预算支出表 合计 + 国有资本经营预算支出表 合计 + funds outside appropriations (the revenue lines
-- of the 收支总表 that are not 拨款 and not a subtotal, e.g. 事业收入, 年初结转和结余, less the
-- 年末结转和结余 / 结转下年 the 收支总表 prints on its expenditure side). An empty fund table
-- counts as 0. One table per (entity, kind): the one the facts use (table_rank 1).
with totals as (

    select * from {{ ref('int_table_rows_pivoted') }}
    where row_kind = 'total' and code is null and table_rank = 1
      and table_kind in ('expenditure_summary', 'general_budget_expenditure', 'gov_fund_expenditure', 'state_capital_expenditure')
    qualify row_number() over (partition by entity_id, table_kind order by table_id, row_number) = 1

),

other_lines as (

    select
        entity_id,
        case when side = 'revenue' then amount_wan else -amount_wan end as signed_wan,
        amount_wan
    from {{ ref('int_recon_table_cells_prepared') }}
    where table_kind = 'income_expenditure_summary' and row_kind <> 'total' and column_key = 'total'
      and amount_wan is not null
      and label_norm not like '%拨款%' and label_norm not like '%一般公共预算%'
      and label_norm not like '%政府性基金%' and label_norm not like '%国有资本经营%'
      and label_norm not like '%小计%' and label_norm not like '%合计%' and label_norm not like '%总计%'
      and (side = 'revenue'
           or (side = 'expenditure' and (label_norm like '%年末结转%' or label_norm like '%结转下年%')))

),

other_funds as (

    select entity_id, sum(signed_wan) as other_wan, count(amount_wan) as n_other
    from other_lines
    group by 1

),

per_entity as (

    select
        entity_id,
        max(case when table_kind = 'expenditure_summary' then total_wan end) as summary_wan,
        max(case when table_kind = 'general_budget_expenditure' then total_wan end) as gb_wan,
        max(case when table_kind = 'gov_fund_expenditure' then total_wan end) as gf_wan,
        max(case when table_kind = 'state_capital_expenditure' then total_wan end) as sc_wan,
        max(case when table_kind = 'expenditure_summary' then source_ref end) as source_ref,
        min(unit) as unit
    from totals
    group by 1

),

compared as (

    select
        p.*,
        o.other_wan,
        p.gb_wan + coalesce(p.gf_wan, 0) + coalesce(p.sc_wan, 0) as funds_wan,
        {{ tolerance_wan('2 + (p.gf_wan is not null)::int + (p.sc_wan is not null)::int', 'p.unit') }} as funds_tolerance_wan,
        {{ tolerance_wan('2 + (p.gf_wan is not null)::int + (p.sc_wan is not null)::int + coalesce(o.n_other, 0)', 'p.unit') }} as tolerance_wan
    from per_entity as p
    left join other_funds as o using (entity_id)
    where p.summary_wan is not null and p.gb_wan is not null

)

select
    entity_id,
    'expenditure_summary_vs_fund_tables' as rule_id,
    '支出总表 合计' as subject,
    summary_wan as expected_wan,
    funds_wan + coalesce(other_wan, 0) as actual_wan,
    tolerance_wan,
    -- the other funds are read from the 收支总表's revenue lines, whose composition varies (上年结转
    -- printed inside a fund line and again on its own, 其他收入 only in the 收入总表): a
    -- difference the fund tables alone do not explain — they spend no more than the 支出总表 — is
    -- unverified; a fail is kept for fund tables that spend more than all funds
    case
        when funds_wan <= summary_wan + funds_tolerance_wan
         and abs(funds_wan + coalesce(other_wan, 0) - summary_wan) > tolerance_wan
            then 'unverified'
    end as forced_status,
    '支出总表 ' || {{ fmt_figure('summary_wan', 'unit') }} || ' vs 一般公共预算 ' || {{ fmt_figure('gb_wan', 'unit') }}
        || ' + 政府性基金 ' || {{ fmt_figure('gf_wan', 'unit') }} || ' + 国有资本经营 ' || {{ fmt_figure('sc_wan', 'unit') }}
        || ' + other funds ' || {{ fmt_figure('other_wan', 'unit') }} as message,
    '支出总表 ' || {{ fmt_figure('summary_wan', 'unit') }} || ' 与 一般公共预算 ' || {{ fmt_figure('gb_wan', 'unit') }}
        || ' + 政府性基金 ' || {{ fmt_figure('gf_wan', 'unit') }} || ' + 国有资本经营 ' || {{ fmt_figure('sc_wan', 'unit') }}
        || ' + 其他资金 ' || {{ fmt_figure('other_wan', 'unit') }} || ' 比较' as message_zh,
    source_ref
from compared
