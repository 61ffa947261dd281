-- Rule basic_function_vs_economic: 一般公共预算支出表 合计 基本支出 = 一般公共预算基本支出表 合计
-- (the same basic expenditure, by function and by economic classification).
with totals as (

    select * from {{ ref('int_table_rows_pivoted') }}
    where row_kind = 'total' and code is null
      and table_kind in ('general_budget_expenditure', 'general_budget_basic_expenditure')
    qualify row_number() over (partition by entity_id, table_kind order by table_id, row_number) = 1

),

per_entity as (

    select
        entity_id,
        max(case when table_kind = 'general_budget_expenditure' then basic_wan end) as function_basic_wan,
        max(case when table_kind = 'general_budget_basic_expenditure' then total_wan end) as economic_basic_wan,
        max(case when table_kind = 'general_budget_basic_expenditure' then source_ref end) as source_ref,
        min(unit) as unit
    from totals
    group by 1

)

select
    entity_id,
    'basic_function_vs_economic' as rule_id,
    '基本支出 合计' as subject,
    function_basic_wan as expected_wan,
    economic_basic_wan as actual_wan,
    {{ tolerance_wan('2', 'unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    '一般公共预算支出表 基本支出 ' || {{ fmt_figure('function_basic_wan', 'unit') }} || ' vs 基本支出表 合计 '
        || {{ fmt_figure('economic_basic_wan', 'unit') }} as message,
    '一般公共预算支出表 基本支出 ' || {{ fmt_figure('function_basic_wan', 'unit') }} || ' 与 基本支出表 合计 '
        || {{ fmt_figure('economic_basic_wan', 'unit') }} || ' 比较' as message_zh,
    source_ref
from per_entity
where function_basic_wan is not null and economic_basic_wan is not null
