"""Regressions: a PDF→markdown 项目支出绩效目标表 printing a mid-term and an annual copy of every
indicator side by side (raw/003_638e0d246034f851.txt lines 465–513).  The markdown drops empty
cells, so rows do not line up with the header.  Each case copies the printed lines (tabs as in
the document, blank lines where the PDF page breaks) and the indicators read from the annual
copy: (一级指标, 二级指标, 三级指标, 指标值)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.blocks import markdown_items
from extractors.tables.performance import parse_performance_grid, parse_target

HEADER = "绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值\t\t"  # line 465

CASES = [
    # line 466: 12 万元 is the mid-term value, 4 万元 the annual one
    pytest.param(
        ["\t产出指标\t数量指标\t指标 1：委托业务费\t12 万元\t数量指标\t指标 1：委托业务费\t4 万元\t\t"],
        [("产出指标", "数量指标", "指标 1：委托业务费", "4 万元")],
        id="annual_copy_not_the_mid_term_one"),
    # lines 472–474: after the page break the value cells stand one column further right
    pytest.param(
        ["\t产出指标\t数量指标\t指标 7：委托业务费\t24 万元\t数量指标\t指标 7：委托业务费\t8 万元\t\t", "",
         "\t\t\t指标 8：委托业务费\t\t30 万元\t\t指标 8：委托业务费\t\t10 万元"],
        [("产出指标", "数量指标", "指标 7：委托业务费", "8 万元"), ("产出指标", "数量指标", "指标 8：委托业务费", "10 万元")],
        id="value_shifted_by_an_extra_empty_cell"),
    # lines 476–478: 指标 1 | 网站全面测评, then a sub-row printed without a number
    pytest.param(
        ["\t\t质量 指标\t指标 1\t网站全面测评\t100%\t质量 指标\t指标 1\t网站全面测评\t100%",
         "\t\t\t\t网站测评问题整改\t100%\t\t\t网站测评问题整改\t100%",
         "\t\t\t指标 2\t采购服务的合格率\t100%\t\t指标 2\t采购服务的合格率\t100%"],
        [("产出指标", "质量指标", "指标 1 网站全面测评", "100%"), ("产出指标", "质量指标", "网站测评问题整改", "100%"),
         ("产出指标", "质量指标", "指标 2 采购服务的合格率", "100%")],
        id="number_and_text_in_two_cells_and_unnumbered_sub_rows"),
    # lines 488–490 (时效 / 指标) and 505–507 (可持续 / 影响指标); the 一级指标 效益指标 is not printed
    pytest.param(
        ["\t\t时效\t指标 1\t服务时间\t2021-2023 年\t时效\t指标 1\t服务时间\t2023 年底前", "",
         "\t\t指标\t指标 2\t按照工作计划\t及时解决突发故障\t指标\t指标 2\t按照工作计划\t及时解决突发故障",
         "\t可持续影\t\t指标 1：甲。\t有利于\t可持续\t指标 1：乙。\t有利于", "",
         "\t\t响指标\t指标 2：丙。\t\t影响程度较高\t影响指标\t指标 2：丙。\t\t影响程度较高"],
        [("产出指标", "时效指标", "指标 1 服务时间", "2023 年底前"),
         ("产出指标", "时效指标", "指标 2 按照工作计划", "及时解决突发故障"),
         ("效益指标", "可持续影响指标", "指标 1：乙。", "有利于"), ("效益指标", "可持续影响指标", "指标 2：丙。", "影响程度较高")],
        id="level2_heading_split_by_a_page_break"),
    # lines 497–499: the annual text '…改善了机关会议' + '环境，…降低道路拥堵。'; the mid-term copy
    # has no value in this row, the annual copy has 显著提高
    pytest.param(
        ["\t\t社会效益指标\t指标 2：甲。\t\t\t社会效益指标\t指标 2：甲。\t\t显著提高",
         "\t\t\t指标 3：通过对视频会议运行管理，建设节约型机关工作，改\t\t\t\t"
         "指标 3：通过对视频会议运行管理，建设节约型机关工作，改善了机关会议\t\t显著提高", "",
         "\t\t\t善了机关会议环境，降低道路拥堵。\t\t\t环境，降低道路拥堵。\t",
         "\t\t\t指标 4：乙。\t显著提高\t\t指标 4：乙。\t显著提高"],
        [("效益指标", "社会效益指标", "指标 2：甲。", "显著提高"),
         ("效益指标", "社会效益指标", "指标 3：通过对视频会议运行管理，建设节约型机关工作，改善了机关会议环境，降低道路拥堵。",
          "显著提高"),
         ("效益指标", "社会效益指标", "指标 4：乙。", "显著提高")],
        id="indicator_text_continued_after_a_page_break"),
    # the DOCX/XLSX copies of raw/003 (tests/fixtures/native) print lines 497/499 as consecutive
    # rows: the cut sentence ('…改善了机关会议') still continues on the next row; a finished one does not
    pytest.param(
        ["\t\t社会效益指标\t指标 3：建设节约型机关工作，改\t\t\t社会效益指标\t指标 3：建设节约型机关工作，改善了机关会议\t\t显著提高",
         "\t\t\t善了机关会议环境。\t\t\t环境。\t", "\t\t\t指标 4：乙。\t显著提高\t\t指标 4：乙。\t显著提高", "\t\t\t丙\t\t\t丙\t"],
        [("效益指标", "社会效益指标", "指标 3：建设节约型机关工作，改善了机关会议环境。", "显著提高"),
         ("效益指标", "社会效益指标", "指标 4：乙。", "显著提高"), ("效益指标", "社会效益指标", "丙", "")],
        id="cut_indicator_text_continues_without_a_page_break"),
    # lines 511–513: no page break before 512, so it is a sub-row of its own (value blank)
    pytest.param(
        ["\t满意度指标\t服务对象满意度指标\t指标 1\t社会公众满意度\t≥95%\t服务对象满意度指标\t指标 1\t社会公众满意度\t≥95%",
         "\t\t\t\t内部有业务对接需求的部门及工作人员满意度\t\t\t\t内部有业务对接需求的部门及工作人员满意度\t",
         "\t\t\t指标 2\t使用单位满意度\t\t\t指标 2\t使用单位满意度\t"],
        [("满意度指标", "服务对象满意度指标", "指标 1 社会公众满意度", "≥95%"),
         ("满意度指标", "服务对象满意度指标", "内部有业务对接需求的部门及工作人员满意度", ""),
         ("满意度指标", "服务对象满意度指标", "指标 2 使用单位满意度", "")],
        id="unnumbered_sub_row_with_blank_value_is_an_indicator"),
]


@pytest.mark.parametrize("lines, expected", CASES)
def test_regression_two_copy_grid(lines, expected):
    items = markdown_items(["项目名称\t\t测试项目", HEADER] + lines)
    rows = [it.cells for it in items if it.is_row]
    project, inds, problems = parse_performance_grid(rows, source_file="x", table_id=1, unit="万元",
                                                     entity_code=None, title_line=1, title="t")
    assert [(i.level1, i.level2, i.indicator, i.target_text) for i in inds] == expected


def test_regression_calendar_year_target_is_a_date_not_a_quantity():
    # line 488: '2023 年底前' was read as = 2023 (unit 年底前)
    assert parse_target("2023 年底前") == (None, None, None)
    assert parse_target("≥1年") == (">=", Decimal("1"), "年")
    assert parse_target("≦87 万元") == ("<=", Decimal("87"), "万元")
