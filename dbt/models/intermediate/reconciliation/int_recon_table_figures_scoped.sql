-- Every headline figure the tables print, per (entity, measure) and the fund scope of the table
-- it comes from (all_funds: 支出总表 / 收入总表 / 收支总表; general_public_budget: 一般公共预算…表;
-- fiscal_appropriation: 财政拨款…表; any: a figure whose scope the table does not restrict, such as
-- the “三公” items and 机关运行经费; derived: 机关运行经费 taken as the 公用经费 of the basic table,
-- an identity that holds for 行政单位 only, not printed). rank_ orders the candidates of a measure
-- (int_recon_table_figures_prepared keeps the first); n_terms counts the printed figures a value
-- is made of (1 when printed, more when derived as a sum of printed figures).
with rows_ as (

    select *,
        case
            when table_kind in ('expenditure_summary', 'revenue_summary', 'income_expenditure_summary') then 'all_funds'
            else coalesce({{ fund_scope_named('table_title') }},
                          case when table_kind in ('general_budget_expenditure', 'general_budget_basic_expenditure')
                               then 'general_public_budget' else 'any' end)
        end as scope
    from {{ ref('int_table_rows_pivoted') }}

),

total_rows as (

    select * from rows_
    where row_kind = 'total' and code is null
    qualify row_number() over (partition by entity_id, table_kind order by table_id, row_number) = 1

),

cells as (

    select * from {{ ref('int_recon_table_cells_prepared') }}

),

basic_classes as (

    select
        entity_id,
        sum(case when code in ('301', '303') then total_wan end) as personnel_wan,
        count(case when code in ('301', '303') then total_wan end) as n_personnel,
        sum(case when code not in ('301', '303') then total_wan end) as public_wan,
        count(case when code not in ('301', '303') then total_wan end) as n_public,
        min(unit) as unit,
        min(source_ref) as source_ref,
        min(scope) as scope
    from (
        -- a 类 is one quantity: a 类 row printed twice counts once
        select * from rows_
        where table_kind = 'general_budget_basic_expenditure' and length(code) = 3 and total_wan is not null
        qualify row_number() over (partition by entity_id, code order by table_id, row_number) = 1
    )
    group by 1

),

-- 公用经费 as the basic-expenditure table prints it (its 公用经费 total, evidence 1) or as the
-- sum of its 类 other than 301/303 (evidence 2): the figure of `public`, and the fallback of
-- `operating_cost`
public_figures as (

    select entity_id, public_wan as amount_wan, 1 as n_terms, unit, source_ref, 1 as evidence_rank, scope
    from total_rows where table_kind = 'general_budget_basic_expenditure' and public_wan is not null
    union all
    select entity_id, public_wan, n_public, unit, source_ref, 2, scope
    from basic_classes where public_wan is not null

),

candidates as (

    -- the 合计 line of a table: (table kind, column, measure, rank among the measure's candidates)
    {% for kind, col, measure, rank in [
        ('expenditure_summary', 'total', 'expenditure_total', 1),
        ('expenditure_summary', 'basic', 'basic', 1),
        ('expenditure_summary', 'project', 'project', 1),
        ('general_budget_expenditure', 'total', 'expenditure_total', 2),
        ('general_budget_expenditure', 'basic', 'basic', 2),
        ('general_budget_expenditure', 'project', 'project', 2),
        ('general_budget_expenditure', 'total', 'general_budget_expenditure', 1),
        ('general_budget_expenditure', 'basic', 'general_budget_basic', 1),
        ('general_budget_basic_expenditure', 'total', 'basic_economic_total', 1),
        ('general_budget_basic_expenditure', 'personnel', 'personnel', 1),
        ('revenue_summary', 'total', 'revenue_total', 1),
    ] %}
    select entity_id, '{{ measure }}' as measure, {{ col }}_wan as amount_wan, 1 as n_terms, unit, source_ref, {{ rank }} as rank_,
           scope
    from total_rows where table_kind = '{{ kind }}' and {{ col }}_wan is not null
    union all
    {% endfor %}
    -- 人员经费 = 工资福利支出 (301) + 对个人和家庭的补助 (303); 公用经费 = the other 类
    select entity_id, 'personnel', personnel_wan, n_personnel, unit, source_ref, 2, scope
    from basic_classes where personnel_wan is not null
    union all
    select entity_id, 'public', amount_wan, n_terms, unit, source_ref, evidence_rank, scope
    from public_figures
    union all
    select entity_id, 'total_budget', amount_wan, 1, unit, source_ref, 1, 'all_funds'
    from cells
    where table_kind = 'income_expenditure_summary' and side = 'revenue' and column_key = 'total'
      and label_norm = '收入总计' and amount_wan is not null
    union all
    select entity_id, 'fiscal_appropriation_total', amount_wan, 1, unit, source_ref, 1, 'fiscal_appropriation'
    from cells
    where table_kind = 'fiscal_appropriation_summary' and coalesce(side, 'expenditure') = 'expenditure'
      and column_key = 'total' and label_norm = '支出总计' and amount_wan is not null
    union all
    select entity_id, 'function:' || code, total_wan, 1, unit, source_ref,
           case table_kind when 'general_budget_expenditure' then 1 else 2 end, scope
    from rows_
    where table_kind in ('general_budget_expenditure', 'expenditure_summary')
      and code is not null and coalesce(code_system, 'functional') = 'functional' and total_wan is not null
    union all
    select entity_id, item, amount_wan, 1, unit, source_ref, 1, 'any'
    from {{ ref('int_recon_three_public_prepared') }}
    where evidence = 'table'
    union all
    -- 机关运行经费 as a table prints it: the 合计 of a 机关运行经费支出表, or a column so labelled
    -- (Shanghai's “三公”经费和机关运行经费预算表) …
    select entity_id, 'operating_cost', total_wan, 1, unit, source_ref, 1, 'any'
    from total_rows where table_kind = 'operating_cost' and total_wan is not null
    union all
    select entity_id, 'operating_cost', amount_wan, 1, unit, source_ref, 1, 'any'
    from cells
    where column_label like '%机关运行经费%' and amount_wan is not null
      and coalesce(side, 'expenditure') = 'expenditure'
    union all
    -- … else the 公用经费 of the basic-expenditure table, which is the same money in a budget; a
    -- 决算 covers the department's 事业单位 too, whose 公用经费 is not 机关运行经费
    select entity_id, 'operating_cost', amount_wan, n_terms, unit, source_ref, 3 + evidence_rank, 'derived'
    from public_figures
    where entity_id not in (select entity_id from cells where is_final_account)

)

select entity_id, measure, amount_wan, n_terms, unit, source_ref, scope, rank_
from candidates
