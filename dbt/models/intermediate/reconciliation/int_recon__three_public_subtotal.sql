-- Rule three_public_subtotal: “三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费,
-- and 公务用车购置及运行费 = 购置费 + 运行费, per entity and evidence (table, narrative), where
-- the subtotal is printed. A part not printed counts as 0.
with items as (

    select * from {{ ref('int_recon_three_public_prepared') }}

),

pivoted as (

    select
        entity_id, evidence,
        max(case when item = 'three_public_total' then amount_wan end) as three_public_total,
        max(case when item = 'overseas_travel' then amount_wan end) as overseas_travel,
        max(case when item = 'vehicle_total' then amount_wan end) as vehicle_total,
        max(case when item = 'vehicle_purchase' then amount_wan end) as vehicle_purchase,
        max(case when item = 'vehicle_operation' then amount_wan end) as vehicle_operation,
        max(case when item = 'official_reception' then amount_wan end) as official_reception,
        max(case when item = 'three_public_total' then source_ref end) as tp_ref,
        max(case when item = 'vehicle_total' then source_ref end) as vt_ref,
        min(unit) as unit
    from items
    group by 1, 2

),

summed as (

    -- the parts as read (a part not printed counts as 0), and whether one of them is missing
    select *,
        coalesce(overseas_travel, 0)
            + coalesce(vehicle_total, coalesce(vehicle_purchase, 0) + coalesce(vehicle_operation, 0))
            + coalesce(official_reception, 0) as parts_wan,
        overseas_travel is null or official_reception is null
            or (vehicle_total is null and (vehicle_purchase is null or vehicle_operation is null)) as part_missing,
        coalesce(vehicle_purchase, 0) + coalesce(vehicle_operation, 0) as vehicle_parts_wan
    from pivoted

)

select
    entity_id,
    'three_public_subtotal' as rule_id,
    evidence || ' three_public_total' as subject,
    three_public_total as expected_wan,
    parts_wan as actual_wan,
    {{ tolerance_wan('1 + (overseas_travel is not null)::int + (official_reception is not null)::int
        + case when vehicle_total is not null then 1
               else (vehicle_purchase is not null)::int + (vehicle_operation is not null)::int end', 'unit') }} as tolerance_wan,
    -- a part not read (blank where the table prints it, or a layout whose parts we do not find)
    -- is no evidence of a discrepancy: nothing read → not_applicable; a sum short of the total
    -- with a part missing → unverified (the parts read already above the total still fail)
    case when overseas_travel is null and official_reception is null and vehicle_total is null
              and vehicle_purchase is null and vehicle_operation is null then 'not_applicable'
         when part_missing and parts_wan < three_public_total then 'unverified'
    end as forced_status,
    '“三公” ' || {{ fmt_figure('three_public_total', 'unit') }} || ' vs 出国 ' || {{ fmt_figure('overseas_travel', 'unit') }}
        || ' + 公务用车 ' || case when vehicle_total is not null then {{ fmt_figure('vehicle_total', 'unit') }}
                                 else {{ fmt_figure('vehicle_purchase', 'unit') }} || '+' || {{ fmt_figure('vehicle_operation', 'unit') }} end
        || ' + 接待 ' || {{ fmt_figure('official_reception', 'unit') }} as message,
    '“三公”经费 ' || {{ fmt_figure('three_public_total', 'unit') }} || ' 与 因公出国（境）费 ' || {{ fmt_figure('overseas_travel', 'unit') }}
        || ' + 公务用车购置及运行费 ' || case when vehicle_total is not null then {{ fmt_figure('vehicle_total', 'unit') }}
                                 else {{ fmt_figure('vehicle_purchase', 'unit') }} || '+' || {{ fmt_figure('vehicle_operation', 'unit') }} end
        || ' + 公务接待费 ' || {{ fmt_figure('official_reception', 'unit') }} || ' 比较' as message_zh,
    tp_ref as source_ref
from summed
where three_public_total is not null
union all
select
    entity_id,
    'three_public_subtotal',
    evidence || ' vehicle_total',
    vehicle_total,
    vehicle_parts_wan,
    {{ tolerance_wan('1 + (vehicle_purchase is not null)::int + (vehicle_operation is not null)::int', 'unit') }},
    case when vehicle_purchase is null and vehicle_operation is null then 'not_applicable'
         when (vehicle_purchase is null or vehicle_operation is null) and vehicle_parts_wan < vehicle_total
              then 'unverified' end,
    '公务用车购置及运行费 ' || {{ fmt_figure('vehicle_total', 'unit') }} || ' vs 购置 ' || {{ fmt_figure('vehicle_purchase', 'unit') }}
        || ' + 运行 ' || {{ fmt_figure('vehicle_operation', 'unit') }},
    '公务用车购置及运行费 ' || {{ fmt_figure('vehicle_total', 'unit') }} || ' 与 购置费 ' || {{ fmt_figure('vehicle_purchase', 'unit') }}
        || ' + 运行费 ' || {{ fmt_figure('vehicle_operation', 'unit') }} || ' 比较',
    vt_ref
from summed
where vehicle_total is not null
