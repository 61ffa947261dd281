with source as (

    select * from {{ source('staging', 'reading_differences') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(table_id as integer) as table_id,
        cast(row_number as integer) as row_number,
        cast(line_number as integer) as line_number,
        cast(page as integer) as page,
        cast(row_name as varchar) as row_name,
        cast(column_key as varchar) as column_key,
        cast(chosen_reading as varchar) as chosen_reading,
        cast(chosen_raw as varchar) as chosen_raw,
        cast(other_raw as varchar) as other_raw,
        cast(agreement as varchar) as agreement
    from source
    -- a second name of the same bytes adds nothing (macros/duplicates.sql)
    where {{ not_a_duplicate() }}

)

select * from renamed
