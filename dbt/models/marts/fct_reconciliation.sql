-- One row per (entity, rule, subject) evaluated. status: pass | rounding (within the tolerance
-- implied by printed precision) | fail | unverified | incomplete | not_applicable.
{% set rule_models = [
    'int_recon__row_total_basic_project',
    'int_recon__row_personnel_public_basic',
    'int_recon__row_total_sum_sources',
    'int_recon__hierarchy_parent_sum',
    'int_recon__table_total_sum_classes',
    'int_recon__three_public_subtotal',
    'int_recon__three_public_grand_total',
    'int_recon__income_equals_expenditure',
    'int_recon__summary_side_sum',
    'int_recon__summary_vs_fiscal_summary',
    'int_recon__expenditure_summary_vs_fund_tables',
    'int_recon__fund_tables_within_summary',
    'int_recon__basic_function_vs_economic',
    'int_recon__narrative_vs_table',
    'int_recon__narrative_share_pct',
    'int_recon__narrative_class_sum_items',
    'int_recon__narrative_total_sum_classes',
    'int_recon__narrative_parts_sum',
    'int_recon__narrative_repeated_figure',
    'int_recon__narrative_yoy_pct',
    'int_recon__projects_sum_project',
    'int_recon__department_sum_units',
    'int_recon__classification_in_catalog',
    'int_recon__fact_additivity',
] %}
with evaluated as (

    {% for m in rule_models %}
    select entity_id, rule_id, subject, expected_wan, actual_wan, tolerance_wan, forced_status, message, message_zh, source_ref
    from {{ ref(m) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

-- printed lines of tables whose reading is uncertain (their own sums do not close beyond a few
-- isolated checksums, extractors.tables.closure): a failing comparison that rests on one of them
-- is 'unverified', never a fail of the document; so is one resting on a line whose cells the two
-- independent readings of the grid read differently (staging reading_differences)
uncertain_refs as (

    select distinct source_ref
    from {{ ref('int_table_rows_pivoted') }}
    where reading_uncertain

),

-- every amount the document's tables print, in 万元. A prose figure that a table prints as
-- another figure (the 一般公共预算 part where the rule took all funds, the 当年 column where it
-- took 上年, a 项 where it took a total; equal within the comparison's tolerance: 461,836 元 is
-- the 46.18 万元 the prose states) says the reader may have taken the sentence for the
-- wrong figure: a failing comparison resting on it is 'unverified', not a contradiction. Checked:
-- the prose total of the prose sums (expected), either statement of a repeated figure
-- (narrative_vs_table checks its own prose figure, knowing the table it compares with).
printed_amounts as (

    select distinct entity_id, amount_wan
    from {{ ref('int_recon_table_cells_prepared') }}
    where amount_wan is not null

),

statused as (

    select e.*,
        {{ recon_status('e.expected_wan', 'e.actual_wan', 'e.tolerance_wan', 'e.forced_status') }} as raw_status,
        e.source_ref in (select source_ref from uncertain_refs) as rests_on_uncertain,
        case
            when e.rule_id in ('narrative_parts_sum', 'narrative_total_sum_classes', 'narrative_class_sum_items') then exists (
                select 1 from printed_amounts as p where p.entity_id = e.entity_id and abs(p.amount_wan - e.expected_wan) <= e.tolerance_wan)
            when e.rule_id = 'narrative_repeated_figure' then exists (
                select 1 from printed_amounts as p where p.entity_id = e.entity_id
                  and least(abs(p.amount_wan - e.expected_wan), abs(p.amount_wan - e.actual_wan)) <= e.tolerance_wan)
            else false
        end as prose_printed_as_other_figure
    from evaluated as e

)

select
    -- a rule may evaluate one subject against several printed figures: unique by construction
    md5(e.entity_id || '|' || e.rule_id || '|' || e.subject || '#' || row_number() over (
        partition by e.entity_id, e.rule_id, e.subject
        order by e.source_ref, e.expected_wan, e.actual_wan, e.message)) as finding_id,
    e.entity_id,
    e.rule_id,
    e.subject,
    cast(e.expected_wan as decimal(18, 6)) as expected_wan,
    cast(e.actual_wan as decimal(18, 6)) as actual_wan,
    cast(e.actual_wan - e.expected_wan as decimal(18, 6)) as difference_wan,
    cast(e.tolerance_wan as decimal(18, 7)) as tolerance_wan,
    case when e.raw_status = 'fail' and (e.rests_on_uncertain or e.prose_printed_as_other_figure) then 'unverified'
         else e.raw_status end as status,
    e.message || case
        when e.raw_status <> 'fail' then ''
        when e.rests_on_uncertain
            then ' (表格读取不确定，未核实 / the table reading is uncertain: its own sums do not close, or its two readings differ)'
        when e.prose_printed_as_other_figure
            then ' (该数字在表中作为另一数字列示，未核实 / the prose figure is printed in a table as another figure: which figure the sentence means is not certain)'
        else '' end as message,
    -- the same in Chinese, figures as printed (never the six decimals of the amount columns)
    e.message_zh || case
        when e.raw_status <> 'fail' then ''
        when e.rests_on_uncertain then '（表格读取不确定：其自身合计不闭合，未核实）'
        when e.prose_printed_as_other_figure then '（该数字在表中作为另一数字列示，未核实）'
        else '' end as message_zh,
    r.severity,
    r.blocking,
    e.source_ref
from statused as e
left join {{ ref('reconciliation_rules') }} as r using (rule_id)
