"""Native PDFs of the dev corpus (copies in tests/fixtures/pdf/): metadata of a two-file
disclosure (Jiangsu), table kinds of budget and 决算 tables, goldens read from the pages."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors.native import read_native
from extractors.narrative import extract_metadata
from extractors.narrative.metadata import canonical_entity_name, document_group
from extractors.settings import DEFAULT_SETTINGS

PDF = Path(__file__).resolve().parent / "fixtures" / "pdf"
JS_TEXT = PDF / "江苏省委办公厅2018年度部门预算公开文件.pdf"
JS_TABLES = PDF / "江苏省委办公厅2018年度部门预算公开表.pdf"

_DOCS: dict = {}


def _doc(path: Path):
    if path not in _DOCS:
        _DOCS[path] = read_native(path, path.parent)
    return _DOCS[path]


def test_canonical_entity_name_rule():
    assert canonical_entity_name("中共江苏省委办公厅") == "江苏省委办公厅"
    assert canonical_entity_name("中国共产党江苏省委员会办公厅") == "江苏省委员会办公厅"
    assert canonical_entity_name("江苏省委办公厅") == "江苏省委办公厅"
    assert canonical_entity_name("淮北市 杜集区人民政府办公室") == "淮北市杜集区人民政府办公室"
    assert canonical_entity_name(None) is None
    assert document_group("中共江苏省委办公厅", 2018, "部门预算") == document_group("江苏省委办公厅", 2018, "部门预算") \
        == "江苏省委办公厅|2018|部门预算"
    assert document_group("江苏省委办公厅", None, "部门预算") is None


def test_jiangsu_two_files_one_disclosure():
    # regression: the 公开表 file (cover line 部门:中共江苏省委办公厅) had no entity name
    metas = [extract_metadata(_doc(p), DEFAULT_SETTINGS) for p in (JS_TEXT, JS_TABLES)]
    for m in metas:
        assert (m.entity_name, m.fiscal_year, m.budget_kind, m.province) == ("江苏省委办公厅", 2018, "部门预算", "江苏省")
        assert m.document_group == "江苏省委办公厅|2018|部门预算"
        assert m.n_pages in (13, 15)
    assert metas[0].source_file != metas[1].source_file
