-- Rule narrative_vs_table: every figure the prose states (totals, basic/project, personnel/
-- public, 类/款/项 amounts, “三公” items, 机关运行经费) equals the figure the tables print for
-- the same entity. 机关运行经费 is compared with the table figure so labelled, else (budgets
-- only) with 公用经费 of the basic-expenditure table (see int_recon_table_figures_prepared).
-- A prose figure whose table figure is not printed is not evaluated.
with narrative as (

    select
        *,
        case
            when measure in ('function_class', 'function_section', 'function_item') and functional_code is not null
                then 'function:' || functional_code
            else measure
        end as table_measure,
        {{ to_wan('amount', 'unit') }} as amount_wan
    from {{ ref('int_narrative_figures_resolved') }}
    where amount is not null
      and measure in ('total_budget', 'revenue_total', 'expenditure_total', 'fiscal_appropriation_total',
                      'general_budget_expenditure', 'basic', 'project', 'personnel', 'public', 'operating_cost',
                      'three_public_total', 'overseas_travel', 'vehicle_total', 'vehicle_purchase',
                      'vehicle_operation', 'official_reception', 'meeting', 'training',
                      'function_class', 'function_section', 'function_item')

),

tables as (

    select * from {{ ref('int_recon_table_figures_prepared') }}

)

select
    n.entity_id,
    'narrative_vs_table' as rule_id,
    n.measure || coalesce(':' || n.functional_code, '') || ' @ ' || n.line_number || '#' || n.figure_seq as subject,
    t.amount_wan as expected_wan,
    n.amount_wan as actual_wan,
    -- each side at its own printed precision: a prose figure printed in whole 万元 carries 0.5 万元,
    -- one printed to 0.01 万元 0.005; a table figure in 元 0.000 000 5 万元 per figure
    cast({{ printed_half_wan('n.amount_decimals', 'n.unit') }} + {{ tolerance_wan('t.n_terms', 't.unit') }} as decimal(18, 7)) as tolerance_wan,
    cast(null as varchar) as forced_status,
    'prose ' || n.measure || coalesce(' ' || n.functional_code, '') || ' ' || n.amount_wan || ' (' || n.source_file || ':' || n.line_number
        || ') vs table ' || t.measure || ' ' || t.amount_wan || ' (' || t.source_ref || ')' as message,
    {{ source_ref('n.source_file', 'n.line_number') }} as source_ref
from narrative as n
inner join tables as t
    on t.entity_id = n.entity_id
   and t.measure = n.table_measure
