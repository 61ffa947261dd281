-- “三公”经费 (and 会议费 / 培训费 where published) by item. Items are the leaves; the
-- printed 合计 and 公务用车购置及运行费 subtotals are evidence in fct_reported_figure.
with table_items as (

    {% set items = ['overseas_travel', 'vehicle_purchase', 'vehicle_operation', 'official_reception', 'meeting', 'training'] %}
    {% for item in items %}
    select entity_id, '{{ item }}' as item, {{ item }}_wan as amount_wan, source_ref, 'table' as evidence
    from {{ ref('int_table_rows_pivoted') }}
    where table_kind = 'three_public_expenditure' and {{ item }}_wan is not null
      and row_kind in ('total', 'detail')
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

table_entities as (

    select distinct entity_id from table_items

),

narrative_items as (

    select entity_id, measure as item, {{ to_wan('amount', 'unit') }} as amount_wan,
           {{ source_ref('source_file', 'line_number') }} as source_ref, 'narrative' as evidence
    from {{ ref('int_narrative_figures_resolved') }}
    where measure in ('overseas_travel', 'vehicle_purchase', 'vehicle_operation', 'official_reception', 'meeting', 'training')
      and amount is not null
      and entity_id not in (select entity_id from table_entities)
    qualify row_number() over (partition by entity_id, measure order by line_number, figure_seq) = 1

),

unioned as (

    select * from table_items
    qualify row_number() over (partition by entity_id, item order by source_ref) = 1
    union all
    select * from narrative_items

)

select
    entity_id,
    item,
    cast(amount_wan as decimal(18, 6)) as amount_wan,
    evidence,
    source_ref
from unioned
