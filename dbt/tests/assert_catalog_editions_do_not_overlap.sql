-- Editions of one code never overlap in years, and at most one edition is open-ended.
-- 同一科目的各版本年度区间不重叠，且至多一个现行版本。
with editions as (

    select 'functional' as code_system, functional_code as code, name, valid_from_year,
           coalesce(valid_to_year, 9999) as valid_to_year
    from {{ ref('functional_classification') }}
    union all
    select 'economic', economic_code, name, valid_from_year, coalesce(valid_to_year, 9999)
    from {{ ref('economic_classification') }}

)

select a.code_system, a.code, a.name as name_a, b.name as name_b
from editions as a
inner join editions as b
    on a.code_system = b.code_system
   and a.code = b.code
   and (a.valid_from_year < b.valid_from_year
        or (a.valid_from_year = b.valid_from_year and a.name < b.name))
where a.valid_from_year <= b.valid_to_year
  and b.valid_from_year <= a.valid_to_year
union all
select code_system, code, name, 'valid_to_year before valid_from_year'
from editions
where valid_to_year < valid_from_year
