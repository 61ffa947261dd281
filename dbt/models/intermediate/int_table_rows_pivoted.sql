-- Every printed table row of a usable table (not an empty table, not a second printed copy),
-- with its entity and its amounts by column meaning, converted to 万元.
with tables as (

    select * from {{ ref('stg_budget_docs__tables') }}
    where not is_duplicate_copy

),

table_rows as (

    select * from {{ ref('stg_budget_docs__table_rows') }}

),

amounts as (

    select * from {{ ref('stg_budget_docs__table_amounts') }}

),

-- rows holding a cell the two readings of the grid read differently, where neither reading's
-- sums close (extractors.tables.arbiter): what is printed there is not known
differing_rows as (

    select distinct source_file, table_id, row_number
    from {{ ref('stg_budget_docs__reading_differences') }}
    where agreement = 'differ' and row_number is not null

),

-- the classification a table's coded lines print, by most of them
table_systems as (

    select source_file, table_id, mode(code_system) as code_system
    from table_rows
    where code_system is not null
    group by 1, 2

),

pivoted as (

    select
        source_file,
        table_id,
        row_number,
        {% for key in ['total', 'basic', 'project', 'personnel', 'public', 'general_budget', 'gov_fund',
                       'state_capital', 'fiscal_appropriation', 'overseas_travel', 'vehicle_total',
                       'vehicle_purchase', 'vehicle_operation', 'official_reception', 'three_public_total',
                       'meeting', 'training'] %}
        max(case when column_key = '{{ key }}' and coalesce(side, 'expenditure') = 'expenditure'
                 then {{ to_wan('amount', 'unit') }} end) as {{ key }}_wan,
        {% endfor %}
        count(amount) as n_amounts
    from amounts
    group by 1, 2, 3

)

select
    {{ entity_id_of('r') }} as entity_id,
    r.source_file,
    r.table_id,
    t.table_kind,
    t.title as table_title,
    t.unit,
    -- certain | uncertain (the table's own sums do not close: a finding must not rest on it)
    t.reading as table_reading,
    -- the two readings of the grid read a cell of this row differently and neither closes
    d.row_number is not null as readings_differ,
    -- a finding must not rest on this line: its table's reading is uncertain or its readings differ
    coalesce(t.reading = 'uncertain', false) or d.row_number is not null as reading_uncertain,
    r.row_number,
    r.line_number,
    r.page,
    r.row_kind,
    r.code,
    r.code_system,
    r.name,
    r.label,
    r.text_cells,
    r.raw_text,
    r.block_code,
    r.parent_row_number,
    {{ source_ref('r.source_file', 'r.line_number', 'r.page') }} as source_ref,
    -- one table per (entity, kind) is evidence for facts: a document may print the same kind
    -- twice (财政拨款支出表 = all appropriations, 一般公共预算支出表 = its general-budget part);
    -- the 一般公共预算 one is disjoint from the fund tables, so it is preferred, else the first.
    -- the table facts are selected from, per kind: one printing the kind's own classification
    -- first (a 基本支出表 by economic code before one by functional code: 西安 C054 p38/p39), then
    -- a 一般公共预算 one, then the first printed
    dense_rank() over (
        partition by {{ entity_id_of('r') }}, t.table_kind
        order by (coalesce(s.code_system, '') = case when t.table_kind = 'general_budget_basic_expenditure'
                                                     then 'economic' else 'functional' end) desc,
                 (t.title like '%一般公共预算%') desc, r.source_file, r.table_id
    ) as table_rank,
    p.* exclude (source_file, table_id, row_number)
from table_rows as r
inner join tables as t
    on t.source_file = r.source_file
   and t.table_id = r.table_id
left join table_systems as s
    on s.source_file = r.source_file
   and s.table_id = r.table_id
left join differing_rows as d
    on d.source_file = r.source_file
   and d.table_id = r.table_id
   and d.row_number = r.row_number
left join pivoted as p
    on p.source_file = r.source_file
   and p.table_id = r.table_id
   and p.row_number = r.row_number
{{ join_entity('r') }}
