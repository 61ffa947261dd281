with source as (

    select * from {{ source('staging', 'performance_indicators') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(project_name as varchar) as project_name,
        cast(level1 as varchar) as level1,
        cast(level2 as varchar) as level2,
        cast(indicator as varchar) as indicator,
        cast(target_text as varchar) as target_text,
        cast(comparator as varchar) as comparator,
        cast(target_value as decimal(20, 6)) as target_value,
        cast(target_unit as varchar) as target_unit,
        cast(line_number as integer) as line_number,
        cast(table_id as integer) as table_id,
        cast(entity_code as varchar) as entity_code,
        cast(page as integer) as page,
        cast(raw_text as varchar) as raw_text
    from source
    -- a second name of the same bytes adds nothing (macros/duplicates.sql)
    where {{ not_a_duplicate() }}

)

select * from renamed
