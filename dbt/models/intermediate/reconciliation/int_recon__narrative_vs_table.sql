-- Rule narrative_vs_table: every figure the prose states (totals, basic/project, personnel/
-- public, 类/款/项 amounts, “三公” items, 机关运行经费) equals the figure the tables print for
-- the same entity and the same fund scope (the sentence's 一般公共预算 / 财政拨款 / 政府性基金, else
-- all funds, against the table of that scope: int_recon_table_figures_scoped). 机关运行经费 is
-- compared only with a table figure so labelled. A prose figure whose table figure is not
-- printed is not evaluated; one a table prints as another figure is unverified (below).
with narrative as (

    select
        *,
        case
            when measure in ('function_class', 'function_section', 'function_item') and functional_code is not null
                then 'function:' || functional_code
            else measure
        end as table_measure,
        {{ to_wan('amount', 'unit') }} as amount_wan,
        -- the fund scope the sentence names (支出预算 of all funds vs 一般公共预算支出 …)
        coalesce({{ fund_scope_named('sentence') }}, 'all_funds') as scope,
        -- the figure's own label names its scope (一般公共预算财政拨款基本支出5377.64万元), not only
        -- its sentence (…支出预算515313.35万元，…一般公共预算收入较上年…)
        {{ fund_scope_named('subject') }} is not null as scope_named
    from {{ ref('int_narrative_figures_resolved') }}
    where amount is not null
      and measure in ('total_budget', 'revenue_total', 'expenditure_total', 'fiscal_appropriation_total',
                      'general_budget_expenditure', 'basic', 'project', 'personnel', 'public', 'operating_cost',
                      'three_public_total', 'overseas_travel', 'vehicle_total', 'vehicle_purchase',
                      'vehicle_operation', 'official_reception', 'meeting', 'training',
                      'function_class', 'function_section', 'function_item')

),

tables as (

    -- a printed figure only: 机关运行经费 taken as the basic table's 公用经费 (scope 'derived') is an
    -- identity of 行政单位 budgets, not something the document prints
    select * from {{ ref('int_recon_table_figures_scoped') }}
    where scope <> 'derived'

),

matched as (

    -- the table figure of the same measure and fund scope (or of a table whose scope does not
    -- restrict it: “三公”, 机关运行经费), the first by rank; a prose figure of a scope no table
    -- prints is not evaluated
    select n.*, t.amount_wan as table_wan, t.n_terms, t.unit as table_unit, t.source_ref as table_ref,
           t.measure as table_measure_printed,
           -- each side at its own printed precision: a prose figure printed in whole 万元 carries 0.5
           -- 万元, one printed to 0.01 万元 0.005; a table figure in 元 0.000 000 5 万元 per figure
           cast({{ printed_half_wan('n.amount_decimals', 'n.unit') }} + {{ tolerance_wan('t.n_terms', 't.unit') }} as decimal(18, 7)) as tol_wan
    from narrative as n
    inner join tables as t
        on t.entity_id = n.entity_id
       and t.measure = n.table_measure
       and (t.scope = n.scope or t.scope = 'any')
    qualify row_number() over (partition by n.figure_id order by t.rank_, t.source_ref) = 1

),

cells as (

    select entity_id, source_ref, amount_wan
    from {{ ref('int_recon_table_cells_prepared') }}
    where amount_wan is not null

),

-- a prose figure a table prints as another figure says the reader may have taken the sentence
-- for the wrong figure: of a figure whose label names no fund scope, any table's (the 一般公共预算
-- part where the rule took all funds); of one whose label names its scope, another column of the
-- compared table row (the 当年 column of a “三公” table where the rule took 上年). A figure labelled
-- with its scope and printed only in another scope's table is the document quoting the wrong
-- figure: a fail.
corroborated as (

    select m.*,
        abs(m.amount_wan - m.table_wan) > m.tol_wan and exists (
            select 1 from cells as c
            where c.entity_id = m.entity_id
              and (not m.scope_named or c.source_ref = m.table_ref)
              and abs(c.amount_wan - m.amount_wan) <= m.tol_wan
        ) as is_unverified
    from matched as m

)

select
    n.entity_id,
    'narrative_vs_table' as rule_id,
    n.measure || coalesce(':' || n.functional_code, '') || ' @ ' || n.line_number || '#' || n.figure_seq as subject,
    n.table_wan as expected_wan,
    n.amount_wan as actual_wan,
    n.tol_wan as tolerance_wan,
    case when n.is_unverified then 'unverified' end as forced_status,
    'prose ' || n.measure || coalesce(' ' || n.functional_code, '') || ' ' || {{ fmt_figure('n.amount_wan', 'n.unit', 'n.amount_decimals') }}
        || ' (' || n.source_file || ':' || n.line_number
        || ') vs table ' || n.table_measure_printed || ' ' || {{ fmt_figure('n.table_wan', 'n.table_unit') }} || ' (' || n.table_ref || ', ' || n.scope || ')'
        || case when n.is_unverified
                then ' (该数字在表中作为另一数字列示，未核实 / the prose figure is printed in a table as another figure: which figure the sentence means is not certain)'
                else '' end as message,
    '文字 ' || {{ label_zh('measure', 'n.measure') }} || coalesce(' ' || n.functional_code, '') || ' ' || {{ fmt_figure('n.amount_wan', 'n.unit', 'n.amount_decimals') }}
        || '（' || n.source_file || ':' || n.line_number
        || '）与 表格 ' || {{ label_zh('measure', 'n.table_measure_printed') }} || ' ' || {{ fmt_figure('n.table_wan', 'n.table_unit') }}
        || '（' || n.table_ref || '，' || {{ label_zh('fund_scope', 'n.scope') }} || '）比较'
        || case when n.is_unverified then '（该数字在表中作为另一数字列示，未核实）' else '' end as message_zh,
    {{ source_ref('n.source_file', 'n.line_number') }} as source_ref
from corroborated as n
