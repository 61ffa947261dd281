with source as (

    select * from {{ source('staging', 'table_amounts') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(table_id as integer) as table_id,
        cast(row_number as integer) as row_number,
        cast(column_key as varchar) as column_key,
        cast(column_label as varchar) as column_label,
        cast(amount as decimal(20, 6)) as amount,
        cast(amount_raw as varchar) as amount_raw,
        cast(unit as varchar) as unit,
        cast(entity_code as varchar) as entity_code,
        cast(line_number as integer) as line_number,
        cast(page as integer) as page,
        cast(side as varchar) as side,
        cast(column_index as integer) as column_index
    from source
    -- a second name of the same bytes adds nothing (macros/duplicates.sql)
    where {{ not_a_duplicate() }}

)

select * from renamed
