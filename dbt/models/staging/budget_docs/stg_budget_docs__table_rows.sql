with source as (

    select * from {{ source('staging', 'table_rows') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(table_id as integer) as table_id,
        cast(row_number as integer) as row_number,
        cast(line_number as integer) as line_number,
        cast(row_kind as varchar) as row_kind,
        cast(code as varchar) as code,
        cast(code_raw as varchar) as code_raw,
        cast(name as varchar) as name,
        cast(raw_text as varchar) as raw_text,
        cast(entity_code as varchar) as entity_code,
        cast(code_system as varchar) as code_system,
        cast(page as integer) as page,
        cast(label as varchar) as label,
        cast(text_cells as varchar) as text_cells,
        cast(block_code as varchar) as block_code,
        cast(parent_row as integer) as parent_row_number
    from source
    -- a second name of the same bytes adds nothing (macros/duplicates.sql)
    where {{ not_a_duplicate() }}

)

select * from renamed
