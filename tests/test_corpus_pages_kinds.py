"""Corpus pages that were staged as `unknown` tables carrying amounts (bench.corpus), one test
per class of page: what the page is, read from the rendered page (pdftoppm -r 110), and that it
is staged as that. Pages cut from ../shared/corpus into tests/fixtures/corpus_pages/."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from extractors.pipeline import extract_document

PAGES = Path(__file__).resolve().parent / "fixtures" / "corpus_pages"


def _rows(ex, t):
    return [r for r in ex.table_rows if r.table_id == t.table_id]


def _amounts(ex, t):
    return {(a.row_number, a.column_key): a.amount for a in ex.table_amounts
            if a.table_id == t.table_id and a.amount is not None}


def test_meeting_and_training_detail_is_a_kind_and_its_head_counts_are_no_amounts():
    # C050 p19 (西安市财政局): 培训费明细表, 序号 | 培训名称 | 时间 | 人数 | 金额 | 备注, a line per course
    # (财政干部业务培训 20 人 4.00 … 区县预算管理…培训 2285 人 18.80); above it the end of 会议费明细表
    # (its title on p18: untitled here), 决算汇审会 125 人 23.00. Both were `unknown`, 人数 an amount
    ex = extract_document(PAGES / "C050_p19.pdf", PAGES)
    (t,) = [t for t in ex.tables if t.title == "培训费明细表"]
    assert t.table_kind == "meeting_training_detail" and t.unit == "万元"
    rows = _rows(ex, t)
    got = _amounts(ex, t)
    assert len(rows) == 7 and set(got) == {(r.row_number, "total") for r in rows}
    assert rows[0].name == "财政干部业务培训" and got[(rows[0].row_number, "total")] == Decimal("4.00")
    assert json.loads(rows[0].text_cells)["人数"] == "20"
    assert got[(rows[-1].row_number, "total")] == Decimal("18.80")
    assert json.loads(rows[-1].text_cells)["人数"] == "2285"
    meeting = next(t for t in ex.tables if t.title != "培训费明细表")
    first = _rows(ex, meeting)[0]
    assert first.name == "决算汇审会" and json.loads(first.text_cells)["人数"] == "125"
    assert _amounts(ex, meeting)[(first.row_number, "total")] == Decimal("23.00")
    assert {k for _, k in _amounts(ex, meeting)} == {"total"}


def test_a_contents_page_is_no_table():
    # C042 pp2–3 (长沙市信访局): 目 录, 第二部分 2026年部门预算表 then 1、部门收支总表 … 10、部门整体支出
    # 绩效目标表, each line boxed; p3 a note (注：以上部门预算报表中，空表表示…). The boxed lines were a
    # table whose amounts were the list numbers 1 … 10, and the last title, over the note, a table
    ex = extract_document(PAGES / "C042_p2-3.pdf", PAGES)
    assert not ex.tables and not ex.table_rows and not ex.table_amounts


def test_a_column_of_scores_is_no_amount():
    # C061 p29 (佛山市轨道交通局 决算): 项目名称 | 自评分数 under the prose of the 绩效自评: 质量抽检和试验
    # 检测管理 100, 2019年度聘请专家人员经费 96.53 … — scores, staged as amounts of an unknown table
    ex = extract_document(PAGES / "C061_p29.pdf", PAGES)
    assert not [a for a in ex.table_amounts if a.amount is not None]
    rows = {r.name: r for r in ex.table_rows}
    assert json.loads(rows["2019年度聘请专家人员经费"].text_cells) == {"自评分数": "96.53"}
    assert json.loads(rows["广佛两市轨道交通系统一体化规划"].text_cells) == {"自评分数": "100"}


def test_a_table_continued_in_a_frame_of_fewer_ruled_cells_is_one_table():
    # C085 pp15–16 (江苏省高级人民法院 政府采购预算表): p15 an 18-cell frame (each printed column three
    # ruled cells), p16 goes on in a 6-cell frame of the same columns: 会议费 1.51 … 办公房租赁费 180.00,
    # above the frame, its top border missing, its first row 计算机设备维修和保 / 养服务 | 分散自行组织 |
    # 2.00 (审判专项业务费 11.00 = 其他信息技术服务 9.00 on p15 + this 2.00). p16 was a table of its
    # own, `unknown`, titled by the end of the wrapped name (养服务), and its first row was lost
    ex = extract_document(PAGES / "C085_p15-16.pdf", PAGES)
    assert not [t for t in ex.tables if t.page == 2]
    (t,) = [t for t in ex.tables if t.table_kind == "government_procurement"]
    assert (t.readings, t.n_reading_differences) == ("agree", 0)
    rows = _rows(ex, t)
    got = _amounts(ex, t)
    assert got[(rows[0].row_number, "total")] == Decimal("4641.62")
    on_p16 = [r for r in rows if r.page == 2]
    assert on_p16[0].name == "计算机设备维修和保养服务" and got[(on_p16[0].row_number, "total")] == Decimal("2.00")
    assert json.loads(on_p16[0].text_cells) == {"采购组织形/式": "分散自行组织"}
    assert [r.name for r in on_p16[-2:]] == ["办公房租赁费", "其他房地产服务"]
    assert [got[(r.row_number, "total")] for r in on_p16[-4:]] == [Decimal("430.00"), Decimal("40.00"),
                                                                 Decimal("180.00"), Decimal("180.00")]
    assert {k for _, k in got} == {"total"}


def test_a_title_printed_on_every_page_heads_a_table_of_projects_by_row():
    # C029 pp1–3 (广州市政务服务和数据管理局 项目支出绩效目标表（含转移支付项目）): the title and 部门名称 /
    # 单位：万元 at the top of every page (were dropped as running headers: an untitled `unknown`
    # table), then 项目名称 | 总计 | 财政拨款 | 财政专户拨款 | 其他资金 | 绩效目标 | 绩效指标, a line per
    # project with its targets: 合计 86,246.64, the unit's line 16,926.32, 广州12345政务服务便民热线平台
    # 运营项目 12,000.00 (p1), 政府网站与政务新媒体提升业务项目 325.23 (p2), 职称评审经费 34.32 (p3)
    ex = extract_document(PAGES / "C029_p1-3.pdf", PAGES)
    (t,) = ex.tables
    assert t.table_kind == "performance_targets" and t.unit == "万元"
    rows = _rows(ex, t)
    got = _amounts(ex, t)
    assert rows[0].name == "合计" and got[(rows[0].row_number, "total")] == Decimal("86246.64")
    assert got[(rows[1].row_number, "fiscal_appropriation")] == Decimal("16926.32")
    projects = {p.project_name: p for p in ex.projects}
    assert len(projects) == 19 and "合计" not in projects and "广州市政务服务和数据管理局" not in projects
    assert projects["广州12345政务服务便民热线平台运营项目"].amount == Decimal("12000.00")
    assert projects["政府网站与政务新媒体提升业务项目"].amount == Decimal("325.23")
    assert projects["职称评审经费"].amount == Decimal("34.32")
    assert {p.source_kind for p in projects.values()} == {"performance_table"}
    assert "绩效目标" in json.loads(next(r for r in rows if r.name == "职称评审经费").text_cells)
