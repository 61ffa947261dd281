-- Rule classification_in_catalog: every classification code a table prints exists in the catalog
-- edition of the document's year, under the printed name (canonical or alias); every 类/款/项
-- name path the prose states resolves to a code (the check itself: int_printed_codes_checked,
-- shared with marts.rpt_classification_issues). One row per printed code.
-- Our catalog's gaps are ours: a code it does not know, or a name variant related to a catalog
-- name of the code, is 'unverified' (listed in rpt_classification_issues), never a fail of the
-- document. 'fail' only for a printed name unrelated to every catalog name of a known code, in a
-- table whose row names are the codes' names (int_printed_codes_checked.name_is_the_codes).
with checked as (

    select * from {{ ref('int_printed_codes_checked') }}

)

select
    entity_id,
    'classification_in_catalog' as rule_id,
    code_system || ' ' || code || ' t' || table_id || ' r' || row_number as subject,
    cast(null as decimal(18, 6)) as expected_wan,
    cast(null as decimal(18, 6)) as actual_wan,
    cast(0 as decimal(18, 7)) as tolerance_wan,
    case when code_known and (name_matches or not name_is_the_codes) then 'pass'
         when code_known and not name_related then 'fail'
         else 'unverified' end as forced_status,
    code_system || ' ' || code || ' “' || coalesce(name, '') || '”: '
        || case when not code_known then '目录未收录该年度编码 / code not confirmed by our catalog for '
                                        || coalesce(cast(fiscal_year as varchar), 'unknown year')
                when not name_is_the_codes then 'in the catalog (the row names what is bought or the project)'
                when not name_related then '印刷名称与目录名称不符 / printed name contradicts the catalog'
                when not name_matches then '名称变体，目录未收录 / name variant not in our catalog'
                else 'in the catalog' end as message,
    code_system || ' ' || code || ' “' || coalesce(name, '') || '”：'
        || case when not code_known then '目录未收录该年度编码（' || coalesce(cast(fiscal_year as varchar) || '年', '年度不明') || '）'
                when not name_is_the_codes then '目录已收录（该行名称为采购内容或项目）'
                when not name_related then '印刷名称与目录名称不符'
                when not name_matches then '名称变体，目录未收录'
                else '目录已收录' end as message_zh,
    source_ref
from checked
union all
select
    entity_id,
    'classification_in_catalog',
    'narrative ' || measure || ' @ ' || line_number || '#' || figure_seq,
    null, null, 0,
    case when resolution = 'resolved' then 'pass' else 'unverified' end,
    coalesce(class_name, '') || ' / ' || coalesce(section_name, '') || ' / ' || coalesce(item_name, '') || ': '
        || coalesce(resolution_note, 'resolved to ' || functional_code),
    coalesce(class_name, '') || ' / ' || coalesce(section_name, '') || ' / ' || coalesce(item_name, '') || '：'
        || coalesce(resolution_note, '对应编码 ' || functional_code),
    {{ source_ref('source_file', 'line_number') }}
from {{ ref('int_narrative_figures_resolved') }}
where resolution in ('resolved', 'unresolved')
