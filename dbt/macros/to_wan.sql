{#- Convert an amount in the document's unit to 万元, exactly (DECIMAL arithmetic, never float). -#}
{% macro to_wan(amount, unit) -%}
    cast(case when {{ unit }} = '元' then {{ amount }} * 0.0001 else {{ amount }} end as decimal(18, 6))
{%- endmacro %}
