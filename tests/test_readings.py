"""Every amount table of a PDF read two independent ways, and the arbiter between them
(extractors.tables.reading_words, extractors.tables.arbiter, extractors.tables.readings).

The real pages are single pages of development-corpus documents (tests/fixtures/corpus_pages/);
the values asserted were read off the rendered pages."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from extractors.blocks import Cell
from extractors.pipeline import extract_document
from extractors.settings import DEFAULT_SETTINGS
from extractors.tables.arbiter import Reading, arbitrate
from extractors.tables.closure import half_unit
from extractors.tables.readings import read_twice
from extractors.tables.reading_words import read_by_words, rows_of_lines

PAGES = Path(__file__).resolve().parent / "fixtures" / "corpus_pages"


def _amount(ex, table_id, row_number, key):
    return next(a.amount for a in ex.table_amounts
                if a.table_id == table_id and a.row_number == row_number and a.column_key == key)


# ---- real pages


def test_amounts_wrapped_in_narrow_cells_read_alike_both_ways():
    # C035 p26 (杭州市公安局 一般公共预算支出表): 370,219.2 over 5 in the 合计 cell, 293,191.8 over 6
    # in 基本支出 / 小计; the cells reading joins the cell's two lines, the words reading joins the
    # tail line to the line above; both read 370,219.25
    ex = extract_document(PAGES / "C035_p26.pdf", PAGES)
    t = next(t for t in ex.tables if t.table_kind == "general_budget_expenditure")
    assert t.readings == "agree" and t.n_reading_differences == 0 and t.n_reading_cells >= 80
    assert _amount(ex, t.table_id, 1, "total") == Decimal("370219.25")
    assert _amount(ex, t.table_id, 1, "basic") == Decimal("293191.86")
    # the wrapped amount keeps the precision it is printed with: half of 0.01, not of 0.001
    assert half_unit("370,219.2 5") == Decimal("0.005")
    # 293,191.86 + 77,027.38 = 370,219.24 against 370,219.25 printed: within three half-cents
    assert t.closure_status == "closes" and t.reading == "certain"
    assert not ex.reading_differences


def test_names_and_amounts_over_two_lines_read_alike_both_ways():
    # C016 p34 (深圳市交通运输局 项目支出总表): the first line's name wraps (深圳市交通运输局（本 / 级）)
    # and so does its 总计 (376,936.6 / 0), the other amounts printed between; the second line's
    # name wraps with its amounts centred between the name's two lines
    ex = extract_document(PAGES / "C016_p34.pdf", PAGES)
    t = next(t for t in ex.tables if t.table_kind == "project_expenditure")
    assert t.readings == "agree" and t.n_reading_differences == 0 and t.n_reading_cells >= 100
    rows = {r.row_number: r for r in ex.table_rows if r.table_id == t.table_id}
    assert rows[1].name == "深圳市交通运输局（本级）"
    assert _amount(ex, t.table_id, 1, "total") == Decimal("376936.60")
    assert rows[2].name == "安全生产和应急管理专项经费"
    assert _amount(ex, t.table_id, 2, "total") == Decimal("470.29")
    assert sum(1 for r in rows.values()) == 10


def test_text_documents_have_one_reading():
    # a DOCX/XLSX/text grid gives its cells: no second reading, 'single'
    rows = [[Cell("项目", 1), Cell("金额", 1)], [Cell("合计", 2), Cell("10.00", 2)], [Cell("甲", 3), Cell("10.00", 3)]]
    v = read_twice(rows, None, source_file="t.txt", table_id=1, kind="expenditure_summary", unit="万元",
                   entity_code=None, settings=DEFAULT_SETTINGS)
    assert v.agreement == "single" and v.chosen.name == "cells"


# ---- the words reading on a page model


def _chars(text, x0, top, size=10.0):
    """Characters of ``text`` printed from x0 on a line at ``top`` (each ``size`` wide)."""
    return [(ch, x0 + k * size * 0.6, top, x0 + (k + 1) * size * 0.6, top + size) for k, ch in enumerate(text)]


def _ruled(rows, tops, height=20.0):
    """Cells of a ruled grid at x 0-100 (名称), 100-200 (合计), 200-300 (基本), 300-400 (项目)."""
    xs = [(0, 100), (100, 200), (200, 300), (300, 400)]
    out = []
    for k, (texts, top) in enumerate(zip(rows, tops)):
        out.append([Cell(t, k + 1, 1, (x0, top, x1, top + height)) for t, (x0, x1) in zip(texts, xs)])
    return out


def test_a_missing_rule_merges_two_printed_lines_the_words_reading_does_not():
    # the cells reading took 甲 and 乙 as one row (no rule between them): 甲乙 | 3.00 | … ; the
    # words reading sees the two printed lines
    header = ["项目", "合计", "基本支出", "项目支出"]
    cells = _ruled([header, ["合计", "3.00", "2.00", "1.00"], ["甲乙", "3.00", "2.00", "1.00"]], [0, 20, 40],
                   height=20)
    cells[2] = [Cell(c.text, c.line_number, c.page, (c.bbox[0], 40, c.bbox[2], 80)) for c in cells[2]]
    chars = (_chars("合计", 5, 25) + _chars("3.00", 150, 25) + _chars("2.00", 250, 25) + _chars("1.00", 350, 25)
             + _chars("甲", 5, 45) + _chars("1.00", 150, 45) + _chars("1.00", 250, 45)
             + _chars("乙", 5, 65) + _chars("2.00", 150, 65) + _chars("1.00", 250, 65) + _chars("1.00", 350, 65))
    words = read_by_words(cells, {1: chars})
    assert [[c.text for c in r] for r in words[1:]] == [
        ["合计", "3.00", "2.00", "1.00"], ["甲", "1.00", "1.00", ""], ["乙", "2.00", "1.00", "1.00"]]
    assert [c.line_number for c in (words[2][0], words[3][0])] == [3, 3]  # both from line 3


def test_a_name_over_two_lines_joins_its_row_and_a_tail_joins_its_amount():
    lines = [(10.0, [["一般公共"], ["1,234.5"], [], []], (0, 5, 400, 15)),
             (22.0, [["服务支出"], ["6"], [], []], (0, 17, 400, 27)),
             (40.0, [["行政运行"], ["12.00"], ["12.00"], []], (0, 35, 400, 45))]
    rows = rows_of_lines(lines, 4)
    assert [[" ".join(ps) for ps in r[1]] for r in rows] == [["一般公共 服务支出", "1,234.5 6", "", ""],
                                                           ["行政运行", "12.00", "12.00", ""]]


# ---- the arbiter


def _reading(name, grid, kind="general_budget_expenditure"):
    from extractors.tables.readings import _reading as parse_reading
    rows = [[Cell(t, k + 1, 1) for t in r] for k, r in enumerate(grid)]
    return parse_reading(name, rows, kind, source_file="t.pdf", table_id=1, unit="万元", entity_code=None,
                         settings=DEFAULT_SETTINGS)


HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]


def test_the_reading_whose_sums_close_is_kept():
    right = [HEADER, ["", "合计", "30.00", "20.00", "10.00"], ["201", "一般公共服务支出", "30.00", "20.00", "10.00"],
             ["2010101", "行政运行", "30.00", "20.00", "10.00"]]
    misread = [HEADER, ["", "合计", "30.00", "20.00", "10.00"], ["201", "一般公共服务支出", "30.00", "20.00", "10.00"],
               ["2010101", "行政运行", "38.00", "20.00", "10.00"]]  # a 0 taken for an 8
    v = arbitrate(_reading("cells", misread), _reading("words", right))
    assert v.agreement == "words_close" and v.chosen.name == "words"
    assert [(d.name, d.column_key, d.chosen_raw, d.other_raw) for d in v.differences] == [
        ("2010101", "total", "30.00", "38.00")]
    v = arbitrate(_reading("cells", right), _reading("words", misread))
    assert v.agreement == "cells_close" and v.chosen.name == "cells"


def test_readings_that_differ_where_neither_closes_leave_the_table_uncertain():
    a = [HEADER, ["", "合计", "30.00", "20.00", "10.00"], ["2010101", "行政运行", "38.00", "20.00", "10.00"]]
    b = [HEADER, ["", "合计", "30.00", "20.00", "10.00"], ["2010101", "行政运行", "36.00", "20.00", "10.00"]]
    v = arbitrate(_reading("cells", a), _reading("words", b))
    assert v.agreement == "differ" and not v.certain_by_readings and v.chosen.name == "cells"
    assert [(d.row_number, d.column_key, d.chosen_raw, d.other_raw) for d in v.differences] == [
        (2, "total", "38.00", "36.00")]


def test_readings_that_agree_on_a_printed_error_blame_the_document():
    # both readings read 38.00 where 20 + 10 = 30: what is printed is known, the sum fails
    a = [HEADER, ["", "合计", "38.00", "20.00", "10.00"], ["2010101", "行政运行", "38.00", "20.00", "10.00"]]
    v = arbitrate(_reading("cells", a), _reading("words", a))
    assert v.agreement == "agree" and v.certain_by_readings and v.n_compared == 6
    assert not v.chosen.closure.closes


def _one(name):
    ex = extract_document(PAGES / name, PAGES)
    (t,) = [t for t in ex.tables if t.readings]
    return ex, t


def _agreed_totals(name, row_names):
    """The 合计 of the named rows of the page's one table, whose two readings must agree."""
    ex, t = _one(name)
    assert (t.readings, t.n_reading_differences) == ("agree", 0)
    rows = {r.name: r.row_number for r in ex.table_rows if r.table_id == t.table_id}
    return [_amount(ex, t.table_id, rows[n], "total") for n in row_names]


def test_a_row_printing_no_amount_is_no_wrapped_name_and_rows_pair_by_their_line():
    # C071 p2 (江苏 收入预算总表): 一般公共预算资金 merged over 小计 | 公共财政拨款(补助)资金 | 专项收入,
    # rows printing no amount (专项收入, 政府性基金 小计 …) in ruled rows of their own. The words
    # reading had joined them all into one name (a row's band was its tallest, merged, cell), and
    # its rows were paired with the cells reading's by a name prefix: 2 cells "differed"
    ex, t = _one("C071_p2.pdf")
    assert (t.readings, t.n_reading_differences, t.n_reading_cells) == ("agree", 0, 3)
    rows = {r.name: r for r in ex.table_rows if r.table_id == t.table_id}
    assert _amount(ex, t.table_id, rows["公共财政拨款(补助)资金"].row_number, "total") == Decimal("27664.22")
    assert {"专项收入", "其他非税收入", "经营收入"} <= set(rows)


def test_a_two_sided_line_named_on_the_expenditure_side_only_is_a_row():
    # C070 p22 (湖州 财政拨款收支预算总表): 住房改革支出 420.07 prints nothing on the 收入 side; the
    # words reading took it for the rest of an amount and joined it to 本年收入合计 6838.41
    assert _agreed_totals("C070_p22.pdf", ["住房改革支出", "本年收入合计"]) == [Decimal("420.07"), Decimal("6838.41")]


def test_a_figure_typed_with_fewer_decimals_is_not_cut_short():
    # C054 p42-44 (西安市人社局 项目支出表): 仲裁公务制服 9.6 over 物业管理及水电暖气费 56, 购买办公设备
    # 3.5 over 上交省鉴定中心考务管理费 6, each in its own ruled row: two rows, not 9.6 wrapped as "9.6 56"
    assert _agreed_totals("C054_p42-44.pdf", ["仲裁公务制服", "物业管理及水电暖气费", "上交省鉴定中心考务管理费"]) == \
        [Decimal("9.6"), Decimal("56"), Decimal("6")]


def test_a_column_of_wrapped_amounts_keeps_the_tables_precision():
    # C065 p10 (一般公共预算支出表): 总计 1682.7 over 6 and every 结转 cell 0.0 over 0 — a column
    # whose cells are all wrapped; the tails join them (the table prints two decimals), both ways
    ex, t = _one("C065_p10.pdf")
    assert (t.readings, t.n_reading_differences, t.closure_status) == ("agree", 0, "closes")
    assert _amount(ex, t.table_id, 1, "total") == Decimal("1682.76")


def test_a_cell_merged_over_spacer_columns_is_under_the_column_its_header_labels():
    # C085 p15 (江苏省高级人民法院 政府采购预算表): an 18-cell frame, each printed column three ruled
    # cells; a data cell spans its three, pdfplumber gives its text at the first (a spacer), so
    # 676.00 went under an unnamed column (other) and 信息网络建设维护费 under 采购品目大类
    ex = extract_document(PAGES / "C085_p15.pdf", PAGES)
    t = next(t for t in ex.tables if t.table_kind == "government_procurement")
    assert (t.readings, t.n_reading_differences) == ("agree", 0) and t.n_reading_cells >= 25
    keys = {a.column_key for a in ex.table_amounts if a.table_id == t.table_id and a.amount is not None}
    assert keys == {"total"}
    rows = [r for r in ex.table_rows if r.table_id == t.table_id]
    first = next(r for r in rows if r.name == "一、货物A")
    assert _amount(ex, t.table_id, first.row_number, "total") == Decimal("962.86")
    assert _amount(ex, t.table_id, rows[0].row_number, "total") == Decimal("4641.62")


def test_a_figure_set_lower_in_its_ruled_row_is_of_that_row():
    # C079 p20 (江苏省人大常委会办公厅 三公经费表): one row of figures, the 0 under 公务用车购置费 set
    # lower than the others; the words reading had made it a second row
    ex = extract_document(PAGES / "C079_p20.pdf", PAGES)
    t = next(t for t in ex.tables if t.table_kind == "three_public_expenditure")
    assert (t.readings, t.n_reading_differences) == ("agree", 0)
    got = {a.column_key: a.amount for a in ex.table_amounts if a.table_id == t.table_id}
    assert got["vehicle_purchase"] == Decimal("0") and got["vehicle_operation"] == Decimal("183.60")
    assert got["three_public_total"] == Decimal("833.60")
    assert len([r for r in ex.table_rows if r.table_id == t.table_id]) == 1


def test_each_half_of_a_side_by_side_table_adds_up_to_its_own_total():
    # C061 pp17–20 (佛山市轨道交通局 一般公共预算财政拨款基本支出决算表): 人员经费 301 / 303 on the left,
    # 公用经费 302 / 307 / 310 / 399 on the right, each half ending in its own total: 人员经费合计
    # 649.20 = 301 649.20 + 303 0.00; 公用经费合计 97.19 = 302 94.65 + 310 2.54 (was compared with
    # the personnel column of all top-level rows: 0, the table "failed")
    ex = extract_document(PAGES / "C061_p17-20.pdf", PAGES)
    (t,) = [t for t in ex.tables if t.table_kind == "general_budget_basic_expenditure"]
    assert (t.closure_status, t.n_check_failures, t.readings) == ("closes", 0, "agree")
    rows = {r.name: r.row_number for r in ex.table_rows if r.table_id == t.table_id}
    assert _amount(ex, t.table_id, rows["人员经费合计"], "personnel") == Decimal("649.20")
    assert _amount(ex, t.table_id, rows["公用经费合计"], "public") == Decimal("97.19")


def _side_rows(ex, table_id):
    """{(name, side): [amounts]} of a two-sided table."""
    out: dict = {}
    for r in ex.table_rows:
        if r.table_id == table_id:
            for a in ex.table_amounts:
                if a.table_id == table_id and a.row_number == r.row_number and a.amount is not None:
                    out.setdefault((r.name, a.side), []).append(a.amount)
    return out


def test_three_expenditure_sections_and_names_printed_wider_than_their_cells():
    # C056 p3 (西安 2019年部门综合预算收支总表): 收入 | 支出功能分类科目（按大类） | 部门预算支出经济分类科目
    # （按大类） | 政府预算支出经济分类科目（按大类）, each with its 预算数. Names run past their cell's
    # ruling (clipped on the page, whole in the text layer: 1、人员经费和公用经费支|出 2,022.39) and the
    # headers spill into the 预算数 cell beside them (部门预预算算数支); the three expenditure sections
    # were one row with the amounts inside its name
    ex = extract_document(PAGES / "C056_p3.pdf", PAGES)
    t = next(t for t in ex.tables if t.table_kind == "income_expenditure_summary")
    assert t.readings == "agree" and t.n_reading_differences == 0
    got = _side_rows(ex, t.table_id)
    assert got[("1、人员经费和公用经费支出", "expenditure")] == [Decimal("2022.39")]
    assert got[("1、机关工资福利支出", "expenditure")] == [Decimal("1470.72")]
    assert got[("(3)对个人和家庭的补助", "expenditure")] == [Decimal("4.82")]
    assert got[("23、灾害防治及应急管理", "expenditure")] == [Decimal("3271.54")]
    assert got[("(1)一般公共预算拨款收入", "revenue")] == [Decimal("3643.37")]
    # each section closes on its own 本年支出合计, printed once per section
    assert got[("本年支出合计", "expenditure")] == [Decimal("3643.37")] * 3
    assert got[("支出总计", "expenditure")] == [Decimal("3695.91")] * 3
    labels = {a.column_label for a in ex.table_amounts if a.table_id == t.table_id}
    assert "预算数" in labels and not any("预预" in lab for lab in labels)


def test_a_label_printed_across_two_sections_keeps_its_figure():
    # C071 p1 (江苏 收支预算总表): 当年支出小计 and 支出合计 span 功能分类 and 支出用途, their figure in
    # the last 金额 column
    ex = extract_document(PAGES / "C071_p1.pdf", PAGES)
    t = next(t for t in ex.tables if t.table_kind == "income_expenditure_summary")
    got = _side_rows(ex, t.table_id)
    assert got[("支出合计", "expenditure")] == [Decimal("27664.22")]
    assert got[("当年支出小计", "expenditure")] == [Decimal("27664.22")]
    assert got[("一、一般公共服务支出", "expenditure")] == [Decimal("22395.50")]
    assert got[("二、项目支出", "expenditure")] == [Decimal("13025.38")]
    assert got[("三、单位预留机动经费", "expenditure")] == [Decimal("2938.21")]


def test_a_numbered_contents_line_over_a_ruling_is_no_table_of_amounts():
    # C042 p2 (长沙 目录): 1、部门收支总表 … 10、部门整体支出绩效目标表 set as one string each across a
    # ruling of the page's frame; the 1 … 10 before the ruling were read as a column of amounts
    ex = extract_document(PAGES / "C042_p2.pdf", PAGES)
    assert not any(a.amount is not None for a in ex.table_amounts)
