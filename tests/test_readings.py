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
