-- Rule income_equals_expenditure: in every 收支总表 and 财政拨款收支总表, 收入总计 = 支出总计.
with cells as (

    select * from {{ ref('int_recon_table_cells_prepared') }}
    where table_kind in ('income_expenditure_summary', 'fiscal_appropriation_summary')
      and column_key = 'total'
      and label_norm in ('收入总计', '支出总计')

),

per_table as (

    select
        entity_id, table_id, table_kind,
        max(case when label_norm = '收入总计' then amount_wan end) as revenue_wan,
        max(case when label_norm = '支出总计' then amount_wan end) as expenditure_wan,
        max(case when label_norm = '收入总计' then source_ref end) as source_ref,
        min(unit) as unit
    from cells
    group by 1, 2, 3

)

select
    entity_id,
    'income_equals_expenditure' as rule_id,
    table_kind || ' t' || table_id as subject,
    revenue_wan as expected_wan,
    expenditure_wan as actual_wan,
    {{ tolerance_wan('2', 'unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    table_kind || ': 收入总计 ' || {{ fmt_figure('revenue_wan', 'unit') }} || ' vs 支出总计 '
        || {{ fmt_figure('expenditure_wan', 'unit') }} as message,
    {{ label_zh('table_kind', 'table_kind') }} || '：收入总计 ' || {{ fmt_figure('revenue_wan', 'unit') }} || ' 与 支出总计 '
        || {{ fmt_figure('expenditure_wan', 'unit') }} || ' 比较' as message_zh,
    source_ref
from per_table
