-- The rows of fct_economic_expenditure that add up across entities without double counting (a unit's rows are
-- in its department's): see macros/additive.sql and dim_budget_entity.is_additive.
-- a table, not a view: a DuckDB view names the database file it was built in, and the warehouse is
-- published under another name than the one it is built in
{{ config(materialized='table') }}
{{ additive_rows('fct_economic_expenditure') }}
