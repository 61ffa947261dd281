-- Rule summary_side_sum: in every 收支总表 and 财政拨款收支总表, each side adds up as its labels say
-- (extractors.tables.sides, staged as each line's parent_row): 本年收入合计 = Σ the items 一、二、…,
-- 收入总计 = 本年收入合计 + the lines carrying money across years (上年结转结余, 用事业基金弥补收支
-- 差额 …), an item = Σ the lines numbered one level under it (一、财政拨款 = 1. + 2. + 3.), per
-- amount column. A line printed blank is not evaluated; a part printed blank counts as 0. Lines the
-- labels do not place (其中, an unnumbered line under an item, a numbering that starts again) have
-- no parent and take part in no sum.
with cells as (

    -- a column key printed twice on a side (本年预算 | 编制预算, both totals: C065 p6) is two
    -- columns: a line adds up with the lines under it column by column, the nth of the key with the nth
    select
        *,
        row_number() over (partition by source_file, table_id, row_number, side, column_key
                           order by column_index) as key_ordinal
    from {{ ref('int_recon_table_cells_prepared') }}
    where table_kind in ('income_expenditure_summary', 'fiscal_appropriation_summary')
      and side is not null

),

evaluated as (

    select
        p.entity_id, p.source_file, p.table_id, p.table_kind, p.row_number, p.label_norm, p.column_key, p.key_ordinal, p.side,
        p.unit, p.source_ref,
        p.amount_wan as parent_wan,
        sum(c.amount_wan) as children_wan,
        count(c.amount_wan) as n_children_printed,
        count(*) as n_children,
        string_agg(c.label_norm || '=' || {{ fmt_figure('c.amount_wan', 'c.unit') }}, ' + '
                   order by c.row_number) as parts
    from cells as p
    inner join cells as c
        on c.source_file = p.source_file
       and c.table_id = p.table_id
       and c.parent_row_number = p.row_number
       and c.column_key = p.column_key
       and c.key_ordinal = p.key_ordinal
       and c.side = p.side
    where p.amount_wan is not null
    group by all

),

-- a side printed as several name | amount sections (支出功能分类 | 部门预算支出经济分类 | 政府预算支出经济
-- 分类, 西安) prints its 本年支出合计 and 支出总计 in each: the same comparison of the same figures
-- is one finding, not one per section
distinct_comparisons as (

    select * from evaluated
    qualify row_number() over (
        partition by source_file, table_id, side, label_norm, column_key, key_ordinal, parent_wan, children_wan
        order by row_number) = 1

)

select
    entity_id,
    'summary_side_sum' as rule_id,
    table_kind || ' t' || table_id || ' r' || row_number || ' ' || side || ' ' || column_key
        || case when key_ordinal > 1 then '#' || key_ordinal else '' end as subject,
    parent_wan as expected_wan,
    coalesce(children_wan, 0) as actual_wan,
    {{ tolerance_wan('1 + n_children_printed', 'unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    table_kind || ' ' || label_norm || ' ' || column_key || ' ' || {{ fmt_figure('parent_wan', 'unit') }}
        || ' vs Σ ' || parts as message,
    {{ label_zh('table_kind', 'table_kind') }} || '：' || label_norm || ' ' || {{ column_zh('column_key') }} || ' '
        || {{ fmt_figure('parent_wan', 'unit') }} || ' 与 ' || parts || ' 比较' as message_zh,
    source_ref
from distinct_comparisons
