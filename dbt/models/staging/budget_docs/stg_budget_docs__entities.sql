with source as (

    select * from {{ source('staging', 'entities') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(entity_code as varchar) as entity_code,
        cast(entity_name as varchar) as entity_name,
        cast(scope as varchar) as scope,
        cast(is_primary as boolean) as is_primary,
        cast(parent_entity_code as varchar) as parent_entity_code,
        cast(line_number as integer) as line_number,
        cast(raw_text as varchar) as raw_text
    from source
    -- a second name of the same bytes adds nothing (macros/duplicates.sql)
    where {{ not_a_duplicate() }}

)

select * from renamed
