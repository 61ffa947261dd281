"""Narrative stage on native (PDF / DOCX / XLSX) input: table rows are not prose."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
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


# --- development PDFs (tests/fixtures/pdf): misreads of the prose, one test per bug --------------

from extractors.narrative.figures import SentenceContext, parse_sentence  # noqa: E402
from extractors.narrative.sentences import Sentence  # noqa: E402


def _figs(text, year=2025, class_heading=None):
    ctx = SentenceContext("t.pdf", year, None, "万元", None, [], class_heading)
    return parse_sentence(Sentence(text, 1, "说明"), ctx)


def test_fund_appropriation_expenditures_are_not_the_total():
    # sh_putuo_czj_2025 p7 line 70 (and p8 line 98): 政府性基金拨款支出预算0万元 / 国有资本经营预算
    # 拨款支出预算0万元 were read as expenditure_total 0.00 (8 fails), 一般公共预算拨款支出预算 too
    figs, _ = _figs("财政拨款支出预算中，一般公共预算拨款支出预算3,121.42万元，比2024年预算增加107.62万元；"
                    "政府性基金拨款支出预算0万元，与2024年预算持平；国有资本经营预算拨款支出预算0万元，与2024年预算持平。")
    assert [(f.measure, str(f.amount)) for f in figs] == [
        ("general_budget_expenditure", "3121.42"), ("gov_fund_expenditure", "0"),
        ("state_capital_expenditure", "0")]


def test_change_after_compared_with_clause_is_a_yoy_change():
    # sh_putuo_ghzy_2024 p20 line 345/357, p21 line 364: 与2023年度相比，收入支出总计增加1062.85万元
    # was read as expenditure_total 1062.85 and 1193.20 as expenditure_total / general budget
    figs, yoys = _figs("与2023年度相比，收入支出总计增加1062.85万元，增长12.08%。", 2024)
    assert figs == [] and [(y.change_amount, y.prior_year) for y in yoys] == [(Decimal("1062.85"), 2023)]
    figs, yoys = _figs("与2023年度相比，一般公共预算财政拨款支出增加1193.20万元，增长13.95。", 2024)
    assert figs == [] and yoys[0].change_amount == Decimal("1193.20")


def test_initial_budget_is_not_the_final_figure():
    # sh_putuo_ghzy_2024 p25 line 453: “三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元 —
    # the budget 2.85 was read as the 三公 total (three_public_subtotal fail 2.85 vs 0.39)
    figs, _ = _figs("“三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%。", 2024)
    assert [(f.measure, str(f.amount)) for f in figs] == [("initial_budget", "2.85"), ("three_public_total", "0.39")]
    figs, _ = _figs("一般公共预算财政拨款支出年初预算为10210.34万元，支出决算为9746.50万元。", 2024)
    assert [f.measure for f in figs] == ["initial_budget", "general_budget_expenditure"]


def test_reserve_part_and_total_labels():
    # Jiangsu 2018 文件 p7 line 112/122: 单位预留机动经费1973.86万元 is the third part of 支出预算
    # (基本 + 项目 + 预留机动 = 24458.43); sh_putuo_ghzy p20 line 344/356: 收入支出总计 /
    # 财政拨款收入支出总计 are the 收支 totals
    figs, _ = _figs("单位预留机动经费1973.86万元，占8.07%。", 2018)
    assert figs[0].measure == "reserve"
    figs, _ = _figs("上海市普陀区规划和自然资源局2024年度收入支出总计9859.38万元。", 2024)
    assert figs[0].measure == "total_budget"
    figs, _ = _figs("上海市普陀区规划和自然资源局2024年度财政拨款收入支出总计9746.50万元。", 2024)
    assert figs[0].measure == "fiscal_appropriation_total"


def test_class_printed_on_heading_line_above_items():
    # Jiangsu 2018 文件 p8 line 134-135: （一）一般公共服务（类） then 1．党委办公厅（室）及相关机构事务（款）
    # 行政运行（项）支出8072.29万元 — the 类 was missing (7 name_path_unresolved issues)
    figs, yoys = _figs("1．党委办公厅（室）及相关机构事务（款）行政运行（项）支出8072.29万元，与上年相比增加1965.30万元，"
                       "增长32.18%。", 2018, class_heading="一般公共服务")
    assert (figs[0].class_name, figs[0].section_name, figs[0].item_name) == (
        "一般公共服务", "党委办公厅（室）及相关机构事务", "行政运行")
    # …and the change after 与上年相比 belongs to that figure
    assert yoys[0].measure == "function_item" and yoys[0].change_amount == Decimal("1965.30")


def test_class_heading_read_from_document():
    path = ROOT / "tests" / "fixtures" / "pdf" / "江苏省委办公厅2018年度部门预算公开文件.pdf"
    doc = read_native(path, path.parent)
    figs = {f.line_number: f for f in extract_narrative(doc, DEFAULT_SETTINGS).narrative_figures
            if f.measure == "function_item"}
    assert figs[135].class_name == "一般公共服务" and figs[154].class_name == "住房保障支出"


def test_zhejiang_current_year_general_budget_appropriation_is_the_expenditure():
    # 浙江 budgets (杭州 C033 p5, 湖州 C068 p8, C070 p8) head the 一般公共预算支出表's section with
    # “2026年一般公共预算当年拨款X万元” and go on with its 类 structure; 国家信访局 (C036 p20) prints
    # 一般公共预算当年财政拨款: read as the 一般公共预算 revenue, the expenditure measure had no figure
    figs, _ = _figs("2026年一般公共预算当年拨款5,753.07万元，比上年执行数增加13.59万元，增长0.2%。", 2026)
    assert [(f.measure, str(f.amount)) for f in figs] == [("general_budget_expenditure", "5753.07")]
    figs, _ = _figs("国家信访局2026年一般公共预算当年财政拨款16,474.82万元。", 2026)
    assert [f.measure for f in figs] == ["general_budget_expenditure"]
    # the revenue line of the same words stays the revenue (湖州 C068 p7)
    figs, _ = _figs("收入包括：一般公共预算当年拨款收入37018.75万元、政府性基金当年拨款收入27600.00万元。", 2026)
    assert [f.measure for f in figs] == ["revenue_general_budget", "revenue_gov_fund"]


def test_a_budgets_initial_figure_under_a_heading_is_the_headings_measure():
    # 重庆市气象局 2026 (C023 p1): “(一)收入预算:2026年年初预算数14,770.62万元” — a budget's own
    # total under the heading before the colon; read as initial_budget (a 决算's comparison), the
    # document had no revenue or expenditure total from its prose
    figs, _ = _figs("(一)收入预算:2026年年初预算数14,770.62万元,其中:一般公共预算拨款12,672.73万元。", 2026)
    assert [(f.measure, str(f.amount)) for f in figs] == [
        ("revenue_total", "14770.62"), ("revenue_general_budget", "12672.73")]
    figs, _ = _figs("(二)支出预算:2026年年初预算数14,770.62万元,其中:农林水支出579.80万元。", 2026)
    assert figs[0].measure == "expenditure_total"
    # a 决算's 年初预算 beside its outcome stays the budget compared with
    figs, _ = _figs("(一)收入决算:年初预算数100.00万元,决算数98.00万元。", 2025)
    assert figs[0].measure == "initial_budget"
