-- One row per budget entity. An entity published in several files (document_group) is one
-- row: source_file is the first of its files, source_files lists them all.
with keyed as (

    select * from {{ ref('int_entities_keyed') }}

),

files_with_tables as (

    select distinct source_file from {{ ref('stg_budget_docs__tables') }}
    where not is_empty

)

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
