"""Regressions found on the development PDFs (tests/fixtures/pdf): table layouts the parser
misread. One test per bug, on the parser itself (no PDF needed)."""
from __future__ import annotations

from decimal import Decimal

from extractors.blocks import Cell
from extractors.settings import DEFAULT_SETTINGS
from extractors.tables.parse import parse_table


def _grid(rows):
    return [[Cell(t, line_number=k + 1, page=1) for t in r] for k, r in enumerate(rows)]


def _parse(rows, kind):
    return parse_table(_grid(rows), source_file="t.pdf", table_id=1, kind=kind, unit="万元", entity_code=None,
                       settings=DEFAULT_SETTINGS)


def test_side_by_side_economic_table_is_two_column_groups():
    # sh_putuo_ghzy_2024_dept_final.pdf p16: 一般公共预算财政拨款基本支出决算表 prints 人员经费 (301/303)
    # and 公用经费 (302/310) side by side; the two code columns were joined into '301 302' and
    # 10-digit codes 3010130201 (27 classification_in_catalog fails)
    rows, amounts, problems = _parse([
        ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"],
        ["301", "工资福利支出", "4816.14", "302", "商品和服务支出", "440.90"],
        ["30101", "基本工资", "537.64", "30201", "办公费", "84.62"],
        ["303", "对个人和家庭的补助", "67.96", "310", "资本性支出", "39.76"],
        ["30302", "退休费", "67.96", "31002", "办公设备购置", "39.76"],
        ["人员经费合计", "", "4884.09", "公用经费合计", "", "480.66"],
    ], "general_budget_basic_expenditure")
    assert not problems
    assert [r.code for r in rows] == ["301", "30101", "303", "30302", None, "302", "30201", "310", "31002", None]
    assert all(r.code_system == "economic" for r in rows if r.code)
    by_row = {(a.row_number, a.column_key): a.amount for a in amounts}
    assert by_row[(2, "total")] == Decimal("537.64") and by_row[(7, "total")] == Decimal("84.62")
    # each half's printed total is that half's part: 人员经费 / 公用经费, not the table's 合计
    assert by_row[(5, "personnel")] == Decimal("4884.09") and by_row[(10, "public")] == Decimal("480.66")
    assert (5, "total") not in by_row and (10, "total") not in by_row


def test_final_account_budget_and_outcome_column_pairs():
    # sh_putuo_ghzy_2024_dept_final.pdf p17: 财政拨款“三公”经费支出决算表 prints 预算数 | 决算数 under
    # each item; every 预算数 was keyed 'total' and every 决算数 'other', so the 三公 facts were lost
    # and the budget 2.85 was read as the 决算 total
    rows, amounts, _ = _parse([
        ["财政拨款“三公”经费", "", "", "", "", "", "", "", "", "", "", ""],
        ["合计", "", "因公出国（境）费", "", "公务用车购置及运行维护费", "", "", "", "", "", "公务接待费", ""],
        ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行维护费", "", "", ""],
        ["预算数", "决算数"] * 6,
        ["2.85", "0.39", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "2.85", "0.39"],
    ], "three_public_expenditure")
    keys = {a.column_key: a.amount for a in amounts if a.column_key != "budget"}
    assert keys == {"three_public_total": Decimal("0.39"), "overseas_travel": Decimal("0.00"),
                    "vehicle_total": Decimal("0.00"), "vehicle_purchase": Decimal("0.00"),
                    "vehicle_operation": Decimal("0.00"), "official_reception": Decimal("0.39")}
    assert sorted(a.amount for a in amounts if a.column_key == "budget")[-1] == Decimal("2.85")


def test_three_public_subtotal_columns_beside_the_table_total():
    # 省人大办公厅2018预算公开.pdf p15 (and the 江苏省委办公厅 公开表 p11): 合计 | “三公”经费 (小计 |
    # 因公出国 | 公务用车购置及运行维护费 (小计 | 购置费 | 运行维护费) | 公务接待费) | 会议费 | 培训费.
    # Both 小计 columns were keyed 'total' and overwrote the 合计 2542.60 with 183.60
    rows, amounts, _ = _parse([
        ["合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费"],
        ["", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "", ""],
        ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""],
        ["2542.60", "833.60", "222.50", "183.60", "", "183.60", "427.50", "1305.25", "403.75"],
    ], "three_public_expenditure")
    keys = {a.column_key: a.amount for a in amounts if a.amount is not None}
    assert keys == {"total": Decimal("2542.60"), "three_public_total": Decimal("833.60"),
                    "overseas_travel": Decimal("222.50"), "vehicle_total": Decimal("183.60"),
                    "vehicle_operation": Decimal("183.60"), "official_reception": Decimal("427.50"),
                    "meeting": Decimal("1305.25"), "training": Decimal("403.75")}


def test_operating_cost_column_of_a_three_public_table_is_not_its_total():
    # sh_putuo_czj_2025_dept_budget.pdf p21: “三公”经费预算数 (合计 | 因公出国 | 公务接待费 | 公务用车…)
    # | 机关运行经费预算数. The 机关运行经费 229.43 was keyed 'total' and compared with the “三公”
    # 0.95 as the table's grand total (a false three_public_grand_total fail)
    rows, amounts, _ = _parse([
        ["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"],
        ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""],
        ["", "", "", "小计", "购置费", "运行费", ""],
        ["0.95", "", "0.95", "", "", "", "229.43"],
    ], "three_public_expenditure")
    keys = {a.column_key: a.amount for a in amounts if a.amount is not None}
    assert keys == {"three_public_total": Decimal("0.95"), "official_reception": Decimal("0.95"),
                    "operating_cost": Decimal("229.43")}
    # in a 机关运行经费支出表 the same label is the table's own amount column
    rows, amounts, _ = _parse([["科目编码", "科目名称", "机关运行经费支出"], ["合计", "", "1579.38"],
                               ["302", "商品和服务支出", "1579.38"], ["30201", "办公费", "370.00"]],
                              "operating_cost")
    assert {a.column_key for a in amounts} == {"total"}


def test_title_naming_its_classification_is_a_title():
    # 省人大办公厅2018预算公开.pdf p11-14: 财政拨款基本支出预算表（经济科目） was not a title, so the
    # table took the line above it as caption and lost its 单位：万元 (unit None on p13/p14)
    from extractors.tables.classify import classify_title, looks_like_title

    for t, kind in [("财政拨款支出预算表（功能科目）", "general_budget_expenditure"),
                    ("财政拨款基本支出预算表（经济科目）", "general_budget_basic_expenditure"),
                    ("一般公共预算基本支出预算表（经济科目）", "general_budget_basic_expenditure")]:
        assert looks_like_title(t) and classify_title(t) == kind
    assert not looks_like_title("公开06表")


def test_title_printed_inside_the_table_frame_after_its_number():
    # 省人大办公厅2018预算公开.pdf p12: the frame of 财政拨款基本支出预算表（经济科目） holds the cell
    # “公开06表\n财政拨款基本支出预算表（经济科目）”; only the cell's first line was tested for a title,
    # so the table was read as the continuation of the p11 table (its title a data row)
    from pathlib import Path

    from extractors.native import read_native
    from extractors.tables import extract_tables

    pdf = Path(__file__).parent / "fixtures" / "pdf" / "省人大办公厅2018预算公开.pdf"
    res = extract_tables(read_native(pdf, pdf.parent), DEFAULT_SETTINGS)
    got = [(t.page, t.title, t.unit) for t in res.tables if t.page in (8, 11, 12, 13, 14)]
    assert got == [
        # p8: 部门名称：江苏省人大 / 常委会办公厅 wrapped in a narrow box, 单位:万元 printed between
        # the two lines; the continuation line was taken for the title (table 'unknown')
        (8, "收支预算总表", "万元"),
        (11, "财政拨款支出预算表（功能科目）", "万元"),
        (12, "财政拨款基本支出预算表（经济科目）", "万元"),
        (13, "一般公共预算支出预算表（功能科目）", "万元"),
        (14, "一般公共预算基本支出预算表（经济科目）", "万元"),
    ]
    assert not [e for e in res.load_errors if e.stage == "classify"]


def test_prose_of_the_jiangsu_npc_budget():
    # 省人大办公厅2018预算公开.pdf, 情况说明 (pp. 19-26)
    from pathlib import Path

    from extractors.native import read_native
    from extractors.narrative import extract_narrative

    pdf = Path(__file__).parent / "fixtures" / "pdf" / "省人大办公厅2018预算公开.pdf"
    figs = extract_narrative(read_native(pdf, pdf.parent), DEFAULT_SETTINGS).narrative_figures
    by_line = {}
    for f in figs:
        by_line.setdefault(f.line_number, []).append(f)
    # p25: “1．行政事业单位离退休（类）未归口管理的行政单位离退休支出（项） 256.76万元” under the
    # heading “（二）社会保障和就业（类）”: the 款 is printed with the label （类）. It was read as a
    # 类 name, so the three 项 of 20805 (and the two of 22102) became one subject and failed
    # narrative_repeated_figure against each other
    paths = {(f.class_name, f.section_name, f.item_name, f.amount) for ln in (486, 490, 492, 495, 498)
             for f in by_line[ln] if f.measure == "function_item"}
    assert paths == {
        ("社会保障和就业", "行政事业单位离退休", "未归口管理的行政单位离退休支出", Decimal("256.76")),
        ("社会保障和就业", "行政事业单位离退休", "机关事业单位基本养老保险缴费支出", Decimal("580.01")),
        ("社会保障和就业", "行政事业单位离退休", "机关事业单位职业年金缴费支出", Decimal("232.01")),
        ("住房保障支出", "住房改革支出", "住房公积金", Decimal("572.56")),
        ("住房保障支出", "住房改革支出", "提租补贴", Decimal("1549.82")),
    }
    # p20 line 391: “3．其他资金收入预算总计0万元” is the 其他资金 part, not the revenue total 15897.44
    assert [f.measure for f in by_line[391] if f.amount == 0][0] == "revenue_other_funds"
    # p24 line 456: “…2018年财政拨款预算支出15897.44万元，占本年支出合计的100%”
    assert by_line[456][0].measure == "fiscal_appropriation_total"


def test_document_unit_is_the_unit_of_its_main_tables():
    # sh_putuo_czj_2025_dept_budget.pdf: 8 tables in 元, the “三公” table (p21) and the prose in 万元;
    # the document's amount_unit was the prose unit 万元 (marts.dim_budget_entity said 万元)
    from extractors.merge import tables_unit
    from extractors.records import TableRecord

    def t(kind, unit, empty=False):
        return TableRecord(source_file="a.pdf", table_id=1, table_kind=kind, title="", entity_code=None, unit=unit,
                           line_start=1, line_end=2, is_empty=empty)

    assert tables_unit([t("income_expenditure_summary", "元"), t("general_budget_expenditure", "元"),
                        t("three_public_expenditure", "万元"), t("three_public_expenditure", "万元"),
                        t("general_budget_basic_expenditure", "元")]) == "元"
    # without main tables, most tables; without tables (or units), the prose unit stands
    assert tables_unit([t("three_public_expenditure", "万元"), t("gov_fund_expenditure", "元", empty=True)]) == "万元"
    assert tables_unit([t("performance_targets", None)]) is None


def test_row_broken_across_a_page_break():
    # tests/fixtures/native/003_638e0d246034f851.pdf p7/p8 (LibreOffice): 20805 | 行政事业单位 | 127.73 |
    # 127.73 at the foot of p7, | 养老支出 | | | at the head of p8 — one row
    from extractors.native.pdf import _split_row_tail
    from extractors.native.render import RowEntry

    def row(texts, page):
        return RowEntry([(t, None) for t in texts], page)

    prev = row(["20805", "行政事业单位", "127.73", "127.73", ""], 7)
    assert _split_row_tail(prev, [("", None), ("养老支出", None), ("", None), ("", None), ("", None)], 8)
    # a real next row is not a tail: it has a code, or an amount, or the previous row is no coded line
    # (十五、商业服务业等支出 / 十六、金融支出 of a summary continued on the next page, ghzy p12/13)
    assert not _split_row_tail(prev, [("2080505", None), ("机关事业单位基本养老保险缴费支出", None),
                                      ("85.16", None), ("85.16", None), ("", None)], 8)
    assert not _split_row_tail(prev, [("", None), ("养老支出", None), ("1.00", None), ("", None), ("", None)], 8)
    assert not _split_row_tail(row(["十五、商业服务业等支出", "", "", ""], 12),
                               [("十六、金融支出", None), ("", None), ("", None), ("", None)], 13)
    assert not _split_row_tail(prev, [("", None), ("养老支出", None), ("", None), ("", None), ("", None)], 9)
