-- Classification problems, never silently fixed: a printed code absent from the catalog, a
-- printed name that disagrees with the catalog for that year, a narrative name path the
-- catalog cannot resolve.
with checked as (

    select * from {{ ref('int_printed_codes_checked') }}

)

select
    entity_id,
    code_system,
    code,
    name as printed_name,
    case when not code_known then 'code_not_in_catalog' else 'name_differs_from_catalog' end as issue,
    source_ref
from checked
where not code_known or (not name_matches and name_is_the_codes)
union all
select
    entity_id,
    'functional',
    cast(null as varchar),
    coalesce(class_name, '') || ' / ' || coalesce(section_name, '') || ' / ' || coalesce(item_name, ''),
    'name_path_unresolved: ' || resolution_note,
    {{ source_ref('source_file', 'line_number') }}
from {{ ref('int_narrative_figures_resolved') }}
where resolution = 'unresolved'
