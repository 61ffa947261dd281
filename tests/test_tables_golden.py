"""Golden tests: extractor output vs hand-checked expectations in tests/fixtures/expected/.

tables.json  — every table of the document (kind, title, entity, unit, empty/duplicate flags)
               and every parsed row: [row_kind, code, name, side, {column_key: amount}] (amounts
               as printed strings, compared as Decimal; null = blank cell); ``row_texts`` (only
               for a table with text columns): per row, its other text cells {column label: text}.
performance.json — every project from a 绩效目标表 and every indicator line.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.read import read_document
from extractors.settings import DEFAULT_SETTINGS
from extractors.tables import extract_tables

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"


def _extract(stem: str):
    doc = read_document(RAW / f"{stem}.txt", RAW)
    return extract_tables(doc, DEFAULT_SETTINGS)


def _d(v):
    return None if v is None else Decimal(v)


def tables_view(res) -> list[dict]:
    amounts: dict[tuple, list] = {}
    for a in res.table_amounts:
        amounts.setdefault((a.table_id, a.row_number), []).append(a)
    rows: dict[int, list] = {}
    texts: dict[int, list] = {}
    for r in res.table_rows:
        texts.setdefault(r.table_id, []).append(json.loads(r.text_cells) if r.text_cells else {})
        amts = {}
        side = None
        for a in amounts.get((r.table_id, r.row_number), []):
            side = a.side
            key = a.column_key if a.column_key != "other" else f"other:{a.column_label}"
            # two columns with the same key (政府采购表) keep their print order
            while key in amts:
                key += "'"
            amts[key] = None if a.amount is None else str(a.amount)
        rows.setdefault(r.table_id, []).append(
            [r.row_kind, r.code, r.name, side, r.entity_code, amts])
    out = []
    for t in res.tables:
        out.append({"table_id": t.table_id, "kind": t.table_kind, "title": t.title,
                    "entity_code": t.entity_code, "unit": t.unit, "is_empty": t.is_empty,
                    "note": t.note, "is_duplicate_copy": t.is_duplicate_copy,
                    "duplicate_of_table_id": t.duplicate_of_table_id, "rows": rows.get(t.table_id, [])})
        if any(texts.get(t.table_id, [])):
            out[-1]["row_texts"] = texts[t.table_id]
    return out


def performance_view(res) -> dict:
    return {
        "projects": [{"project_name": p.project_name, "amount": None if p.amount is None else str(p.amount),
                      "unit": p.unit, "entity_code": p.entity_code, "project_code": p.project_code,
                      "period": p.period, "implementing_unit": p.implementing_unit,
                      "department": p.department, "table_id": p.table_id}
                     for p in res.projects if p.source_kind == "performance_table"],
        "indicators": [[i.table_id, i.level1, i.level2, i.indicator, i.target_text, i.comparator,
                        None if i.target_value is None else str(i.target_value), i.target_unit]
                       for i in res.performance_indicators],
    }


def _compare_amounts(got, exp):
    assert set(got) == set(exp)
    for k in exp:
        assert _d(got[k]) == _d(exp[k]), k


@pytest.mark.parametrize("stem", ["002_26df1c49268341e3", "003_638e0d246034f851"])
def test_tables_golden(stem):
    exp = json.loads((EXPECTED / stem / "tables.json").read_text(encoding="utf-8"))
    got = tables_view(_extract(stem))
    assert [t["title"] for t in got] == [t["title"] for t in exp]
    for g, e in zip(got, exp):
        for k in ("table_id", "kind", "entity_code", "unit", "is_empty", "note", "is_duplicate_copy",
                  "duplicate_of_table_id"):
            assert g[k] == e[k], (e["title"], k)
        assert len(g["rows"]) == len(e["rows"]), e["title"]
        for gr, er in zip(g["rows"], e["rows"]):
            assert gr[:5] == er[:5], (e["title"], er)
            _compare_amounts(gr[5], er[5])
        assert g.get("row_texts") == e.get("row_texts"), e["title"]


@pytest.mark.parametrize("stem", ["000_94a51bfa8bc2096e", "001_13025beda4217a55", "002_26df1c49268341e3",
                                  "003_638e0d246034f851", "004_648995029452fd0f"])
def test_performance_golden(stem):
    exp = json.loads((EXPECTED / stem / "performance.json").read_text(encoding="utf-8"))
    got = performance_view(_extract(stem))
    assert len(got["projects"]) == len(exp["projects"])
    for g, e in zip(got["projects"], exp["projects"]):
        assert _d(g.pop("amount")) == _d(e["amount"])
        assert g == {k: v for k, v in e.items() if k != "amount"}
    known_bad = {tuple(x) for x in exp.get("known_gaps", [])}
    assert len(got["indicators"]) == len(exp["indicators"])
    for g, e in zip(got["indicators"], exp["indicators"]):
        if (e[0], e[3]) in known_bad:
            continue
        assert g[:6] == e[:6] and _d(g[6]) == _d(e[6]) and g[7] == e[7], e
