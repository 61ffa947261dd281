-- The functional leaf lines (row_kind detail) of the tables the facts are selected from, with the
-- fund scope of their table: 支出总表 → all_funds; 一般公共预算支出表 → general_public_budget;
-- 政府性基金预算支出表 → government_fund; 国有资本经营预算支出表 → state_capital; a 财政拨款支出表
-- (all appropriations, not split by fund) → fiscal_appropriation. Where the general-budget kind of
-- table is a 财政拨款 one, the 政府性基金 and 国有资本经营 tables are inside it: their lines are
-- flagged is_within_appropriation and are not fund leaves of their own (never counted twice).
-- Only codes shaped as functional codes (2xx, 2xxxx, 2xxxxxx) are leaves: a 部门综合预算支出总表
-- printed by unit (116001 西安市财政局) is not a functional table.
with rows_ as (

    select *,
        case
            when table_kind = 'expenditure_summary' then 'all_funds'
            when table_kind = 'gov_fund_expenditure' then 'government_fund'
            when table_kind = 'state_capital_expenditure' then 'state_capital'
            -- the general-budget kind: 一般公共预算… or 财政拨款… as its title says
            else coalesce({{ fund_scope_named('table_title') }}, 'general_public_budget')
        end as fund_scope
    from (
        -- a table that prints 基本支出 as 人员支出 | 公用经费 (no column of its own): basic = their sum
        select * replace (
            coalesce(basic_wan, case when personnel_wan is not null or public_wan is not null
                                     then coalesce(personnel_wan, 0) + coalesce(public_wan, 0) end) as basic_wan)
        from {{ ref('int_table_rows_pivoted') }}
    )
    where row_kind = 'detail'
      and table_rank = 1
      and code is not null
      and coalesce(code_system, 'functional') = 'functional'
      and regexp_full_match(code, '2[0-9]{2}([0-9]{2}){0,2}')
      and table_kind in ('expenditure_summary', 'general_budget_expenditure', 'gov_fund_expenditure', 'state_capital_expenditure')

),

appropriation_entities as (

    select distinct entity_id from rows_ where fund_scope = 'fiscal_appropriation'

)

select
    r.entity_id,
    r.source_file,
    r.table_id,
    r.table_kind,
    r.table_reading,
    r.fund_scope,
    r.row_number,
    r.code,
    r.name,
    r.unit,
    r.source_ref,
    r.basic_wan,
    r.project_wan,
    r.total_wan,
    -- the line's amount over all its columns: 合计 where printed, else 基本 + 项目
    coalesce(r.total_wan, r.basic_wan + coalesce(r.project_wan, 0), r.project_wan) as amount_wan,
    -- split by type where 基本 + 项目 make the line's 合计 (a table may print more parts: 事业单位
    -- 经营支出, 上缴上级支出, 对附属单位补助支出; then the line is one unspecified amount)
    (r.basic_wan is not null or r.project_wan is not null)
        and (r.total_wan is null or r.total_wan = coalesce(r.basic_wan, 0) + coalesce(r.project_wan, 0)) as is_split_by_type,
    (r.fund_scope in ('government_fund', 'state_capital')
     and r.entity_id in (select entity_id from appropriation_entities)) as is_within_appropriation
from rows_ as r
