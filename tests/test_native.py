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
    # every table of pp. 9-21, every printed line of its functional, economic and “三公” tables
    # (tests/fixtures/expected/sh_putuo_czj_2025_dept_budget/tables.json, written from the pages)
    pdf = FIX / "pdf" / "sh_putuo_czj_2025_dept_budget.pdf"
    exp = json.loads((FIX / "expected" / pdf.stem / "tables.json").read_text(encoding="utf-8"))
    res = _tables(pdf)
    assert [t.title for t in res.tables] == [t["title"] for t in exp["tables"]]
    amounts: dict = {}
    for a in res.table_amounts:
        amounts.setdefault((a.table_id, a.row_number), {})[a.column_key] = a.amount
    for t, et in zip(res.tables, exp["tables"]):
        assert (t.table_kind, t.unit, t.page) == (et["kind"], et["unit"], et["page"]), et["title"]
        assert t.bbox
        rows = [r for r in res.table_rows if r.table_id == t.table_id]
        assert all(r.page is not None for r in rows)
        if "figures" in et:
            got = [a.amount for a in res.table_amounts if a.table_id == t.table_id and a.amount is not None]
            assert sorted(got) == sorted(Decimal(x) for x in et["figures"]), et["title"]
            continue
        got = [[r.row_kind, r.code, r.name,
                {k: v for k, v in amounts.get((t.table_id, r.row_number), {}).items() if v is not None}]
               for r in rows]
        assert got == [[k, c, n, {ck: Decimal(v) for ck, v in a.items()}] for k, c, n, a in et["rows"]], et["title"]
    # a table continued across pages is one table; repeated headers are not rows
    fn = next(t for t in res.tables if t.title == "2025年部门一般公共预算支出功能分类预算表")
    rows = [r for r in res.table_rows if r.table_id == fn.table_id]
    assert len(rows) == 20 and {r.page for r in rows} == {15, 16}
    assert all(r.code or r.row_kind == "total" for r in rows)


def _same_golden_as_text(stem, ext):
    exp = json.loads((FIX / "expected" / stem / "tables.json").read_text(encoding="utf-8"))
    got = tables_view(_tables(FIX / "native" / f"{stem}.{ext}"))
    # a PDF does not keep the typed spaces between glyphs (“2023 年” is printed as 2023, a gap, 年):
    # its titles and names are compared without blanks; everything else exactly
    norm = (lambda t: None if t is None else "".join(t.split())) if ext == "pdf" else (lambda t: t)
    assert [norm(t["title"]) for t in got] == [norm(t["title"]) for t in exp]
    for g, e in zip(got, exp):
        for k in ("kind", "entity_code", "unit", "is_empty", "is_duplicate_copy"):
            assert g[k] == e[k], (e["title"], k)
        assert len(g["rows"]) == len(e["rows"]), e["title"]
        for gr, er in zip(g["rows"], e["rows"]):
            assert [gr[0], gr[1], norm(gr[2]), gr[3], gr[4]] == [er[0], er[1], norm(er[2]), er[3], er[4]]
            assert {k: _d(v) for k, v in gr[5].items()} == {k: _d(v) for k, v in er[5].items()}


@pytest.mark.parametrize("stem", ["002_26df1c49268341e3", "003_638e0d246034f851"])
def test_docx_same_golden_as_text(stem):
    _same_golden_as_text(stem, "docx")


@pytest.mark.parametrize("stem", ["002_26df1c49268341e3", "003_638e0d246034f851"])
def test_xlsx_same_golden_as_text(stem):
    _same_golden_as_text(stem, "xlsx")


def test_pdf_rendered_by_libreoffice_same_golden_as_text():
    # text → DOCX → PDF: tests/fixtures/native/003_638e0d246034f851.pdf is the DOCX fixture rendered
    # by LibreOffice 7.4 (scripts/make_native_fixtures.py); every table, row, code and amount of the
    # text golden comes out of it. Its 一般公共预算支出预算表 breaks the row 20805 行政事业单位养老支出
    # across pages 7/8 (regression: the rest 养老支出 became a row of its own)
    _same_golden_as_text("003_638e0d246034f851", "pdf")
    doc = read_native(FIX / "native" / "003_638e0d246034f851.pdf", FIX / "native")
    assert doc.dialect == "pdf" and doc.n_pages > 1


def test_xlsx_single_cell_rows_inside_a_grid():
    # regression: a one-cell row under the title/meta lines (收 入 band) or inside the grid
    # (a long merged 绩效目标 text) is a grid row, not prose that starts a new "table"
    from extractors.native.render import RowEntry, TextEntry
    from extractors.native.xlsx import _sheet_entries

    grid = [["2023 年部门收支预算总表", "", ""], ["单位：万元", "", ""], ["收 入", "", ""],
            ["收入项目", "预算数", "支出功能分类科目"], ["一、一般公共预算拨款收入", "1623.35", "（一）一般公共服务支出"],
            ["推进国家、省、市保交房项目建设交付，组织会议、参观、检查活动", "", ""],
            ["合计", "1623.35", ""], ["注：本表反映部门各项收入、支出预算安排情况。", "", ""]]
    kinds = [(type(e).__name__, e.text if isinstance(e, TextEntry) else e.cells[0][0]) for e in _sheet_entries(grid, "表1")]
    assert kinds == [("TextEntry", "2023 年部门收支预算总表"), ("TextEntry", "单位：万元"), ("RowEntry", "收 入"),
                     ("RowEntry", "收入项目"), ("RowEntry", "一、一般公共预算拨款收入"),
                     ("RowEntry", "推进国家、省、市保交房项目建设交付，组织会议、参观、检查活动"), ("RowEntry", "合计"),
                     ("TextEntry", "注：本表反映部门各项收入、支出预算安排情况。")]
    # a sheet without a multi-cell row (cover, contents, 情况说明) is prose
    assert all(isinstance(e, TextEntry) for e in _sheet_entries([["目 录"], ["第一部分 部门概况"]], "表2"))
    assert isinstance(_sheet_entries(grid, "表1")[2], RowEntry) and _sheet_entries(grid, "表1")[2].table_start


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
