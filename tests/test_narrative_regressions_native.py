"""Narrative stage on native (PDF / DOCX / XLSX) input: table rows are not prose."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extractors.native import read_native
from extractors.narrative import extract_narrative
from extractors.narrative.sentences import paragraphs, prose_mask, table_lines_of
from extractors.read import read_document
from extractors.settings import DEFAULT_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
NATIVE = ROOT / "tests" / "fixtures" / "native"


def _key(f):
    return (f.measure, f.subject, f.amount, f.entity_code)


@pytest.mark.parametrize("ext", ["docx", "xlsx", "pdf"])
def test_native_table_rows_are_not_prose(ext):
    # regression: for the pdf/docx/xlsx dialects the prose filter read tab-separated table
    # rows as prose (003: 办公费 15 万元 … from the 项目支出表 cells became narrative figures)
    path = {"pdf": ROOT / "tests" / "fixtures" / "pdf" / "sh_putuo_czj_2025_dept_budget.pdf"}.get(
        ext, NATIVE / f"003_638e0d246034f851.{ext}")
    doc = read_native(path, path.parent)
    rows = table_lines_of(doc)
    assert rows
    res = extract_narrative(doc, DEFAULT_SETTINGS)
    assert res.narrative_figures
    for f in res.narrative_figures:
        assert f.line_number not in rows, f
    for p in paragraphs(doc.lines, doc.dialect, table_lines=rows):
        assert not set(p.lines) & rows


def test_native_mask_without_items_skips_tab_rows():
    lines = ["一般公共预算支出 100 万元。", "30201\t办公费\t15", "合计\t\t15", "结束。"]
    for dialect in ("pdf", "docx", "xlsx"):
        assert prose_mask(lines, dialect) == [True, False, False, True]
    assert prose_mask(lines, "pdf", table_lines={3}) == [True, True, False, True]  # the items decide when given
    assert prose_mask(lines, "docx", table_lines={2, 3}) == [True, False, False, True]


@pytest.mark.parametrize("ext", ["docx", "xlsx"])
def test_native_narrative_same_as_text_002(ext):
    # the DOCX/XLSX made from raw/002 give the same prose figures and 比上年 changes as the text
    stem = "002_26df1c49268341e3"
    text = extract_narrative(read_document(ROOT / "raw" / f"{stem}.txt", ROOT / "raw"), DEFAULT_SETTINGS)
    nat = extract_narrative(read_native(NATIVE / f"{stem}.{ext}", NATIVE), DEFAULT_SETTINGS)
    assert Counter(map(_key, nat.narrative_figures)) == Counter(map(_key, text.narrative_figures))
    assert Counter((y.subject, y.change_amount) for y in nat.yoy_changes) == \
        Counter((y.subject, y.change_amount) for y in text.yoy_changes)
