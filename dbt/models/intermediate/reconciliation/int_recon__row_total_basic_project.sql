-- Rule row_total_basic_project: on every table row that prints 合计, 基本支出 and 项目支出,
-- 合计 = 基本支出 + 项目支出. A row printing 合计 but only one part counts the blank part as 0
-- only when the other part equals the total (a blank cell is not a zero in general).
-- A third spending part printed beside them (单位预留机动经费, 预备费: Jiangsu's 支出预算总表)
-- is part of the 合计 too.
with reserve as (

    select source_file, table_id, row_number,
           sum({{ to_wan('amount', 'unit') }}) as reserve_wan, count(amount) as n_reserve
    from {{ ref('stg_budget_docs__table_amounts') }}
    where amount is not null
      and (column_key = 'reserve'
           or (column_key = 'other' and (column_label like '%预留机动经费%' or column_label like '%预备费%')))
      and coalesce(side, 'expenditure') = 'expenditure'
    group by all

),

rows_ as (

    select p.* replace (
               -- 基本支出 printed as its two parts only (人员支出 | 公用经费, Huzhou): their sum
               coalesce(p.basic_wan, case when p.personnel_wan is not null or p.public_wan is not null
                                          then coalesce(p.personnel_wan, 0) + coalesce(p.public_wan, 0) end) as basic_wan),
           (p.basic_wan is null)::int * ((p.personnel_wan is not null)::int + (p.public_wan is not null)::int) as n_basic_parts,
           r.reserve_wan, coalesce(r.n_reserve, 0) as n_reserve
    from {{ ref('int_table_rows_pivoted') }} as p
    left join reserve as r using (source_file, table_id, row_number)
    where p.total_wan is not null
      and (p.basic_wan is not null or p.project_wan is not null)
      -- a two-sided 收支总表 line is two items (revenue | expenditure), not a 合计 with its parts
      and p.table_kind not in ('income_expenditure_summary', 'fiscal_appropriation_summary')

)

select
    entity_id,
    'row_total_basic_project' as rule_id,
    coalesce(code, label, name, row_kind) || ' @ ' || source_ref as subject,
    total_wan as expected_wan,
    coalesce(basic_wan, 0) + coalesce(project_wan, 0) + coalesce(reserve_wan, 0) as actual_wan,
    {{ tolerance_wan('1 + greatest((basic_wan is not null)::int, n_basic_parts) + (project_wan is not null)::int + n_reserve', 'unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    table_kind || ' row ' || row_number || ': 合计 ' || {{ fmt_figure('total_wan', 'unit') }} || ' vs 基本 ' || {{ fmt_figure('basic_wan', 'unit') }}
        || ' + 项目 ' || {{ fmt_figure('project_wan', 'unit') }}
        || case when reserve_wan is not null then ' + 预留机动 ' || {{ fmt_figure('reserve_wan', 'unit') }} else '' end as message,
    {{ label_zh('table_kind', 'table_kind') }} || ' 第 ' || row_number || ' 行：合计 ' || {{ fmt_figure('total_wan', 'unit') }} || ' 与 基本支出 ' || {{ fmt_figure('basic_wan', 'unit') }}
        || ' + 项目支出 ' || {{ fmt_figure('project_wan', 'unit') }}
        || case when reserve_wan is not null then ' + 预留机动经费 ' || {{ fmt_figure('reserve_wan', 'unit') }} else '' end || ' 比较' as message_zh,
    source_ref
from rows_
