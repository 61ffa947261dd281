-- Rule row_total_basic_project: on every table row that prints 合计, 基本支出 and 项目支出,
-- 合计 = 基本支出 + 项目支出. A row printing 合计 but only one part counts the blank part as 0
-- only when the other part equals the total (a blank cell is not a zero in general).
-- A third spending part printed beside them (单位预留机动经费, 预备费: Jiangsu's 支出预算总表)
-- is part of the 合计 too.
with reserve as (

    select source_file, table_id, row_number,
           sum({{ to_wan('amount', 'unit') }}) as reserve_wan, count(amount) as n_reserve
    from {{ ref('stg_budget_docs__table_amounts') }}
    where column_key = 'other' and amount is not null
      and (column_label like '%预留机动经费%' or column_label like '%预备费%')
      and coalesce(side, 'expenditure') = 'expenditure'
    group by all

),

rows_ as (

    select p.*, r.reserve_wan, coalesce(r.n_reserve, 0) as n_reserve
    from {{ ref('int_table_rows_pivoted') }} as p
    left join reserve as r using (source_file, table_id, row_number)
    where p.total_wan is not null
      and (p.basic_wan is not null or p.project_wan is not null)

)

select
    entity_id,
    'row_total_basic_project' as rule_id,
    coalesce(code, label, name, row_kind) || ' @ ' || source_ref as subject,
    total_wan as expected_wan,
    coalesce(basic_wan, 0) + coalesce(project_wan, 0) + coalesce(reserve_wan, 0) as actual_wan,
    {{ tolerance_wan('1 + (basic_wan is not null)::int + (project_wan is not null)::int + n_reserve', 'unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    table_kind || ' row ' || row_number || ': 合计 ' || total_wan || ' vs 基本 ' || coalesce(cast(basic_wan as varchar), '—')
        || ' + 项目 ' || coalesce(cast(project_wan as varchar), '—')
        || coalesce(' + 预留机动 ' || cast(reserve_wan as varchar), '') as message,
    source_ref
from rows_
