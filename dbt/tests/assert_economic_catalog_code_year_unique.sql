-- (economic_code, valid_from_year) is the key of the economic classification seed.
-- 经济分类：科目编码 + 起始年度唯一。
select economic_code, valid_from_year, count(*) as n_rows
from {{ ref('economic_classification') }}
group by 1, 2
having count(*) > 1
