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


SH_FINAL = PDF / "sh_putuo_ghzy_2024_dept_final.pdf"
_TABLES: dict = {}


def _tables(path: Path):
    from extractors.tables import extract_tables

    if path not in _TABLES:
        _TABLES[path] = extract_tables(_doc(path), DEFAULT_SETTINGS)
    return _TABLES[path]


@pytest.mark.parametrize("title,kind,final", [
    ("财政拨款支出预算表", "general_budget_expenditure", False),
    ("财政拨款基本支出预算表", "general_budget_basic_expenditure", False),
    ("财政拨款支出预算表（功能科目）", "general_budget_expenditure", False),
    ("财政拨款政府性基金支出预算表", "gov_fund_expenditure", False),
    ("收入支出决算总表", "income_expenditure_summary", True),
    ("收入决算表", "revenue_summary", True),
    ("支出决算表", "expenditure_summary", True),
    ("财政拨款收入支出决算总表", "fiscal_appropriation_summary", True),
    ("一般公共预算财政拨款支出决算表", "general_budget_expenditure", True),
    ("一般公共预算财政拨款基本支出决算表", "general_budget_basic_expenditure", True),
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund_expenditure", True),
    ("国有资本经营预算财政拨款支出决算表", "state_capital_expenditure", True),
    ("财政拨款“三公”经费支出决算表", "three_public_expenditure", True),
    ("一般公共预算“三公”经费支出决算表", "three_public_expenditure", True),
    ("2023 年部门收支预算总表", "income_expenditure_summary", False),
    ("一般公共预算支出预算表", "general_budget_expenditure", False),
])
def test_classify_appropriation_and_final_account_titles(title, kind, final):
    from extractors.tables.classify import classify_title, is_final_account_title

    assert (classify_title(title), is_final_account_title(title)) == (kind, final)


def test_shanghai_final_account_tables():
    # regressions: 决算 titles were 'unknown'; a sentence fragment (p6) and a table row
    # (十七、援助其他地区支出, p13) became tables; the 三公 title lost to a header band (p17)
    res = _tables(SH_FINAL)
    got = [(t.page, t.table_kind, t.title) for t in res.tables]
    assert got == [
        (7, "income_expenditure_summary", "收入支出决算总表"),
        (8, "revenue_summary", "收入决算表"),
        (10, "expenditure_summary", "支出决算表"),
        (12, "fiscal_appropriation_summary", "财政拨款收入支出决算总表"),
        (14, "general_budget_expenditure", "一般公共预算财政拨款支出决算表"),
        (16, "general_budget_basic_expenditure", "一般公共预算财政拨款基本支出决算表"),
        (17, "three_public_expenditure", "财政拨款“三公”经费支出决算表"),
        (18, "gov_fund_expenditure", "政府性基金预算财政拨款收入支出决算表"),
        (19, "state_capital_expenditure", "国有资本经营预算财政拨款收入支出决算表"),
    ]
    assert all(t.is_final_account for t in res.tables)
    assert not any(e.stage == "classify" for e in res.load_errors)
    # the 财政拨款收支总表 continued on p13 is one table, its first rows there included
    fa = res.tables[3]
    rows = [r for r in res.table_rows if r.table_id == fa.table_id]
    assert {r.page for r in rows} == {12, 13}
    names = [r.name for r in rows]
    assert "十六、金融支出" in names and "十七、援助其他地区支出" in names


def test_jiangsu_appropriation_tables_classified():
    res = _tables(JS_TABLES)
    kinds = {t.title: t.table_kind for t in res.tables}
    assert kinds["财政拨款支出预算表"] == "general_budget_expenditure"
    assert kinds["财政拨款基本支出预算表"] == "general_budget_basic_expenditure"
    assert "unknown" not in kinds.values()
    assert not any(t.is_final_account for t in res.tables)


def _golden_check(pdf: Path, complete: bool):
    """Compare a PDF's tables with its hand-written golden (tests/fixtures/expected/<stem>/tables.json)."""
    import json
    from decimal import Decimal

    exp = json.loads((PDF.parent / "expected" / pdf.stem / "tables.json").read_text(encoding="utf-8"))
    res = _tables(pdf)
    by_title = {t.title: t for t in res.tables}
    amounts: dict = {}
    for a in res.table_amounts:
        amounts.setdefault((a.table_id, a.row_number), {})[a.column_key] = a.amount
    for et in exp["tables"]:
        t = by_title[et["title"]]
        assert (t.table_kind, t.unit, t.page) == (et["kind"], et["unit"], et["page"]), et["title"]
        rows = [r for r in res.table_rows if r.table_id == t.table_id]
        if "figures" in et:
            got = [a.amount for a in res.table_amounts if a.table_id == t.table_id and a.amount is not None]
            assert sorted(got) == sorted(Decimal(x) for x in et["figures"]), et["title"]
            continue
        got = [[r.row_kind, r.code, r.name,
                {k: v for k, v in amounts.get((t.table_id, r.row_number), {}).items() if v is not None}] for r in rows]
        want = [[k, c, n, {ck: Decimal(v) for ck, v in a.items() if v is not None}] for k, c, n, a in et["rows"]]
        if complete:
            assert got == want, et["title"]
        else:
            for w in want:
                assert w in got, (et["title"], w)


def test_jiangsu_tables_golden():
    # every row of the functional and economic tables, transcribed from the printed pages
    _golden_check(JS_TABLES, complete=True)
    assert len(_tables(JS_TABLES).tables) == 12  # the golden lists every table


JS_NPC = PDF / "省人大办公厅2018预算公开.pdf"


def test_jiangsu_npc_tables_golden():
    # 江苏省人大常委会办公厅 2018 (one file: 情况说明 + 12 公开表): every table of pp. 8-18, every row of
    # the functional, economic, “三公” and 机关运行经费 tables, transcribed from the printed pages
    _golden_check(JS_NPC, complete=True)
    res = _tables(JS_NPC)
    assert len(res.tables) == 12 and not [e for e in res.load_errors if e.stage == "classify"]


def test_shanghai_final_account_golden():
    # 上海市普陀区规划和自然资源局 2024 决算: every table of pp. 7-19 (functional, economic, 三公, summaries)
    _golden_check(SH_FINAL, complete=True)
    assert len(_tables(SH_FINAL).tables) == 9  # the golden lists every table
