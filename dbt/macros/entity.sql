{#-
  Join a record to its budget entity: the entity whose code the record carries, else the
  document's primary entity (records with entity_code NULL belong to the primary entity).
  Usage: select {{ entity_id_of('r') }} as entity_id ... from x as r {{ join_entity('r') }}
-#}
{% macro join_entity(alias) -%}
    left join {{ ref('int_entities_keyed') }} as {{ alias }}_ent_code
        on {{ alias }}_ent_code.source_file = {{ alias }}.source_file
       and {{ alias }}_ent_code.entity_code = {{ alias }}.entity_code
    left join {{ ref('int_entities_keyed') }} as {{ alias }}_ent_primary
        on {{ alias }}_ent_primary.source_file = {{ alias }}.source_file
       and {{ alias }}_ent_primary.is_primary
{%- endmacro %}

{% macro entity_id_of(alias) -%}
    coalesce({{ alias }}_ent_code.entity_id, {{ alias }}_ent_primary.entity_id)
{%- endmacro %}

{#- Names as printed vary in bracket width and spacing: compare them normalised. -#}
{% macro normalize_name(col) -%}
    nullif(regexp_replace(replace(replace(replace(replace(trim({{ col }}), '(', '（'), ')', '）'), '“', ''), '”', ''), '\s+', '', 'g'), '')
{%- endmacro %}

{% macro source_ref(file_col, line_col, page_col=none) -%}
    {%- if page_col -%}
    {{ file_col }} || coalesce(':p' || cast({{ page_col }} as varchar), '') || coalesce(':' || cast({{ line_col }} as varchar), '')
    {%- else -%}
    {{ file_col }} || coalesce(':' || cast({{ line_col }} as varchar), '')
    {%- endif -%}
{%- endmacro %}

{#- Two names one character apart (one inserted, dropped or changed: 2026信访专项经费 / 2026年信访专项经费),
    counted in characters (levenshtein counts UTF-8 bytes); names of six characters or more only. -#}
{% macro one_char_apart(a, b) -%}
    (least(length({{ a }}), length({{ b }})) >= 6 and (
        (length({{ a }}) = length({{ b }}) + 1
         and list_contains([left({{ a }}, i::int) || substr({{ a }}, i::int + 2) for i in range(length({{ a }}))], {{ b }}))
        or (length({{ b }}) = length({{ a }}) + 1
         and list_contains([left({{ b }}, i::int) || substr({{ b }}, i::int + 2) for i in range(length({{ b }}))], {{ a }}))
        or (length({{ a }}) = length({{ b }})
         and list_contains([left({{ a }}, i::int) || substr({{ a }}, i::int + 2) = left({{ b }}, i::int) || substr({{ b }}, i::int + 2)
                            for i in range(length({{ a }}))], true))))
{%- endmacro %}
