-- An alias never stands for two codes under one parent, and never equals the name of another
-- code under the same parent. 同一上级科目下，别名只对应一个科目，且不得与其他科目的名称相同。
with aliases as (

    select 'functional' as code_system, alias_name, code, coalesce(parent_code, '') as parent_code
    from {{ ref('functional_name_aliases') }}
    union all
    select 'economic', alias_name, code, coalesce(parent_code, '')
    from {{ ref('economic_name_aliases') }}

),

names as (

    select 'functional' as code_system, name, functional_code as code, coalesce(parent_code, '') as parent_code
    from {{ ref('functional_classification') }}
    union all
    select 'economic', name, economic_code, coalesce(parent_code, '')
    from {{ ref('economic_classification') }}

)

select code_system, parent_code, alias_name, 'alias maps to several codes' as problem
from aliases
group by 1, 2, 3
having count(distinct code) > 1
union all
select a.code_system, a.parent_code, a.alias_name, 'alias equals the name of code ' || n.code
from aliases as a
inner join names as n
    on a.code_system = n.code_system
   and a.parent_code = n.parent_code
   and a.alias_name = n.name
   and a.code <> n.code
