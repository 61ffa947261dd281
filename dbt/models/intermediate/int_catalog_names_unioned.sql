-- Every name a functional or economic code may be printed with, canonical or alias, with the
-- years the code is valid in. The name-path resolver matches printed names against this.
with functional as (

    select * from {{ ref('functional_classification') }}

),

functional_aliases as (

    select * from {{ ref('functional_name_aliases') }}

),

economic as (

    select * from {{ ref('economic_classification') }}

),

economic_aliases as (

    select * from {{ ref('economic_name_aliases') }}

),

unioned as (

    select 'functional' as code_system, functional_code as code, level, parent_code, name as printed_name,
           valid_from_year, valid_to_year, 'canonical' as name_kind
    from functional
    union all
    select 'functional', a.code, f.level, f.parent_code, a.alias_name, f.valid_from_year, f.valid_to_year, 'alias'
    from functional_aliases as a
    inner join functional as f on f.functional_code = a.code
    union all
    select 'economic', economic_code, level, parent_code, name, valid_from_year, valid_to_year, 'canonical'
    from economic
    union all
    select 'economic', a.code, e.level, e.parent_code, a.alias_name, e.valid_from_year, e.valid_to_year, 'alias'
    from economic_aliases as a
    inner join economic as e on e.economic_code = a.code

)

select distinct
    code_system,
    code,
    level,
    parent_code,
    {{ normalize_name('printed_name') }} as name_norm,
    coalesce(valid_from_year, 0) as valid_from_year,
    coalesce(valid_to_year, 9999) as valid_to_year,
    name_kind
from unioned
