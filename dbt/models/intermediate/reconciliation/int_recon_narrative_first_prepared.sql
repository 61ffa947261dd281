-- The first statement of each single-valued narrative quantity per entity (measure, and the
-- functional code for 类/款/项 figures), in 万元, with how many times it is stated and its fund scope.
select
    entity_id,
    measure,
    coalesce(functional_code, class_name, '') as code_key,
    functional_code,
    class_code,
    amount_wan,
    amount_decimals,
    unit,
    source_ref,
    line_number,
    n_statements,
    -- the fund scope of the statement: the measure's own (一般公共预算支出, 财政拨款收支总预算), else
    -- the one its sentence or its section heading names (八、一般公共预算支出预算表情况说明), else
    -- all funds — the prose sums compare figures of one scope only
    case measure
        when 'general_budget_expenditure' then 'general_public_budget'
        when 'fiscal_appropriation_total' then 'fiscal_appropriation'
        else coalesce({{ fund_scope_named('sentence') }}, {{ fund_scope_named('section') }}, 'all_funds')
    end as fund_scope
from (
    select
        *,
        {{ to_wan('amount', 'unit') }} as amount_wan,
        {{ source_ref('source_file', 'line_number') }} as source_ref,
        count(*) over (partition by entity_id, measure, coalesce(functional_code, class_name, item_name, '')) as n_statements
    from {{ ref('int_narrative_figures_resolved') }}
    where amount is not null
)
qualify row_number() over (
    partition by entity_id, measure, coalesce(functional_code, class_name, item_name, '')
    order by line_number, figure_seq
) = 1
