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

-- A project named in the prose is the same project as the table / 绩效目标表 project whose
-- name extends its name (“优化营商经费” → 优化营商经费经费 as misprinted in its table), when
-- exactly one such project exists in the entity and the amounts do not disagree.
aliases as (

    select n.entity_id, n.project_key as alias_key, any_value(t.project_key) as canonical_key
    from projects as n
    inner join projects as t
        on t.entity_id = n.entity_id
       and t.source_kind in ('table', 'performance_table')
       and t.project_key <> n.project_key
       and starts_with(t.project_key, n.project_key)
       and (n.amount is null or t.amount is null or {{ to_wan('n.amount', 'n.unit') }} = {{ to_wan('t.amount', 't.unit') }})
    where n.source_kind = 'narrative'
      and not exists (
          select 1 from projects as same
          where same.entity_id = n.entity_id and same.project_key = n.project_key
            and same.source_kind in ('table', 'performance_table'))
    group by 1, 2
    having count(distinct t.project_key) = 1

    union all

    -- A 绩效目标表 names its project as its own form prints it: 法律咨询服务费 for the table's
    -- 法律咨询服务, 政策性农业保险市级补贴资金 for 2026年政策性农业保险市级补贴资金 (C050),
    -- 2026年信访专项经费 for 2026信访专项经费 (C065). It is the table's project when no table line
    -- has its name, exactly one table line of the entity has its amount and a name that contains
    -- it, is contained in it or differs by one character, and that line has no form of its own.
    select n.entity_id, n.project_key as alias_key, any_value(t.project_key) as canonical_key
    from projects as n
    inner join projects as t
        on t.entity_id = n.entity_id
       and t.source_kind = 'table'
       and t.project_key <> n.project_key
       and {{ to_wan('n.amount', 'n.unit') }} = {{ to_wan('t.amount', 't.unit') }}
       and (contains(t.project_key, n.project_key) or contains(n.project_key, t.project_key)
            or {{ one_char_apart('t.project_key', 'n.project_key') }})
    where n.source_kind = 'performance_table'
      and not exists (
          select 1 from projects as same
          where same.entity_id = n.entity_id and same.project_key = n.project_key
            and same.source_kind = 'table')
      and not exists (
          select 1 from projects as twin
          where twin.entity_id = t.entity_id and twin.project_key = t.project_key
            and twin.source_kind = 'performance_table')
    group by 1, 2
    having count(distinct t.project_key) = 1

),

aliased as (

    select projects.* replace (coalesce(aliases.canonical_key, projects.project_key) as project_key)
    from projects
    left join aliases
        on aliases.entity_id = projects.entity_id and aliases.alias_key = projects.project_key

),

-- A name a table lists twice is two projects (执法办案 of 杭州市公安局 and of its 交通管理支队, C035;
-- the unit is printed beside it, not in the name): the n-th line of that name in the tables is
-- the n-th in the 绩效目标表. The prose names a project, it does not list it: every mention of a
-- name there is its first.
keyed as (

    select
        *,
        case when source_kind = 'narrative' then 1
             else row_number() over (partition by entity_id, project_key, source_kind order by line_number)
        end as occurrence
    from aliased

),

ranked as (

    select
        *,
        count(*) over (partition by entity_id, project_key, occurrence) as n_mentions,
        string_agg(distinct source_kind, ',' order by source_kind) over (partition by entity_id, project_key, occurrence) as mentioned_in
    from keyed
    qualify row_number() over (
        partition by entity_id, project_key, occurrence
        order by evidence_rank, (amount is null), line_number
    ) = 1

)

select
    -- the first project of a name keeps the key it always had
    md5(entity_id || '|' || project_key || case when occurrence > 1 then '|' || occurrence else '' end) as project_id,
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
