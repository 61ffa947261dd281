-- No double counting in the *_additive views: an entity's rows and its department's rows are
-- never both there (a unit is in its department's figures), and a department is its own
-- department. 可加总视图中，单位与其所属部门不得同时出现。
{% set views = ['fct_function_expenditure_additive', 'fct_economic_expenditure_additive',
                'fct_revenue_additive', 'fct_three_public_expense_additive'] %}
with entities as (

    select * from {{ ref('dim_budget_entity') }}

),

{% for view in views %}
{{ view }}_doubled as (

    select distinct '{{ view }}' as view_name, v.entity_id, v.department_entity_id
    from {{ ref(view) }} as v
    where v.department_entity_id <> v.entity_id
      and v.department_entity_id in (select entity_id from {{ ref(view) }})

),
{% endfor %}

departments_elsewhere as (

    select 'dim_budget_entity' as view_name, entity_id, department_entity_id
    from entities
    where scope = 'department' and department_entity_id is distinct from entity_id

)

{% for view in views %}
select * from {{ view }}_doubled
union all
{% endfor %}
select * from departments_elsewhere
