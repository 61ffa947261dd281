-- Basic expenditure by economic classification (部门预算支出经济分类) at the finest printed
-- level, split into personnel / public cost where the table prints the split. Additive to the
-- entity's basic expenditure. fund_scope is the scope the table's title names (一般公共预算基本支出表
-- → general_public_budget, 财政拨款… → fiscal_appropriation, a 基本支出表 of the department →
-- all_funds).
select
    md5(entity_id || '|' || economic_code || '|' || cost_type || '|' || source_ref) as fact_id,
    entity_id,
    economic_code,
    cost_type,
    fund_scope,
    cast(amount_wan as decimal(18, 6)) as amount_wan,
    evidence,
    source_ref,
    printed_name,
    {{ reading_uncertain('source_ref', 'evidence') }} as reading_uncertain
from {{ ref('int_economic_expenditures_selected') }}
