"""Unit, regression and property tests for the table extractor stages."""
from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings as hsettings, strategies as st

from extractors.blocks import Cell, docx_text_items, markdown_items, pdftotext_items
from extractors.errors import ExtractionError
from extractors.read import read_document
from extractors.settings import DEFAULT_SETTINGS
from extractors.tables import extract_tables, segment
from extractors.tables.classify import classify_title
from extractors.tables.parse import normalise_code, parse_amount, parse_table
from extractors.tables.performance import parse_performance_grid, parse_performance_lines, parse_target

RAW = Path(__file__).resolve().parent.parent / "raw"


def _doc(stem):
    return extract_tables(read_document(RAW / f"{stem}.txt", RAW), DEFAULT_SETTINGS)


def test_classify_titles():
    assert classify_title("[bookmark: _Toc_1]部门预算收支总表") == "income_expenditure_summary"
    assert classify_title("2023 年部门财政拨款收支预算总表") == "fiscal_appropriation_summary"
    assert classify_title("单位预算一般公共预算财政拨款基本支出表") == "general_budget_basic_expenditure"
    assert classify_title("2023 部门国有资本经营收支预算表") == "state_capital_expenditure"
    assert classify_title("表3 2024年部门政府采购支出表") == "government_procurement"
    assert classify_title("1、保交办经费绩效目标表") == "performance_targets"
    assert classify_title("某某表格") == "unknown"


def test_amounts_and_codes():
    assert parse_amount("1,623.35") == (Decimal("1623.35"), True)
    assert parse_amount("") == (None, True)
    assert parse_amount("abc") == (None, False)
    assert normalise_code("201 03 01") == "2010301"
    assert normalise_code("行政运行") is None


def test_targets():
    assert parse_target("≥50次") == (">=", Decimal("50"), "次")
    assert parse_target("≤12万元") == ("<=", Decimal("12"), "万元")
    assert parse_target("100百分比") == ("=", Decimal("100"), "%")
    assert parse_target("＝0件") == ("=", Decimal("0"), "件")
    assert parse_target("较好") == (None, None, None)


def test_regression_003_repeated_subtotal_and_repeated_codes():
    res = _doc("003_638e0d246034f851")
    basic = next(t for t in res.tables if t.table_kind == "general_budget_basic_expenditure")
    rows = [r for r in res.table_rows if r.table_id == basic.table_id]
    assert [r.code for r in rows].count("30301") == 3
    assert [r.code for r in rows].count("30102") == 2
    r303 = [r for r in rows if r.code == "303"]
    assert [r.row_kind for r in r303] == ["subtotal", "repeated_subtotal"]
    # the facts (detail rows) add up to the 合计 line: nothing counted twice
    tot = {a.row_number: a.amount for a in res.table_amounts if a.table_id == basic.table_id}
    subtotals = sum(tot[r.row_number] for r in rows if r.row_kind == "subtotal" and len(r.code) == 3)
    total = next(tot[r.row_number] for r in rows if r.row_kind == "total")
    assert subtotals == total == Decimal("1008.35")  # the repeated 303 line is not a second fact


def test_regression_002_two_entities_not_duplicates():
    res = _doc("002_26df1c49268341e3")
    ents = {e.entity_code: e for e in res.entities}
    assert ents["434"].is_primary and ents["434"].scope == "department"
    assert ents["434001"].scope == "unit" and ents["434001"].parent_entity_code == "434"
    basic = [t for t in res.tables if t.table_kind == "general_budget_basic_expenditure"]
    assert [t.entity_code for t in basic] == ["434", "434001"]
    assert not any(t.is_duplicate_copy for t in basic)
    projects = [p for p in res.projects if p.project_name == "保交办经费"]
    assert sorted(p.entity_code for p in projects) == ["434", "434001"]


def test_regression_001_performance_table_printed_twice():
    res = _doc("001_13025beda4217a55")
    perf = [t for t in res.tables if t.table_kind == "performance_targets"]
    assert len(perf) == 2
    assert perf[1].is_duplicate_copy and perf[1].duplicate_of_table_id == perf[0].table_id
    assert len(res.projects) == 1 and res.projects[0].amount == Decimal("255.00")
    assert all(i.table_id == perf[0].table_id for i in res.performance_indicators)


def test_regression_empty_tables_are_present():
    res = _doc("002_26df1c49268341e3")
    gov = [t for t in res.tables if t.table_kind == "gov_fund_expenditure"]
    assert gov and all(t.is_empty and "空表列示" in t.note for t in gov)
    res3 = _doc("003_638e0d246034f851")
    t = next(t for t in res3.tables if t.table_kind == "government_procurement")
    assert t.is_empty and "本表无数据" in t.note


def test_regression_docx_tab_only_line_is_an_empty_cell_not_a_blank():
    items = docx_text_items(["\t序号", "\t合计", "", "\t", "\t科目编码", "", "\t1", "\t", "\t10.00"])
    rows = [it.texts() for it in items if it.is_row]
    assert rows == [["序号", "合计"], ["", "科目编码"], ["1", "", "10.00"]]


def test_regression_header_row_with_unit_is_not_meta():
    res = _doc("002_26df1c49268341e3")
    fa = next(t for t in res.tables if t.table_kind == "fixed_assets")
    keys = {a.column_key for a in res.table_amounts if a.table_id == fa.table_id}
    assert keys == {"quantity", "asset_value"}


def test_regression_row_split_by_stray_blank_line():
    res = _doc("002_26df1c49268341e3")
    ind = next(i for i in res.performance_indicators if i.indicator == "培训人次")
    assert ind.target_text == "≥100人次" and ind.target_value == Decimal("100")


def test_regression_title_right_under_markdown_table():
    items = markdown_items(["a\tb", "项目支出绩效目标表", "c"])
    assert any(not it.is_row and it.text == "项目支出绩效目标表" for it in items)


def test_regression_pdftotext_wrapping_keeps_text():
    res = _doc("004_648995029452fd0f")
    ind = [i for i in res.performance_indicators if i.indicator.startswith("指标 9：经费支出合规性")]
    assert ind[0].target_text == "严格执行相关财经法规"
    cost = [i for i in res.performance_indicators if i.level2 == "成本指标"][0]
    assert (cost.comparator, cost.target_value, cost.target_unit) == ("<=", Decimal("59.62"), "万元")


def test_entity_codes_from_performance_department():
    res = _doc("000_94a51bfa8bc2096e")
    assert {p.entity_code for p in res.projects} == {"003001"}
    assert res.projects[0].department == "淮北市杜集区人民政府办公室"
    res1 = _doc("001_13025beda4217a55")
    assert res1.projects[0].entity_code == "103"


def test_speed_whole_sample_corpus():
    docs = [read_document(p, RAW) for p in sorted(RAW.glob("*.txt"))]
    t0 = time.perf_counter()
    for d in docs:
        extract_tables(d, DEFAULT_SETTINGS)
    assert time.perf_counter() - t0 < 2.0  # 5 documents; 1,000 must take well under a minute


_cell_text = st.text(alphabet=st.sampled_from(list("0123456789.,- \t合计小计科目编码名称项目一二三≥≤%万元表注：单位计量原因")),
                     max_size=12)


@hsettings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_cell_text, max_size=7), max_size=8),
       st.sampled_from(["income_expenditure_summary", "general_budget_expenditure", "unknown", "three_public_expenditure",
                        "government_procurement", "unit_composition"]))
def test_property_parse_table_never_crashes(rows, kind):
    grid = [[Cell(t, i + 1) for t in r] for i, r in enumerate(rows)]
    try:
        out_rows, amounts, problems = parse_table(grid, source_file="x", table_id=1, kind=kind, unit="万元",
                                                  entity_code=None, settings=DEFAULT_SETTINGS)
    except ExtractionError:
        return
    assert all(a.amount is None or isinstance(a.amount, Decimal) for a in amounts)
    assert all(r.text_cells is None or isinstance(json.loads(r.text_cells), dict) for r in out_rows)
    try:
        parse_performance_grid(grid, source_file="x", table_id=1, unit="万元", entity_code=None,
                               title_line=1, title="t")
    except ExtractionError:
        pass


@hsettings(max_examples=150, deadline=None)
@given(st.lists(_cell_text, max_size=30))
def test_property_blocks_and_segment_never_crash(lines):
    for reader in (docx_text_items, markdown_items, pdftotext_items):
        items = reader(lines)
        try:
            segment(items, DEFAULT_SETTINGS)
            parse_performance_lines(items, source_file="x", table_id=1, unit=None, entity_code=None, title="t")
        except ExtractionError:
            pass


_perf_cell = st.one_of(_cell_text, st.sampled_from(["指标 1", "指标 2：甲", "时效", "指标", "质量 指标", "产出指标",
                                                   "满意度指标", "≥95%", "2023 年底前", "可持续", "影响指标"]))


@hsettings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_perf_cell, max_size=11), max_size=10), st.lists(st.booleans(), max_size=10))
def test_property_two_copy_performance_grid_never_crashes(rows, breaks):
    # a 绩效指标 header printing the 三级指标 group twice (mid-term + annual, raw/003) over random rows
    header = ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"]
    grid, line = [[Cell(t, 1) for t in header]], 1
    for k, r in enumerate(rows):
        line += 2 if k < len(breaks) and breaks[k] else 1  # a skipped line = a page break
        grid.append([Cell(t, line) for t in r])
    project, inds, problems = parse_performance_grid(grid, source_file="x", table_id=1, unit="万元",
                                                     entity_code=None, title_line=1, title="t")
    assert all(i.indicator and isinstance(i.target_text, str) for i in inds)
    assert all(i.target_value is None or isinstance(i.target_value, Decimal) for i in inds)
