-- One row per (entity, rule, subject) evaluated. status: pass | rounding (within the tolerance
-- implied by printed precision) | fail | incomplete | not_applicable.
{% set rule_models = [
    'int_recon__row_total_basic_project',
] %}
with evaluated as (

    {% for m in rule_models %}
    select entity_id, rule_id, subject, expected_wan, actual_wan, tolerance_wan, forced_status, message, source_ref
    from {{ ref(m) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select
    md5(e.entity_id || '|' || e.rule_id || '|' || e.subject) as finding_id,
    e.entity_id,
    e.rule_id,
    e.subject,
    cast(e.expected_wan as decimal(18, 6)) as expected_wan,
    cast(e.actual_wan as decimal(18, 6)) as actual_wan,
    cast(e.actual_wan - e.expected_wan as decimal(18, 6)) as difference_wan,
    cast(e.tolerance_wan as decimal(18, 7)) as tolerance_wan,
    {{ recon_status('e.expected_wan', 'e.actual_wan', 'e.tolerance_wan', 'e.forced_status') }} as status,
    e.message,
    r.severity,
    r.blocking,
    e.source_ref
from evaluated as e
left join {{ ref('reconciliation_rules') }} as r using (rule_id)
