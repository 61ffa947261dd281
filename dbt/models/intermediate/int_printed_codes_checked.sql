-- Every classification code a table prints, checked against the catalog edition of the
-- document's year: is the code known, and is the printed name its name (canonical or alias)?
-- Read by the reconciliation rule classification_in_catalog and by rpt_classification_issues.
with printed as (

    select
        r.entity_id, e.fiscal_year, r.code, r.name, r.source_ref, r.table_kind, r.row_number, r.table_id,
        -- the system the table row states (an economic table of another kind: 机关运行经费支出表)
        coalesce(r.code_system,
                 case when r.table_kind = 'general_budget_basic_expenditure' then 'economic' else 'functional' end)
            as code_system,
        -- the row's name is the code's name in a classification table; in a 政府采购 / 购买服务 /
        -- 项目支出 table it names what is bought or the project (C050 p41: 201 06 02 | 财政检查)
        r.table_kind in ('expenditure_summary', 'general_budget_expenditure', 'gov_fund_expenditure',
                         'state_capital_expenditure', 'general_budget_basic_expenditure', 'operating_cost',
                         'revenue_summary', 'fiscal_appropriation_summary', 'income_expenditure_summary')
            as name_is_the_codes
    from {{ ref('int_table_rows_pivoted') }} as r
    -- one row per entity (an entity published in two files has two rows in int_entities_keyed)
    inner join (select distinct entity_id, fiscal_year from {{ ref('int_entities_keyed') }}) as e using (entity_id)
    where r.code is not null

),

names as (

    select * from {{ ref('int_catalog_names_unioned') }}

)

select
    p.*,
    exists (select 1 from names as n where n.code_system = p.code_system and n.code = p.code
            and coalesce(p.fiscal_year, 2100) between n.valid_from_year and n.valid_to_year) as code_known,
    exists (
        select 1 from names as n
        where n.code_system = p.code_system and n.code = p.code
          and n.name_norm = {{ normalize_name('p.name') }}
          and coalesce(p.fiscal_year, 2100) between n.valid_from_year and n.valid_to_year
    ) as name_matches,
    -- a printed name related to a catalog name of the code in any edition (a 类 named without its
    -- 支出 suffix, a name truncated at a cell edge, an older edition's name): a variant our catalog
    -- does not list, not a contradiction
    exists (
        select 1 from names as n
        where n.code_system = p.code_system and n.code = p.code
          and (contains(n.name_norm, replace({{ normalize_name('p.name') }}, '支出', ''))
               or contains({{ normalize_name('p.name') }}, replace(n.name_norm, '支出', ''))
               or jaccard(n.name_norm, {{ normalize_name('p.name') }}) >= 0.5)
    ) as name_related
from printed as p
