with source as (

    select * from {{ source('staging', 'tables') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(table_id as integer) as table_id,
        cast(table_kind as varchar) as table_kind,
        cast(title as varchar) as title,
        cast(entity_code as varchar) as entity_code,
        cast(unit as varchar) as unit,
        cast(line_start as integer) as line_start,
        cast(line_end as integer) as line_end,
        cast(page as integer) as page,
        cast(is_empty as boolean) as is_empty,
        cast(note as varchar) as note,
        cast(n_rows as integer) as n_rows,
        cast(is_duplicate_copy as boolean) as is_duplicate_copy,
        cast(duplicate_of_table_id as integer) as duplicate_of_table_id,
        cast(bbox as varchar) as bbox,
        cast(is_final_account as boolean) as is_final_account,
        cast(closure_status as varchar) as closure_status,
        cast(n_checks as integer) as n_checks,
        cast(n_check_failures as integer) as n_check_failures,
        cast(reading as varchar) as reading,
        cast(readings as varchar) as readings,
        cast(chosen_reading as varchar) as chosen_reading,
        cast(n_reading_cells as integer) as n_reading_cells,
        cast(n_reading_differences as integer) as n_reading_differences
    from source
    -- a second name of the same bytes adds nothing (macros/duplicates.sql)
    where {{ not_a_duplicate() }}

)

select * from renamed
