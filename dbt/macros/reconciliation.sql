{#-
  Tolerance from printed precision: every printed figure carries half a unit of its last
  printed digit, so a comparison involving n printed figures may differ by up to
  n × half-unit. Printed to 0.01 万元 that is 0.005 万元 a figure; printed to 0.01 元 it is
  0.000 000 5 万元 a figure. `n_terms` counts every printed figure on both sides.
-#}
{% macro tolerance_wan(n_terms, unit) -%}
    cast(({{ n_terms }}) * case when {{ unit }} = '元' then 0.0000005 else 0.005 end as decimal(18, 7))
{%- endmacro %}

{#- Half a unit of the last printed digit of one figure, in 万元 (decimals printed after the
  point; null = two, the common print): 1234万元 → 0.5, 1,234.56 元 → 0.000 000 5. -#}
{% macro printed_half_wan(decimals, unit) -%}
    cast(0.5 / power(10, coalesce({{ decimals }}, 2)) / case when {{ unit }} = '元' then 10000 else 1 end as decimal(18, 7))
{%- endmacro %}

{#- Status of a comparison: an explicit status (incomplete, not_applicable) wins. -#}
{% macro recon_status(expected, actual, tolerance, forced_status='null') -%}
    case
        when {{ forced_status }} is not null then {{ forced_status }}
        when {{ expected }} is null or {{ actual }} is null then 'not_applicable'
        when {{ actual }} = {{ expected }} then 'pass'
        when abs({{ actual }} - {{ expected }}) <= {{ tolerance }} then 'rounding'
        else 'fail'
    end
{%- endmacro %}

{#- The fund scope a sentence or a table title names, else null: one vocabulary for the rules
  that compare figures of the same scope only (int_recon_table_figures_scoped, narrative_vs_table). -#}
{% macro fund_scope_named(text) -%}
    case
        when {{ text }} like '%一般公共预算%' then 'general_public_budget'
        when {{ text }} like '%财政拨款%' then 'fiscal_appropriation'
        when {{ text }} like '%政府性基金%' then 'government_fund'
    end
{%- endmacro %}

{#- Two fund scopes that name different quantities. 财政拨款 (fiscal_appropriation) is 一般公共预算 +
  政府性基金 + 国有资本经营: for most departments all of it is 一般公共预算 (国家信访局 2026: 收入全部为
  一般公共预算拨款), so those two are not told apart; all funds is another quantity. -#}
{% macro scopes_differ(a, b) -%}
    ({{ a }} <> {{ b }} and not ({{ a }} in ('general_public_budget', 'fiscal_appropriation')
                                 and {{ b }} in ('general_public_budget', 'fiscal_appropriation')))
{%- endmacro %}

{#- A code shaped as an economic code (301, 30101, 3010201; 政府预算 501, 50101): a unit code
  (125001), a functional code or a bare 款 part read into an economic table is no economic line. -#}
{% macro economic_code_shaped(code) -%}
    regexp_full_match({{ code }}, '[35][0-9]{2,}')
{%- endmacro %}

{#- A number to `decimals` places after the point (null = two; at most six, the scale of the
  amounts), rounded half away from zero in exact decimals: 149.720000 → '149.72', 615 → '615'. -#}
{% macro fmt_fixed(x, decimals='null') -%}
    case least(greatest(coalesce({{ decimals }}, 2), 0), 6)
    {%- for d in range(7) %}
        when {{ d }} then cast(cast({{ x }} as decimal(28, {{ d }})) as varchar)
    {%- endfor %}
    end
{%- endmacro %}

{#- A figure of a finding's message as the document printed it: in 万元 to its printed decimals
  (`decimals`, null = two: a table prints 0.01), or, from a table printed in 元, in 元 with the
  unit (1497200.00元): never the six decimals of the amount columns. '—' when not printed. -#}
{% macro fmt_figure(wan, unit='null', decimals='null') -%}
    (case when {{ wan }} is null then '—'
          when coalesce({{ unit }}, '') = '元' then {{ fmt_fixed('(' ~ wan ~ ') * 10000', decimals) }} || '元'
          else {{ fmt_fixed(wan, decimals) }} end)
{%- endmacro %}

{#- A printed percentage to its printed decimals (null = two): 4.9 → '4.9%'. -#}
{% macro fmt_pct(pct, decimals='null') -%}
    (case when {{ pct }} is null then '—' else {{ fmt_fixed(pct, decimals) }} || '%' end)
{%- endmacro %}

{#- The Chinese words of an amount column of a table (column_key), for message_zh. -#}
{% macro column_zh(key) -%}
    (case {{ key }} when 'total' then '合计' when 'basic' then '基本支出' when 'project' then '项目支出'
                    when 'personnel' then '人员经费' when 'public' then '公用经费' else {{ key }} end)
{%- endmacro %}

{#- The Chinese label of a code (catalog.labels: measure, table_kind, fund_scope …), else the code. -#}
{% macro label_zh(kind, code) -%}
    coalesce((select l.label_zh from {{ ref('labels') }} as l where l.kind = '{{ kind }}' and l.code = {{ code }}), {{ code }})
{%- endmacro %}
