-- Level and parent follow from the code: 类 = 3 digits, 款 = 5, 项 = 7; parent = the code minus its last 2 digits.
-- 级次与上级编码须与编码长度一致。
with codes as (

    select 'functional' as code_system, functional_code as code, level, parent_code
    from {{ ref('functional_classification') }}
    union all
    select 'economic', economic_code, level, parent_code
    from {{ ref('economic_classification') }}
    union all
    select 'functional_alias', code, level, parent_code
    from {{ ref('functional_name_aliases') }}
    union all
    select 'economic_alias', code, level, parent_code
    from {{ ref('economic_name_aliases') }}

)

select *
from codes
where not regexp_full_match(code, '[0-9]+')
   or level is distinct from case length(code) when 3 then '类' when 5 then '款'
                                 when 7 then (case when code_system like 'functional%' then '项' end) end
   or coalesce(parent_code, '') <> case when length(code) = 3 then '' else left(code, length(code) - 2) end
