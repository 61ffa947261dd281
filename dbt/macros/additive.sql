{#-
  The rows of a fact mart that add up across entities without double counting (the
  marts.*_additive views): the rows of every is_additive entity (a department, or a unit whose
  department is not loaded), and the rows of a unit inside a loaded department only where that
  department has no row of its own in this fact (a 部门预算 that prints its units' tables but no
  consolidated one). sum_basis says which: 'entity' or 'units_of_department'. The entity's
  name, year, kind and region come along, so a sum by year or region needs no join.
-#}
{% macro additive_rows(fact_model) -%}
with facts as (

    select * from {{ ref(fact_model) }}

),

entities as (

    select * from {{ ref('dim_budget_entity') }}

),

entities_with_facts as (

    select distinct entity_id from facts

)

select
    facts.*,
    entities.entity_name,
    entities.fiscal_year,
    entities.budget_kind,
    entities.province,
    entities.city,
    entities.county,
    entities.department_entity_id,
    case when entities.is_additive then 'entity' else 'units_of_department' end as sum_basis
from facts
inner join entities using (entity_id)
where entities.is_additive
   or entities.department_entity_id not in (select entity_id from entities_with_facts)
{%- endmacro %}
