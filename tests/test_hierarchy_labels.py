"""Entity hierarchy (what to sum) and labels, on the sample warehouse `make test` builds."""
import csv
import re
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC_002 = "002_26df1c49268341e3.txt"


def test_002_unit_is_inside_its_department(wh):
    rows = {code: r for code, *r in wh.execute(
        """select entity_code, entity_id, scope, is_consolidated, is_own_office, department_entity_id,
                  department_link, n_units, is_additive
           from marts.dim_budget_entity where source_file = ?""", [DOC_002]).fetchall()}
    dept, unit = rows["434"], rows["434001"]  # 保定市莲池区人民政府办公室 and its only unit …本级
    assert dept[1:] == ["department", True, False, dept[0], "self", 1, True]
    assert unit[1:] == ["unit", False, True, dept[0], "document", 0, False]
    # every other sample is one department
    others = wh.execute("""select count(*), bool_and(is_additive and is_consolidated and department_link = 'self')
                           from marts.dim_budget_entity where source_file <> ?""", [DOC_002]).fetchone()
    assert others == (4, True)


def test_additive_view_counts_002_once(wh):
    # 201 across entities: 446.14 + 539.81 + 1080.62 (002, printed for the department and again
    # for its unit 本级) + 1375.37 + 882.61
    total_201 = lambda mart: wh.execute(f"select sum(amount_wan) from marts.{mart} "
                                        "where functional_code like '201%'").fetchone()[0]
    assert total_201("fct_function_expenditure") == Decimal("5405.17")
    assert total_201("fct_function_expenditure_additive") == Decimal("4324.55")
    # the additive views hold the department's rows, never the unit's
    for view in ("fct_function_expenditure", "fct_economic_expenditure", "fct_revenue", "fct_three_public_expense"):
        names = {r[0] for r in wh.execute(f"select distinct entity_name from marts.{view}_additive").fetchall()}
        assert "保定市莲池区人民政府办公室本级" not in names, view
        assert "保定市莲池区人民政府办公室" in names, view
    # the view's rows are the fact's rows: the same amounts, entity by entity
    assert wh.execute("""select count(*) from marts.fct_function_expenditure_additive a
                         left join marts.fct_function_expenditure f using (fact_id)
                         where f.amount_wan is distinct from a.amount_wan""").fetchone()[0] == 0


def test_department_against_its_units(wh):
    # the README's query: a department's total against the sum of its units (002: 1,331.05 both)
    rows = wh.execute("""
        select d.entity_name, d.total, sum(u.total) as units_total, count(*) as n_units
        from (select entity_id, entity_name, (select sum(amount_wan) from marts.fct_function_expenditure f
                                             where f.entity_id = e.entity_id) as total
              from marts.dim_budget_entity e where n_units > 0) as d
        join (select entity_id, department_entity_id, (select sum(amount_wan) from marts.fct_function_expenditure f
                                                      where f.entity_id = e.entity_id) as total
              from marts.dim_budget_entity e where not is_additive) as u on u.department_entity_id = d.entity_id
        group by all""").fetchall()
    assert rows == [("保定市莲池区人民政府办公室", Decimal("1331.05"), Decimal("1331.05"), 1)]


def _labels():
    with open(ROOT / "dbt" / "seeds" / "labels.csv", encoding="utf-8") as f:
        return {(r["kind"], r["code"]): r for r in csv.DictReader(f)}


def test_every_extractor_vocabulary_code_has_a_label():
    # a measure or table kind the extractors can write fails here before it reaches a mart
    from extractors.narrative.figures import MEASURE_RULES, REVENUE_RULES
    from extractors.settings import COLUMN_KEYS, NARRATIVE_MEASURES, TABLE_KINDS
    from extractors.tables.parse import _KEY_RULES

    labels = _labels()
    # and the keys the code sets literally (parse.py: b.key = "budget" for a 预算数 | 决算数 pair)
    literal = set()
    for path in (ROOT / "extractors").rglob("*.py"):
        literal |= set(re.findall(r'\b(?:key|measure)\s*=\s*"([a-z_]+)"(?!\s*,)', path.read_text(encoding="utf-8")))
    assert "budget" in literal
    measures = set(COLUMN_KEYS) | set(NARRATIVE_MEASURES) | {k for k, _ in _KEY_RULES} \
        | {m for _, m in MEASURE_RULES} | {m for _, m in REVENUE_RULES} | literal
    assert sorted(m for m in measures if ("measure", m) not in labels) == []
    assert sorted(k for k in TABLE_KINDS if ("table_kind", k) not in labels) == []
    # fct_revenue's narrative sources are the revenue_* measures without their prefix
    sources = {m.removeprefix("revenue_") for _, m in REVENUE_RULES} - {"total", "current_year"}
    assert sorted(s for s in sources if ("revenue_source", s) not in labels) == []
    assert all(r["label_zh"].strip() and r["label_en"].strip() for r in labels.values())


def test_every_code_in_the_marts_has_a_label(wh):
    # the export's rule: a column named as a label kind (or one of its special columns) holds codes
    from budget_warehouse.export import code_label, label_columns, list_marts, load_labels

    marts = list_marts(wh)
    labels = load_labels(wh, marts)
    kinds = {k for k, _ in labels}
    assert {"measure", "item", "revenue_source", "expenditure_type", "fund_scope", "status", "rule_id"} <= kinds
    missing, checked = [], 0
    for m in marts:
        cols = [r[0] for r in wh.execute(f"describe marts.{m}").fetchall()]
        for col, (kind, how) in label_columns(cols, kinds).items():
            if m == "dim_label":
                continue
            for (v,) in wh.execute(f"select distinct {col} from marts.{m} where {col} is not null").fetchall():
                checked += 1
                if code_label(labels, kind, how, v, 0) is None:
                    missing.append((m, col, v))
    assert missing == [] and checked > 100
    # a real label: the rule of 001's fail, in Chinese
    assert labels[("rule_id", "narrative_yoy_pct")][0].startswith("说明：同比增减额与增减率一致")
    assert labels[("item", "vehicle_purchase")] == ("公务用车购置费", "Official vehicle purchase")
