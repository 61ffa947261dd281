-- Rule narrative_share_pct: a share printed in the prose equals amount / total.
-- Compared in 万元 to stay in exact decimals: expected = share% × total / 100, actual = amount.
-- Tolerance (first-order propagation of the printed precision; the formula below for figures
-- printed to 0.01, the model uses each figure's own printed digits): a share printed to 0.01% carries
-- 0.005 percentage points, i.e. 0.005% × total = 0.00005 × total 万元; the amount carries
-- 0.005 万元; the total's own 0.005 万元 moves share × total by share% × 0.005 万元. So
--   tolerance_wan = 0.00005 × total + 0.005 + 0.00005 × share_pct   (figures printed to 0.01 万元)
-- which, divided by total/100, is the percentage-point tolerance
--   0.005 + 0.5 × (1 + share_pct/100) / total.
with shares as (

    select * from {{ ref('int_recon_narrative_totals_prepared') }}

)

select
    entity_id,
    'narrative_share_pct' as rule_id,
    measure || coalesce(':' || functional_code, '') || ' share @ ' || line_number || '#' || figure_seq as subject,
    cast(share_pct * total_wan * 0.01 as decimal(18, 6)) as expected_wan,
    amount_wan as actual_wan,
    -- at the printed precision of each figure: a share printed as 1.9% carries 0.05 points
    -- (0.0005 × total), one printed as 1.90% 0.005 points; a whole-万元 amount 0.5 万元
    cast(0.5 / power(10, coalesce(share_pct_decimals, 2)) * 0.01 * total_wan
         + {{ printed_half_wan('amount_decimals', 'unit') }} * (1 + share_pct * 0.01) as decimal(18, 7)) as tolerance_wan,
    case when total_wan is null then 'not_applicable' end as forced_status,
    measure || coalesce(' ' || functional_code, '') || ' ' || {{ fmt_figure('amount_wan', 'unit', 'amount_decimals') }} || ' printed as '
        || {{ fmt_pct('share_pct', 'share_pct_decimals') }} || ' of '
        || coalesce(total_measure || ' ' || {{ fmt_figure('total_wan', 'unit') }} || ' (line ' || total_line_number || ')', 'no total found') as message,
    {{ label_zh('measure', 'measure') }} || coalesce(' ' || functional_code, '') || ' ' || {{ fmt_figure('amount_wan', 'unit', 'amount_decimals') }} || '，列示为占 '
        || coalesce({{ label_zh('measure', 'total_measure') }} || ' ' || {{ fmt_figure('total_wan', 'unit') }} || '（第 ' || total_line_number || ' 行）', '（未找到总额）')
        || ' 的 ' || {{ fmt_pct('share_pct', 'share_pct_decimals') }} as message_zh,
    source_ref
from shares
