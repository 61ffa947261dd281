"""Regressions found on the corpus's 绩效目标表 (tests/fixtures/expected_corpus/<C>/performance.json are
their page-read goldens): one test per layout the reader did not know, each on the printed cells."""
from __future__ import annotations

from decimal import Decimal

from extractors.blocks import Cell
from extractors.tables.performance import (_name_in_title, indicator_lines_table, packed_indicators,
                                           parse_indicator_lines, parse_performance_grid, parse_target)


def _row(texts, y, xs=None, page=1):
    xs = xs or [(100.0 * k, 100.0 * k + 100) for k in range(len(texts))]
    return [Cell(t, line_number=int(y), page=page, bbox=(a, y, b, y + 10))
            for t, (a, b) in zip(texts, xs)]


def test_indicators_packed_into_one_cell_are_one_indicator_each():
    # 广州市政务服务和数据管理局 项目支出绩效目标表 (C029 p1): a project's indicators in one 绩效指标 cell;
    # none was read (0 of the 107 on pp1-3)
    cell = ("1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。"
            "2、1-产出指标；12 -质量指标；保障场地正常运行；实施周期指标值:≥99.5%；年度指标值:≥99.5%。"
            "3、4-成本指标；41-经济成本指标；项目主体采购成本.；实施周期指标值:≤2400万；年度指标值:≤2400万。")
    got = packed_indicators(cell)
    assert got == [("产出指标", "数量指标", "会议活动保障次数", "每年≥20场"),
                   ("产出指标", "质量指标", "保障场地正常运行", "≥99.5%"),
                   ("成本指标", "经济成本指标", "项目主体采购成本.", "≤2400万")]
    # the annual target where the two differ (电子政务工作项目: ≥10家 over the period, ≥3家 this year)
    assert packed_indicators("1、1-产出指标；11-数量指标；接入单位；实施周期指标值:≥10家；年度指标值:≥3家。")[0][3] == "≥3家"


def test_a_targets_wan_is_a_count_not_yuan():
    # C029: ≥400万 (监管对象数量) was read in 万元
    assert parse_target("≥400万") == (">=", Decimal("400"), "万")
    assert parse_target("≥95百分比") == (">=", Decimal("95"), "%")


def test_a_form_with_other_header_words_and_a_narrower_continued_page():
    # 西安市人社局 2020 表14 (C054 pp50-51): 专项（项目）名称, 实施期资金总额, 指标内容 over the 三级指标
    # column; its 成本指标 lines continue on a page ruled in four cells under the five-cell header.
    # No indicator was read and the project had no name
    wide = [(0, 60), (60, 120), (120, 200), (200, 400), (400, 480)]
    rows = [_row(["专项（项目）名称", "", "", "网络建设维护", ""], 10, wide),
            _row(["资金金额（万元）", "", "", "实施期资金总额：", "1000.00"], 20, wide),
            _row(["", "一级指标", "二级指标", "指标内容", "指标值"], 30, wide),
            _row(["", "", "数量指标", "指标1：互联网光纤数量", "5条"], 40, wide),
            # p51: no spacer column, the 二级 and 三级 cells wider
            _row(["", "成本指标", "指标5: 人社应用软件维护及升级改造", "210万元/年"], 50,
                 [(0, 60), (120, 200), (200, 400), (400, 480)]),
            _row(["满意度指标", "服务对象满意度指标", "指标：就业服务人员、参保人满意率", "≧95%"], 60,
                 [(60, 120), (120, 200), (200, 400), (400, 480)])]
    project, inds, problems = parse_performance_grid(rows, source_file="x", table_id=1, unit="万元",
                                                     entity_code=None, title_line=1, title="2020年部门专项业务经费重点项目绩效目标表")
    assert (project.project_name, project.amount) == ("网络建设维护", Decimal("1000.00"))
    assert [(i.level1, i.level2, i.indicator, i.target_value, i.target_unit) for i in inds] == [
        ("产出指标", "数量指标", "指标1：互联网光纤数量", Decimal("5"), "条"),
        ("产出指标", "成本指标", "指标5: 人社应用软件维护及升级改造", Decimal("210"), "万元/年"),
        ("满意度指标", "服务对象满意度指标", "指标：就业服务人员、参保人满意率", Decimal("95"), "%")]


def test_one_line_per_indicator_with_the_project_in_a_column():
    # 长沙市信访局 (C042 p22): 单位（项目）名称 | 资金总额 | … | 三级指标 | 指标值 | 度量单位 | 指标值类型: the
    # table was read as one project named by its title, the ≥ and the unit of each target lost
    rows = [_row(["单位编码", "单位（项目）名称", "资金总额", "绩效指标", "", "", "", "", ""], 10),
            _row(["", "", "", "一级指标", "二级指标", "三级指标", "指标值", "度量单位", "指标值类型"], 20),
            _row(["合计", "", "417.41", "", "", "", "", "", ""], 30),
            _row(["126001", "基层及其他信访业务工作经费专项", "35.78", "成本指标", "经济成本指标", "总成本", "35.78", "万元", "≤"], 40),
            _row(["", "", "", "", "社会成本指标", "无", "无", "", "定性"], 50),
            _row(["", "", "", "产出指标", "质量指标", "经费分档精准率", "95", "%", "≥"], 60),
            # the next page prints the project again over its remaining lines
            _row(["126001", "基层及其他信访业务工作经费专项", "35.78", "产出指标", "时效指标", "区县（市）信访事项及时受理率", "95", "%", "≥"], 70),
            _row(["126001", "人民来访接待中心业务专项", "102.80", "成本指标", "经济成本指标", "预算控制成本", "102.8", "万元", "≤"], 80)]
    start, cols = indicator_lines_table(rows)
    projects, inds = parse_indicator_lines(rows, start, cols, source_file="x", table_id=1, unit="万元", entity_code=None)
    assert [(p.project_name, p.amount) for p in projects] == [
        ("基层及其他信访业务工作经费专项", Decimal("35.78")), ("人民来访接待中心业务专项", Decimal("102.80"))]
    assert [(i.project_name[:4], i.level2, i.indicator, i.comparator, i.target_value, i.target_unit) for i in inds] == [
        ("基层及其", "经济成本指标", "总成本", "<=", Decimal("35.78"), "万元"),
        ("基层及其", "社会成本指标", "无", None, None, None),
        ("基层及其", "质量指标", "经费分档精准率", ">=", Decimal("95"), "%"),
        ("基层及其", "时效指标", "区县（市）信访事项及时受理率", ">=", Decimal("95"), "%"),
        ("人民来访", "经济成本指标", "预算控制成本", "<=", Decimal("102.8"), "万元")]


def test_a_form_naming_its_project_only_in_its_title():
    # 泉州市人民政府办公室 (C060 pp29-33): “<项目>绩效目标表” forms print no 项目名称: no project was kept
    assert _name_in_title("市级机关保留公务用车委托管理费项目绩效目标表") == "市级机关保留公务用车委托管理费项目"
    assert _name_in_title("2026年项目支出绩效目标表") is None
    assert _name_in_title("部门整体支出绩效目标表") is None
