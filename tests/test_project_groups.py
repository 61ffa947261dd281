"""Group lines of project lists (extractors.tables.groups), on lists printed in the corpus: the
lines that add up the lines under them are not projects (they counted every figure two or three
times in fct_project)."""
from __future__ import annotations

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
