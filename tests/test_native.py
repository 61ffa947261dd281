"""Native readers (extractors.native): PDF / DOCX / XLSX into the shared table stages."""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.errors import ExtractionError
from extractors.native import read_native
from extractors.settings import DEFAULT_SETTINGS
from extractors.tables import extract_tables

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(Path(__file__).parent))
from test_tables_golden import tables_view  # noqa: E402

_CACHE: dict = {}


def _tables(path: Path):
    if path not in _CACHE:
        _CACHE[path] = extract_tables(read_native(path, path.parent), DEFAULT_SETTINGS)
    return _CACHE[path]


def _d(v):
    return None if v is None else Decimal(v)


def test_pdf_shanghai_2025_golden():
    pdf = FIX / "pdf" / "sh_putuo_czj_2025_dept_budget.pdf"
    exp = json.loads((FIX / "expected" / pdf.stem / "tables.json").read_text(encoding="utf-8"))
    res = _tables(pdf)
    assert len(res.tables) == 9
    by_title = {t.title: t for t in res.tables}
    amounts: dict = {}
    for a in res.table_amounts:
        amounts.setdefault((a.table_id, a.row_number), {})[a.column_key] = a.amount
    for et in exp["tables"]:
        t = by_title[et["title"]]
        assert (t.table_kind, t.unit, t.page) == (et["kind"], et["unit"], et["page"])
        assert t.bbox
        rows = [r for r in res.table_rows if r.table_id == t.table_id]
        if "figures" in et:
            got = [a.amount for a in res.table_amounts if a.table_id == t.table_id and a.amount is not None]
            assert sorted(got) == sorted(Decimal(x) for x in et["figures"])
            continue
        got = {(r.code or r.name): r for r in rows}
        for kind, code, name, amts in et["rows"]:
            r = got[code or name]
            assert (r.row_kind, r.name) == (kind, name)
            assert r.page is not None
            g = amounts[(t.table_id, r.row_number)]
            assert {k: g.get(k) for k in amts} == {k: _d(v) for k, v in amts.items()}, (code, name)
    # a table continued across pages is one table; repeated headers are not rows
    fn = by_title["2025年部门一般公共预算支出功能分类预算表"]
    rows = [r for r in res.table_rows if r.table_id == fn.table_id]
    assert len(rows) == 20 and {r.page for r in rows} == {15, 16}
    assert all(r.code or r.row_kind == "total" for r in rows)


@pytest.mark.parametrize("stem", ["002_26df1c49268341e3", "003_638e0d246034f851"])
def test_docx_same_golden_as_text(stem):
    exp = json.loads((FIX / "expected" / stem / "tables.json").read_text(encoding="utf-8"))
    got = tables_view(_tables(FIX / "native" / f"{stem}.docx"))
    assert [t["title"] for t in got] == [t["title"] for t in exp]
    for g, e in zip(got, exp):
        for k in ("kind", "entity_code", "unit", "is_empty", "is_duplicate_copy"):
            assert g[k] == e[k], (e["title"], k)
        assert len(g["rows"]) == len(e["rows"]), e["title"]
        for gr, er in zip(g["rows"], e["rows"]):
            assert gr[:5] == er[:5]
            assert {k: _d(v) for k, v in gr[5].items()} == {k: _d(v) for k, v in er[5].items()}


def test_bad_pdfs(tmp_path):
    good = (FIX / "pdf" / "sh_putuo_czj_2025_dept_budget.pdf").read_bytes()
    cases = {"empty.pdf": b"", "notpdf.pdf": b"hello world", "truncated.pdf": good[:2000]}
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(ExtractionError) as ei:
            read_native(p, tmp_path)
        assert ei.value.stage == "read" and ei.value.source_file == name


def test_scanned_pdf_reported(tmp_path):
    # a page with no text layer (only a drawn rectangle): reported as a scan, not parsed
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
           b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n"
           b"4 0 obj<</Length 22>>stream\n10 10 100 100 re f\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    p = tmp_path / "scan.pdf"
    p.write_bytes(pdf)
    with pytest.raises(ExtractionError, match="no text layer"):
        read_native(p, tmp_path)


def test_pipeline_keeps_going(tmp_path):
    from extractors.pipeline import extract_document

    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4 broken")
    res = extract_document(p, tmp_path)
    assert res.document is None and res.load_errors and res.load_errors[0].stage == "read"
