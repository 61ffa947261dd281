-- One row per project and entity. A project printed in several places (项目支出表, its 绩效目标表,
-- the prose) is one project: the table is the evidence, then the performance table, then prose.
with projects as (

    select
        {{ entity_id_of('p') }} as entity_id,
        p.*,
        {{ normalize_name('p.project_name') }} as project_key,
        case p.source_kind when 'table' then 1 when 'performance_table' then 2 else 3 end as evidence_rank
    from {{ ref('stg_budget_docs__projects') }} as p
    {{ join_entity('p') }}

),

ranked as (

    select
        *,
        count(*) over (partition by entity_id, project_key) as n_mentions,
        string_agg(distinct source_kind, ',') over (partition by entity_id, project_key) as mentioned_in
    from projects
    qualify row_number() over (
        partition by entity_id, project_key
        order by evidence_rank, (amount is null), line_number
    ) = 1

)

select
    md5(entity_id || '|' || project_key) as project_id,
    entity_id,
    project_name,
    project_code,
    {{ to_wan('amount', 'unit') }} as amount_wan,
    source_kind as evidence,
    mentioned_in,
    cast(n_mentions as integer) as n_mentions,
    period,
    implementing_unit,
    {{ source_ref('source_file', 'line_number', 'page') }} as source_ref
from ranked
