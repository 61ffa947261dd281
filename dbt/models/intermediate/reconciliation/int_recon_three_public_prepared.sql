-- “三公”经费 items per entity and evidence. Tables print the items either as columns of one row
-- or as rows labelled 一、因公出国（境）费 … (amount in the 合计 column); both are read here.
-- Narrative items come from the prose (first statement of each item). A blank cell is not
-- printed (NULL); rules treat a blank part as 0 only when summing parts.
with table_rows as (

    select *, regexp_replace(coalesce(label, name, ''), '\s+', '', 'g') as label_norm
    from {{ ref('int_table_rows_pivoted') }}
    where table_kind = 'three_public_expenditure'

),

by_label as (

    select
        entity_id, table_id, row_number, total_wan as amount_wan, unit, source_ref,
        case
            when label_norm like '%合计%' then 'grand_total'
            when label_norm like '%小计%' then 'three_public_total'
            when label_norm like '%其中%' or label_norm like '%教学科研%' or label_norm like '%其他%'
                 or label_norm like '%省属%' then
                case
                    when label_norm like '%公务用车购置费%' then 'vehicle_purchase'
                    when label_norm like '%公务用车运%' then 'vehicle_operation'
                end
            when label_norm like '%因公出国%' then 'overseas_travel'
            when regexp_matches(label_norm, '公务用车购置(及|和|与)') then 'vehicle_total'
            when label_norm like '%公务用车购置%' then 'vehicle_purchase'
            when label_norm like '%公务用车运%' then 'vehicle_operation'
            when label_norm like '%公务接待%' then 'official_reception'
            when label_norm like '%会议费%' then 'meeting'
            when label_norm like '%培训费%' then 'training'
        end as item
    from table_rows
    where total_wan is not null

),

by_column as (

    {% set items = ['overseas_travel', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation',
                    'official_reception', 'three_public_total', 'meeting', 'training'] %}
    {% for item in items %}
    select entity_id, table_id, row_number, {{ item }}_wan as amount_wan, unit, source_ref, '{{ item }}' as item
    from table_rows where {{ item }}_wan is not null
    union all
    {% endfor %}
    select entity_id, table_id, row_number, total_wan, unit, source_ref, 'grand_total'
    from table_rows
    where total_wan is not null and three_public_total_wan is not null

),

table_items as (

    select entity_id, 'table' as evidence, item, amount_wan, unit, source_ref
    from (select * from by_label union all select * from by_column)
    where item is not null
    qualify row_number() over (partition by entity_id, item order by table_id, row_number) = 1

),

narrative_items as (

    select entity_id, 'narrative' as evidence, measure as item, {{ to_wan('amount', 'unit') }} as amount_wan, unit,
           {{ source_ref('source_file', 'line_number') }} as source_ref
    from {{ ref('int_narrative_figures_resolved') }}
    where measure in ('overseas_travel', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation',
                      'official_reception', 'three_public_total', 'meeting', 'training')
      and amount is not null
    qualify row_number() over (partition by entity_id, measure order by line_number, figure_seq) = 1

)

select * from table_items
union all
select * from narrative_items
