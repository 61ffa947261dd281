"""Regressions: pdftotext 项目支出绩效目标表 where the mid-term and annual indicator columns
interleave (raw/004_648995029452fd0f.txt).  Each case copies the printed lines (blank lines
between them as in the document) and checks the indicator read from the mid-term copy."""
from __future__ import annotations

from extractors.blocks import pdftotext_items
from extractors.tables.performance import parse_performance_lines


def _parse(lines: list[str]):
    printed: list[str] = ["项目名称 测试项目", ""]
    for ln in lines:
        # the document separates printed lines with a blank line, except where a cell
        # overflows (an indented line follows directly)
        if ln.startswith("|"):
            printed.append(ln[1:])
        else:
            printed += ["", ln]
    items = pdftotext_items(printed)
    project, inds, problems = parse_performance_lines(items, source_file="x", table_id=1, unit=None,
                                                      entity_code=None, title="t")
    return [(i.level2, i.indicator, i.target_text) for i in inds], problems


def test_regression_both_copies_start_on_one_line_values_overflow():
    # raw/004 lines 1233-1252 (table 1, 经济效益指标 指标 4)
    got, problems = _parse([
        "经济效", "益指标",
        "指标 4：对 效益程度 效益程度 指标 4：对 效 益 程 效益程", "| 延长设备生",
        "命周期、降", "低故障率的", "影响程度", "显著 显著 延长设备", "生 命 周", "期、降低",
        "故障率的", "影响程度", "度显著 度显著"])
    assert got == [("经济效益指标", "指标 4：对延长设备生命周期、降低故障率的影响程度", "效益程度显著")]
    assert not problems


def test_regression_second_value_copy_clipped():
    # raw/004 lines 1254-1287 (table 1, 经济效益指标 指标 5): '影响程度显著' + '影响程度显'
    got, problems = _parse([
        "经济效", "益指标",
        "指标 5：对", "改善数据资", "源共享机制", "的影响程度", "影响程度", "显著", "影响程度", "显",
        "指标 5：对", "改善数据", "资源共享", "机制的影", "响程度", "影 响 程", "度显著", "影响程", "度显"])
    assert got == [("经济效益指标", "指标 5：对改善数据资源共享机制的影响程度", "影响程度显著")]
    assert not problems


def test_regression_mid_term_text_continues_after_annual_copy():
    # raw/004 lines 1792-1812 (table 1, 可持续影响指标 指标 1): ' 响程度 的持续影' ends both texts
    got, problems = _parse([
        "可持续", "影响", "指标",
        "指标 1：对", "提高或改善", "公共服务水", "平的持续影", "影响程度", "较高", "影响程度", "较高",
        "指标 1：", "对提高或", "改善公共", "服务水平", "影 响 程", "度较高", "影响程", "度较高",
        "| 响程度 的持续影", "响程度"])
    assert got == [("可持续影响指标", "指标 1：对提高或改善公共服务水平的持续影响程度", "影响程度较高")]
    assert not problems


def test_regression_both_copies_start_on_one_line_text_overflows():
    # raw/004 lines 3441-3454 (table 2, 可持续影响指标 指标 3)
    got, problems = _parse([
        "可持续", "影响", "指标",
        "指标 3：对促进 较高 较高 指标 3：对促 较高 较高", "| 政务信息公开", "情况的持续影", "响程度",
        "进政务信息", "公开情况的", "持续影响程", "度"])
    assert got == [("可持续影响指标", "指标 3：对促进政务信息公开情况的持续影响程度", "较高")]
    assert not problems


def test_regression_mid_term_text_overflows_several_lines():
    # raw/004 lines 3718-3733 (table 2, 可持续影响指标 指标 11)
    got, problems = _parse([
        "可持续", "影响", "指标",
        "指标 11：对保", "障机构持续稳", "|较高 较高", "指标 11：对保", "障机构持续", "|较高 较高",
        "| 定运转、持续", "发挥职能的改", "善或提升程度", "稳定运转、持", "续发挥职能", "的改善或提", "升程度"])
    assert got == [("可持续影响指标", "指标 11：对保障机构持续稳定运转、持续发挥职能的改善或提升程度", "较高")]
    assert not problems


def test_regression_mid_term_overflow_ends_text_with_annual_copy():
    # raw/004 lines 3148-3177 (table 2, 社会效益指标 指标 5): ' 或提升程度 的改善或提' — the printed
    # text is '…稳定性的改善或提升程度' (the golden had the clipped mid-term cell '…的改善')
    got, problems = _parse([
        "社会效", "益指标",
        "指标 5：对信息", "系统可用性及", "稳定性的改善", "提 升 程", "度较高", "提 升 程", "度较高",
        "指标 5：对信", "息系统可用", "性及稳定性", "提 升 程", "度较高", "提 升 程", "度较高",
        "| 或提升程度 的改善或提", "升程度"])
    assert got == [("社会效益指标", "指标 5：对信息系统可用性及稳定性的改善或提升程度", "提升程度较高")]
    assert not problems
