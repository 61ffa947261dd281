-- Rule table_total_sum_classes: a functional or economic table's 合计 row = Σ its 类 rows
-- (3-digit codes), per amount column. Tables without a printed 类 row are not evaluated.
with rows_ as (

    select * from {{ ref('int_table_rows_pivoted') }}
    where table_kind in ('expenditure_summary', 'general_budget_expenditure', 'gov_fund_expenditure',
                         'state_capital_expenditure', 'general_budget_basic_expenditure')

),

cells as (

    {% for col in ['total', 'basic', 'project', 'personnel', 'public'] %}
    select entity_id, table_id, table_kind, row_number, row_kind, code, unit, source_ref, '{{ col }}' as column_key,
           {{ col }}_wan as amount_wan
    from rows_
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

totals as (

    select *, count(amount_wan) over (partition by entity_id, table_id, row_number) as n_row_printed
    from cells
    where row_kind = 'total' and code is null

),

-- a basic-expenditure table printed as two halves side by side prints 人员经费合计 under the
-- 工资福利支出/对个人和家庭的补助 half and 公用经费合计 under the other: Σ of those 类' 合计
part_classes as (

    select entity_id, table_id,
           case when code in ('301', '303') then 'personnel' else 'public' end as column_key,
           sum(total_wan) as classes_wan, count(total_wan) as n_printed,
           string_agg(code || '=' || {{ fmt_figure('total_wan', 'unit') }}, ' + ' order by row_number) as parts
    from rows_
    where table_kind = 'general_budget_basic_expenditure' and length(code) = 3
    group by all

),

classes as (

    select entity_id, table_id, column_key,
           sum(amount_wan) as classes_wan, count(amount_wan) as n_printed,
           string_agg(code || '=' || {{ fmt_figure('amount_wan', 'unit') }}, ' + ' order by row_number) as parts
    from cells
    where length(code) = 3
    group by all

)

select
    t.entity_id,
    'table_total_sum_classes' as rule_id,
    t.table_kind || ' t' || t.table_id || ' r' || t.row_number || ' ' || t.column_key as subject,
    coalesce(t.amount_wan, 0) as expected_wan,
    coalesce(case when c.n_printed = 0 and pc.n_printed > 0 then pc.classes_wan else c.classes_wan end, 0) as actual_wan,
    {{ tolerance_wan('(t.amount_wan is not null)::int + greatest(c.n_printed, case when c.n_printed = 0 then coalesce(pc.n_printed, 0) else 0 end)', 't.unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    '合计 ' || t.column_key || ' ' || {{ fmt_figure('t.amount_wan', 't.unit') }} || ' vs Σ 类 '
        || case when c.n_printed = 0 and pc.n_printed > 0 then pc.parts else c.parts end as message,
    {{ column_zh('t.column_key') }} || ' 合计 ' || {{ fmt_figure('t.amount_wan', 't.unit') }} || ' 与 各类之和 '
        || case when c.n_printed = 0 and pc.n_printed > 0 then pc.parts else c.parts end || ' 比较' as message_zh,
    t.source_ref
from totals as t
inner join classes as c using (entity_id, table_id, column_key)
left join part_classes as pc using (entity_id, table_id, column_key)
-- a column left blank on a total row that prints another column (人员经费合计 prints only its
-- part) is not that column's 合计
where t.amount_wan is not null or (c.n_printed > 0 and t.n_row_printed = 0)
