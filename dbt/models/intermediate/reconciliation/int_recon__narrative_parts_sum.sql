-- Rule narrative_parts_sum: in the prose, 基本支出 + 项目支出 = 支出预算 and
-- 人员经费 + 公用经费 = 基本支出 (first statement of each). A third part the prose states
-- (单位预留机动经费, Jiangsu) is part of 支出预算 too. Parts stated under another fund scope than
-- their total (int_recon_narrative_first_prepared.fund_scope) make a difference unverified.
with firsts as (

    select * from {{ ref('int_recon_narrative_first_prepared') }}
    where measure in ('expenditure_total', 'basic', 'project', 'reserve', 'personnel', 'public')

),

pivoted as (

    select
        entity_id,
        max(case when measure = 'expenditure_total' then amount_wan end) as total_wan,
        max(case when measure = 'basic' then amount_wan end) as basic_wan,
        max(case when measure = 'project' then amount_wan end) as project_wan,
        max(case when measure = 'reserve' then amount_wan end) as reserve_wan,
        max(case when measure = 'personnel' then amount_wan end) as personnel_wan,
        max(case when measure = 'public' then amount_wan end) as public_wan,
        max(case when measure = 'expenditure_total' then source_ref end) as total_ref,
        max(case when measure = 'basic' then source_ref end) as basic_ref,
        -- the fund scope of each first statement (int_recon_narrative_first_prepared)
        max(case when measure = 'expenditure_total' then fund_scope end) as total_scope,
        max(case when measure = 'basic' then fund_scope end) as basic_scope,
        max(case when measure = 'project' then fund_scope end) as project_scope,
        max(case when measure = 'reserve' then fund_scope end) as reserve_scope,
        max(case when measure = 'personnel' then fund_scope end) as personnel_scope,
        max(case when measure = 'public' then fund_scope end) as public_scope,
        min(unit) as unit
    from firsts
    group by 1

)

select
    entity_id, 'narrative_parts_sum' as rule_id, 'basic+project=expenditure_total' as subject,
    total_wan as expected_wan, basic_wan + project_wan + coalesce(reserve_wan, 0) as actual_wan,
    {{ tolerance_wan('3 + (reserve_wan is not null)::int', 'unit') }} as tolerance_wan,
    -- parts first stated under another fund scope than the total are not its parts: a difference
    -- between them is unverified (the reader compared two scopes), never a fail
    case when ({{ scopes_differ('basic_scope', 'total_scope') }} or {{ scopes_differ('project_scope', 'total_scope') }}
               or {{ scopes_differ('coalesce(reserve_scope, total_scope)', 'total_scope') }})
          and abs(basic_wan + project_wan + coalesce(reserve_wan, 0) - total_wan)
              > {{ tolerance_wan('3 + (reserve_wan is not null)::int', 'unit') }}
         then 'unverified' end as forced_status,
    '支出预算 ' || total_wan || ' vs 基本支出 ' || basic_wan || ' + 项目支出 ' || project_wan
        || coalesce(' + 预留机动经费 ' || reserve_wan, '') as message,
    total_ref as source_ref
from pivoted
where total_wan is not null and basic_wan is not null and project_wan is not null
union all
select
    entity_id, 'narrative_parts_sum', 'personnel+public=basic',
    basic_wan, personnel_wan + public_wan,
    {{ tolerance_wan('3', 'unit') }},
    case when ({{ scopes_differ('personnel_scope', 'basic_scope') }} or {{ scopes_differ('public_scope', 'basic_scope') }})
          and abs(personnel_wan + public_wan - basic_wan) > {{ tolerance_wan('3', 'unit') }}
         then 'unverified' end,
    '基本支出 ' || basic_wan || ' vs 人员经费 ' || personnel_wan || ' + 公用经费 ' || public_wan,
    basic_ref
from pivoted
where basic_wan is not null and personnel_wan is not null and public_wan is not null
