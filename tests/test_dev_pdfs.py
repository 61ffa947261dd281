"""The five development PDFs (tests/fixtures/pdf) through the whole pipeline, checked against
what their pages print (docs/reconciliation.md, section "Development PDFs").

A module-scoped fixture runs ``python -m dagster_project.run`` over tests/fixtures/pdf into a
temporary warehouse; the assertions are transcribed from the pages (page numbers in comments).
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
PDFS = ROOT / "tests" / "fixtures" / "pdf"
CZJ = "sh_putuo_czj_2025_dept_budget.pdf"
GHZY = "sh_putuo_ghzy_2024_dept_final.pdf"
JS_TEXT = "江苏省委办公厅2018年度部门预算公开文件.pdf"
JS_TABLES = "江苏省委办公厅2018年度部门预算公开表.pdf"
JS_NPC = "省人大办公厅2018预算公开.pdf"

# (file, entity, year, Σ function facts = printed 支出 合计, n function facts, n economic facts,
#  Σ economic facts = printed basic-expenditure 合计)
DOCUMENTS = [
    # p15-16 一般公共预算支出功能分类预算表 合计 31,214,205.80 元; 11 项 (2010601 basic + project);
    # p19-20 基本支出经济分类表 合计 25,121,091.00 元, 25 款 × 人员经费/公用经费 columns
    (CZJ, "上海市普陀区财政局", 2025, Decimal("3121.420580"), 12, 50, Decimal("2512.109100")),
    # p10-11 支出决算表 合计 9759.38 (13 项 × basic/project); p16 基本支出决算表 61 款
    # (人员经费合计 4884.09 + 公用经费合计 480.66 = 5364.75, Σ 款 = 5364.74)
    (GHZY, "上海市普陀区规划和自然资源局", 2024, Decimal("9759.38"), 26, 61, Decimal("5364.74")),
    # 公开表 p7 财政拨款支出预算表 合计 24,458.43 (7 项); p8 财政拨款基本支出预算表 合计 10,403.11 (27 款)
    (JS_TEXT, "江苏省委办公厅", 2018, Decimal("24458.43"), 7, 27, Decimal("10403.11")),
    # p13 一般公共预算支出预算表（功能科目） 合计 15,897.44 (14 项, incl. 单位预留机动经费 1,685.72);
    # p14 一般公共预算基本支出预算表（经济科目） 合计 7,877.76 (20 款)
    (JS_NPC, "江苏省人大常委会办公厅", 2018, Decimal("15897.44"), 14, 20, Decimal("7877.76")),
]

# the real discrepancies (docs/reconciliation.md): (file, rule, subject, expected, actual)
REAL_FAILS = {
    # p7 and p8 (items 7-11 of the 编制说明 are printed on both pages; p8's text layer draws items 1-6
    # again above the page's top edge, not printed and not read): 职业年金缴费支出 887.36 万元 vs table
    # p15 873,617 元
    (CZJ, "narrative_vs_table", "function_item:2080506 @ 87#0", "87.361700", "887.360000"),
    (CZJ, "narrative_vs_table", "function_item:2080506 @ 97#0", "87.361700", "887.360000"),
    # the prose truncates 元 to 0.01 万元 instead of rounding (877,080 元 → 87.70, not 87.71)
    (CZJ, "narrative_vs_table", "function_item:2080501 @ 83#0", "87.708000", "87.700000"),
    (CZJ, "narrative_vs_table", "function_item:2101101 @ 91#0", "78.216400", "78.210000"),
    (CZJ, "narrative_vs_table", "function_item:2101101 @ 101#0", "78.216400", "78.210000"),
    (CZJ, "narrative_vs_table", "function_item:2210201 @ 93#0", "204.919700", "204.910000"),
    (CZJ, "narrative_vs_table", "function_item:2210201 @ 103#0", "204.919700", "204.910000"),
    (CZJ, "narrative_vs_table", "function_item:2210203 @ 95#0", "268.776000", "268.770000"),
    (CZJ, "narrative_vs_table", "function_item:2210203 @ 105#0", "268.776000", "268.770000"),
    # p24: "一般公共预算财政拨款基本支出 5377.64 万元" — the all-funds figure of the 支出决算表 (p8) under the
    # 一般公共预算 label; the 一般公共预算财政拨款基本支出决算表 (p16) prints 5364.75. Its next sentence's
    # 人员经费 4896.98 (vs 4884.09) names no fund scope and is no longer compared (rules compare figures
    # of the same scope only)
    (GHZY, "narrative_vs_table", "basic @ 441#0", "5364.750000", "5377.640000"),
    # p21: 9746.50 “占本年支出合计的99.86%” — 9746.50 / 9759.38 = 99.868 %
    (GHZY, "narrative_share_pct", "general_budget_expenditure share @ 363#0", "9745.716868", "9746.500000"),
    # p22: 单位预留机动经费 1685.72 “占10.61%” of 15897.44 — 10.604 %; the three shares are forced to
    # add up to 100 % (49.55 + 39.84 + 10.61)
    (JS_NPC, "narrative_share_pct", "reserve share @ 436#3", "1686.718384", "1685.720000"),
    # p11: 公务用车购置及运行费 411.20 “占“三公”经费的80.92%” of 508.20 (the p12 “三公” table) —
    # 80.913 %; again three shares forced to add up to 100 % (13.77 + 80.92 + 5.31)
    (JS_TEXT, "narrative_share_pct", "vehicle_total share @ 187#1", "411.235440", "411.200000"),
}


@pytest.fixture(scope="module")
def con(dev_pdfs_warehouse):
    import duckdb

    c = duckdb.connect(str(dev_pdfs_warehouse), read_only=True)
    yield c
    c.close()


def _entity(con, source_file):
    return con.execute("select entity_id, entity_name, fiscal_year from marts.dim_budget_entity "
                       "where source_file = ?", [source_file]).fetchone()


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d[0][:14] for d in DOCUMENTS])
def test_entity_year_totals_and_fact_counts(con, doc):
    source_file, name, year, total, n_function, n_economic, economic_total = doc
    entity_id, entity_name, fiscal_year = _entity(con, source_file)
    assert (entity_name, fiscal_year) == (name, year)
    n_f, sum_f = con.execute("select count(*), sum(amount_wan) from marts.fct_function_expenditure "
                             "where entity_id = ?", [entity_id]).fetchone()
    n_e, sum_e = con.execute("select count(*), sum(amount_wan) from marts.fct_economic_expenditure "
                             "where entity_id = ?", [entity_id]).fetchone()
    assert (n_f, n_e) == (n_function, n_economic)
    # the facts add up to the printed totals
    assert sum_f == total and sum_e == economic_total
    stated = con.execute("select total_wan from marts.rpt_entity_summary where entity_id = ?", [entity_id]).fetchone()
    assert stated[0] == total


def test_jiangsu_two_files_are_one_entity(con):
    assert _entity(con, JS_TEXT)[0] == con.execute(
        "select distinct entity_id from marts.fct_function_expenditure where source_ref like ?",
        [JS_TABLES + "%"]).fetchone()[0]


def test_printed_units(con):
    # Shanghai 2025: the fund and classification tables print 单位：元, the “三公” table 单位:万元 (p21)
    units = dict(con.execute("select table_kind, unit from staging.tables where source_file = ?", [CZJ]).fetchall())
    assert units["general_budget_expenditure"] == "元" and units["general_budget_basic_expenditure"] == "元"
    assert units["three_public_expenditure"] == "万元"
    for f in (GHZY, JS_TABLES, JS_NPC):
        assert {u for (u,) in con.execute("select distinct unit from staging.tables where source_file = ?",
                                          [f]).fetchall()} == {"万元"}


def test_entity_unit_is_the_unit_of_its_main_tables_and_facts_keep_each_tables_unit(con):
    # Shanghai 2025: the functional/economic tables print 元, the “三公” table and the prose 万元; the
    # entity's unit is that of its main tables (元). Each printed figure is converted with its own
    # table's unit: 2010601 基本支出 16,093,326.00 元 (p15) = 1,609.3326 万元; 公务接待费 0.95 万元 (p21)
    units = dict(con.execute("select source_file, amount_unit from marts.dim_budget_entity").fetchall())
    assert units == {CZJ: "元", GHZY: "万元", JS_TEXT: "万元", JS_NPC: "万元"}
    figs = con.execute("""select f.table_kind, f.code, f.measure, f.unit_printed, f.amount_printed, f.amount_wan
                          from marts.fct_reported_figure f join marts.dim_budget_entity e using (entity_id)
                          where e.source_file = ? and f.source_kind = 'table'""", [CZJ]).fetchall()
    by_unit = {}
    for kind, _, _, unit, printed, wan in figs:
        by_unit.setdefault((kind, unit), set()).add(wan == (Decimal(printed) / 10000 if unit == "元" else Decimal(printed)))
    assert by_unit[("three_public_expenditure", "万元")] == {True}
    assert by_unit[("general_budget_expenditure", "元")] == {True}
    assert {u for (k, u) in by_unit if k == "three_public_expenditure"} == {"万元"}
    fact = con.execute("""select f.amount_wan from marts.fct_function_expenditure f join marts.dim_budget_entity e
                          using (entity_id) where e.source_file = ? and f.functional_code = '2010601'
                          and f.expenditure_type = 'basic'""", [CZJ]).fetchone()[0]
    assert fact == Decimal("1609.3326")
    reception = con.execute("""select amount_wan from marts.fct_three_public_expense f join marts.dim_budget_entity e
                               using (entity_id) where e.source_file = ? and item = 'official_reception'""",
                            [CZJ]).fetchone()[0]
    assert reception == Decimal("0.95")


def test_three_public_final_account_is_the_outcome(con):
    # ghzy p17: 预算数 2.85 / 决算数 0.39 (公务接待费); the fact is the 决算数
    entity_id = _entity(con, GHZY)[0]
    items = dict(con.execute("select item, amount_wan from marts.fct_three_public_expense where entity_id = ?",
                             [entity_id]).fetchall())
    assert items["official_reception"] == Decimal("0.39")


def test_jiangsu_npc_three_public_and_operating_cost(con):
    # p15: 合计 2542.60 = “三公” 833.60 (因公出国 222.50 + 公务用车运行维护费 183.60 + 公务接待费 427.50)
    # + 会议费 1305.25 + 培训费 403.75; p16 机关运行经费 1579.38 = 公用经费 (p12 302 商品和服务支出)
    entity_id = _entity(con, JS_NPC)[0]
    items = dict(con.execute("select item, amount_wan from marts.fct_three_public_expense where entity_id = ?",
                             [entity_id]).fetchall())
    assert items == {"overseas_travel": Decimal("222.5"), "vehicle_operation": Decimal("183.6"),
                     "official_reception": Decimal("427.5"), "meeting": Decimal("1305.25"),
                     "training": Decimal("403.75")}
    status = dict(con.execute("select rule_id || ' ' || subject, status from marts.fct_reconciliation "
                              "where entity_id = ? and rule_id like 'three_public%'", [entity_id]).fetchall())
    assert status and set(status.values()) == {"pass"}
    summary = con.execute("select three_public_wan, operating_cost_wan, personnel_wan, public_wan "
                          "from marts.rpt_entity_summary where entity_id = ?", [entity_id]).fetchone()
    assert summary == (Decimal("833.6"), Decimal("1579.38"), Decimal("6298.38"), Decimal("1579.38"))


def test_real_discrepancies_fail_with_their_differences(con):
    rows = con.execute("""
        select e.source_file, r.rule_id, r.subject, cast(r.expected_wan as varchar), cast(r.actual_wan as varchar)
        from marts.fct_reconciliation r join marts.dim_budget_entity e using (entity_id)
        where r.status = 'fail'""").fetchall()
    # every fail is a documented real discrepancy, and every documented one fails
    assert set(rows) == REAL_FAILS


def test_no_classification_fail(con):
    assert con.execute("select count(*) from marts.fct_reconciliation "
                       "where rule_id = 'classification_in_catalog' and status = 'fail'").fetchone()[0] == 0


def test_no_load_errors(con):
    assert con.execute("select count(*) from staging.load_errors").fetchone()[0] == 0


def test_summary_vs_fiscal_summary_on_each_layout(con):
    """The grand total of expenditure is printed 支出总计 (Shanghai 2025), 总计 (Shanghai 决算, whose
    收支总表 also counts 年初结转和结余 112.88: other funds, not comparable) or only 支出合计 (Jiangsu
    2018, whose “1.一般公共预算” line is part of 一、财政拨款, not another fund)."""
    got = {r[0]: r[1:] for r in con.execute("""
        select e.source_file, r.status, cast(r.expected_wan as varchar), cast(r.actual_wan as varchar)
        from marts.fct_reconciliation r join marts.dim_budget_entity e using (entity_id)
        where r.rule_id = 'summary_vs_fiscal_summary'""").fetchall()}
    assert got == {
        "sh_putuo_czj_2025_dept_budget.pdf": ("pass", "3121.420580", "3121.420580"),
        "sh_putuo_ghzy_2024_dept_final.pdf": ("not_applicable", "9859.380000", "9746.500000"),
        "江苏省委办公厅2018年度部门预算公开文件.pdf": ("pass", "24458.430000", "24458.430000"),
        "省人大办公厅2018预算公开.pdf": ("pass", "15897.440000", "15897.440000"),
    }


def test_three_public_item_shares_are_of_the_three_public_total(con):
    """占“三公”经费的…%: of the “三公” total the prose states above (Shanghai 决算 p25: 0.39), else of
    the one the “三公” table prints (Jiangsu 2018: 833.60 省人大 p16, 508.20 委办 p12)."""
    got = {r[0]: r[1:] for r in con.execute("""
        select r.subject || ' ' || e.source_file, r.status, cast(r.expected_wan as varchar), cast(r.actual_wan as varchar)
        from marts.fct_reconciliation r join marts.dim_budget_entity e using (entity_id)
        where r.rule_id = 'narrative_share_pct' and split_part(r.subject, ' ', 1)
              in ('overseas_travel', 'vehicle_total', 'official_reception')""").fetchall()}
    assert got == {
        f"overseas_travel share @ 467#0 {GHZY}": ("pass", "0.000000", "0.000000"),
        f"vehicle_total share @ 467#1 {GHZY}": ("pass", "0.000000", "0.000000"),
        f"official_reception share @ 467#2 {GHZY}": ("pass", "0.390000", "0.390000"),
        # 222.5 / 833.6 = 26.692 %, 183.6 / 833.6 = 22.025 %, 427.5 / 833.6 = 51.284 %
        f"overseas_travel share @ 537#0 {JS_NPC}": ("rounding", "222.487840", "222.500000"),
        f"vehicle_total share @ 537#1 {JS_NPC}": ("rounding", "183.642080", "183.600000"),
        f"official_reception share @ 537#2 {JS_NPC}": ("rounding", "427.470080", "427.500000"),
        f"overseas_travel share @ 187#0 {JS_TEXT}": ("rounding", "69.979140", "70.000000"),
        f"vehicle_total share @ 187#1 {JS_TEXT}": ("fail", "411.235440", "411.200000"),
        f"official_reception share @ 187#2 {JS_TEXT}": ("rounding", "26.985420", "27.000000"),
    }


def test_general_budget_and_all_funds_facts_by_fund_scope(con):
    """Σ general_public_budget facts = the 一般公共预算 table's 合计, Σ of all facts = the all-funds
    total; the 决算 of 上海普陀规划资源 spends 12.88 of other funds on 2120101 (支出决算表 1,105.68 vs
    一般公共预算财政拨款支出决算表 1,092.80): an other_funds fact, not counted twice."""
    got = {r[0]: r[1:] for r in con.execute("""
        select e.source_file, s.total_wan, s.function_facts_wan, s.general_budget_wan, s.function_facts_general_budget_wan
        from marts.rpt_entity_summary s join marts.dim_budget_entity e using (entity_id)""").fetchall()}
    assert got[GHZY] == (Decimal("9759.38"), Decimal("9759.38"), Decimal("9746.5"), Decimal("9746.5"))
    assert got[CZJ] == (Decimal("3121.42058"),) * 4
    assert got[JS_NPC] == (Decimal("15897.44"),) * 4
    other = con.execute("""
        select f.functional_code, f.amount_wan from marts.fct_function_expenditure f
        join marts.dim_budget_entity e using (entity_id)
        where e.source_file = ? and f.fund_scope = 'other_funds'""", [GHZY]).fetchall()
    assert other == [("2120101", Decimal("12.88"))]
