-- Rule summary_vs_fiscal_summary: where every fund is a fiscal appropriation (the 收支总表
-- prints no revenue outside the 财政拨款 lines), 收支总表 支出总计 = 财政拨款收支总表 支出总计.
-- Where other funds are printed the rule is not_applicable.
--
-- The grand total of expenditure is the line printed 支出总计, else 总计 on the expenditure side
-- (Shanghai 决算), else 支出合计 (Jiangsu 2018 prints no 总计 line). A revenue line is a fiscal
-- appropriation when its label names one (财政拨款 = 一般公共预算 + 政府性基金 + 国有资本经营预算
-- 拨款: “1.一般公共预算资金” under “一、财政拨款收入”); subtotal lines (小计/合计/总计) are not funds.
with cells as (

    select * from {{ ref('int_recon_table_cells_prepared') }}
    where table_kind in ('income_expenditure_summary', 'fiscal_appropriation_summary')
      and column_key = 'total'

),

grand_totals as (

    select
        entity_id,
        table_kind,
        arg_min(amount_wan, preference) as amount_wan,
        arg_min(label_norm, preference) as label,
        arg_min(source_ref, preference) as source_ref
    from (
        select
            *,
            case label_norm when '支出总计' then 1 when '总计' then 2 else 3 end as preference
        from cells
        where coalesce(side, 'expenditure') = 'expenditure'
          and label_norm in ('支出总计', '总计', '支出合计')
          and amount_wan is not null
    )
    group by 1, 2

),

per_entity as (

    select
        entity_id,
        max(case when table_kind = 'income_expenditure_summary' then amount_wan end) as summary_wan,
        max(case when table_kind = 'income_expenditure_summary' then label end) as summary_label,
        max(case when table_kind = 'fiscal_appropriation_summary' then amount_wan end) as fiscal_wan,
        max(case when table_kind = 'fiscal_appropriation_summary' then label end) as fiscal_label,
        max(case when table_kind = 'fiscal_appropriation_summary' then source_ref end) as source_ref
    from grand_totals
    group by 1

),

funds as (

    select
        entity_id,
        sum(case when table_kind = 'income_expenditure_summary' and side = 'revenue' and row_kind <> 'total'
                 and not regexp_matches(label_norm, '拨款|一般公共预算|政府性基金|国有资本经营|小计|合计|总计')
                 then amount_wan end) as other_funds_wan,
        min(unit) as unit,
        count(distinct table_kind) as n_kinds
    from cells
    group by 1

)

select
    f.entity_id,
    'summary_vs_fiscal_summary' as rule_id,
    '支出总计' as subject,
    p.summary_wan as expected_wan,
    p.fiscal_wan as actual_wan,
    {{ tolerance_wan('2', 'f.unit') }} as tolerance_wan,
    case when coalesce(f.other_funds_wan, 0) <> 0 then 'not_applicable' end as forced_status,
    '收支总表 ' || coalesce(p.summary_label, '支出总计') || ' ' || {{ fmt_figure('p.summary_wan', 'f.unit') }}
        || ' vs 财政拨款收支总表 ' || coalesce(p.fiscal_label, '支出总计') || ' '
        || {{ fmt_figure('p.fiscal_wan', 'f.unit') }} || '; other funds '
        || {{ fmt_figure('coalesce(f.other_funds_wan, 0)', 'f.unit') }} as message,
    '收支总表 ' || coalesce(p.summary_label, '支出总计') || ' ' || {{ fmt_figure('p.summary_wan', 'f.unit') }}
        || ' 与 财政拨款收支总表 ' || coalesce(p.fiscal_label, '支出总计') || ' '
        || {{ fmt_figure('p.fiscal_wan', 'f.unit') }} || ' 比较；其他资金 '
        || {{ fmt_figure('coalesce(f.other_funds_wan, 0)', 'f.unit') }} as message_zh,
    p.source_ref
from funds as f
left join per_entity as p using (entity_id)
where f.n_kinds = 2
