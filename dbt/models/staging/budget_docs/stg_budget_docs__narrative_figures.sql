with source as (

    select * from {{ source('staging', 'narrative_figures') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(line_number as integer) as line_number,
        cast(sentence as varchar) as sentence,
        cast(measure as varchar) as measure,
        cast(amount as decimal(20, 6)) as amount,
        cast(unit as varchar) as unit,
        cast(entity_code as varchar) as entity_code,
        cast(subject as varchar) as subject,
        cast(class_name as varchar) as class_name,
        cast(section_name as varchar) as section_name,
        cast(item_name as varchar) as item_name,
        cast(code_printed as varchar) as code_printed,
        cast(share_pct as decimal(20, 6)) as share_pct,
        cast(section as varchar) as section,
        cast(figure_seq as integer) as figure_seq,
        cast(amount_decimals as integer) as amount_decimals,
        cast(share_pct_decimals as integer) as share_pct_decimals
    from source
    -- a second name of the same bytes adds nothing (macros/duplicates.sql)
    where {{ not_a_duplicate() }}

)

select * from renamed
