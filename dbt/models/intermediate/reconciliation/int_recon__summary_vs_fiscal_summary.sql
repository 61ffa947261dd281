-- Rule summary_vs_fiscal_summary: where every fund is a fiscal appropriation (the 收支总表
-- prints no revenue outside 财政拨款 lines), 收支总表 支出总计 = 财政拨款收支总表 支出总计.
-- Where other funds are printed the rule is not_applicable.
with cells as (

    select * from {{ ref('int_recon_table_cells_prepared') }}
    where table_kind in ('income_expenditure_summary', 'fiscal_appropriation_summary')
      and column_key = 'total'

),

per_entity as (

    select
        entity_id,
        max(case when table_kind = 'income_expenditure_summary' and label_norm = '支出总计'
                 and coalesce(side, 'expenditure') = 'expenditure' then amount_wan end) as summary_wan,
        max(case when table_kind = 'fiscal_appropriation_summary' and label_norm = '支出总计'
                 and coalesce(side, 'expenditure') = 'expenditure' then amount_wan end) as fiscal_wan,
        sum(case when table_kind = 'income_expenditure_summary' and side = 'revenue' and row_kind <> 'total'
                 and label_norm not like '%拨款%' then amount_wan end) as other_funds_wan,
        max(case when table_kind = 'fiscal_appropriation_summary' and label_norm = '支出总计' then source_ref end) as source_ref,
        min(unit) as unit,
        count(distinct table_kind) as n_kinds
    from cells
    group by 1

)

select
    entity_id,
    'summary_vs_fiscal_summary' as rule_id,
    '支出总计' as subject,
    summary_wan as expected_wan,
    fiscal_wan as actual_wan,
    {{ tolerance_wan('2', 'unit') }} as tolerance_wan,
    case when coalesce(other_funds_wan, 0) <> 0 then 'not_applicable' end as forced_status,
    '收支总表 支出总计 ' || coalesce(cast(summary_wan as varchar), '—') || ' vs 财政拨款收支总表 支出总计 '
        || coalesce(cast(fiscal_wan as varchar), '—') || '; other funds ' || coalesce(cast(other_funds_wan as varchar), '0') as message,
    source_ref
from per_entity
where n_kinds = 2
