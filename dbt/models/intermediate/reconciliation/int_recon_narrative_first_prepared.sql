-- The first statement of each single-valued narrative quantity per entity (measure, and the
-- functional code for 类/款/项 figures), in 万元, with how many times it is stated.
select
    entity_id,
    measure,
    coalesce(functional_code, class_name, '') as code_key,
    functional_code,
    class_code,
    amount_wan,
    unit,
    source_ref,
    line_number,
    n_statements
from (
    select
        *,
        {{ to_wan('amount', 'unit') }} as amount_wan,
        {{ source_ref('source_file', 'line_number') }} as source_ref,
        count(*) over (partition by entity_id, measure, coalesce(functional_code, class_name, item_name, '')) as n_statements
    from {{ ref('int_narrative_figures_resolved') }}
    where amount is not null
)
qualify row_number() over (
    partition by entity_id, measure, coalesce(functional_code, class_name, item_name, '')
    order by line_number, figure_seq
) = 1
