"""Regressions: text columns of a table (采购物品名称, 计量单位, 变化原因 …) were joined into the
row name ('拟购置固定资产 家具 个', '合计 无增减变化' read as a detail line).  They are now the
row's ``text_cells`` (JSON {printed column label: text}); the name is the row's own label."""
from __future__ import annotations

import json
from decimal import Decimal

from extractors.blocks import Cell, docx_text_items
from extractors.settings import DEFAULT_SETTINGS
from extractors.tables.parse import parse_table


def _parse_docx(lines: list[str], kind: str):
    rows = [it.cells for it in docx_text_items(lines) if it.is_row]
    out_rows, amounts, problems = parse_table(rows, source_file="x", table_id=1, kind=kind, unit="万元",
                                              entity_code=None, settings=DEFAULT_SETTINGS)
    by_row: dict[int, dict] = {}
    for a in amounts:
        by_row.setdefault(a.row_number, {})[a.column_label] = a.amount
    return [(r.row_kind, r.name, json.loads(r.text_cells) if r.text_cells else {}, by_row.get(r.row_number, {}))
            for r in out_rows]


def _cells(*texts: str) -> list[str]:
    return ["\t" + t for t in texts] + [""]


def test_regression_procurement_item_and_unit_are_not_part_of_the_name():
    # raw/002_26df1c49268341e3.txt lines 3673-3744 (部门政府采购预算), DOCX text: a cell per line
    lines = (_cells("政府采购项目来源", "采购物品名称", "政府采购目录序号", "计量  单位", "数量", "单价",
                    "政府采购金额（当年部门预算安排资金）", "2025年  预留中  小微企  业份额")
             + _cells("项目名称", "预算    资金", "", "", "", "", "", "合计", "一般公共预算拨款", "基金预算拨款",
                      "国有资本经营预算拨款", "财政专户核拨", "单位    资金", "上年结转结余", "")
             + _cells("保定市莲池区人民政府办公室本级小计", "", "", "", "", "", "", "1.9", "1.9", "", "", "", "", "", "")
             + _cells("拟购置固定资产", "1.6", "家具", "", "个", "8", "0.2", "", "", "", "", "", "", "", ""))
    got = _parse_docx(lines, "government_procurement")
    assert [(k, n, t) for k, n, t, _ in got] == [
        ("subtotal", "保定市莲池区人民政府办公室本级小计", {}),
        ("detail", "拟购置固定资产", {"采购物品名称": "家具", "计量单位": "个"})]
    item = got[1][3]
    assert item["政府采购项目来源/预算资金"] == Decimal("1.6")
    assert (item["数量"], item["单价"]) == (Decimal("8"), Decimal("0.2"))
    # 政府采购目录序号 is a text column even though it is blank in every row: not an amount
    assert "政府采购目录序号" not in item and "政府采购目录序号" not in got[0][3]


def test_regression_reason_column_kept_apart_and_total_line_is_a_total():
    # raw/002 lines 1740-1774 (“三公”经费预算情况及增减变化原因): '合计 无增减变化' was a detail line
    lines = (_cells("项目名称", "2024年度预算", "2025年度预算", "增减金额", "变化原因")
             + _cells("公务用车运行经费", "18", "18", "0", "无增减变化")
             + _cells("合计", "21", "21", "0", "无增减变化"))
    got = _parse_docx(lines, "three_public_comparison")
    assert [(k, n, t) for k, n, t, _ in got] == [
        ("detail", "公务用车运行经费", {"变化原因": "无增减变化"}),
        ("total", "合计", {"变化原因": "无增减变化"})]
    assert got[1][3] == {"2024年度预算": Decimal("21"), "2025年度预算": Decimal("21"), "增减金额": Decimal("0")}


def test_unlabelled_word_column_stays_part_of_the_row_label():
    # a second, unlabelled label column (Jiangsu 2018 收入预算总表: 一般公共预算资金 | 小计) is the
    # row's label, not a text attribute
    grid = [[Cell("项目", 1), Cell("", 1), Cell("金额", 1)],
            [Cell("一般公共预算资金", 2), Cell("小计", 2), Cell("24458.43", 2)],
            [Cell("", 3), Cell("公共财政拨款(补助)资金", 3), Cell("24458.43", 3)]]
    rows, amounts, problems = parse_table(grid, source_file="x", table_id=1, kind="revenue_summary", unit="万元",
                                          entity_code=None, settings=DEFAULT_SETTINGS)
    assert [(r.row_kind, r.name, r.text_cells) for r in rows] == [
        ("subtotal", "一般公共预算资金 小计", None), ("detail", "公共财政拨款(补助)资金", None)]


def test_regression_words_only_table_rows_are_read_not_empty():
    # raw/002 lines 1702-1717 (部门机构设置情况): no number or code in any row, so the table was
    # recorded as empty although it prints two units
    lines = (_cells("单位名称", "单位性质", "单位规格", "经费保障形式")
             + _cells("保定市莲池区人民政府办公室本级", "行政", "正科级", "财政拨款")
             + _cells("[bookmark: _Toc_3_3_0000000011]保定市莲池区机关会计结算中心", "事业", "副科级", "财政拨款"))
    got = _parse_docx(lines, "unit_composition")
    assert got == [
        ("detail", "保定市莲池区人民政府办公室本级", {"单位性质": "行政", "单位规格": "正科级", "经费保障形式": "财政拨款"}, {}),
        ("detail", "保定市莲池区机关会计结算中心", {"单位性质": "事业", "单位规格": "副科级", "经费保障形式": "财政拨款"}, {})]
    # only the kinds of words-only tables read this way: a budget table without numbers stays empty
    assert _parse_docx(lines, "government_procurement") == []
