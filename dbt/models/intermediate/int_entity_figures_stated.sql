-- The headline figures each entity's document states, one row per (entity, measure, evidence):
-- printed table totals first (evidence_rank 1), narrative statements second (rank 2).
-- Feeds rpt_entity_summary and the reconciliation rules.
with table_totals as (

    select * from {{ ref('int_table_rows_pivoted') }}
    where row_kind = 'total'

),

from_tables as (

    {% set pairs = [
        ('expenditure_summary', 'total', 'expenditure_total'),
        ('expenditure_summary', 'basic', 'basic'),
        ('expenditure_summary', 'project', 'project'),
        ('general_budget_expenditure', 'total', 'general_budget_expenditure'),
        ('general_budget_expenditure', 'basic', 'general_budget_basic'),
        ('general_budget_expenditure', 'project', 'general_budget_project'),
        ('general_budget_basic_expenditure', 'total', 'general_budget_basic_economic'),
        ('general_budget_basic_expenditure', 'personnel', 'personnel'),
        ('general_budget_basic_expenditure', 'public', 'public'),
        ('revenue_summary', 'total', 'revenue_total'),
    ] %}
    {% for kind, col, measure in pairs %}
    select entity_id, '{{ measure }}' as measure, {{ col }}_wan as amount_wan, 1 as evidence_rank,
           'table' as evidence, source_ref, line_number, 0 as figure_seq
    from table_totals
    where table_kind = '{{ kind }}' and {{ col }}_wan is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    union all
    select entity_id, 'three_public_total', three_public_total_wan, 1, 'table', source_ref, line_number, 0
    from {{ ref('int_table_rows_pivoted') }}
    where table_kind = 'three_public_expenditure' and three_public_total_wan is not null

),

from_narrative as (

    select
        entity_id,
        case measure
            when 'general_budget_expenditure' then 'general_budget_expenditure'
            else measure
        end as measure,
        {{ to_wan('amount', 'unit') }} as amount_wan,
        2 as evidence_rank,
        'narrative' as evidence,
        {{ source_ref('source_file', 'line_number') }} as source_ref,
        line_number,
        figure_seq  -- two statements of one measure in one sentence: the first printed wins
    from {{ ref('int_narrative_figures_resolved') }}
    where amount is not null
      and measure not in ('function_class', 'function_section', 'function_item')

)

select * from from_tables
union all
select * from from_narrative
