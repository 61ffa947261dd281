"""Regressions found on the corpus's 绩效目标表 (tests/fixtures/expected_corpus/<C>/performance.json are
their page-read goldens): one test per layout the reader did not know, each on the printed cells."""
from __future__ import annotations

from decimal import Decimal

from extractors.blocks import Cell
from extractors.tables.performance import _name_in_title, parse_performance_grid, parse_target
from extractors.tables.performance_lines import indicator_lines_table, parse_indicator_lines
from extractors.tables.performance_packed import packed_indicators


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


def _cells(spec, page=52):
    """[(text, (x0, y0, x1, y1) or None), …] → a line of cells."""
    return [Cell(t, line_number=int(b[1]) if b else None, page=page, bbox=b) for t, b in spec]


def test_level_words_centred_in_their_cells_label_the_line_they_are_printed_in():
    # 西安市人社局 2020 社保大厦物业费 (C054 p52): each 二级 word is printed at the middle of its cell, on a
    # line of its own under the indicator's first line (数量指标 in the band of 物业管理面积；服务人次),
    # 经济效益 / 指标 on two lines, 效益指标 (一级) lower still: read as labels of the lines under them,
    # every indicator got the 二级 of the one above (物业管理成本 under 时效指标)
    X1, X2, X3, XV = (164, 250), (261, 366), (372, 577), (577, 761)

    def line(l1=None, l2=None, l3=None, v=None, y=0, h=14):
        out = []
        for t, (a, b) in ((l1, X1), (l2, X2), (l3, X3), (v, XV)):
            out.append((t[0], (a, t[1], b, t[1] + (t[2] if len(t) > 2 else 14))) if t else ("", None))
        return _cells(out)

    rows = [_cells([("专项（项目）名称", (53, 100, 290, 118)), ("社保大厦物业费", (290, 100, 761, 118)), ("", None), ("", None)]),
            _cells([("一级指标", (164, 221, 250, 236)), ("二级指标", (261, 221, 366, 236)),
                    ("三级指标", (372, 221, 577, 236)), ("指标值", (577, 221, 761, 236))]),
            line(l3=("物业管理面积；服务人次", 236, 48), v=("17839平方米；每天3000人次", 236, 48)),
            line(l2=("数量指标", 253)),
            line(l3=("物业管理成本", 284, 47), v=("123.5万元/年", 284, 47)),
            line(l1=("产出指标", 300), l2=("成本指标", 300)),
            line(l3=("/", 331, 46), v=("/", 331, 46)),
            line(l2=("经济效益", 340)),
            line(l2=("指标", 354)),
            line(l3=("保持延续性和稳定性", 377, 48), v=("长期", 377, 48)),
            line(l1=("效益指标", 385), l2=("可持续影响", 385)),
            line(l2=("指标", 399))]
    project, inds, _ = parse_performance_grid(rows, source_file="x", table_id=1, unit="万元", entity_code=None,
                                              title_line=1, title="2020年部门专项业务经费重点项目绩效目标表")
    assert project.project_name == "社保大厦物业费"
    assert [(i.level1, i.level2, i.indicator) for i in inds] == [
        ("产出指标", "数量指标", "物业管理面积；服务人次"),
        ("产出指标", "成本指标", "物业管理成本"),
        ("效益指标", "经济效益指标", "/"),
        ("效益指标", "可持续影响指标", "保持延续性和稳定性")]


def test_the_next_form_under_the_same_title_is_a_table_of_its_own():
    # C054 pp52–53: the second and third forms followed the first one's title with no title of their
    # own; their vertical 绩/效/指/标 letters closed the table and “标” titled the next grid, then
    # (letters skipped) the forms merged into one table read as one project
    from extractors.blocks import Item
    from extractors.settings import DEFAULT_SETTINGS
    from extractors.tables import segment
    from extractors.tables.continued import merge_continued

    def row(line, texts, page=50):
        return Item(line, cells=[Cell(t, line_number=line, page=page) for t in texts], page=page)

    items = [Item(1, text="2020年部门专项业务经费重点项目绩效目标表", page=50),
             row(2, ["专项（项目）名称", "网络建设维护"]), row(3, ["", "一级指标", "二级指标", "指标内容", "指标值"]),
             row(4, ["", "产出指标", "数量指标", "指标1：互联网光纤数量", "5条"]),
             Item(5, text="标", page=51),
             row(6, ["专项（项目）名称", "社保大厦物业费"], 52), row(7, ["一级指标", "二级指标", "三级指标", "指标值"], 52),
             row(8, ["产出指标", "数量指标", "物业管理面积", "17839平方米"], 52)]
    tables, _ = segment(items, DEFAULT_SETTINGS)
    tables = merge_continued(tables)
    assert [(t.title, [it.nonempty()[1] for it in t.items[:1]]) for t in tables] == [
        ("2020年部门专项业务经费重点项目绩效目标表", ["网络建设维护"]),
        ("2020年部门专项业务经费重点项目绩效目标表", ["社保大厦物业费"])]


def test_header_words_on_two_lines_and_an_amount_header_with_its_unit():
    # C054 p53: 三级指标 | 指标值 on one line, 一级指标 | 二级指标 on the next (no level was read);
    # 长春 C065 p16: 年度资金总额(万元) (the projects had no amount)
    rows = [_cells([("专项（项目）名称", (0, 0, 100, 10)), ("全民参保计划工作经费", (100, 0, 400, 10)), ("", None), ("", None)]),
            _cells([("", None), ("", None), ("三级指标", (200, 20, 300, 30)), ("指标值", (300, 20, 400, 30))]),
            _cells([("一级指标", (0, 22, 100, 30)), ("二级指标", (100, 22, 200, 30)), ("", None), ("", None)]),
            _cells([("产出指标", (0, 40, 100, 50)), ("数量指标", (100, 40, 200, 50)), ("按计划完成率", (200, 40, 300, 50)),
                    ("100%", (300, 40, 400, 50))])]
    _, inds, _ = parse_performance_grid(rows, source_file="x", table_id=1, unit="万元", entity_code=None,
                                        title_line=1, title="t")
    assert [(i.level1, i.level2, i.indicator, i.target_value) for i in inds] == [
        ("产出指标", "数量指标", "按计划完成率", Decimal("100"))]
    lines = [_row(["单位名称", "项目名称", "年度资金总额(万元)", "一级指标", "二级指标", "三级指标", "指标值"], 10),
             _row(["105001长春市信访局", "2026年驻京经费", "312.00", "产出指标", "数量指标", "驻京工作人员人数", "<=18人"], 20)]
    start, cols = indicator_lines_table(lines)
    projects, inds = parse_indicator_lines(lines, start, cols, source_file="x", table_id=1, unit="万元", entity_code=None)
    assert [(p.project_name, p.amount) for p in projects] == [("2026年驻京经费", Decimal("312.00"))]
    assert (inds[0].comparator, inds[0].target_value, inds[0].target_unit) == ("<=", Decimal("18"), "人")


def test_a_form_printing_no_levels_with_the_comparison_and_unit_in_columns():
    # 重庆市水利局 表十一 (C021 p31): 项目名称 | 当年预算, then 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%) |
    # 是否核心 with no 一级 / 二级 columns: no indicator was read and the project had no amount
    rows = [_row(["项目名称", "水库移民后期扶持", "主管部门", "重庆市水利局", "", ""], 10),
            _row(["当年预算", "12,700.00", "市级支出", "", "补助区县", "12,700.00"], 20),
            _row(["指标名称", "指标性质", "指标值", "计量单位", "指标权重(%)", "是否核心"], 30),
            _row(["完工项目验收率", "≥", "90", "%", "20", "是"], 40),
            _row(["实施项目数量", "≥", "86", "个数", "20", "是"], 50),
            _row(["年度预算执行率", "=", "100", "%", "10", "否"], 60)]
    project, inds, _ = parse_performance_grid(rows, source_file="x", table_id=1, unit="万元", entity_code=None,
                                              title_line=1, title="2026年市级重点专项资金绩效目标表（一级项目）")
    assert (project.project_name, project.amount) == ("水库移民后期扶持", Decimal("12700.00"))
    assert [(i.level1, i.indicator, i.target_text, i.comparator, i.target_value, i.target_unit) for i in inds] == [
        (None, "完工项目验收率", "90", ">=", Decimal("90"), "%"),
        (None, "实施项目数量", "86", ">=", Decimal("86"), "个数"),
        (None, "年度预算执行率", "100", "=", Decimal("100"), "%")]


def test_a_form_under_a_title_printed_again_is_no_continuation():
    # C021 pp31–32: each 市级重点专项资金 form repeats the table's title; the second one was joined to the
    # first as its continued page (its 当年预算 lines read as the first project's indicators)
    from extractors.blocks import Item
    from extractors.settings import DEFAULT_SETTINGS
    from extractors.tables import segment
    from extractors.tables.continued import merge_continued

    def row(line, texts, page):
        return Item(line, cells=[Cell(t, line_number=line, page=page) for t in texts], page=page)

    title = "2026年市级重点专项资金绩效目标表（一级项目）"
    items = [Item(1, text=title, page=31), row(2, ["项目名称", "水库移民后期扶持", "主管部门", "重庆市水利局"], 31),
             row(3, ["指标名称", "指标性质", "指标值", "计量单位"], 31), row(4, ["实施项目数量", "≥", "86", "个数"], 31),
             Item(5, text=title, page=32), row(6, ["项目名称", "重庆市水利专项资金", "主管部门", "重庆市水利局"], 32),
             row(7, ["指标名称", "指标性质", "指标值", "计量单位"], 32), row(8, ["受益人口", "≥", "150", "万人"], 32)]
    tables = merge_continued(segment(items, DEFAULT_SETTINGS)[0])
    assert [t.items[0].nonempty()[1] for t in tables] == ["水库移民后期扶持", "重庆市水利专项资金"]
    # a header row naming the project column (北京 C009: 项目名称 | 项目总额 | …) starts no form
    from extractors.tables import _starts_form
    assert not _starts_form(["项目名称", "项目总额", "其中：", "绩效目标"])


def test_a_page_number_line_and_level_words_left_outside_the_grid_do_not_end_a_targets_table():
    # 西安市应急管理局 2019 部门整体支出绩效目标表 (C056 pp33-36): “第 3 页，共 45 页” at each page's foot and
    # the words of levels merged over the page break (质量指标 / 产出指标) printed outside the grid's cells
    # closed the table; each page's grid became a table titled by a vertical letter (“标”): 19 of its
    # indicators were read
    from extractors.blocks import Item
    from extractors.native.pdf import _PAGE_NO
    from extractors.settings import DEFAULT_SETTINGS
    from extractors.tables import segment
    from extractors.tables.continued import merge_continued

    assert _PAGE_NO.match("第 3 页，共 45 页") and _PAGE_NO.match("第3页") and not _PAGE_NO.match("第3页表格")

    def row(line, texts, page):
        return Item(line, cells=[Cell(t, line_number=line, page=page) for t in texts], page=page)

    items = [Item(1, text="2019年部门整体支出绩效目标表", page=33),
             row(2, ["一级指标", "二级指标", "指标内容", "指标值"], 33),
             row(3, ["产出指标", "数量指标", "指标1：保障完成情况", "100%"], 33),
             Item(4, text="质量指标", page=34), Item(5, text="产出指标", page=34), Item(6, text="标", page=34),
             row(7, ["", "", "指标5：对铁路道口的管理和有效监控", "90%"], 34),
             # a level's name wrapped in two lines outside the cells (社会效益 / 指标, p36)
             Item(8, text="社会效益", page=36), Item(9, text="指标", page=36),
             row(10, ["", "", "指标1：安全生产形势持续稳定", "稳定"], 36)]
    tables = merge_continued(segment(items, DEFAULT_SETTINGS)[0])
    assert [(t.title, len(t.items)) for t in tables] == [("2019年部门整体支出绩效目标表", 4)]


def test_a_lists_header_word_beside_project_name_is_not_a_project():
    # 湖州市财政局 表11 2026年市级部门项目支出绩效表 (C070 p32; 浙江's C033 C035 C068 alike): a list, one
    # line a project (单位名称 | 项目名称 | 金额 | 项目总体绩效目标); the form reader took 金额, the word
    # after 项目名称, for a project's name
    rows = [_row(["单位名称", "项目名称", "金额", "项目总体绩效目标"], 10),
            _row(["**", "**", "**", "**"], 20),
            _row(["", "", "1,266.75", ""], 30),
            _row(["湖州市绿色财政研究服务中心", "财政服务综合业务管理", "120.00",
                  "2026年，通过设立交警事故大队垫付窗口，实现道路交通事故社会救助基金抢救费用垫付“一件事”办理"], 40)]
    project, _inds, _problems = parse_performance_grid(rows, source_file="x", table_id=1, unit="万元",
                                                       entity_code=None, title_line=1, title="2026年市级部门项目支出绩效表")
    assert project is None or project.project_name != "金额"


def test_a_project_cell_cut_by_the_page_break_names_its_lines():
    # 北京 预算12表 项目支出绩效目标表 (C012 pp12-13): the third project's merged 项目名称 | 项目总额 cells
    # run into the page break with no bottom rule; their words were in no cell, the project was
    # missing and its 11 indicators went to 11000022T000000455362-工程建设咨询服务
    from pathlib import Path

    from extractors.pipeline import extract_document
    from extractors.settings import DEFAULT_SETTINGS
    from extractors.native.tablefind import closing_edges

    pdf = Path(__file__).parent / "fixtures" / "corpus_pages" / "C012_p12-13.pdf"
    ex = extract_document(pdf, pdf.parent, DEFAULT_SETTINGS)
    third = next(p for p in ex.projects if p.project_name.startswith("11000023T000002103382-档案数字化"))
    assert third.amount == Decimal("8.566400")
    # its name's last line 其整理 is printed at the top of p13, in the cell's part with no top rule
    # (the cell's other lines drawn again above the page's frame, past its clip)
    assert third.project_name == "11000023T000002103382-档案数字化及其整理"
    assert not [p for p in ex.projects if p.project_name == "其整理"]
    mine = [i.indicator for i in ex.performance_indicators if i.project_name == third.project_name]
    assert mine[:2] == ["错误率", "验收合格率"] and "档案使用人员满意度" in mine and len(mine) == 11
    assert not [i for i in ex.performance_indicators
                if i.project_name.startswith("11000022T000000455362") and "档案" in i.indicator]
    # the rule: columns ruled down to y = 700 where a rule spans only the last of them
    v = [("v", x, 535.0, x, 700.0, 0, 165.0) for x in (50.0, 150.0, 240.0, 330.0, 425.0, 505.0, 1000.0)]
    h = [("h", 50.0, 535.0, 1000.0, 535.0, 950.0, 0), ("h", 505.0, 700.0, 1000.0, 700.0, 495.0, 0)]
    assert closing_edges(v + h) == [("h", 50.0, 700.0, 1000.0, 700.0, 950.0, 0)]
    assert closing_edges(v + h[:1]) == []  # no rule ends there: not a frame's bottom
    # a header's inner rules (人员经费 | 公用经费 under 基本支出, from y = 180, with 项目支出's merged
    # cell ruled from 142 between them: C065 p10) are no frame's top
    hv = [("v", x, 180.0, x, 600.0, 0, 420.0) for x in (296.0, 335.0, 452.0, 506.0)] + \
        [("v", 370.0, 142.0, 370.0, 600.0, 0, 458.0)]
    hh = [("h", 260.0, 180.0, 370.0, 180.0, 110.0, 0), ("h", 430.0, 180.0, 506.0, 180.0, 76.0, 0)]
    assert closing_edges(hv + hh) == []


def test_a_level_labelled_past_the_page_break_labels_the_lines_before_it():
    # 西安市人社局 2020 表14 (C054 pp50-51): the 二级 cell 成本指标 is merged over 指标1-4 on p50 and
    # 指标5-13 on p51, its label centred on p51 in the cell's part with no top rule: the 13 lines were
    # read under 时效指标 (the level above)
    from pathlib import Path

    from extractors.pipeline import extract_document
    from extractors.settings import DEFAULT_SETTINGS

    pdf = Path(__file__).parent / "fixtures" / "corpus_pages" / "C054_p50-51.pdf"
    ex = extract_document(pdf, pdf.parent, DEFAULT_SETTINGS)
    by = {i.indicator: (i.level1, i.level2) for i in ex.performance_indicators}
    assert by["指标1：完成时间节点"] == ("产出指标", "时效指标")
    assert by["指标1：机房基础环境维护"] == ("产出指标", "成本指标")
    assert by["指标4: 短信使用费"] == ("产出指标", "成本指标")
    assert by["指标13: 运维电费"] == ("产出指标", "成本指标")
    assert sum(1 for lv in by.values() if lv[1] == "成本指标") == 13
