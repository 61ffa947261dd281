-- One row per budget entity. An entity published in several files (document_group) is one
-- row: source_file is the first of its files, source_files lists them all.
with keyed as (

    select * from {{ ref('int_entities_keyed') }}

)

select
    entity_id,
    min(source_file) as source_file,
    -- the printed code, wherever one of the entity's files prints it
    min(entity_code) as entity_code,
    min(entity_name) as entity_name,
    min(scope) as scope,
    min(parent_entity_id) as parent_entity_id,
    min(province) as province,
    min(city) as city,
    min(county) as county,
    min(fiscal_year) as fiscal_year,
    -- the unit of the tables where there are several (a 公开表 in 元, prose in 万元): see amount_units
    min(amount_unit) as amount_unit,
    bool_or(is_primary) as is_primary,
    min(budget_kind) as budget_kind,
    min(adcode) as adcode,
    min(content_hash) as content_hash,
    string_agg(distinct source_file, ';' order by source_file) as source_files,
    min(document_group) as document_group,
    cast(count(distinct source_file) as integer) as n_source_files
from keyed
group by entity_id
