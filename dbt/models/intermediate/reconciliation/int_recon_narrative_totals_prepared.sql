-- Narrative figures in 万元 with, for each figure printed with a share (占…%), the total the
-- share is of: the nearest total-type figure (支出预算, 一般公共预算支出, 财政拨款收支预算,
-- 收支总预算, 收入预算, 本年收入) stated without a share in the same sentence line or up to 15
-- lines above it, same entity; the total the sentence names (占本年支出合计的…) when it names one.
with figures as (

    select
        *,
        {{ to_wan('amount', 'unit') }} as amount_wan,
        {{ source_ref('source_file', 'line_number') }} as source_ref
    from {{ ref('int_narrative_figures_resolved') }}

),

totals as (

    select * from figures
    where amount is not null and share_pct is null
      and measure in ('expenditure_total', 'general_budget_expenditure', 'fiscal_appropriation_total',
                      'total_budget', 'revenue_total', 'revenue_current_year')

)

select
    f.entity_id, f.source_file, f.line_number, f.figure_seq, f.measure, f.functional_code, f.amount_wan,
    f.share_pct, f.unit, f.source_ref,
    t.measure as total_measure, t.amount_wan as total_wan, t.line_number as total_line_number
from figures as f
left join totals as t
    on t.entity_id = f.entity_id
   and t.source_file = f.source_file
   and t.line_number between f.line_number - 15 and f.line_number
   and (t.line_number < f.line_number or t.figure_seq <= f.figure_seq)
where f.share_pct is not null and f.amount is not null
qualify row_number() over (
    partition by f.figure_id
    -- a share that names its base (占本年支出合计的99.86%) is of that total
    order by (f.sentence like '%占本年支出合计%' and t.measure = 'expenditure_total'
              or f.sentence like '%占本年收入合计%' and t.measure = 'revenue_current_year') desc,
             t.line_number desc nulls last, t.figure_seq
) = 1
