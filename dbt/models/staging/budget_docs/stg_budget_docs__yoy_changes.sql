with source as (

    select * from {{ source('staging', 'yoy_changes') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(line_number as integer) as line_number,
        cast(sentence as varchar) as sentence,
        cast(measure as varchar) as measure,
        cast(current_amount as decimal(20, 6)) as current_amount,
        cast(change_amount as decimal(20, 6)) as change_amount,
        cast(direction as varchar) as direction,
        cast(change_pct as decimal(20, 6)) as change_pct,
        cast(prior_year as integer) as prior_year,
        cast(implied_prior_amount as decimal(20, 6)) as implied_prior_amount,
        cast(unit as varchar) as unit,
        cast(entity_code as varchar) as entity_code,
        cast(subject as varchar) as subject,
        cast(reason as varchar) as reason,
        cast(class_name as varchar) as class_name,
        cast(section_name as varchar) as section_name,
        cast(item_name as varchar) as item_name,
        cast(change_decimals as integer) as change_decimals,
        cast(current_decimals as integer) as current_decimals
    from source
    -- a second name of the same bytes adds nothing (macros/duplicates.sql)
    where {{ not_a_duplicate() }}

)

select * from renamed
