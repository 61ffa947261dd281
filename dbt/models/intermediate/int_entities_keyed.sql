-- One row per (source file, budget entity), with the entity's surrogate key and its document's
-- metadata. A disclosure published as several files (情况说明 + 公开表) shares one
-- document_group (canonical entity name | year | kind): its files' entities get the same
-- entity_id, so tables in one file and prose in the other are evidence for one entity.
with entities as (

    select * from {{ ref('stg_budget_docs__entities') }}

),

-- a file that names its entity and year but no kind (北京 附件2, the tables of 预算01表 … only:
-- C009) joins the one disclosure of that entity and year another file states (附件1, C008)
documents as (

    select d.* replace (coalesce(d.document_group, (
        select min(g.document_group)
        from {{ ref('stg_budget_docs__documents') }} as g
        where d.budget_kind is null
          and d.fiscal_year is not null
          and g.document_group is not null
          and split_part(g.document_group, '|', 1) = d.entity_name
          and split_part(g.document_group, '|', 2) = cast(d.fiscal_year as varchar)
        having count(distinct g.document_group) = 1
    )) as document_group)
    from {{ ref('stg_budget_docs__documents') }} as d

),

keyed as (

    select
        md5(
            coalesce(documents.document_group, entities.source_file) || '|'
            || case when entities.is_primary then '#primary'
                    else coalesce(entities.entity_code, '#' || entities.entity_name) end
        ) as entity_id,
        coalesce(documents.document_group, entities.source_file) as document_key,
        entities.source_file,
        entities.entity_code,
        coalesce(
            case when entities.is_primary then documents.entity_name end,
            entities.entity_name
        ) as entity_name,
        entities.scope,
        entities.is_primary,
        entities.parent_entity_code,
        documents.province,
        documents.city,
        documents.county,
        documents.adcode,
        documents.fiscal_year,
        documents.budget_kind,
        documents.amount_unit,
        documents.content_hash,
        documents.dialect,
        documents.document_group
    from entities
    inner join documents using (source_file)

)

select
    keyed.*,
    parent.entity_id as parent_entity_id
from keyed
left join keyed as parent
    on parent.source_file = keyed.source_file
   and parent.entity_code = keyed.parent_entity_code
