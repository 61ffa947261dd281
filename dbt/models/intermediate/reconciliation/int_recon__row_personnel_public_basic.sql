-- Rule row_personnel_public_basic: on every row of the 一般公共预算基本支出表 that prints 合计
-- and 人员经费 and/or 公用经费, 合计 = 人员经费 + 公用经费 (a blank part counts as 0).
with rows_ as (

    select * from {{ ref('int_table_rows_pivoted') }}
    where table_kind = 'general_budget_basic_expenditure'
      and total_wan is not null
      and (personnel_wan is not null or public_wan is not null)

)

select
    entity_id,
    'row_personnel_public_basic' as rule_id,
    coalesce(code, label, name, row_kind) || ' @ ' || source_ref as subject,
    total_wan as expected_wan,
    coalesce(personnel_wan, 0) + coalesce(public_wan, 0) as actual_wan,
    {{ tolerance_wan('1 + (personnel_wan is not null)::int + (public_wan is not null)::int', 'unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    'row ' || row_number || ': 合计 ' || {{ fmt_figure('total_wan', 'unit') }} || ' vs 人员经费 ' || {{ fmt_figure('personnel_wan', 'unit') }}
        || ' + 公用经费 ' || {{ fmt_figure('public_wan', 'unit') }} as message,
    '第 ' || row_number || ' 行：合计 ' || {{ fmt_figure('total_wan', 'unit') }} || ' 与 人员经费 ' || {{ fmt_figure('personnel_wan', 'unit') }}
        || ' + 公用经费 ' || {{ fmt_figure('public_wan', 'unit') }} || ' 比较' as message_zh,
    source_ref
from rows_
