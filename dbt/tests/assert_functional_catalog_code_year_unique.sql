-- (functional_code, valid_from_year) is the key of the functional classification seed.
-- 功能分类：科目编码 + 起始年度唯一。
select functional_code, valid_from_year, count(*) as n_rows
from {{ ref('functional_classification') }}
group by 1, 2
having count(*) > 1
