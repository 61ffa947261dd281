-- One row per entity with its headline figures as the document states them (tables first,
-- then prose), with where each came from.
with stated as (

    select * from {{ ref('int_entity_figures_stated') }}

),

best as (

    select entity_id, measure, amount_wan, evidence, source_ref
    from stated
    qualify row_number() over (partition by entity_id, measure order by evidence_rank, line_number, figure_seq, amount_wan) = 1

),

facts as (

    select entity_id, count(*) as n_function_facts, sum(amount_wan) as function_facts_wan,
           sum(case when fund_scope = 'general_public_budget' then amount_wan end) as function_facts_general_budget_wan
    from {{ ref('fct_function_expenditure') }}
    group by 1

)

select
    e.entity_id,
    e.entity_name,
    e.fiscal_year,
    {% for m, col in [('expenditure_total', 'total'), ('basic', 'basic'), ('project', 'project'),
                      ('personnel', 'personnel'), ('public', 'public'), ('three_public_total', 'three_public'),
                      ('revenue_total', 'revenue'), ('total_budget', 'total_budget'), ('operating_cost', 'operating_cost')] %}
    cast(max(case when b.measure = '{{ m }}' then b.amount_wan end) as decimal(18, 6)) as {{ col }}_wan,
    {% endfor %}
    max(case when b.measure = 'expenditure_total' then b.evidence end) as total_evidence,
    cast(coalesce(max(f.n_function_facts), 0) as integer) as n_function_facts,
    cast(max(f.function_facts_wan) as decimal(18, 6)) as function_facts_wan,
    cast(max(case when b.measure = 'general_budget_expenditure' then b.amount_wan end) as decimal(18, 6)) as general_budget_wan,
    cast(max(f.function_facts_general_budget_wan) as decimal(18, 6)) as function_facts_general_budget_wan
from (select distinct entity_id, entity_name, fiscal_year from {{ ref('dim_budget_entity') }}) as e
left join best as b using (entity_id)
left join facts as f using (entity_id)
group by all
