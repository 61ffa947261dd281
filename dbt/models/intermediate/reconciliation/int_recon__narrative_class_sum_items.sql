-- Rule narrative_class_sum_items: in the prose, each 类 amount = Σ the 项 amounts stated under
-- it (项 grouped by the 类 their name path resolves to). Classes without stated items are not
-- evaluated.
with firsts as (

    select * from {{ ref('int_recon_narrative_first_prepared') }}

),

classes as (

    select * from firsts where measure = 'function_class' and functional_code is not null

),

items as (

    select entity_id, class_code, sum(amount_wan) as items_wan, count(*) as n_items,
           string_agg(coalesce(functional_code, '?') || '=' || {{ fmt_figure('amount_wan', 'unit', 'amount_decimals') }}, ' + ' order by line_number) as parts
    from firsts
    where measure = 'function_item' and class_code is not null
    group by 1, 2

)

select
    c.entity_id,
    'narrative_class_sum_items' as rule_id,
    '类 ' || c.functional_code as subject,
    c.amount_wan as expected_wan,
    i.items_wan as actual_wan,
    {{ tolerance_wan('1 + i.n_items', 'c.unit') }} as tolerance_wan,
    -- the prose names the main 项 of a 类, rarely all: a sum short of the 类 is incomplete; a sum
    -- above it contradicts the 类
    case when i.items_wan < c.amount_wan - {{ tolerance_wan('1 + i.n_items', 'c.unit') }} then 'incomplete' end as forced_status,
    '类 ' || c.functional_code || ' ' || {{ fmt_figure('c.amount_wan', 'c.unit', 'c.amount_decimals') }} || ' vs Σ 项 ' || i.parts as message,
    '类 ' || c.functional_code || ' ' || {{ fmt_figure('c.amount_wan', 'c.unit', 'c.amount_decimals') }} || ' 与 所列项之和 ' || i.parts || ' 比较' as message_zh,
    c.source_ref
from classes as c
inner join items as i
    on i.entity_id = c.entity_id
   and i.class_code = c.functional_code
