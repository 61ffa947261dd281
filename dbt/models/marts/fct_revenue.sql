-- Revenue by source (一般公共预算拨款, 政府性基金, 财政专户, 单位资金, 上年结转 …), the leaves of
-- the revenue side: from the 收入总表 total row, else the prose.
with revenue_total_rows as (

    select *, amount_printed as amount, unit_printed as unit
    from {{ ref('int_table_cells_joined') }}
    where table_kind = 'revenue_summary'
      and row_kind = 'total'
      and amount_printed is not null

),

fund_split_printed as (

    select distinct entity_id from revenue_total_rows
    where column_key in ('general_budget', 'gov_fund', 'state_capital')

),

table_revenue as (

    select entity_id, column_key as revenue_source, amount_wan, source_ref, 'table' as evidence
    from revenue_total_rows
    where column_key not in ('total', 'current_year_revenue', 'other')
      and not (column_key = 'fiscal_appropriation' and entity_id in (select entity_id from fund_split_printed))
    qualify row_number() over (partition by entity_id, column_key order by line_number) = 1

),

narrative_revenue as (

    select
        entity_id,
        replace(measure, 'revenue_', '') as revenue_source,
        {{ to_wan('amount', 'unit') }} as amount_wan,
        {{ source_ref('source_file', 'line_number') }} as source_ref,
        'narrative' as evidence
    from {{ ref('int_narrative_figures_resolved') }}
    where measure like 'revenue\_%' escape '\'
      -- subtotals of the revenue side are evidence, not sources
      and measure not in ('revenue_total', 'revenue_current_year', 'revenue_fiscal_current_year')
      and amount is not null
      and entity_id not in (select entity_id from table_revenue)
    qualify row_number() over (partition by entity_id, measure order by line_number, figure_seq) = 1

)

select *, {{ reading_uncertain('source_ref', 'evidence') }} as reading_uncertain
from (
    select entity_id, revenue_source, cast(amount_wan as decimal(18, 6)) as amount_wan, evidence, source_ref
    from table_revenue
    union all
    select entity_id, revenue_source, cast(amount_wan as decimal(18, 6)), evidence, source_ref
    from narrative_revenue
) as facts
