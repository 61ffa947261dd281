-- Rule narrative_total_sum_classes: in the prose, the expenditure the 类 breakdown describes
-- = Σ the 类 amounts stated. The total the breakdown describes is the one stated last before its
-- first 类 (财政拨款收支总预算18,728.91万元 … 支出包括：一般公共服务支出15,291.3万元 …, C036 p18:
-- not the 一般公共预算 total stated two pages on); when none is stated before it, 一般公共预算支出,
-- else 财政拨款收支预算, else 支出预算.
with firsts as (

    select * from {{ ref('int_recon_narrative_first_prepared') }}

),

classes as (

    select entity_id, sum(amount_wan) as classes_wan, count(*) as n_classes,
           min(line_number) as first_class_line,
           string_agg(coalesce(functional_code, code_key) || '=' || {{ fmt_figure('amount_wan', 'unit', 'amount_decimals') }}, ' + ' order by line_number, coalesce(functional_code, code_key), amount_wan) as parts,
           min(fund_scope) as min_scope, max(fund_scope) as max_scope
    from firsts
    -- a 类 resolved to its code: a name alone may restate a resolved 类 (卫生健康 = 210)
    where measure = 'function_class' and functional_code is not null
    group by 1

),

total as (

    select f.*
    from firsts as f
    inner join classes as c using (entity_id)
    where f.measure in ('general_budget_expenditure', 'fiscal_appropriation_total', 'expenditure_total')
    qualify row_number() over (
        partition by f.entity_id
        order by f.line_number <= c.first_class_line desc,
                 case when f.line_number <= c.first_class_line then f.line_number end desc,
                 case f.measure when 'general_budget_expenditure' then 1 when 'fiscal_appropriation_total' then 2 else 3 end
    ) = 1

)

select
    t.entity_id,
    'narrative_total_sum_classes' as rule_id,
    t.measure as subject,
    t.amount_wan as expected_wan,
    c.classes_wan as actual_wan,
    {{ tolerance_wan('1 + c.n_classes', 't.unit') }} as tolerance_wan,
    -- the prose may name only the main 类: a sum short of the total is incomplete
    case
        when c.classes_wan < t.amount_wan - {{ tolerance_wan('1 + c.n_classes', 't.unit') }} then 'incomplete'
        -- 类 figures first stated under another fund scope than the total (the all-funds 类 of the
        -- 支出总表 section against the 一般公共预算 total, C073): not one quantity's parts
        when ({{ scopes_differ('c.min_scope', 't.fund_scope') }} or {{ scopes_differ('c.max_scope', 't.fund_scope') }})
         and abs(c.classes_wan - t.amount_wan) > {{ tolerance_wan('1 + c.n_classes', 't.unit') }} then 'unverified'
    end as forced_status,
    t.measure || ' ' || {{ fmt_figure('t.amount_wan', 't.unit', 't.amount_decimals') }} || ' vs Σ 类 ' || c.parts
        || case when {{ scopes_differ('c.min_scope', 't.fund_scope') }} or {{ scopes_differ('c.max_scope', 't.fund_scope') }}
                then ' (类 stated under ' || c.min_scope || case when c.max_scope <> c.min_scope then '/' || c.max_scope else '' end
                     || ', the total under ' || t.fund_scope || ')' else '' end as message,
    {{ label_zh('measure', 't.measure') }} || ' ' || {{ fmt_figure('t.amount_wan', 't.unit', 't.amount_decimals') }} || ' 与 所列类之和 ' || c.parts || ' 比较'
        || case when {{ scopes_differ('c.min_scope', 't.fund_scope') }} or {{ scopes_differ('c.max_scope', 't.fund_scope') }}
                then '（类按' || {{ label_zh('fund_scope', 'c.min_scope') }} || case when c.max_scope <> c.min_scope then '/' || {{ label_zh('fund_scope', 'c.max_scope') }} else '' end
                     || '列示，总额按' || {{ label_zh('fund_scope', 't.fund_scope') }} || '列示）' else '' end as message_zh,
    t.source_ref
from total as t
inner join classes as c using (entity_id)
