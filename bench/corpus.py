"""`make bench-corpus [CORPUS=dir]`: how well the documents of a folder are read, with no golden.

Budget tables carry their own checksums (Σ rows = 合计, 类 = Σ 款 = Σ 项, 基本 + 项目 = 合计,
人员 + 公用 = 合计); :mod:`extractors.tables.closure` checks them on every amount table the
pipeline read. Runs the whole pipeline on the folder (default ``../shared/corpus``) and writes
``build/bench/corpus/report.md`` plus CSVs (``tables.csv`` one row per table, ``failures.csv``
one row per checksum that does not close, ``entities.csv`` functional facts vs stated totals):

* per document: tables by kind and page, the amount tables whose own arithmetic closes,
  functional facts vs the stated total, findings (fail) per rule, load warnings;
* corpus totals: the share of amount tables that close, entities whose facts equal the stated
  total, unknown tables that carry amounts, fails by rule.

    python -m bench.corpus [--corpus DIR] [--warehouse PATH (skip the build)] [--out DIR]
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from extractors.tables.closure import CLOSING_KINDS, closure_of

from .common import BENCH_DIR, ROOT, build_warehouse, log

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def table_closures(con) -> list[dict]:
    """One dict per staged table: kind, page, unit, closure (None for tables without amounts)."""
    rows = defaultdict(list)
    for sf, tid, rn, kind, code, name, block, parent in con.execute(
            "select source_file, table_id, row_number, row_kind, code, name, block_code, parent_row "
            "from staging.table_rows").fetchall():
        rows[(sf, tid)].append((rn, kind, code, name, block, parent))
    amts = defaultdict(list)
    for sf, tid, rn, key, amt, raw, side in con.execute(
            "select source_file, table_id, row_number, column_key, amount, amount_raw, side "
            "from staging.table_amounts").fetchall():
        amts[(sf, tid)].append((rn, key, amt, raw, side))
    out = []
    cols = {c for (c,) in con.execute("select column_name from information_schema.columns "
                                        "where table_schema = 'staging' and table_name = 'tables'").fetchall()}
    readings = "readings, n_reading_cells, n_reading_differences" if "readings" in cols else "null, null, null"
    for sf, tid, kind, title, page, unit, empty, dup, n_rows, verdict, n_cells, n_diff in con.execute(
            "select source_file, table_id, table_kind, title, page, unit, is_empty, is_duplicate_copy, n_rows, "
            f"{readings} from staging.tables order by source_file, table_id").fetchall():
        key = (sf, tid)
        n_amounts = sum(1 for a in amts.get(key, []) if a[2] is not None)
        rec = {"source_file": sf, "table_id": tid, "kind": kind, "title": title, "page": page, "unit": unit,
               "is_empty": empty, "is_duplicate_copy": dup, "n_rows": n_rows, "n_amounts": n_amounts,
               "closure": None, "readings": verdict, "n_reading_cells": n_cells, "n_reading_differences": n_diff}
        if kind in CLOSING_KINDS and not empty and n_amounts:
            rec["closure"] = closure_of(rows.get(key, []), amts.get(key, []))
        out.append(rec)
    return out


def entity_totals(con) -> list[tuple]:
    """(source_files, entity, stated total, Σ functional facts, n facts, has functional table,
    stated 一般公共预算 expenditure, Σ functional facts of that fund, does the 支出总表 print
    function codes)."""
    return con.execute("""
        select e.source_files, e.entity_name, s.total_wan, s.function_facts_wan, s.n_function_facts,
               exists (select 1 from staging.tables t
                       where list_contains(string_split(e.source_files, ';'), t.source_file)
                         and t.table_kind in ('expenditure_summary', 'general_budget_expenditure')
                         and not t.is_empty) as has_function_table,
               s.general_budget_wan, s.function_facts_general_budget_wan,
               exists (select 1 from staging.tables t join staging.table_rows r using (source_file, table_id)
                       where list_contains(string_split(e.source_files, ';'), t.source_file)
                         and t.table_kind = 'expenditure_summary' and r.code_system = 'functional')
                   as summary_by_function
        from marts.dim_budget_entity e join marts.rpt_entity_summary s using (entity_id)
        order by 1, 2""").fetchall()


def _near(a, b) -> bool:
    return a is not None and b is not None and abs(Decimal(a) - Decimal(b)) <= Decimal("0.5")


def in_fund_scope(total, facts, gb, facts_gb, summary_by_function) -> bool:
    """Functional facts that are not the stated total but are the whole of the one fund the document
    prints by function: every fact is 一般公共预算, they add up to the stated 一般公共预算 expenditure,
    and the 支出总表 prints no function code, so the other funds' share of the total (上年结转,
    上年实户资金余额, 80 万元 of 其他资金: 西安 C054/C056, 江苏 C075) is printed by no function at all."""
    return (not _near(total, facts) and _near(facts, facts_gb) and _near(facts, gb)
            and not summary_by_function and total is not None and Decimal(total) > Decimal(facts))


def status_of(rec: dict) -> str:
    return "-" if rec["closure"] is None else rec["closure"].status


def report(con, out_dir: Path) -> tuple[str, dict]:
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = table_closures(con)
    ents = entity_totals(con)
    fails = con.execute("""
        select split_part(e.source_file, ';', 1), r.rule_id, count(*)
        from marts.fct_reconciliation r join marts.dim_budget_entity e using (entity_id)
        where r.status = 'fail' group by 1, 2""").fetchall()
    warns = dict(con.execute("select source_file, count(*) from staging.load_errors where severity = 'warning' "
                             "group by 1").fetchall())
    errors = dict(con.execute("select source_file, string_agg(error, '; ') from staging.load_errors "
                              "where severity = 'error' group by 1").fetchall())
    docs = sorted({t["source_file"] for t in tables} | set(warns) | set(errors))

    with open(out_dir / "tables.csv", "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["source_file", "table_id", "page", "kind", "title", "unit", "n_rows", "n_amounts",
                    "duplicate_copy", "closure", "n_checks", "n_failures", "readings", "n_reading_cells",
                    "n_reading_differences"])
        for t in tables:
            c = t["closure"]
            w.writerow([t["source_file"], t["table_id"], t["page"], t["kind"], t["title"], t["unit"], t["n_rows"],
                        t["n_amounts"], t["is_duplicate_copy"], status_of(t), c.n_checks if c else "",
                        len(c.failures) if c else "", t["readings"] or "", t["n_reading_cells"] or "",
                        t["n_reading_differences"] if t["n_reading_differences"] is not None else ""])
    with open(out_dir / "failures.csv", "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["source_file", "table_id", "page", "kind", "check", "row_number", "column", "printed",
                    "computed", "difference", "tolerance", "detail"])
        for t in tables:
            for f in (t["closure"].failures if t["closure"] else []):
                w.writerow([t["source_file"], t["table_id"], t["page"], t["kind"], f.check, f.row_number, f.column,
                            f.printed, f.computed, f.difference, f.tolerance, f.detail])
    ent_ok = {}
    with open(out_dir / "entities.csv", "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["source_files", "entity", "stated_total_wan", "function_facts_wan", "n_function_facts",
                    "has_function_table", "equal", "general_budget_wan", "equal_in_fund_scope"])
        for sfs, name, total, facts, n, has, gb, facts_gb, by_function in ents:
            eq = _near(total, facts)
            scope = in_fund_scope(total, facts, gb, facts_gb, by_function)
            ent_ok[(sfs, name)] = (has, eq, scope)
            w.writerow([sfs, name, total, facts, n, has, eq, gb, scope])

    by_doc = defaultdict(list)
    for t in tables:
        by_doc[t["source_file"]].append(t)
    fail_by_doc = defaultdict(Counter)
    for sf, rule, n in fails:
        fail_by_doc[sf][rule] += n
    lines = ["| document | tables (kind@page) | amount tables closing | unknown w/ amounts | facts = stated total | fails | warnings |",
             "|---|---|---:|---:|---|---:|---:|"]
    tot = Counter()
    for sf in docs:
        ts = by_doc.get(sf, [])
        amount_tables = [t for t in ts if t["closure"] is not None and not t["is_duplicate_copy"]]
        checked = [t for t in amount_tables if t["closure"].checked]
        closing = [t for t in checked if t["closure"].closes]
        unknown = [t for t in ts if t["kind"] == "unknown" and t["n_amounts"]]
        kinds = ", ".join(f"{t['kind']}@{t['page']}" + ("" if status_of(t) in ("-", "closes") else f"[{status_of(t)}]")
                          for t in ts if t["kind"] not in ("performance_targets",))
        ents_here = [(k, v) for k, v in ent_ok.items() if sf in k[0].split(";")]
        facts = ", ".join(("=" if eq else "= in fund scope" if scope else "≠") + (" (no fn table)" if not has else "")
                          for _, (has, eq, scope) in ents_here)
        nf = sum(fail_by_doc[sf].values())
        lines.append(f"| {sf} | {kinds[:400] or errors.get(sf, '')[:80]} | {len(closing)}/{len(checked)} | "
                     f"{len(unknown)} | {facts} | {nf} | {warns.get(sf, 0)} |")
        tot["amount_tables"] += len(amount_tables)
        tot["checked"] += len(checked)
        tot["closing"] += len(closing)
        tot["unknown_with_amounts"] += len(unknown)
        tot["fails"] += nf
    fn_ents = [(k, v) for k, v in ent_ok.items() if v[0]]
    tot["entities"] = len(ent_ok)
    tot["entities_with_function_table"] = len(fn_ents)
    tot["entities_facts_equal"] = sum(1 for _, (has, eq, scope) in fn_ents if eq)
    tot["entities_facts_equal_in_fund_scope"] = sum(1 for _, (has, eq, scope) in fn_ents if scope)
    rules = Counter()
    for c in fail_by_doc.values():
        rules.update(c)
    verdicts = Counter(t["readings"] for t in tables if t["readings"])
    tot["tables_read_twice"] = sum(n for v, n in verdicts.items() if v != "single")
    tot["readings_agree"] = verdicts.get("agree", 0)
    tot["readings_differ"] = verdicts.get("differ", 0)
    tot["reading_cells"] = sum(t["n_reading_cells"] or 0 for t in tables if t["readings"] not in (None, "single"))
    tot["reading_cells_differing"] = sum(t["n_reading_differences"] or 0 for t in tables
                                         if t["readings"] not in (None, "single"))
    summary = [
        f"- documents: {len(docs)}; entities: {tot['entities']}",
        f"- amount tables (functional / economic / revenue, not duplicate copies): {tot['amount_tables']}; "
        f"with a checksum: {tot['checked']}; **closing: {tot['closing']} "
        f"({tot['closing'] / max(tot['checked'], 1):.1%})**",
        f"- entities printing a functional table: {tot['entities_with_function_table']}; **functional facts = "
        f"stated total: {tot['entities_facts_equal']}**; equal to the stated total of the one fund printed by "
        f"function (一般公共预算; the other funds' share printed by no function code): "
        f"{tot['entities_facts_equal_in_fund_scope']}",
        f"- unknown tables carrying amounts: **{tot['unknown_with_amounts']}**",
        f"- fail findings: **{tot['fails']}** — " + ", ".join(f"{r} {n}" for r, n in rules.most_common()),
        f"- tables read two independent ways (cells / words): {tot['tables_read_twice']}; "
        + ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items())) + f"; amount cells compared "
        f"{tot['reading_cells']}, read differently {tot['reading_cells_differing']}",
    ]
    text = "## Corpus closure\n\n" + "\n".join(summary) + "\n\n" + "\n".join(lines) + "\n"
    (out_dir / "report.md").write_text(text, encoding="utf-8")
    return text, dict(tot)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.corpus")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--warehouse", type=Path, help="report on this warehouse (skip the build)")
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "corpus")
    a = ap.parse_args(argv)
    import duckdb

    if a.warehouse:
        wh = a.warehouse
    else:
        if not a.corpus.is_dir():
            log(f"no corpus folder {a.corpus} (set CORPUS=dir)")
            return 2
        wh = build_warehouse("corpus_run", a.corpus, "bench-corpus")
        if wh is None:
            return 2
    con = duckdb.connect(str(wh), read_only=True)
    try:
        text, _ = report(con, a.out)
    finally:
        con.close()
    print(text)
    log(f"report: {a.out / 'report.md'} (tables.csv, failures.csv, entities.csv beside it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
