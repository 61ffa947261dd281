-- Rule hierarchy_parent_sum: in every functional table (支出总表, 一般公共预算/政府性基金/国有资本
-- 经营支出表) and the economic basic-expenditure table, each printed 类 = Σ its printed 款 and
-- each 款 = Σ its printed 项, per amount column. Children are the lines printed under the parent
-- (stg_budget_docs__table_rows.parent_row_number: the nearest line above whose code theirs extends,
-- within a unit's block where the table prints its units one after the other, C056 p7; a 类
-- printed twice with other figures, 301 under 政府 501 and under 505 (C062 p16), has its own). A parent with no printed child is not evaluated.
with rows_ as (

    select * from {{ ref('int_table_rows_pivoted') }}
    where code is not null
      and table_kind in ('expenditure_summary', 'general_budget_expenditure', 'gov_fund_expenditure',
                         'state_capital_expenditure', 'general_budget_basic_expenditure')

),

cells as (

    {% for col in ['total', 'basic', 'project', 'personnel', 'public'] %}
    select entity_id, table_id, table_kind, row_number, code, parent_row_number, unit, source_ref,
           '{{ col }}' as column_key,
           {{ col }}_wan as amount_wan
    from rows_
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

parents as (

    select * from cells where length(code) in (3, 5)

),

evaluated as (

    select
        p.entity_id, p.table_id, p.table_kind, p.row_number, p.code, p.column_key, p.unit, p.source_ref,
        p.amount_wan as parent_wan,
        sum(c.amount_wan) as children_wan,
        count(c.amount_wan) as n_children_printed,
        count(*) as n_children,
        string_agg(c.code || '=' || {{ fmt_figure('c.amount_wan', 'c.unit') }}, ' + ' order by c.row_number) as parts
    from parents as p
    inner join cells as c
        on c.entity_id = p.entity_id
       and c.table_id = p.table_id
       and c.column_key = p.column_key
       -- the line it adds up into as printed (the nearest open line above whose code its own
       -- extends, within a unit's block; a 类 printed twice with other figures has its own lines)
       and c.parent_row_number = p.row_number
    group by all

)

select
    entity_id,
    'hierarchy_parent_sum' as rule_id,
    table_kind || ' t' || table_id || ' r' || row_number || ' ' || code || ' ' || column_key as subject,
    coalesce(parent_wan, 0) as expected_wan,
    coalesce(children_wan, 0) as actual_wan,
    {{ tolerance_wan('(parent_wan is not null)::int + n_children_printed', 'unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    case length(code) when 3 then '类 ' else '款 ' end || code || ' ' || column_key || ' ' || {{ fmt_figure('parent_wan', 'unit') }}
        || ' vs Σ children ' || parts as message,
    case length(code) when 3 then '类 ' else '款 ' end || code || ' ' || {{ column_zh('column_key') }} || ' ' || {{ fmt_figure('parent_wan', 'unit') }}
        || ' 与 下级之和 ' || parts || ' 比较' as message_zh,
    source_ref
from evaluated
where parent_wan is not null or n_children_printed > 0
