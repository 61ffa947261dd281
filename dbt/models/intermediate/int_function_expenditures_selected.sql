-- Leaf selection for fct_function_expenditure. Per entity, the best evidence available, each fact
-- with its fund scope (disjoint: Σ of an entity's facts is its total expenditure, Σ of its
-- general_public_budget facts its 一般公共预算 expenditure):
--   1. both the 支出总表 and the fund tables, split (int_other_fund_expenditures_derived): the fund
--      tables' lines (general_public_budget, government_fund, state_capital) plus other_funds = all
--      funds − fund tables per code, where positive; else
--   2. the 支出总表 alone (all_funds: printed without a split by fund, or a split the tables do
--      not allow), else
--   3. the fund tables (一般公共预算 + 政府性基金 + 国有资本经营 支出表; a 财政拨款支出表 covers the
--      last two: fiscal_appropriation), else
--   4. the narrative's resolved 项 figures where they add up to their 类's figure (or it is not
--      printed), else the 类 figure, with the
--      scope their sentence, else their section heading names ((三）一般公共预算支出具体使用情况),
--      else all_funds.
-- Only leaf rows (row_kind = 'detail') become facts: printed 类/款/合计 subtotals are evidence
-- for reconciliation, never facts, so nothing is counted twice.
with leaves as (

    select * from {{ ref('int_function_leaves_scoped') }}
    where not is_within_appropriation

),

derived as (

    select * from {{ ref('int_other_fund_expenditures_derived') }}

),

split_entities as (

    select distinct entity_id from derived where is_splittable

),

summary_entities as (

    select distinct entity_id from leaves where fund_scope = 'all_funds'

),

table_leaves as (

    -- 1. split: the fund tables' lines; 2. the 支出总表's lines; 3. the fund tables' lines
    select * from leaves
    where case
        when entity_id in (select entity_id from split_entities) then fund_scope <> 'all_funds'
        when entity_id in (select entity_id from summary_entities) then fund_scope = 'all_funds'
        else true
    end

),

table_facts as (

    select entity_id, code as functional_code, 'basic' as expenditure_type, basic_wan as amount_wan,
           source_ref, table_kind, name as printed_name, fund_scope
    from table_leaves where is_split_by_type and basic_wan is not null
    union all
    select entity_id, code, 'project', project_wan, source_ref, table_kind, name, fund_scope
    from table_leaves where is_split_by_type and project_wan is not null
    union all
    -- a line not split by type, or whose 基本 + 项目 do not make its 合计: its whole amount
    select entity_id, code, 'unspecified', amount_wan, source_ref, table_kind, name, fund_scope
    from table_leaves where not is_split_by_type and amount_wan is not null
    union all
    -- 1. split: what the 支出总表 counts beyond the fund tables, per code
    select entity_id, functional_code, expenditure_type, other_wan, source_ref, 'expenditure_summary',
           printed_name, 'other_funds'
    from derived
    where is_splittable and other_wan > 0

),

narrative as (

    select *
    from {{ ref('int_narrative_figures_resolved') }}
    where resolution = 'resolved'
      and amount is not null
      and entity_id not in (select entity_id from leaves)

),

narrative_items as (

    select *
    from narrative
    where measure = 'function_item'
    qualify row_number() over (partition by entity_id, functional_code order by line_number, figure_seq) = 1

),

class_figures as (

    select *
    from narrative
    where measure = 'function_class'
    qualify row_number() over (partition by entity_id, functional_code order by line_number, figure_seq) = 1

),

-- a 类's 项 stand for it only where they add up to it, or where its own figure is not printed: the
-- prose may name a few of a 类's 项 (公安 行政运行 …, 杭州 C035): then the 类 is the fact, not the few
complete_classes as (

    select s.entity_id, s.class_code
    from (
        select entity_id, class_code, sum({{ to_wan('amount', 'unit') }}) as items_wan, count(*) as n_items
        from narrative_items
        group by 1, 2
    ) as s
    left join class_figures as c
        on c.entity_id = s.entity_id
       and c.functional_code = s.class_code
    where c.entity_id is null
       or abs({{ to_wan('c.amount', 'c.unit') }} - s.items_wan) <= {{ tolerance_wan('1 + s.n_items', 'c.unit') }}

),

narrative_classes as (

    select *
    from class_figures
    where not exists (
          select 1 from complete_classes as i
          where i.entity_id = class_figures.entity_id and i.class_code = class_figures.functional_code
      )

),

narrative_facts as (

    select entity_id, functional_code, 'unspecified' as expenditure_type, {{ to_wan('amount', 'unit') }} as amount_wan,
           {{ source_ref('source_file', 'line_number') }} as source_ref, cast(null as varchar) as table_kind,
           coalesce(item_name, class_name) as printed_name,
           coalesce({{ fund_scope_named('sentence') }}, {{ fund_scope_named('section') }}, 'all_funds') as fund_scope
    from narrative_items
    where exists (
        select 1 from complete_classes as k
        where k.entity_id = narrative_items.entity_id and k.class_code = narrative_items.class_code
    )
    union all
    select entity_id, functional_code, 'unspecified', {{ to_wan('amount', 'unit') }},
           {{ source_ref('source_file', 'line_number') }}, null, class_name,
           coalesce({{ fund_scope_named('sentence') }}, {{ fund_scope_named('section') }}, 'all_funds')
    from narrative_classes

)

select *, 'table' as evidence from table_facts
union all
select *, 'narrative' as evidence from narrative_facts
