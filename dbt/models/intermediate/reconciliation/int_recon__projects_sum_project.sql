-- Rule projects_sum_project: Σ the amounts of the projects listed (fct_project) = 项目支出 (the
-- table figure, else the prose). Where the prose says how many projects there are (N个项目) and
-- fewer are listed with an amount, the list is partial: status incomplete.
with projects as (

    select entity_id, sum(amount_wan) as projects_wan, count(amount_wan) as n_projects
    from {{ ref('fct_project') }}
    where amount_wan is not null
    group by 1

),

project_total as (

    select entity_id, amount_wan, unit, source_ref, 1 as rank_
    from {{ ref('int_recon_table_figures_prepared') }}
    where measure = 'project'
    union all
    select entity_id, amount_wan, unit, source_ref, 2
    from {{ ref('int_recon_narrative_first_prepared') }}
    where measure = 'project'

),

best_total as (

    select * from project_total
    qualify row_number() over (partition by entity_id order by rank_) = 1

),

stated_count as (

    select entity_id, max(amount_wan) as n_stated
    from {{ ref('int_recon_narrative_first_prepared') }}
    where measure = 'project_count'
    group by 1

)

select
    t.entity_id,
    'projects_sum_project' as rule_id,
    'Σ projects' as subject,
    t.amount_wan as expected_wan,
    p.projects_wan as actual_wan,
    {{ tolerance_wan('1 + p.n_projects', 't.unit') }} as tolerance_wan,
    -- a list that does not cover the total (fewer projects than stated, or a partial list of the
    -- main projects) is incomplete; a list exceeding the total most often holds a project read twice
    -- (from a table and from its 绩效目标表): unverified until the readings agree
    case when c.n_stated is not null and p.n_projects < c.n_stated then 'incomplete'
         when p.projects_wan < t.amount_wan - {{ tolerance_wan('1 + p.n_projects', 't.unit') }} then 'incomplete'
         when p.projects_wan > t.amount_wan + {{ tolerance_wan('1 + p.n_projects', 't.unit') }} then 'unverified'
    end as forced_status,
    '项目支出 ' || {{ fmt_figure('t.amount_wan', 't.unit') }} || ' vs Σ ' || p.n_projects || ' listed projects ' || {{ fmt_figure('p.projects_wan', 't.unit') }}
        || coalesce('; the document states ' || cast(cast(c.n_stated as integer) as varchar) || ' projects', '') as message,
    '项目支出 ' || {{ fmt_figure('t.amount_wan', 't.unit') }} || ' 与 所列 ' || p.n_projects || ' 个项目之和 ' || {{ fmt_figure('p.projects_wan', 't.unit') }} || ' 比较'
        || coalesce('；文件称共 ' || cast(cast(c.n_stated as integer) as varchar) || ' 个项目', '') as message_zh,
    t.source_ref
from best_total as t
inner join projects as p using (entity_id)
left join stated_count as c using (entity_id)
