-- Rule three_public_grand_total: where a “三公”经费 table prints a 合计 above the “三公” 小计,
-- 合计 = “三公”经费 + 会议费 + 培训费 (a part not printed counts as 0).
with items as (

    select * from {{ ref('int_recon_three_public_prepared') }}
    where evidence = 'table'

),

pivoted as (

    select
        entity_id,
        max(case when item = 'grand_total' then amount_wan end) as grand_total,
        max(case when item = 'three_public_total' then amount_wan end) as three_public_total,
        max(case when item = 'meeting' then amount_wan end) as meeting,
        max(case when item = 'training' then amount_wan end) as training,
        max(case when item = 'grand_total' then source_ref end) as source_ref,
        min(unit) as unit
    from items
    group by 1

)

select
    entity_id,
    'three_public_grand_total' as rule_id,
    'table grand_total' as subject,
    grand_total as expected_wan,
    coalesce(three_public_total, 0) + coalesce(meeting, 0) + coalesce(training, 0) as actual_wan,
    {{ tolerance_wan('1 + (three_public_total is not null)::int + (meeting is not null)::int + (training is not null)::int', 'unit') }} as tolerance_wan,
    cast(null as varchar) as forced_status,
    '合计 ' || {{ fmt_figure('grand_total', 'unit') }} || ' vs “三公” ' || {{ fmt_figure('three_public_total', 'unit') }}
        || ' + 会议费 ' || {{ fmt_figure('meeting', 'unit') }} || ' + 培训费 ' || {{ fmt_figure('training', 'unit') }} as message,
    '合计 ' || {{ fmt_figure('grand_total', 'unit') }} || ' 与 “三公”经费 ' || {{ fmt_figure('three_public_total', 'unit') }}
        || ' + 会议费 ' || {{ fmt_figure('meeting', 'unit') }} || ' + 培训费 ' || {{ fmt_figure('training', 'unit') }} || ' 比较' as message_zh,
    source_ref
from pivoted
where grand_total is not null
