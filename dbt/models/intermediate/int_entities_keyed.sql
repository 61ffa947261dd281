-- One row per budget entity, with its surrogate key and its document's metadata.
with entities as (

    select * from {{ ref('stg_budget_docs__entities') }}

),

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

keyed as (

    select
        md5(entities.source_file || '|' || coalesce(entities.entity_code, '#' || entities.entity_name)) as entity_id,
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
        documents.dialect
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
