-- Rule narrative_yoy_pct: a year-on-year change printed both as an amount and as a rate agrees
-- with itself: 比上年增加333.83万元，增长31.35% of a current 1,391.68 万元 says the prior year was
-- 1,057.85 万元, and 333.83 / 1,057.85 = 31.56 %, not 31.35 % (国家信访局 2026 p25, C036 line 382).
-- Compared in 万元 like the shares: expected = rate × prior / 100 (prior = current − change),
-- actual = the printed change. Tolerance (first-order propagation of the printed precision):
-- the rate carries half a unit of its last printed digit (31.35 % → 0.005 points, 4.9 % → 0.05;
-- a rate printed 4.90 % is read as 4.9 %, the wider one), i.e. half × |prior| / 100 万元; each
-- amount half a unit of its last printed digit (减少277万元 → 0.5 万元: 001 line 74, where
-- 277 / 532 = 52.07 % against the printed 52.06 % is within the print), which moves expected by
-- rate/100 of it for the current and the change, and the actual by the change's.
with changes as (

    select
        {{ entity_id_of('y') }} as entity_id,
        y.*,
        {{ to_wan('y.current_amount', 'y.unit') }} as current_wan,
        {{ to_wan('y.change_amount', 'y.unit') }} as change_wan,
        {{ source_ref('y.source_file', 'y.line_number') }} as source_ref,
        row_number() over (partition by y.source_file, y.line_number order by y.measure, y.change_amount) - 1 as seq
    from {{ ref('stg_budget_docs__yoy_changes') }} as y
    {{ join_entity('y') }}
    where y.current_amount is not null and y.change_amount is not null and y.change_pct is not null
      and y.current_amount <> y.change_amount

),

typed as (

    select *,
        current_wan - change_wan as prior_wan,
        case when change_pct = round(change_pct, 0) then 0 when change_pct = round(change_pct, 1) then 1 else 2 end as pct_decimals,
        case when change_pct = round(change_pct, 0) then 0.5
             when change_pct = round(change_pct, 1) then 0.05
             else 0.005 end as pct_half,
        {{ printed_half_wan('current_decimals', 'unit') }} as current_half,
        {{ printed_half_wan('change_decimals', 'unit') }} as change_half
    from changes

)

select
    entity_id,
    'narrative_yoy_pct' as rule_id,
    measure || ' yoy @ ' || line_number || '#' || seq as subject,
    cast(change_pct * prior_wan * 0.01 as decimal(18, 6)) as expected_wan,
    change_wan as actual_wan,
    cast(pct_half * abs(prior_wan) * 0.01 + current_half * abs(change_pct) * 0.01
         + change_half * (1 + abs(change_pct) * 0.01) as decimal(18, 7)) as tolerance_wan,
    cast(null as varchar) as forced_status,
    coalesce(subject, measure) || ': ' || {{ fmt_figure('current_wan', 'unit', 'current_decimals') }} || ', change '
        || {{ fmt_figure('change_wan', 'unit', 'change_decimals') }} || ' printed as ' || {{ fmt_pct('change_pct', 'pct_decimals') }}
        || ' of the prior year ' || {{ fmt_figure('prior_wan', 'unit', 'greatest(current_decimals, change_decimals)') }}
        || ' (' || {{ fmt_figure('current_wan', 'unit', 'current_decimals') }} || ' − ' || {{ fmt_figure('change_wan', 'unit', 'change_decimals') }} || ')' as message,
    coalesce(subject, {{ label_zh('measure', 'measure') }}) || '：' || {{ fmt_figure('current_wan', 'unit', 'current_decimals') }} || '，比上年增减 '
        || {{ fmt_figure('change_wan', 'unit', 'change_decimals') }} || '，列示为上年 '
        || {{ fmt_figure('prior_wan', 'unit', 'greatest(current_decimals, change_decimals)') }}
        || '（' || {{ fmt_figure('current_wan', 'unit', 'current_decimals') }} || ' − ' || {{ fmt_figure('change_wan', 'unit', 'change_decimals') }} || '）的 '
        || {{ fmt_pct('change_pct', 'pct_decimals') }} as message_zh,
    source_ref
from typed
