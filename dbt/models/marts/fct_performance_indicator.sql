-- One row per indicator line of every 项目支出绩效目标表 (second printed copies excluded).
with indicators as (

    select
        {{ entity_id_of('i') }} as entity_id,
        i.*
    from {{ ref('stg_budget_docs__performance_indicators') }} as i
    {{ join_entity('i') }}
    left join {{ ref('stg_budget_docs__tables') }} as t
        on t.source_file = i.source_file and t.table_id = i.table_id
    where not coalesce(t.is_duplicate_copy, false)

)

select
    md5(entity_id || '|' || project_name || '|' || coalesce(level1, '') || '|' || coalesce(level2, '') || '|'
        || indicator || '|' || target_text || '|' || {{ source_ref('source_file', 'line_number', 'page') }}) as indicator_id,
    entity_id,
    project_name,
    level1,
    level2,
    indicator,
    target_text,
    comparator,
    cast(target_value as decimal(20, 6)) as target_value,
    target_unit,
    {{ source_ref('source_file', 'line_number', 'page') }} as source_ref
from indicators
