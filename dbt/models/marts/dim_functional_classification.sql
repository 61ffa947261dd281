-- One row per functional code: the catalog's current name, plus every code a document prints
-- that the catalog lacks (in_catalog = false; also listed in rpt_classification_issues).
with catalog as (

    select * from {{ ref('functional_classification') }}
    qualify row_number() over (
        partition by functional_code
        order by coalesce(is_current_name, false) desc, coalesce(valid_to_year, 9999) desc, valid_from_year desc
    ) = 1

),

printed as (

    select code, any_value(name order by source_ref) as name
    from {{ ref('int_table_rows_pivoted') }}
    where code is not null and coalesce(code_system, 'functional') = 'functional'
      and table_kind in ('expenditure_summary', 'general_budget_expenditure', 'gov_fund_expenditure',
                         'state_capital_expenditure', 'revenue_summary', 'project_expenditure')
    group by 1

)

select
    cast(functional_code as varchar) as functional_code,
    name,
    level,
    cast(parent_code as varchar) as parent_code,
    true as in_catalog,
    source as catalog_source
from catalog
union all
select
    code,
    name,
    case length(code) when 3 then '类' when 5 then '款' when 7 then '项' end,
    case length(code) when 5 then left(code, 3) when 7 then left(code, 5) end,
    false,
    'printed in a document, absent from the catalog'
from printed
where code not in (select functional_code from catalog)
