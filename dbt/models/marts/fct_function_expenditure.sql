-- Expenditure by functional classification at the finest printed level. Additive: the sum for
-- an entity is the entity's total expenditure. Tables are the evidence where printed; narrative
-- figures fill in only where no table does. fund_scope (general_public_budget, government_fund,
-- state_capital, other_funds, fiscal_appropriation, all_funds) is disjoint per entity: filter on
-- it to get one fund's spending, sum over it for all funds.
select
    md5(entity_id || '|' || functional_code || '|' || expenditure_type || '|' || source_ref) as fact_id,
    entity_id,
    functional_code,
    expenditure_type,
    fund_scope,
    cast(amount_wan as decimal(18, 6)) as amount_wan,
    evidence,
    source_ref,
    table_kind,
    printed_name,
    {{ reading_uncertain('source_ref', 'evidence') }} as reading_uncertain
from {{ ref('int_function_expenditures_selected') }}
