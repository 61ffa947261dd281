-- Rule classification_in_catalog: every classification code a table prints exists in the catalog
-- edition of the document's year, under the printed name (canonical or alias); every 类/款/项
-- name path the prose states resolves to a code. Same logic as marts.rpt_classification_issues,
-- one row per printed code (pass) or problem (fail).
with printed as (

    select
        r.entity_id, e.fiscal_year, r.code, r.name, r.source_ref, r.table_kind, r.row_number, r.table_id,
        -- the system the table row states (an economic table of another kind: 机关运行经费支出表)
        coalesce(r.code_system,
                 case when r.table_kind = 'general_budget_basic_expenditure' then 'economic' else 'functional' end)
            as code_system
    from {{ ref('int_table_rows_pivoted') }} as r
    -- one row per entity (an entity published in two files has two rows in int_entities_keyed)
    inner join (select distinct entity_id, fiscal_year from {{ ref('int_entities_keyed') }}) as e using (entity_id)
    where r.code is not null

),

names as (

    select * from {{ ref('int_catalog_names_unioned') }}

),

checked as (

    select
        p.*,
        exists (select 1 from names as n where n.code_system = p.code_system and n.code = p.code
                and coalesce(p.fiscal_year, 2100) between n.valid_from_year and n.valid_to_year) as code_known,
        exists (
            select 1 from names as n
            where n.code_system = p.code_system and n.code = p.code
              and n.name_norm = {{ normalize_name('p.name') }}
              and coalesce(p.fiscal_year, 2100) between n.valid_from_year and n.valid_to_year
        ) as name_matches
    from printed as p

)

select
    entity_id,
    'classification_in_catalog' as rule_id,
    code_system || ' ' || code || ' t' || table_id || ' r' || row_number as subject,
    cast(null as decimal(18, 6)) as expected_wan,
    cast(null as decimal(18, 6)) as actual_wan,
    cast(0 as decimal(18, 7)) as tolerance_wan,
    case when code_known and name_matches then 'pass' else 'fail' end as forced_status,
    code_system || ' ' || code || ' “' || coalesce(name, '') || '”: '
        || case when not code_known then 'code not in the catalog for ' || coalesce(cast(fiscal_year as varchar), 'unknown year')
                when not name_matches then 'printed name differs from the catalog'
                else 'in the catalog' end as message,
    source_ref
from checked
union all
select
    entity_id,
    'classification_in_catalog',
    'narrative ' || measure || ' @ ' || line_number || '#' || figure_seq,
    null, null, 0,
    case when resolution = 'resolved' then 'pass' else 'fail' end,
    coalesce(class_name, '') || ' / ' || coalesce(section_name, '') || ' / ' || coalesce(item_name, '') || ': '
        || coalesce(resolution_note, 'resolved to ' || functional_code),
    {{ source_ref('source_file', 'line_number') }}
from {{ ref('int_narrative_figures_resolved') }}
where resolution in ('resolved', 'unresolved')
