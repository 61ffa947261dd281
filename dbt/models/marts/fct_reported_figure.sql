-- Every printed figure, table cell or prose, as evidence for reconciliation. Subtotals live
-- here, never in the additive facts.
with table_figures as (

    select
        entity_id,
        'table' as source_kind,
        table_kind,
        coalesce(code, label, name) as subject,
        code,
        row_kind,
        column_key as measure,
        side,
        amount_wan,
        amount_printed,
        unit_printed,
        cast(null as decimal(9, 4)) as share_pct,
        source_ref,
        cell_key as figure_key
    from {{ ref('int_table_cells_joined') }}
    where amount_printed is not null

),

narrative_figures as (

    select
        entity_id,
        'narrative' as source_kind,
        cast(null as varchar) as table_kind,
        coalesce(functional_code, subject, item_name, class_name, measure) as subject,
        functional_code as code,
        cast(null as varchar) as row_kind,
        measure,
        cast(null as varchar) as side,
        {{ to_wan('amount', 'unit') }} as amount_wan,
        amount as amount_printed,
        unit as unit_printed,
        cast(share_pct as decimal(9, 4)) as share_pct,
        {{ source_ref('source_file', 'line_number') }} as source_ref,
        figure_id as figure_key
    from {{ ref('int_narrative_figures_resolved') }}
    where amount is not null or share_pct is not null

)

-- figure_key is the printed position; two columns of one row may share a meaning (预算数 and
-- 决算数 both 'total', several 'other' columns), so the key is made unique by construction.
select
    md5(figure_key || '#' || row_number() over (
        partition by figure_key order by source_kind, coalesce(amount_printed, 0), subject)) as figure_id,
    * exclude (figure_key)
from (
    select * from table_figures
    union all
    select * from narrative_figures
)
