-- “三公”经费 items per entity and evidence, as the three_public rules and the table figures
-- compare them. Table items are the lines int_three_public_items_classified classifies (every
-- level but the breakdown lines, sub_item), the first printed per item. Narrative items come
-- from the prose (first statement of each item). A blank cell is not printed (NULL); rules treat
-- a blank part as 0 only when summing parts.
with table_items as (

    select entity_id, 'table' as evidence, item, amount_wan, unit, source_ref
    from {{ ref('int_three_public_items_classified') }}
    where item is not null and item_level <> 'sub_item'
    qualify row_number() over (partition by entity_id, item order by table_id, row_number, source_ref) = 1

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
