-- “三公”经费 (and 会议费 / 培训费 where published) by item: the leaves only. The printed 合计,
-- “三公”小计 and 公务用车购置及运行费 subtotals are evidence in fct_reported_figure. Where the
-- table prints 公务用车购置及运行费 without its two parts, it is one 'vehicle_unsplit' row. Where a
-- table is printed, the prose adds only the zeros it states for items the table leaves blank.
with items as (

    select * from {{ ref('int_three_public_items_classified') }}

),

vehicle_split as (

    select distinct entity_id from items
    where item in ('vehicle_purchase', 'vehicle_operation') and item_level = 'item'

),

table_items as (

    select entity_id, item, amount_wan, source_ref, 'table' as evidence
    from items
    where item_level = 'item' and item is not null
    union all
    select entity_id, 'vehicle_unsplit', amount_wan, source_ref, 'table'
    from items
    where item_level = 'vehicle_total'
      and entity_id not in (select entity_id from vehicle_split)

),

table_entities as (

    select distinct entity_id from items

),

narrative_items as (

    select entity_id, measure as item, {{ to_wan('amount', 'unit') }} as amount_wan,
           {{ source_ref('source_file', 'line_number') }} as source_ref, 'narrative' as evidence
    from {{ ref('int_narrative_figures_resolved') }} as prose
    where measure in ('overseas_travel', 'vehicle_purchase', 'vehicle_operation', 'official_reception', 'meeting', 'training')
      and amount is not null
      -- only statements about the “三公” budget itself (not 购置公务用车0辆 in the asset section)
      and (sentence like '%三公%' or measure in ('meeting', 'training'))
      and (entity_id not in (select entity_id from table_entities)
           -- a zero the prose prints for an item the table leaves blank (002: 因公出国（境）费0.00万元,
           -- 公务用车购置费为0.00万元 beside a table with empty cells): printed zero, not “not disclosed”
           or (amount = 0 and not exists (
                   select 1 from table_items
                   where table_items.entity_id = prose.entity_id and table_items.item = prose.measure)))
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
    source_ref,
    {{ reading_uncertain('source_ref', 'evidence') }} as reading_uncertain
from unioned
