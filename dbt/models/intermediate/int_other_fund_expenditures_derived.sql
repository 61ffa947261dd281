-- Other funds (财政专户, 单位资金, 事业收入, 上年结转 …) per functional leaf of the 支出总表, derived
-- where a document prints both the 支出总表 (all funds) and its fund tables: all funds − Σ the fund
-- tables' lines of that code. One row per (entity, 支出总表 leaf line, expenditure_type): by type
-- (basic / project) where the 支出总表 line and every fund line under it print the split, else one
-- unspecified row of the line's amount.
--
-- An entity is split only where (is_splittable) every fund-table leaf falls under one 支出总表
-- leaf (its code starts with the leaf's code) and no table involved is an uncertain reading (its
-- own sums do not close): otherwise its facts stay all_funds (int_function_expenditures_selected).
-- A fund line under no 支出总表 leaf is a row of its own (summary_wan: the 支出总表 lines under its
-- code where it prints the code coarser, else 0).
-- A negative other_wan says the fund tables spend more under a code than all funds do: a
-- contradiction between two tables (rule fund_tables_within_summary), never a fact.
with leaves as (

    select * from {{ ref('int_function_leaves_scoped') }}

),

-- a code printed on several lines of one 支出总表 is one leaf whose lines add up: a 支出总表 printing
-- a line per 支出功能分类科目 × 经济分类科目 (2050101-行政运行 | 30101-基本工资, 30102-津贴补贴 …,
-- C009 p4) prints 2050101 once per economic code
summary_leaves as (

    select
        entity_id,
        table_id,
        code,
        min(row_number) as row_number,
        arg_min(name, row_number) as name,
        arg_min(source_ref, row_number) as source_ref,
        arg_min(unit, row_number) as unit,
        bool_and(is_split_by_type) as is_split_by_type,
        sum(basic_wan) as basic_wan,
        sum(project_wan) as project_wan,
        sum(amount_wan) as amount_wan
    from leaves
    where fund_scope = 'all_funds'
    group by entity_id, table_id, code

),

fund_leaves as (

    -- a fund line of no amount (or 0: a 政府性基金 table printed with 0.00 lines) spends nothing
    select * from leaves where fund_scope <> 'all_funds' and not is_within_appropriation
      and amount_wan <> 0

),

-- each fund line under the 支出总表 leaf whose code is the longest prefix of its code
mapped as (

    select f.*, s.row_number as summary_row_number
    from fund_leaves as f
    left join summary_leaves as s
        on s.entity_id = f.entity_id
       and starts_with(f.code, s.code)
    qualify row_number() over (
        partition by f.entity_id, f.table_id, f.row_number
        order by length(s.code) desc nulls last, s.row_number) = 1

),

-- entities printing both a 支出总表 leaf and a fund line that spends: split where every fund line
-- is under a 支出总表 leaf and no table involved is an uncertain reading
splittable as (

    select
        m.entity_id,
        bool_and(m.summary_row_number is not null) and max(c.all_certain) as is_splittable,
        max(c.all_certain) as all_certain
    from mapped as m
    inner join (
        select entity_id, bool_and(coalesce(table_reading, 'certain') <> 'uncertain') as all_certain
        from leaves group by 1
    ) as c using (entity_id)
    where m.entity_id in (select entity_id from summary_leaves)
    group by 1

),

funds_per_line as (

    select
        entity_id,
        summary_row_number,
        sum(coalesce(basic_wan, 0)) as basic_wan,
        sum(coalesce(project_wan, 0)) as project_wan,
        sum(amount_wan) as amount_wan,
        bool_and(is_split_by_type) as all_split_by_type,
        count(*) as n_lines,
        string_agg(fund_scope || ' ' || code || ' ' || {{ fmt_figure('amount_wan', 'unit') }}, ', ' order by fund_scope, code) as parts
    from mapped
    where summary_row_number is not null
    group by 1, 2

),

lines as (

    select
        s.entity_id,
        s.code as functional_code,
        s.name as printed_name,
        s.source_ref,
        s.unit,
        p.is_splittable,
        p.all_certain,
        s.is_split_by_type and coalesce(f.all_split_by_type, true) as by_type,
        s.basic_wan as summary_basic_wan,
        s.project_wan as summary_project_wan,
        s.amount_wan as summary_amount_wan,
        coalesce(f.basic_wan, 0) as funds_basic_wan,
        coalesce(f.project_wan, 0) as funds_project_wan,
        coalesce(f.amount_wan, 0) as funds_amount_wan,
        coalesce(f.n_lines, 0) as n_fund_lines,
        f.parts
    from summary_leaves as s
    inner join splittable as p using (entity_id)
    left join funds_per_line as f
        on f.entity_id = s.entity_id
       and f.summary_row_number = s.row_number

),

typed as (

    select *, 'basic' as expenditure_type, summary_basic_wan as summary_wan, funds_basic_wan as funds_wan
    from lines where by_type and (summary_basic_wan is not null or funds_basic_wan <> 0)
    union all
    select *, 'project', summary_project_wan, funds_project_wan
    from lines where by_type and (summary_project_wan is not null or funds_project_wan <> 0)
    union all
    select *, 'unspecified', summary_amount_wan, funds_amount_wan
    from lines where not by_type

),

-- a fund line printed coarser than the 支出总表: its 款 20598 where the 支出总表 prints the 项
-- 2059802 under it (C009 p30 / p18) compares with the 支出总表 lines under its code
coarser as (

    select m.entity_id, m.table_id, m.row_number, sum(s.amount_wan) as summary_wan
    from mapped as m
    inner join summary_leaves as s
        on s.entity_id = m.entity_id
       and starts_with(s.code, m.code)
    where m.summary_row_number is null
    group by 1, 2, 3

),

-- a fund line under no 支出总表 leaf: the 支出总表 prints nothing for its code (0), or only the
-- lines under it (coarser)
unmapped_lines as (

    select
        m.entity_id, m.code as functional_code, 'unspecified' as expenditure_type, m.name as printed_name,
        m.source_ref, m.unit, p.is_splittable, p.all_certain,
        coalesce(c.summary_wan, cast(0 as decimal(18, 6))) as summary_wan,
        m.amount_wan as funds_wan, 1 as n_fund_lines, m.fund_scope || ' ' || m.code || ' ' || {{ fmt_figure('m.amount_wan', 'm.unit') }} as parts
    from mapped as m
    inner join splittable as p using (entity_id)
    left join coarser as c
        on c.entity_id = m.entity_id
       and c.table_id = m.table_id
       and c.row_number = m.row_number
    where m.summary_row_number is null

)

select
    entity_id,
    functional_code,
    expenditure_type,
    printed_name,
    source_ref,
    unit,
    is_splittable,
    all_certain,
    coalesce(summary_wan, 0) as summary_wan,
    funds_wan,
    coalesce(summary_wan, 0) - funds_wan as other_wan,
    n_fund_lines,
    parts
from typed
union all
select
    entity_id, functional_code, expenditure_type, printed_name, source_ref, unit, is_splittable, all_certain,
    summary_wan, funds_wan, summary_wan - funds_wan, n_fund_lines, parts
from unmapped_lines
