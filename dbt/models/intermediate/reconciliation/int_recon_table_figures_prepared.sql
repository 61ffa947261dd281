-- The headline figures the tables print, one row per (entity, measure), as the reference the
-- department/unit rules compare against: of the candidates of int_recon_table_figures_scoped,
-- the first by rank (measure 'function:<code>' is the 合计 of a printed 类/款/项 row,
-- 一般公共预算支出表 first, else 支出总表). n_terms counts the printed figures a value is made of.
select entity_id, measure, amount_wan, n_terms, unit, source_ref
from {{ ref('int_recon_table_figures_scoped') }}
qualify row_number() over (partition by entity_id, measure order by rank_, source_ref) = 1
