"""The corpus documents copied to tests/fixtures/corpus through the whole pipeline, checked against
what their pages print: the fund-scope split of a document whose 支出总表 and fund tables differ
(C021, golden tests/fixtures/expected_corpus/C021/fund_split.json), and the findings review
(docs/findings/corpus_fails.csv): every `fail` on these documents is a reviewed real discrepancy,
nothing more, nothing less.
"""
from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from bench import findings
from conftest import pipeline_warehouse

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
GOLDEN = ROOT / "tests" / "fixtures" / "expected_corpus"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = pipeline_warehouse(CORPUS, tmp_path_factory.mktemp("corpus_fixtures"))
    yield c
    c.close()


def _d(text):
    return None if text is None else Decimal(text.replace(",", ""))


def _line_amount(line):
    return _d(line["total"]) if line.get("total") else (_d(line.get("basic")) or 0) + (_d(line.get("project")) or 0)


def _facts_by_scope(con, source_file):
    rows = con.execute("""
        select f.fund_scope, f.functional_code, sum(f.amount_wan)
        from marts.fct_function_expenditure f
        join (select distinct entity_id, source_file from marts.dim_budget_entity) e using (entity_id)
        where e.source_file = ? group by 1, 2""", [source_file]).fetchall()
    out = defaultdict(dict)
    for scope, code, amount in rows:
        out[scope][code] = amount
    return out


def test_c021_facts_are_split_by_fund_per_code_as_the_pages_print(con):
    g = json.loads((GOLDEN / "C021" / "fund_split.json").read_text())["tables"]
    summary, gpb, gf = (g[k]["lines"] for k in ("all_funds", "general_public_budget", "government_fund"))
    facts = _facts_by_scope(con, "C021.pdf")
    assert set(facts) == {"general_public_budget", "government_fund", "other_funds"}
    assert facts["general_public_budget"] == {c: _line_amount(v) for c, v in gpb.items()}
    assert facts["government_fund"] == {c: _line_amount(v) for c, v in gf.items()}
    # other funds = all funds − the fund tables, per code, where positive: 2050305 高等职业教育
    # 33,668.32 − 23,156.82 = 10,511.50; 2136902 三峡后续工作 612.40 (in the 支出总表 only)
    other = {}
    for code, line in summary.items():
        rest = _line_amount(line) - (_line_amount(gpb[code]) if code in gpb else 0) - (
            _line_amount(gf[code]) if code in gf else 0)
        assert rest >= 0, code
        if rest:
            other[code] = rest
    assert facts["other_funds"] == other
    assert other["2050305"] == Decimal("10511.50") and other["2136902"] == Decimal("612.40")
    # additive: Σ all facts = Σ the 支出总表's lines (186,549.31; the printed 合计 186,549.30 is within
    # the half-units of its 28 lines), Σ general_public_budget = Σ the 一般公共预算支出表's lines
    total = sum(v for scope in facts.values() for v in scope.values())
    assert total == sum(_line_amount(v) for v in summary.values()) == Decimal("186549.31")
    assert abs(total - _d(g["all_funds"]["total"]["total"])) <= Decimal("0.005") * len(summary)
    # (the 一般公共预算支出表's 总计 column closes: 128,148.56; its 基本/项目 columns are 0.01 high, so
    # lines whose 基本 + 项目 ≠ 总计 are one unspecified amount)
    assert sum(facts["general_public_budget"].values()) == Decimal("128148.56")
    assert abs(sum(facts["general_public_budget"].values()) - _d(g["general_public_budget"]["total"]["total"])) \
        <= Decimal("0.005") * len(gpb)


def test_c021_reports_the_general_budget_total_beside_all_funds(con):
    row = con.execute("""
        select s.total_wan, s.function_facts_wan, s.general_budget_wan, s.function_facts_general_budget_wan
        from marts.rpt_entity_summary s
        join (select distinct entity_id, source_file from marts.dim_budget_entity) e using (entity_id)
        where e.source_file = 'C021.pdf'""").fetchone()
    assert row == (Decimal("186549.3"), Decimal("186549.31"), Decimal("128148.56"), Decimal("128148.56"))


def test_c032_a_fund_line_the_summary_does_not_print_keeps_all_funds_and_fails(con):
    # C032 p20-21: the 一般公共预算支出表 prints 2220102 388.25 that the 支出总表 and its own 合计 do not
    # count: the split is not made (facts stay all_funds) and the contradiction is a finding
    facts = _facts_by_scope(con, "C032.pdf")
    assert set(facts) == {"all_funds"}
    rows = con.execute("""
        select r.status, cast(r.expected_wan as varchar), cast(r.actual_wan as varchar)
        from marts.fct_reconciliation r
        join (select distinct entity_id, source_file from marts.dim_budget_entity) e using (entity_id)
        where e.source_file = 'C032.pdf' and r.rule_id = 'fund_tables_within_summary' and r.status <> 'pass'""").fetchall()
    assert rows == [("fail", "0.000000", "388.250000")]


def test_every_fail_on_the_fixture_documents_is_a_reviewed_real_discrepancy(con):
    fixture_docs = {p.name for p in CORPUS.glob("*.pdf")}
    listed = [r for r in findings.reviewed() if r["file"] in fixture_docs]
    assert {r["verdict"] for r in listed} == {"real"}
    assert {findings.key(r) for r in findings.fails(con)} == {findings.key(r) for r in listed}


def test_revenue_table_lines_add_up_to_their_sources(con):
    # row_total_sum_sources on the page-read revenue tables: C012 p2 (北京, one line: 合计 30,939.12 =
    # 本年收入 1,431.03 + 上年结转结余 29,508.09, and 本年收入 = its 一般公共预算资金 1,431.03, the first
    # of the two 一般公共预算资金 columns: the 上年结转 group repeats it with 29,508.09), C033 p16 (杭州,
    # four lines: the same two sums), C021 p13/p15 (广东, flat: 合计 = Σ sources on each of its 50
    # lines); none of them fails
    rows = con.execute("""
        select e.source_file, r.subject, r.expected_wan, r.actual_wan, r.status
        from marts.fct_reconciliation r
        join (select distinct entity_id, source_file from marts.dim_budget_entity) e using (entity_id)
        where r.rule_id = 'row_total_sum_sources'""").fetchall()
    by_file = defaultdict(list)
    for sf, subject, expected, actual, status in rows:
        by_file[sf].append((subject, expected, actual, status))
    c012 = sorted((s.split(":")[0], e, a, st) for s, e, a, st in by_file["C012.pdf"])
    assert c012 == [("合计 = 本年收入 + 上年结转", Decimal("30939.116470"), Decimal("30939.116470"), "pass"),
                    ("本年收入 = Σ 收入来源", Decimal("1431.026809"), Decimal("1431.026809"), "pass")]
    c033 = sorted(s.split(":")[0] for s, *_ in by_file["C033.pdf"])
    assert c033 == ["合计 = 本年收入 + 上年结转"] * 4 + ["本年收入 = Σ 收入来源"] * 4
    assert len(by_file["C021.pdf"]) == 50 and all(s.startswith("合计 = Σ 收入来源") for s, *_ in by_file["C021.pdf"])
    assert all(st in ("pass", "rounding") for r in by_file.values() for *_, st in r)


def test_staging_keeps_each_cells_column(con):
    # C012 p2 (北京 收入总表): 合计 | 本年收入 小计 | 一般公共预算资金 … 其他收入 | 上年结转结余 小计 |
    # 一般公共预算资金 … 单位资金, one line; the two 一般公共预算资金 columns are told apart by their place
    cells = con.execute("""
        select a.column_index, a.column_key, a.amount_raw
        from staging.table_amounts a join staging.tables t using (source_file, table_id)
        where a.source_file = 'C012.pdf' and t.table_kind = 'revenue_summary' order by 1""").fetchall()
    assert [c[0] for c in cells] == list(range(17))
    assert [(i, raw) for i, key, raw in cells if key == "general_budget"] == [(2, "1,431.026809"), (12, "29,508.089661")]
    assert con.execute("select count(*) from staging.table_amounts where column_index is null").fetchone()[0] == 0


def test_shenzhen_three_public_facts_are_the_budget_years_line(con):
    # C016 p46: the 2026年 line's items (the 2025年 line and the change line are evidence only); they
    # add up to the “三公” total the prose states on p16 (147.90)
    items = dict(con.execute("""
        select item, amount_wan from marts.fct_three_public_expense
        join (select distinct entity_id, source_file from marts.dim_budget_entity) e using (entity_id)
        where e.source_file = 'C016.pdf' and evidence = 'table'""").fetchall())
    assert items == {"overseas_travel": Decimal("115.000000"), "official_reception": Decimal("5.100000"),
                     "vehicle_purchase": Decimal("0.000000"), "vehicle_operation": Decimal("27.800000")}
    assert sum(items.values()) == Decimal("147.90")
