-- Narrative figures with their entity and, for functional breakdown sentences, the functional
-- code resolved through the catalog by the full name path 类 → 款 → 项 valid in the fiscal year.
-- The item name alone is ambiguous (行政运行 exists under every 款): it is only matched under
-- the resolved 款. A path the catalog cannot resolve stays unresolved, with its reason.
with figures as (

    select
        md5(f.source_file || '|' || f.line_number || '|' || f.sentence || '|' || f.figure_seq || '|' || f.measure
            || '#' || row_number() over (
                partition by f.source_file, f.line_number, f.sentence, f.figure_seq, f.measure
                order by f.amount, f.subject, f.entity_code)) as figure_id,
        {{ entity_id_of('f') }} as entity_id,
        coalesce(f_ent_code.fiscal_year, f_ent_primary.fiscal_year) as fiscal_year,
        f.*
    from {{ ref('stg_budget_docs__narrative_figures') }} as f
    {{ join_entity('f') }}

),

names as (

    select * from {{ ref('int_catalog_names_unioned') }}
    where code_system = 'functional'

),

class_match as (

    select f.figure_id, min(n.code) as class_code, count(distinct n.code) as n_class
    from figures as f
    inner join names as n
        on n.level = '类'
       and n.name_norm = {{ normalize_name('f.class_name') }}
       and coalesce(f.fiscal_year, 2100) between n.valid_from_year and n.valid_to_year
    group by 1

),

section_match as (

    select f.figure_id, min(n.code) as section_code, count(distinct n.code) as n_section
    from figures as f
    inner join class_match as c using (figure_id)
    inner join names as n
        on n.level = '款'
       and n.parent_code = c.class_code
       and n.name_norm = {{ normalize_name('f.section_name') }}
       and coalesce(f.fiscal_year, 2100) between n.valid_from_year and n.valid_to_year
    where c.n_class = 1
    group by 1

),

item_match as (

    select f.figure_id, min(n.code) as item_code, count(distinct n.code) as n_item
    from figures as f
    inner join section_match as s using (figure_id)
    inner join names as n
        on n.level = '项'
       and n.parent_code = s.section_code
       and n.name_norm = {{ normalize_name('f.item_name') }}
       and coalesce(f.fiscal_year, 2100) between n.valid_from_year and n.valid_to_year
    where s.n_section = 1
    group by 1

),

resolved as (

    select
        f.*,
        c.class_code,
        c.n_class,
        s.section_code,
        s.n_section,
        i.item_code,
        i.n_item
    from figures as f
    left join class_match as c using (figure_id)
    left join section_match as s using (figure_id)
    left join item_match as i using (figure_id)

)

select
    resolved.* exclude (n_class, n_section, n_item),
    case
        when measure = 'function_item' and n_item = 1 then item_code
        when measure = 'function_section' and n_section = 1 then section_code
        when measure = 'function_class' and n_class = 1 then class_code
    end as functional_code,
    case
        when measure not in ('function_item', 'function_section', 'function_class') then 'not_applicable'
        when measure = 'function_class' and n_class = 1 then 'resolved'
        when measure = 'function_section' and n_section = 1 then 'resolved'
        when measure = 'function_item' and n_item = 1 then 'resolved'
        else 'unresolved'
    end as resolution,
    case
        when measure not in ('function_item', 'function_section', 'function_class') then null
        when coalesce(n_class, 0) = 0 then '类 name not in the catalog for ' || coalesce(cast(fiscal_year as varchar), 'an unknown year') || ': ' || coalesce(class_name, '(none printed)')
        when n_class > 1 then '类 name matches ' || n_class || ' codes: ' || class_name
        when measure = 'function_class' then null
        when coalesce(n_section, 0) = 0 then '款 name not under 类 ' || class_code || ': ' || coalesce(section_name, '(none printed)')
        when n_section > 1 then '款 name matches ' || n_section || ' codes under ' || class_code
        when measure = 'function_section' then null
        when coalesce(n_item, 0) = 0 then '项 name not under 款 ' || section_code || ': ' || coalesce(item_name, '(none printed)')
        when n_item > 1 then '项 name matches ' || n_item || ' codes under ' || section_code
    end as resolution_note
from resolved
