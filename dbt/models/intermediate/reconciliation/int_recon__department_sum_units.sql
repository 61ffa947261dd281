-- Rule department_sum_units: a department's printed headline figures = Σ its units' figures,
-- where the document publishes its units. A measure some unit does not print: incomplete.
with entities as (

    select * from {{ ref('int_entities_keyed') }}

),

figures as (

    select * from {{ ref('int_recon_table_figures_prepared') }}
    where measure in ('expenditure_total', 'basic', 'project', 'general_budget_expenditure', 'basic_economic_total',
                      'personnel', 'public', 'revenue_total', 'total_budget', 'fiscal_appropriation_total',
                      'three_public_total', 'grand_total')

),

units as (

    select distinct parent_entity_id as department_id, entity_id as unit_id
    from entities
    where parent_entity_id is not null

),

n_units as (

    select department_id, count(*) as n_units from units group by 1

),

unit_sums as (

    select u.department_id, f.measure, sum(f.amount_wan) as units_wan, count(*) as n_printed,
           sum(f.n_terms) as n_terms
    from units as u
    inner join figures as f on f.entity_id = u.unit_id
    group by 1, 2

)

select
    d.entity_id,
    'department_sum_units' as rule_id,
    d.measure as subject,
    d.amount_wan as expected_wan,
    s.units_wan as actual_wan,
    {{ tolerance_wan('d.n_terms + coalesce(s.n_terms, 0)', 'd.unit') }} as tolerance_wan,
    case when coalesce(s.n_printed, 0) < n.n_units then 'incomplete' end as forced_status,
    'department ' || d.measure || ' ' || {{ fmt_figure('d.amount_wan', 'd.unit') }} || ' vs Σ ' || coalesce(s.n_printed, 0) || ' of ' || n.n_units
        || ' units ' || {{ fmt_figure('s.units_wan', 'd.unit') }} as message,
    '部门 ' || {{ label_zh('measure', 'd.measure') }} || ' ' || {{ fmt_figure('d.amount_wan', 'd.unit') }} || ' 与 ' || n.n_units || ' 个单位中 '
        || coalesce(s.n_printed, 0) || ' 个之和 ' || {{ fmt_figure('s.units_wan', 'd.unit') }} || ' 比较' as message_zh,
    d.source_ref
from figures as d
inner join n_units as n on n.department_id = d.entity_id
left join unit_sums as s on s.department_id = d.entity_id and s.measure = d.measure
