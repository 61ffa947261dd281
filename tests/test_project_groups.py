"""Group lines of project lists (extractors.tables.groups), on lists printed in the corpus: the
lines that add up the lines under them are not projects (they counted every figure two or three
times in fct_project)."""
from __future__ import annotations

import json
from decimal import Decimal

from extractors.tables.groups import Figures, group_lines


def _f(*amounts: str) -> Figures:
    return Figures(tuple(Decimal(a) for a in amounts),
                   tuple(Decimal("0.005") if "." in a else Decimal("0.5") for a in amounts))


def test_type_and_first_level_lines_under_a_units_line():
    # 西安市财政局 部门综合预算专项业务经费支出表 (C050 p38, 元): under 116001 西安市财政局
    # 190,709,936.00 the 通用项目 / 专用项目 lines, their 一级项目 and the 二级项目 under those
    names = ["通用项目", "购买服务（审计、绩效、ppp项目评价）", "财政检查", "绩效管理", "委托咨询业务", "财政委托业务",
             "法律咨询服务", "政策性考试考务项目", "会计类考试考务", "专用项目", "专用项目'",
             "2026年政策性农业保险市级补贴资金", "市级储备粮油费用补贴", "财政事务", "财政管理",
             "市级重要商品储备补贴资金", "市级重要商品储备补贴资金'"]
    amounts = ["18640800.00", "5007700.00", "1887000.00", "3120700.00", "2797400.00", "2519900.00",
               "277500.00", "10835700.00", "10835700.00", "172069136.00", "105240000.00", "66000000.00",
               "39240000.00", "1909136.00", "1909136.00", "64920000.00", "64920000.00"]
    g = group_lines([_f(a) for a in amounts], _f("190709936.00"))
    assert g is not None
    assert sorted(names[k] for k in g.heads) == sorted(
        ["通用项目", "购买服务（审计、绩效、ppp项目评价）", "委托咨询业务", "政策性考试考务项目", "专用项目", "专用项目'",
         "财政事务", "市级重要商品储备补贴资金"])
    projects = [names[k] for k in range(len(names)) if k not in g.heads]
    assert projects == ["财政检查", "绩效管理", "财政委托业务", "法律咨询服务", "会计类考试考务",
                        "2026年政策性农业保险市级补贴资金", "市级储备粮油费用补贴", "财政管理",
                        "市级重要商品储备补贴资金'"]
    assert sum(Decimal(amounts[k]) for k in range(len(names)) if k not in g.heads) == Decimal("190709936.00")
    assert g.parent[2] == 1 and g.parent[1] == 0 and 0 not in g.parent  # 财政检查 → 购买服务 → 通用项目


def test_a_list_printing_no_total_adds_up_to_its_first_line():
    # 长春市信访局 项目支出表（预算表9） (C065 p14): 类型 | 一级项目 | 二级项目 columns, no 合计:
    # 部门特定目标类项目 474.56 over 综合管理 474.56 over the four 二级项目 (each line: 合计, 一般公共预算)
    lines = [_f("474.56", "474.56"), _f("474.56", "474.56"), _f("30.00", "30.00"), _f("116.00", "116.00"),
             _f("312.00", "312.00"), _f("16.56", "16.56")]
    g = group_lines(lines, None)
    assert g is not None and g.heads == {0, 1}
    assert g.parent == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}


def test_a_list_that_adds_up_as_printed_has_no_group_lines():
    # 广州 C027 p21's 广州市统计局 lines alone against their unit's figure: every line a project
    lines = [_f(a) for a in ("86.37", "100.00", "50.00", "195.19", "15.00", "5.35", "534.72", "76.30", "12.12")]
    assert group_lines(lines, _f("1075.05")) is None
    # and, with the unit lines, against the table's 合计 1,082.05: the two units' lines group
    g = group_lines([_f("1075.05")] + lines + [_f("7.00"), _f("7.00")], _f("1082.05"))
    assert g is not None and g.heads == {0, 10}


def test_two_ways_to_add_up_leave_the_list_as_printed():
    # 15 over 15 beside 15, or 15 beside 15 over 15: the print does not say which
    assert group_lines([_f("15.00"), _f("15.00"), _f("15.00")], _f("30.00")) is None
    # one way only: 30 over 10 + 20, and 30 beside it
    assert group_lines([_f("30.00"), _f("10.00"), _f("20.00"), _f("30.00")], _f("60.00")).heads == {0}
    # nor does a list that adds up no way
    assert group_lines([_f("30.00"), _f("10.00"), _f("20.00")], _f("55.00")) is None


# ---- the project lists as printed, through parse_table and the extraction

from extractors.blocks import Cell  # noqa: E402
from extractors.settings import DEFAULT_SETTINGS  # noqa: E402
from extractors.tables.parse import is_column_number_row, parse_table  # noqa: E402


def _parse(rows):
    grid = [[Cell(t, line_number=k + 1, page=1) for t in r] for k, r in enumerate(rows)]
    return parse_table(grid, source_file="t.pdf", table_id=1, kind="project_expenditure", unit="万元",
                       entity_code=None, settings=DEFAULT_SETTINGS)


def test_a_row_of_star_marks_under_the_header_is_not_header_words():
    # 西安市安全生产监督管理局 2019 表10 (C056 p25): ** | ** | ** | ** under 单位编码 | 单位（项目）名称 |
    # 项目金额 | 项目简介 made the 单位编码 column an amount column (单位编码/**: 125 read as 125 万元),
    # and no line added up
    assert is_column_number_row(["**", "**", "**", "**"])
    assert not is_column_number_row(["**", "单位名称"])
    rows, amounts, _ = _parse([
        ["单位编码", "单位（项目）名称", "项目金额", "项目简介"],
        ["**", "**", "**", "**"],
        ["", "合计", "1,620.98", ""],
        ["125", "西安市安全生产监督管理局", "1,620.98", ""],
        ["125001", "西安市安全生产监督管理局", "1,008.45", ""],
        ["", "安全生产业务费", "642.50", "根据《安全生产法》……"],
        ["", "安全生产设备购置经费", "75.15", "安全生产监督管理既是……"],
        ["", "驻局纪检组专项经费", "5.00", ""],
        ["", "安全生产铁路道口专项经费", "20.00", ""],
        ["", "安全生产考核表彰专项经费", "215.80", ""],
        ["", "安全生产月活动", "50.00", ""],
        ["125002", "西安市安全生产宣传教育中心", "185.20", ""],
        ["", "安全生产执法宣传经费", "15.00", ""],
        ["", "安全生产考核经费", "170.20", ""],
        ["125003", "西安市安全生产执法监察支队", "279.16", ""],
        ["", "安全生产执法监察业务经费", "250.00", ""],
        ["", "安全生产执法监察设备购置费", "29.16", ""],
        ["125004", "西安市安全生产应急救援中心", "148.17", ""],
        ["", "安全生产应急救援平台运行维护费", "35.00", ""],
        ["", "安全生产应急救援业务经费", "40.00", ""],
        ["", "安全生产应急救援演练专项经费", "30.00", ""],
        ["", "应急救援设备购置", "43.17", ""],
    ])
    assert not [a for a in amounts if a.amount_raw in ("125", "125001")]
    projects = [r.name for r in rows if r.row_kind == "detail"]
    assert len(projects) == 14 and projects[0] == "安全生产业务费" and projects[-1] == "应急救援设备购置"
    assert {r.name for r in rows if r.row_kind == "subtotal"} == {
        "西安市安全生产监督管理局", "西安市安全生产宣传教育中心", "西安市安全生产执法监察支队", "西安市安全生产应急救援中心"}


def test_the_project_name_column_names_the_line_not_the_unit_beside_it():
    # 杭州市公安局 表10 (C035 p32): 单位名称 | 项目名称 | 总计 …, the unit printed on every line: the
    # lines were named by their unit (13 'projects' 杭州市公安局 …), the 33 projects lost
    rows, _, _ = _parse([
        ["单位名称", "项目名称", "总计", "一般公共预算"],
        ["杭州市公安局", "执法办案", "6,192.04", "3,304.88"],
        ["杭州市公安局", "公安事务综合业务管理", "2,751.23", "2,096.50"],
        ["杭州市公安局交通管理支队", "道路交通管理", "3,087.70", "3,087.70"],
    ])
    assert [(r.name, r.row_kind) for r in rows] == [
        ("执法办案", "detail"), ("公安事务综合业务管理", "detail"), ("道路交通管理", "detail")]
    assert json.loads(rows[0].text_cells) == {"单位名称": "杭州市公安局"}
