select
    entity_id,
    source_file,
    entity_code,
    entity_name,
    scope,
    parent_entity_id,
    province,
    city,
    county,
    fiscal_year,
    amount_unit,
    is_primary,
    budget_kind,
    adcode,
    content_hash
from {{ ref('int_entities_keyed') }}
