-- Rule narrative_repeated_figure: a quantity the prose states more than once (the same measure,
-- and for 类/款/项 the same resolved code, in sentences naming the same fund scope) is
-- stated with the same amount each time. Every later statement is compared with the first.
with figures as (

    select
        *,
        {{ to_wan('amount', 'unit') }} as amount_wan,
        {{ source_ref('source_file', 'line_number') }} as source_ref,
        coalesce(functional_code, '') as code_key,
        -- the fund scope the sentence speaks of: a 基本支出 of all funds (支出总表) and one of the
        -- 一般公共预算 (一般公共预算基本支出表) are different quantities
        concat_ws(',',
            case when sentence like '%一般公共预算%' then 'gpb' end,
            case when sentence like '%财政拨款%' then 'fa' end,
            case when sentence like '%政府性基金%' then 'gf' end) as scope_words
    from {{ ref('int_narrative_figures_resolved') }}
    where amount is not null
      -- a 类/项 figure is compared only under the code it resolved to (names alone are ambiguous)
      and (measure not in ('function_class', 'function_item') or functional_code is not null)
      and measure in ('total_budget', 'revenue_total', 'revenue_current_year', 'expenditure_total',
                      'fiscal_appropriation_total', 'general_budget_expenditure', 'basic', 'project',
                      'personnel', 'public', 'operating_cost', 'three_public_total', 'overseas_travel',
                      'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'official_reception',
                      'meeting', 'training', 'function_class', 'function_item')

),

ranked as (

    select
        *,
        row_number() over (partition by entity_id, measure, code_key, scope_words order by line_number, figure_seq) as nth,
        first_value(amount_wan) over (partition by entity_id, measure, code_key, scope_words order by line_number, figure_seq) as first_wan,
        first_value(line_number) over (partition by entity_id, measure, code_key, scope_words order by line_number, figure_seq) as first_line,
        first_value({{ printed_half_wan('amount_decimals', 'unit') }}) over (
            partition by entity_id, measure, code_key, scope_words order by line_number, figure_seq) as first_half_wan,
        first_value(amount_decimals) over (
            partition by entity_id, measure, code_key, scope_words order by line_number, figure_seq) as first_decimals
    from figures

)

select
    entity_id,
    'narrative_repeated_figure' as rule_id,
    measure || case when code_key <> '' then ':' || code_key else '' end || ' @ ' || line_number || '#' || figure_seq as subject,
    first_wan as expected_wan,
    amount_wan as actual_wan,
    -- each statement at its own printed precision (1234万元 and 1,234.37万元 agree within 0.505)
    cast(first_half_wan + {{ printed_half_wan('amount_decimals', 'unit') }} as decimal(18, 7)) as tolerance_wan,
    -- one measure stated twice in one sentence (2026年收入预算515665.27万元，比2025年执行数483923.17万元
    -- 增加…, C010): the second is a comparison base or a part the reader took for the measure
    case when line_number = first_line then 'unverified' end as forced_status,
    measure || case when code_key <> '' then ' ' || code_key else '' end || ': ' || {{ fmt_figure('amount_wan', 'unit', 'amount_decimals') }}
        || ' at line ' || line_number || ' vs ' || {{ fmt_figure('first_wan', 'unit', 'first_decimals') }} || ' first stated at line ' || first_line as message,
    {{ label_zh('measure', 'measure') }} || case when code_key <> '' then ' ' || code_key else '' end || '：第 ' || line_number || ' 行 '
        || {{ fmt_figure('amount_wan', 'unit', 'amount_decimals') }} || ' 与 第 ' || first_line || ' 行首次列示的 ' || {{ fmt_figure('first_wan', 'unit', 'first_decimals') }}
        || ' 比较' as message_zh,
    source_ref
from ranked
where nth > 1
