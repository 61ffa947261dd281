-- Narrative figures in 万元 with, for each figure printed with a share (占…%), the total the
-- share is of: the nearest total-type figure (支出预算, 一般公共预算支出, 财政拨款收支预算,
-- 收支总预算, 收入预算, 本年收入) stated without a share in the same sentence line or up to 15
-- lines above it, same entity; the total the sentence names (占本年支出合计的…) when it names one.
-- A “三公” item's share (因公出国（境）费…占“三公”经费的26.69%) is of the “三公” total: the one the
-- prose states up to 15 lines above, else the one the entity's “三公” table prints.
{% set three_public_items = "('overseas_travel', 'vehicle_total', 'official_reception')" %}
with figures as (

    select
        *,
        {{ to_wan('amount', 'unit') }} as amount_wan,
        {{ source_ref('source_file', 'line_number') }} as source_ref
    from {{ ref('int_narrative_figures_resolved') }}

),

shares as (

    select * from figures
    where share_pct is not null and amount is not null

),

candidates as (

    -- 1: a total stated in the prose (same file, same line or up to 15 lines above)
    select s.figure_id, t.measure as total_measure, t.amount_wan as total_wan, t.line_number as total_line_number,
           t.figure_seq as total_seq, 1 as evidence_rank,
           (s.sentence like '%占本年支出合计%' and t.measure = 'expenditure_total'
            or s.sentence like '%占本年收入合计%' and t.measure = 'revenue_current_year') as named
    from shares as s
    inner join figures as t
        on t.entity_id = s.entity_id
       and t.source_file = s.source_file
       and t.line_number between s.line_number - 15 and s.line_number
       and (t.line_number < s.line_number or t.figure_seq <= s.figure_seq)
       and t.amount is not null and t.share_pct is null
       and (s.measure in {{ three_public_items }} and t.measure = 'three_public_total'
            or s.measure not in {{ three_public_items }} and t.measure in (
                'expenditure_total', 'general_budget_expenditure', 'fiscal_appropriation_total',
                'total_budget', 'revenue_total', 'revenue_current_year'))

    union all

    -- 2: a “三公” item without a “三公” total in the prose: the total its table prints
    select s.figure_id, 'three_public_total (table)', t.amount_wan, t.line_number, null, 2, false
    from shares as s
    inner join {{ ref('int_entity_figures_stated') }} as t
        on t.entity_id = s.entity_id
       and t.measure = 'three_public_total'
       and t.evidence = 'table'
    where s.measure in {{ three_public_items }}

)

select
    f.entity_id, f.source_file, f.line_number, f.figure_seq, f.measure, f.functional_code, f.amount_wan,
    f.share_pct, f.share_pct_decimals, f.amount_decimals, f.unit, f.source_ref,
    c.total_measure, c.total_wan, c.total_line_number
from shares as f
left join candidates as c
    on c.figure_id = f.figure_id
qualify row_number() over (
    partition by f.figure_id
    -- a share that names its base (占本年支出合计的99.86%) is of that total
    -- (the measure last: one printed figure can be read as two totals of one line and position,
    -- and the choice must not change from run to run)
    order by c.named desc nulls last, c.evidence_rank, c.total_line_number desc nulls last, c.total_seq,
             c.total_measure
) = 1
