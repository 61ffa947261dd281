-- Rule fund_tables_within_summary: per functional leaf, the fund tables (一般公共预算 + 政府性基金 +
-- 国有资本经营 支出表) spend at most what the 支出总表 (all funds) prints for the code, by type where
-- both print the split: other funds = all funds − fund tables is never negative. A fund line whose
-- code the 支出总表 does not print compares with 0. Evaluated where both are printed
-- (int_other_fund_expenditures_derived); unverified where a table involved is an uncertain reading.
select
    entity_id,
    'fund_tables_within_summary' as rule_id,
    functional_code || ' ' || expenditure_type as subject,
    summary_wan as expected_wan,
    funds_wan as actual_wan,
    {{ tolerance_wan('1 + n_fund_lines', 'unit') }} as tolerance_wan,
    case
        when funds_wan <= summary_wan then 'pass'
        when not all_certain then 'unverified'
    end as forced_status,
    '支出总表 ' || functional_code || ' ' || coalesce(printed_name, '') || ' ' || expenditure_type || ' '
        || {{ fmt_figure('summary_wan', 'unit') }} || ' vs 资金表 fund tables ' || {{ fmt_figure('funds_wan', 'unit') }} || ' (' || coalesce(parts, '') || ')'
        || case when funds_wan > summary_wan then ': 资金表多于全部资金 / the fund tables exceed all funds' else '' end as message,
    '支出总表 ' || functional_code || ' ' || coalesce(printed_name, '') || ' ' || {{ label_zh('expenditure_type', 'expenditure_type') }} || ' '
        || {{ fmt_figure('summary_wan', 'unit') }} || ' 与 资金表 ' || {{ fmt_figure('funds_wan', 'unit') }} || '（' || coalesce(parts, '') || '）比较'
        || case when funds_wan > summary_wan then '：资金表多于全部资金' else '' end as message_zh,
    source_ref
from {{ ref('int_other_fund_expenditures_derived') }}
