with source as (

    select * from {{ source('staging', 'projects') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(project_name as varchar) as project_name,
        cast(amount as decimal(20, 6)) as amount,
        cast(unit as varchar) as unit,
        cast(source_kind as varchar) as source_kind,
        cast(line_number as integer) as line_number,
        cast(raw_text as varchar) as raw_text,
        cast(entity_code as varchar) as entity_code,
        cast(project_code as varchar) as project_code,
        cast(period as varchar) as period,
        cast(implementing_unit as varchar) as implementing_unit,
        cast(department as varchar) as department,
        cast(page as integer) as page,
        cast(table_id as integer) as table_id
    from source
    -- a second name of the same bytes adds nothing (macros/duplicates.sql)
    where {{ not_a_duplicate() }}

)

select * from renamed
