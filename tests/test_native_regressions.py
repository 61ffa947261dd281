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
