-- Rule row_total_sum_sources: on every line of a 收入总表 (revenue_summary), the total equals the
-- sources it is printed as (extractors.tables.closure.revenue_identities checks the same sums on
-- the reading):
--   * 合计 = 本年收入 + 上年结转, when the table prints one 本年收入 小计 and one 上年结转 column;
--   * 本年收入 = Σ the sources, when each is printed once, or when the 上年结转 group that repeats
--     the fund columns under it (北京, 杭州, 长春) is printed after the year's sources: each
--     source is then its first column (staging's column_index), a blank one counting as 0;
--   * 合计 = Σ the sources + 上年结转, when the sources are printed flat (no 本年收入 小计), each
--     once, and no 单位资金 column (whose place among them the print does not say);
--   * 财政拨款 小计 = Σ the funds printed beside it, when each is printed once.
-- The sources: 一般公共预算, 政府性基金, 国有资本经营 (or their 财政拨款 小计), 财政专户, 事业收入,
-- 事业单位经营收入, 上级补助收入, 附属单位上缴收入, 其他收入. A table printing a column of another
-- meaning ('other': a part or a 其中 of one, the print does not say which) or a second 合计 is not
-- checked. A blank source counts as 0 (a revenue table leaves the sources a unit has none of
-- blank); a line whose whole is blank, or whose parts are all blank, is not checked. Tolerance:
-- half a unit of the last printed digit of each figure compared.
{%- set funds = ['general_budget', 'gov_fund', 'state_capital'] -%}
{%- set others = ['fiscal_special_account', 'business_income', 'operating_income', 'superior_subsidy',
                  'subsidiary_remittance', 'other_income'] -%}
{%- set in_funds = "('" ~ funds | join("', '") ~ "')" -%}
{%- set in_others = "('" ~ others | join("', '") ~ "')" -%}
{%- set in_sources = "('" ~ (funds + others) | join("', '") ~ "')" -%}
{%- set in_year_sources = "('" ~ (['fiscal_appropriation'] + funds + others) | join("', '") ~ "')" -%}
{%- set in_known = "('" ~ (['total', 'current_year_revenue', 'fiscal_appropriation', 'carryover', 'unit_funds']
                           + funds + others) | join("', '") ~ "')" %}
with cells as (

    select a.source_file, a.table_id, a.row_number, a.column_key, a.column_index,
           {{ to_wan('a.amount', 'a.unit') }} as amount_wan,
           -- half a unit of the figure's last printed digit (12,437.3 → 0.05: a cell whose last
           -- digit wrapped onto the next page, C035 p21)
           case when a.amount is not null then {{ printed_half_wan(
               "coalesce(length(nullif(split_part(replace(replace(a.amount_raw, ' ', ''), ',', ''), '.', 2), '')), 0)",
               'a.unit') }} end as half_wan
    from {{ ref('stg_budget_docs__table_amounts') }} as a
    inner join {{ ref('stg_budget_docs__tables') }} as t
        on t.source_file = a.source_file
       and t.table_id = a.table_id
    where t.table_kind = 'revenue_summary'
      and not t.is_duplicate_copy
      and a.side is null

),

-- each column meaning's first column in the table (NULL: a warehouse loaded before staging kept
-- the column's place)
key_columns as (

    select source_file, table_id, column_key, min(column_index) as first_index,
           count(*) filter (where column_index is null) = 0 as ordered
    from cells
    group by all

),

per_key as (

    select source_file, table_id, row_number, column_key, count(*) as n_columns,
           sum(amount_wan) filter (where is_first) as amount_wan,
           sum(half_wan) filter (where is_first) as half_wan,
           count(amount_wan) filter (where is_first) as n_amounts
    from (
        -- the key's first column (all of its cells when the order is not known: then only the
        -- comparisons of keys printed once take it)
        select c.*, c.column_index = k.first_index or k.first_index is null as is_first
        from cells as c
        inner join key_columns as k using (source_file, table_id, column_key)
    )
    group by all

),

order_ as (

    select source_file, table_id,
           bool_and(ordered) as ordered,
           max(first_index) filter (where column_key = 'current_year_revenue') as current_index,
           max(first_index) filter (where column_key = 'carryover') as carryover_index,
           min(first_index) filter (where column_key in {{ in_year_sources }}) as first_source_index,
           max(first_index) filter (where column_key in {{ in_year_sources }}) as last_source_index
    from key_columns
    group by all

),

shape as (

    select source_file, table_id,
           max(n_columns) > 1 as repeats_a_key,
           bool_or(column_key not in {{ in_known }}) as prints_other,
           coalesce(max(n_columns) filter (where column_key = 'total'), 0) as n_total,
           coalesce(max(n_columns) filter (where column_key = 'current_year_revenue'), 0) as n_current,
           coalesce(max(n_columns) filter (where column_key = 'carryover'), 0) as n_carryover,
           coalesce(max(n_columns) filter (where column_key = 'fiscal_appropriation'), 0) as n_fiscal,
           bool_or(column_key = 'unit_funds') as prints_unit_funds,
           bool_or(column_key in {{ in_sources }}) as prints_sources
    from per_key
    group by all

),

lines as (

    -- each group's figure (its keys' first columns), the half units it carries, its non-blank cells
    select source_file, table_id, row_number,
    {%- for name, keys in [('total', "('total')"), ('current', "('current_year_revenue')"),
                           ('carryover', "('carryover')"), ('fiscal', "('fiscal_appropriation')"),
                           ('funds', in_funds), ('others', in_others)] %}
           sum(amount_wan) filter (where column_key in {{ keys }}) as {{ name }}_wan,
           sum(half_wan) filter (where column_key in {{ keys }}) as {{ name }}_half,
           sum(n_amounts) filter (where column_key in {{ keys }}) as {{ name }}_cells{{ "," if not loop.last }}
    {%- endfor %}
    from per_key
    group by all

),

shaped as (

    select l.*, s.* exclude (source_file, table_id),
           -- the year's sources are the first columns of their keys: printed once each, or all
           -- after the 本年收入 小计 and before the 上年结转 group that repeats some of them
           not s.repeats_a_key
               or (o.ordered and o.first_source_index > o.current_index
                   and (s.n_carryover = 0 or o.carryover_index > o.last_source_index)) as sources_placed,
           -- the year's sources: the 财政拨款 小计 in place of its funds when the table prints it
           case when s.n_fiscal = 1 then l.fiscal_wan else l.funds_wan end as appropriation_wan,
           case when s.n_fiscal = 1 then (l.fiscal_wan is not null)::int else coalesce(l.funds_cells, 0) end as n_appropriation,
           case when s.n_fiscal = 1 then l.fiscal_half else l.funds_half end as appropriation_half
    from lines as l
    inner join shape as s using (source_file, table_id)
    inner join order_ as o using (source_file, table_id)
    where not s.prints_other
      and s.n_total <= 1
      and s.prints_sources

),

comparisons as (

    -- 合计 = 本年收入 + 上年结转
    select source_file, table_id, row_number, '合计 = 本年收入 + 上年结转' as identity,
           total_wan as expected_wan,
           coalesce(current_wan, 0) + coalesce(carryover_wan, 0) as actual_wan,
           total_half + coalesce(current_half, 0) + coalesce(carryover_half, 0) as tolerance_wan
    from shaped
    where n_current = 1 and n_carryover = 1
      and total_wan is not null and (current_wan is not null or carryover_wan is not null)

    union all

    -- 本年收入 = Σ sources
    select source_file, table_id, row_number, '本年收入 = Σ 收入来源',
           current_wan,
           coalesce(appropriation_wan, 0) + coalesce(others_wan, 0),
           current_half + coalesce(appropriation_half, 0) + coalesce(others_half, 0)
    from shaped
    where n_current = 1 and sources_placed
      and current_wan is not null and n_appropriation + coalesce(others_cells, 0) > 0

    union all

    -- 合计 = Σ sources + 上年结转 (flat)
    select source_file, table_id, row_number, '合计 = Σ 收入来源 + 上年结转',
           total_wan,
           coalesce(appropriation_wan, 0) + coalesce(others_wan, 0) + coalesce(carryover_wan, 0),
           total_half + coalesce(appropriation_half, 0) + coalesce(others_half, 0) + coalesce(carryover_half, 0)
    from shaped
    where n_current = 0 and not repeats_a_key and not prints_unit_funds
      and total_wan is not null and n_appropriation + coalesce(others_cells, 0) + (carryover_wan is not null)::int > 0

    union all

    -- 财政拨款 = Σ its funds
    select source_file, table_id, row_number, '财政拨款 = Σ 各项资金',
           fiscal_wan, funds_wan, fiscal_half + funds_half
    from shaped
    where n_fiscal = 1 and not repeats_a_key
      and fiscal_wan is not null and coalesce(funds_cells, 0) > 0

)

select
    p.entity_id,
    'row_total_sum_sources' as rule_id,
    c.identity || ': ' || coalesce(p.code, p.label, p.name, p.row_kind) || ' @ ' || p.source_ref as subject,
    c.expected_wan,
    c.actual_wan,
    cast(c.tolerance_wan as decimal(18, 7)) as tolerance_wan,
    cast(null as varchar) as forced_status,
    'revenue_summary row ' || c.row_number || ': ' || c.identity || ': ' || {{ fmt_figure('c.expected_wan', 'p.unit') }}
        || ' vs ' || {{ fmt_figure('c.actual_wan', 'p.unit') }} as message,
    {{ label_zh('table_kind', "'revenue_summary'") }} || ' 第 ' || c.row_number || ' 行：' || c.identity || '：'
        || {{ fmt_figure('c.expected_wan', 'p.unit') }} || ' 与 ' || {{ fmt_figure('c.actual_wan', 'p.unit') }} || ' 比较' as message_zh,
    p.source_ref
from comparisons as c
inner join {{ ref('int_table_rows_pivoted') }} as p
    on p.source_file = c.source_file
   and p.table_id = c.table_id
   and p.row_number = c.row_number
