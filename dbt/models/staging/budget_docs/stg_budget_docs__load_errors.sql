with source as (

    select * from {{ source('staging', 'load_errors') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(stage as varchar) as stage,
        cast(error as varchar) as error,
        cast(severity as varchar) as severity,
        cast(line_number as integer) as line_number
    from source

)

select * from renamed
