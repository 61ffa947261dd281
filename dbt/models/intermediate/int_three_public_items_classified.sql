-- “三公”经费 table figures classified into items: the one place a “三公” label or column is
-- read (marts.fct_three_public_expense and the three_public reconciliation rules use it).
-- Two layouts exist, decided per table:
--   columns: items are columns of a row (Shanghai, Jiangsu): the item is the column's meaning, of
--            the table's 合计 line where it prints one (a line per unit under it), else its first;
--            the 合计 column is the grand_total only where the table also prints the “三公”
--            subtotal as a column of its own (else it is not classified: the extractor keys
--            several headers as total);
--   rows:    items are rows (002), amount = the 合计 column; the item is read from the label
--            (whitespace removed):
--              三公 … / … 小计              → three_public_total
--              合计                         → grand_total where the table also prints a “三公”
--                                             subtotal or 会议费/培训费 line, else three_public_total
--              公务用车购置及/和/与运行…    → vehicle_total
--              公务用车购置… / 公务用车运…  → vehicle_purchase / vehicle_operation
--              因公出国, 公务接待, 会议费, 培训费 → overseas_travel, official_reception, meeting, training
-- item_level: 'total' (grand_total, three_public_total), 'vehicle_total' (公务用车购置及运行费,
-- the sum of its two parts), 'item', 'sub_item' (a 其中/其他/教学科研/省属 line that breaks down
-- the item above it: 其中：教学科研人员因公出国（境）费 under 因公出国（境）费; the 购置费/运行费
-- lines under 公务用车购置及运行费 are items), NULL for a printed line that is no “三公” item.
{% set item_columns = ['overseas_travel', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation',
                       'official_reception', 'three_public_total', 'meeting', 'training'] %}
with table_rows as (

    select
        *,
        regexp_replace(coalesce(label, name, ''), '\s+', '', 'g') as label_norm,
        bool_or(coalesce({% for item in item_columns %}{{ item }}_wan{% if not loop.last %}, {% endif %}{% endfor %}) is not null)
            over (partition by source_file, table_id) as is_column_layout,
        -- a columns-layout table printing a line per unit under its 合计 (C054 p49: 合计 | 242 …局 |
        -- 242001 … | 242002 …): the entity's items are those of the 合计 line, else of the first line;
        -- the units' lines stay evidence in fct_reported_figure. A table printing a line per year
        -- (深圳 C016 p46: 2025年 | 2026年 | 增减变化金额 in its 年度 column): the latest year's line; the
        -- earlier year's and the change line stay evidence
        case
            when min(row_year) over (partition by source_file, table_id)
                 < max(row_year) over (partition by source_file, table_id)
                then row_year is not distinct from max(row_year) over (partition by source_file, table_id)
            else row_kind = 'total'
                or (not bool_or(row_kind = 'total') over (partition by source_file, table_id)
                    and row_number = min(row_number) over (partition by source_file, table_id))
        end as is_entity_line
    from (
        select *,
            nullif(regexp_extract(coalesce(text_cells, '') || ' ' || coalesce(name, ''),
                                  '((?:19|20)[0-9]{2})\s*年', 1), '') as row_year
        from {{ ref('int_table_rows_pivoted') }}
        where table_kind = 'three_public_expenditure'
    ) as three_public_rows

),

labelled as (

    select
        *,
        case
            when label_norm like '%三公%' then 'three_public_total'
            when label_norm like '%合计%' then 'total'
            when regexp_matches(label_norm, '公务用车购置(及|和|与)') then 'vehicle_total'
            when label_norm like '%小计%' then 'three_public_total'
            when label_norm like '%公务用车购置%' then 'vehicle_purchase'
            when label_norm like '%公务用车运%' then 'vehicle_operation'
            when label_norm like '%因公出国%' then 'overseas_travel'
            when label_norm like '%公务接待%' then 'official_reception'
            when label_norm like '%会议费%' then 'meeting'
            when label_norm like '%培训费%' then 'training'
        end as label_item,
        regexp_matches(label_norm, '其中|其他|教学科研|省属') as is_breakdown
    from table_rows
    where not is_column_layout

),

row_items as (

    select
        *,
        -- the line a breakdown line breaks down: the nearest line above that is not one
        last_value(case when not is_breakdown then label_item end ignore nulls) over (
            partition by source_file, table_id order by row_number
            rows between unbounded preceding and 1 preceding) as parent_item,
        bool_or(label_item in ('three_public_total', 'meeting', 'training'))
            over (partition by source_file, table_id) as prints_grand_total_parts
    from labelled

),

rows_classified as (

    select
        entity_id, source_ref, line_number, table_id, row_number,
        coalesce(label, name) as printed_label,
        case
            when label_item = 'total' and prints_grand_total_parts then 'grand_total'
            when label_item = 'total' then 'three_public_total'
            else label_item
        end as item,
        case
            when label_item in ('total', 'three_public_total') then 'total'
            when label_item = 'vehicle_total' then 'vehicle_total'
            when label_item is null then null
            when is_breakdown and label_item = parent_item then 'sub_item'
            else 'item'
        end as item_level,
        total_wan as amount_wan,
        'rows' as layout,
        source_file,
        unit
    from row_items
    where total_wan is not null

),

columns_classified as (

    {% for item in item_columns %}
    select entity_id, source_ref, line_number, table_id, row_number, '{{ item }}' as printed_label,
           '{{ item }}' as item,
           {% if item == 'vehicle_total' %}'vehicle_total'{% elif item == 'three_public_total' %}'total'{% else %}'item'{% endif %} as item_level,
           {{ item }}_wan as amount_wan, 'columns' as layout, source_file, unit
    from table_rows
    where is_column_layout and {{ item }}_wan is not null
      and is_entity_line
    union all
    {% endfor %}
    select entity_id, source_ref, line_number, table_id, row_number, 'total', 'grand_total', 'total',
           total_wan, 'columns', source_file, unit
    from table_rows
    where is_column_layout and total_wan is not null and three_public_total_wan is not null
      and is_entity_line

)

select * from rows_classified
union all
select * from columns_classified
