-- Rule narrative_parts_sum: in the prose, 基本支出 + 项目支出 = 支出预算 and
-- 人员经费 + 公用经费 = 基本支出 (first statement of each). A third part the prose states
-- (单位预留机动经费, Jiangsu) is part of 支出预算 too; so is the 年终结转结余 the prose states where
-- the 支出预算 is the 收支总表's 支出 side (C008: 支出预算 = 基本 + 项目 + 年终结转结余 560,823.20;
-- taken only when the two parts alone do not make the total and the three do). Parts stated under another fund scope than
-- their total (int_recon_narrative_first_prepared.fund_scope) make a difference unverified.
with firsts as (

    select * from {{ ref('int_recon_narrative_first_prepared') }}
    where measure in ('expenditure_total', 'basic', 'project', 'reserve', 'expenditure_carryover', 'personnel', 'public')

),

pivoted as (

    select
        entity_id,
        max(case when measure = 'expenditure_total' then amount_wan end) as total_wan,
        max(case when measure = 'basic' then amount_wan end) as basic_wan,
        max(case when measure = 'project' then amount_wan end) as project_wan,
        max(case when measure = 'reserve' then amount_wan end) as reserve_wan,
        max(case when measure = 'expenditure_carryover' then amount_wan end) as carryover_wan,
        max(case when measure = 'personnel' then amount_wan end) as personnel_wan,
        max(case when measure = 'public' then amount_wan end) as public_wan,
        {%- for m, c in [('expenditure_total', 'total'), ('basic', 'basic'), ('project', 'project'), ('reserve', 'reserve'),
                          ('expenditure_carryover', 'carryover'), ('personnel', 'personnel'), ('public', 'public')] %}
        max(case when measure = '{{ m }}' then amount_decimals end) as {{ c }}_decimals,
        {%- endfor %}
        max(case when measure = 'expenditure_total' then source_ref end) as total_ref,
        max(case when measure = 'basic' then source_ref end) as basic_ref,
        -- the fund scope of each first statement (int_recon_narrative_first_prepared)
        max(case when measure = 'expenditure_total' then fund_scope end) as total_scope,
        max(case when measure = 'basic' then fund_scope end) as basic_scope,
        max(case when measure = 'project' then fund_scope end) as project_scope,
        max(case when measure = 'reserve' then fund_scope end) as reserve_scope,
        max(case when measure = 'expenditure_carryover' then fund_scope end) as carryover_scope,
        max(case when measure = 'personnel' then fund_scope end) as personnel_scope,
        max(case when measure = 'public' then fund_scope end) as public_scope,
        min(unit) as unit
    from firsts
    group by 1

),

parts as (

    select
        *,
        basic_wan + project_wan + coalesce(reserve_wan, 0) as two_parts_wan,
        {{ tolerance_wan('3 + (reserve_wan is not null)::int', 'unit') }} as two_parts_tolerance_wan,
        {{ tolerance_wan('4 + (reserve_wan is not null)::int', 'unit') }} as with_carryover_tolerance_wan
    from pivoted

),

decided as (

    select
        *,
        -- the 年终结转结余 is a part only where it makes the total the two parts do not make
        coalesce(abs(two_parts_wan - total_wan) > two_parts_tolerance_wan
                 and abs(two_parts_wan + carryover_wan - total_wan) <= with_carryover_tolerance_wan
                 and not {{ scopes_differ('coalesce(carryover_scope, total_scope)', 'total_scope') }}, false)
            as with_carryover
    from parts

)

select
    entity_id, 'narrative_parts_sum' as rule_id, 'basic+project=expenditure_total' as subject,
    total_wan as expected_wan,
    two_parts_wan + case when with_carryover then carryover_wan else 0 end as actual_wan,
    case when with_carryover then with_carryover_tolerance_wan else two_parts_tolerance_wan end as tolerance_wan,
    -- parts first stated under another fund scope than the total are not its parts: a difference
    -- between them is unverified (the reader compared two scopes), never a fail
    case when ({{ scopes_differ('basic_scope', 'total_scope') }} or {{ scopes_differ('project_scope', 'total_scope') }}
               or {{ scopes_differ('coalesce(reserve_scope, total_scope)', 'total_scope') }})
          and not with_carryover and abs(two_parts_wan - total_wan) > two_parts_tolerance_wan
         then 'unverified' end as forced_status,
    '支出预算 ' || {{ fmt_figure('total_wan', 'unit', 'total_decimals') }} || ' vs 基本支出 ' || {{ fmt_figure('basic_wan', 'unit', 'basic_decimals') }}
        || ' + 项目支出 ' || {{ fmt_figure('project_wan', 'unit', 'project_decimals') }}
        || case when reserve_wan is not null then ' + 预留机动经费 ' || {{ fmt_figure('reserve_wan', 'unit', 'reserve_decimals') }} else '' end
        || case when with_carryover then ' + 年终结转结余 ' || {{ fmt_figure('carryover_wan', 'unit', 'carryover_decimals') }} else '' end as message,
    '支出预算 ' || {{ fmt_figure('total_wan', 'unit', 'total_decimals') }} || ' 与 基本支出 ' || {{ fmt_figure('basic_wan', 'unit', 'basic_decimals') }}
        || ' + 项目支出 ' || {{ fmt_figure('project_wan', 'unit', 'project_decimals') }}
        || case when reserve_wan is not null then ' + 预留机动经费 ' || {{ fmt_figure('reserve_wan', 'unit', 'reserve_decimals') }} else '' end
        || case when with_carryover then ' + 年终结转结余 ' || {{ fmt_figure('carryover_wan', 'unit', 'carryover_decimals') }} else '' end
        || ' 比较' as message_zh,
    total_ref as source_ref
from decided
where total_wan is not null and basic_wan is not null and project_wan is not null
union all
select
    entity_id, 'narrative_parts_sum', 'personnel+public=basic',
    basic_wan, personnel_wan + public_wan,
    {{ tolerance_wan('3', 'unit') }},
    case when ({{ scopes_differ('personnel_scope', 'basic_scope') }} or {{ scopes_differ('public_scope', 'basic_scope') }})
          and abs(personnel_wan + public_wan - basic_wan) > {{ tolerance_wan('3', 'unit') }}
         then 'unverified' end,
    '基本支出 ' || {{ fmt_figure('basic_wan', 'unit', 'basic_decimals') }} || ' vs 人员经费 ' || {{ fmt_figure('personnel_wan', 'unit', 'personnel_decimals') }}
        || ' + 公用经费 ' || {{ fmt_figure('public_wan', 'unit', 'public_decimals') }},
    '基本支出 ' || {{ fmt_figure('basic_wan', 'unit', 'basic_decimals') }} || ' 与 人员经费 ' || {{ fmt_figure('personnel_wan', 'unit', 'personnel_decimals') }}
        || ' + 公用经费 ' || {{ fmt_figure('public_wan', 'unit', 'public_decimals') }} || ' 比较',
    basic_ref
from pivoted
where basic_wan is not null and personnel_wan is not null and public_wan is not null
