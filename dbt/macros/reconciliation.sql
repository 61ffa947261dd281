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
