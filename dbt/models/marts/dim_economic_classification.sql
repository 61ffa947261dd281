-- One row per economic code (部门预算支出经济分类): the catalog's current name, plus printed
-- codes the catalog lacks (in_catalog = false; also listed in rpt_classification_issues).
with catalog as (

    select * from {{ ref('economic_classification') }}
    qualify row_number() over (
        partition by economic_code
        order by coalesce(is_current_name, false) desc, coalesce(valid_to_year, 9999) desc, valid_from_year desc
    ) = 1

),

printed as (

    select code, any_value(name order by source_ref) as name
    from {{ ref('int_table_rows_pivoted') }}
    where code is not null and table_kind = 'general_budget_basic_expenditure'
    group by 1

)

select
    cast(economic_code as varchar) as economic_code,
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
    case length(code) when 3 then '类' when 5 then '款' end,
    case length(code) when 5 then left(code, 3) end,
    false,
    'printed in a document, absent from the catalog'
from printed
where code not in (select economic_code from catalog)
