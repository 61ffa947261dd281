-- Classification problems, never silently fixed: a printed code absent from the catalog, a
-- printed name that disagrees with the catalog for that year, a narrative name path the
-- catalog cannot resolve.
with printed_codes as (

    select distinct
        r.entity_id, e.fiscal_year, r.code, r.name, r.source_ref,
        case when r.table_kind = 'general_budget_basic_expenditure' then 'economic' else 'functional' end as code_system
    from {{ ref('int_table_rows_pivoted') }} as r
    inner join (select distinct entity_id, fiscal_year from {{ ref('int_entities_keyed') }}) as e using (entity_id)
    where r.code is not null

),

names as (

    select * from {{ ref('int_catalog_names_unioned') }}

),

checked as (

    select
        p.*,
        exists (select 1 from names as n where n.code_system = p.code_system and n.code = p.code) as code_known,
        exists (
            select 1 from names as n
            where n.code_system = p.code_system and n.code = p.code
              and n.name_norm = {{ normalize_name('p.name') }}
              and coalesce(p.fiscal_year, 2100) between n.valid_from_year and n.valid_to_year
        ) as name_matches
    from printed_codes as p

)

select
    entity_id,
    code_system,
    code,
    name as printed_name,
    case when not code_known then 'code_not_in_catalog' else 'name_differs_from_catalog' end as issue,
    source_ref
from checked
where not code_known or not name_matches
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
