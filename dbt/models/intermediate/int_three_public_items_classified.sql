-- “三公”经费 table lines classified into items. Two layouts exist:
--   row layout (items are rows, columns are fund sources: 002), amount = the 合计 column;
--   column layout (one row, items are columns: Shanghai), amount = the item's column.
-- item_level: 'total' (合计, “三公”小计), 'item' (一、因公出国 …), 'sub_item' (其中： lines and
-- the unnumbered lines after them), 'vehicle_total' (公务用车购置及运行费, the sum of its two parts).
with row_layout as (

    select
        *,
        regexp_replace(coalesce(label, name, ''), '^(其中[:：]\s*|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[．.、]\s*)', '') as item_text,
        regexp_matches(coalesce(label, name, ''), '^[一二三四五六七八九十]+、') as is_numbered
    from {{ ref('int_table_rows_pivoted') }}
    where table_kind = 'three_public_expenditure'

),

row_items as (

    select
        entity_id, source_ref, line_number, table_id, row_number, coalesce(label, name) as printed_label,
        case
            when row_kind = 'total' or item_text like '%合计%' or item_text like '%小计%' then 'three_public_total'
            when item_text like '%公务用车购置及运%' then 'vehicle_total'
            when item_text like '%公务用车购置%' then 'vehicle_purchase'
            when item_text like '%公务用车运行%' or item_text like '%公务用车运维%' then 'vehicle_operation'
            when item_text like '%因公出国%' then 'overseas_travel'
            when item_text like '%公务接待%' then 'official_reception'
            when item_text like '%会议费%' then 'meeting'
            when item_text like '%培训费%' then 'training'
        end as item,
        case
            when row_kind = 'total' or item_text like '%合计%' or item_text like '%小计%' then 'total'
            when item_text like '%公务用车购置及运%' then 'vehicle_total'
            when is_numbered then 'item'
            when item_text in ('公务用车购置费', '公务用车运行费', '公务用车运行维护费', '公务用车运维费')
                then 'item'
            else 'sub_item'
        end as item_level,
        total_wan as amount_wan
    from row_layout
    where total_wan is not null

),

column_items as (

    {% set items = ['overseas_travel', 'vehicle_purchase', 'vehicle_operation', 'official_reception', 'meeting', 'training', 'vehicle_total', 'three_public_total'] %}
    {% for item in items %}
    select entity_id, source_ref, line_number, table_id, row_number, '{{ item }}' as printed_label,
           '{{ item }}' as item,
           {% if item == 'vehicle_total' %}'vehicle_total'{% elif item == 'three_public_total' %}'total'{% else %}'item'{% endif %} as item_level,
           {{ item }}_wan as amount_wan
    from {{ ref('int_table_rows_pivoted') }}
    where table_kind = 'three_public_expenditure' and {{ item }}_wan is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *, 'rows' as layout from row_items
union all
select *, 'columns' as layout from column_items
