-- Every code a mart uses has a label in marts.dim_label (seed labels, rule titles from
-- reconciliation_rules): fails with the code, its kind and where it is used when a new code
-- appears without a label. Lists (mentioned_in 'table,narrative') are checked element by
-- element, issues by their kind (the text before ':').
-- 集市中使用的每个代码都须有中英文标签。
{% set used = [
    ('fct_reported_figure', 'measure', 'measure'),
    ('fct_reported_figure', 'source_kind', 'source_kind'),
    ('fct_reported_figure', 'row_kind', 'row_kind'),
    ('fct_reported_figure', 'side', 'side'),
    ('fct_reported_figure', 'table_kind', 'table_kind'),
    ('fct_function_expenditure', 'expenditure_type', 'expenditure_type'),
    ('fct_function_expenditure', 'fund_scope', 'fund_scope'),
    ('fct_function_expenditure', 'evidence', 'evidence'),
    ('fct_function_expenditure', 'table_kind', 'table_kind'),
    ('fct_economic_expenditure', 'cost_type', 'cost_type'),
    ('fct_economic_expenditure', 'fund_scope', 'fund_scope'),
    ('fct_economic_expenditure', 'evidence', 'evidence'),
    ('fct_revenue', 'revenue_source', 'revenue_source'),
    ('fct_revenue', 'evidence', 'evidence'),
    ('fct_three_public_expense', 'item', 'item'),
    ('fct_three_public_expense', 'evidence', 'evidence'),
    ('fct_project', 'evidence', 'evidence'),
    ('fct_project', "unnest(string_split(mentioned_in, ','))", 'evidence'),
    ('fct_reconciliation', 'rule_id', 'rule_id'),
    ('fct_reconciliation', 'status', 'status'),
    ('fct_reconciliation', 'severity', 'severity'),
    ('rpt_classification_issues', 'code_system', 'code_system'),
    ('rpt_classification_issues', "split_part(issue, ':', 1)", 'issue'),
    ('rpt_entity_summary', 'total_evidence', 'evidence'),
    ('dim_budget_entity', 'scope', 'scope'),
    ('dim_budget_entity', 'budget_kind', 'budget_kind'),
    ('dim_budget_entity', 'department_link', 'department_link'),
    ('fct_function_expenditure_additive', 'sum_basis', 'sum_basis'),
    ('fct_economic_expenditure_additive', 'sum_basis', 'sum_basis'),
    ('fct_revenue_additive', 'sum_basis', 'sum_basis'),
    ('fct_three_public_expense_additive', 'sum_basis', 'sum_basis'),
] %}
with used as (

    {% for model, expr, kind in used %}
    select distinct '{{ kind }}' as kind, trim(cast({{ expr }} as varchar)) as code,
           '{{ model }}.{{ expr | replace("'", "") }}' as used_in
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select used.*
from used
left join {{ ref('dim_label') }} as labels on labels.kind = used.kind and labels.code = used.code
where used.code is not null and used.code <> '' and labels.code is null
