-- The rows of fct_revenue that add up across entities without double counting (a unit's rows are
-- in its department's): see macros/additive.sql and dim_budget_entity.is_additive.
{{ config(materialized='view') }}
{{ additive_rows('fct_revenue') }}
