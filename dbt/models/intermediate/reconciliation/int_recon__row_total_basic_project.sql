-- Rule row_total_basic_project: on every table row that prints 合计, 基本支出 and 项目支出,
-- 合计 = 基本支出 + 项目支出. A row printing 合计 but only one part counts the blank part as 0
-- only when the other part equals the total (a blank cell is not a zero in general).
with rows_ as (

    select * from {{ ref('int_table_rows_pivoted') }}
    where total_wan is not null
      and (basic_wan is not null or project_wan is not null)

)

select
    entity_id,
    'row_total_basic_project' as rule_id,
    coalesce(code, label, name, row_kind) || ' @ ' || source_ref as subject,
    total_wan as expected_wan,
    coalesce(basic_wan, 0) + coalesce(project_wan, 0) as actual_wan,
    {{ tolerance_wan('1 + (basic_wan is not null)::int + (project_wan is not null)::int', 'unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    table_kind || ' row ' || row_number || ': 合计 ' || total_wan || ' vs 基本 ' || coalesce(cast(basic_wan as varchar), '—')
        || ' + 项目 ' || coalesce(cast(project_wan as varchar), '—') as message,
    source_ref
from rows_
