-- Labels in Chinese and English of every code the marts use: kind is the column the code is found
-- in (measure, item, revenue_source, expenditure_type, cost_type, fund_scope, status, severity,
-- evidence, source_kind, row_kind, side, scope, table_kind, code_system, issue, rule_id …), so
--   select f.*, l.label_zh from marts.fct_three_public_expense f
--   join marts.dim_label l on l.kind = 'item' and l.code = f.item
-- labels a mart. Rule ids carry the titles of the reconciliation_rules seed.
select
    kind || ':' || code as label_id,
    kind,
    code,
    label_zh,
    label_en,
    'labels' as label_source
from {{ ref('labels') }}
union all
select
    'rule_id:' || rule_id,
    'rule_id',
    rule_id,
    title_zh,
    title_en,
    'reconciliation_rules'
from {{ ref('reconciliation_rules') }}
