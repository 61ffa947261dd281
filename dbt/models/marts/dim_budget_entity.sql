-- One row per budget entity. An entity published in several files (document_group) is one
-- row: source_file is the first of its files, source_files lists them all.
--
-- What to sum (the hierarchy): a department (scope 'department', 部门 / 部门预算) consolidates
-- its units; a unit (scope 'unit', 单位 / 单位预算, 本级 the department's own office) is part of
-- its department. department_entity_id is the department whose figures include the entity (itself
-- for a department), found in the same document (the unit codes printed under the department's,
-- 434001 under 434) or, for a 单位预算 published alone, a 部门预算 of the same year and region
-- whose name is the unit's (or the unit's without 本级). is_additive: the entity is part of no
-- other loaded entity — summing the is_additive entities counts every figure once.
with keyed as (

    select * from {{ ref('int_entities_keyed') }}

),

files_with_tables as (

    select distinct source_file from {{ ref('stg_budget_docs__tables') }}
    where not is_empty

),

entities as (

    select
        entity_id,
        min(keyed.source_file) as source_file,
        -- the printed code, wherever one of the entity's files prints it
        min(entity_code) as entity_code,
        min(entity_name) as entity_name,
        min(scope) as scope,
        min(parent_entity_id) as parent_entity_id,
        min(province) as province,
        min(city) as city,
        min(county) as county,
        min(fiscal_year) as fiscal_year,
        -- a file's unit is that of its main tables, else of its prose (extractors/merge.py); an entity
        -- published as a 情况说明 and a 公开表 takes the unit of the file that prints the tables
        coalesce(min(case when ft.source_file is not null then keyed.amount_unit end),
                 min(keyed.amount_unit)) as amount_unit,
        bool_or(is_primary) as is_primary,
        min(budget_kind) as budget_kind,
        min(adcode) as adcode,
        min(content_hash) as content_hash,
        string_agg(distinct keyed.source_file, ';' order by keyed.source_file) as source_files,
        min(document_group) as document_group,
        cast(count(distinct keyed.source_file) as integer) as n_source_files
    from keyed
    left join files_with_tables as ft on ft.source_file = keyed.source_file
    group by entity_id

),

-- a unit published alone (a 单位预算 with no department printed above it) whose department's
-- 部门预算 is loaded: same year, same kind (预算/决算), same region where both are placed, and the
-- department's name is the unit's name, or the unit's name without its 本级 / 机关本级 suffix
-- (Shanghai publishes the department's own office as a 单位预算 under the department's name).
-- Only an unambiguous match links.
named_department as (

    select unit.entity_id, min(dept.entity_id) as department_id
    from entities as unit
    inner join entities as dept
        on unit.scope = 'unit'
       and unit.parent_entity_id is null
       and dept.scope = 'department'
       and dept.entity_id <> unit.entity_id
       and dept.fiscal_year = unit.fiscal_year
       and replace(coalesce(dept.budget_kind, ''), '部门', '') = replace(coalesce(unit.budget_kind, ''), '单位', '')
       and coalesce(dept.adcode, unit.adcode, '') = coalesce(unit.adcode, dept.adcode, '')
       and dept.entity_name = regexp_replace(unit.entity_name, '(机关)?本级$', '')
    group by unit.entity_id
    having count(*) = 1

),

linked as (

    select
        entities.*,
        case
            when entities.scope = 'department' then entities.entity_id
            else coalesce(entities.parent_entity_id, named_department.department_id)
        end as department_entity_id,
        case
            when entities.scope = 'department' then 'self'
            when entities.parent_entity_id is not null then 'document'
            when named_department.department_id is not null then 'name'
        end as department_link
    from entities
    left join named_department using (entity_id)

),

n_units as (

    select department_entity_id, count(*) as n_units
    from linked
    where department_entity_id <> entity_id
    group by 1

)

select
    linked.entity_id,
    linked.source_file,
    linked.entity_code,
    linked.entity_name,
    linked.scope,
    linked.parent_entity_id,
    linked.province,
    linked.city,
    linked.county,
    linked.fiscal_year,
    linked.amount_unit,
    linked.is_primary,
    linked.budget_kind,
    linked.adcode,
    linked.content_hash,
    linked.source_files,
    linked.document_group,
    linked.n_source_files,
    linked.scope = 'department' as is_consolidated,
    -- the department's own office (本级 / 机关 / the department's own name as a unit)
    coalesce(linked.scope = 'unit'
             and (regexp_matches(linked.entity_name, '(本级|机关)$') or linked.entity_name = dept.entity_name),
             false) as is_own_office,
    linked.department_entity_id,
    linked.department_link,
    cast(coalesce(n_units.n_units, 0) as integer) as n_units,
    linked.department_entity_id is null or linked.department_entity_id = linked.entity_id as is_additive
from linked
left join linked as dept on dept.entity_id = linked.department_entity_id and dept.entity_id <> linked.entity_id
left join n_units on n_units.department_entity_id = linked.entity_id
