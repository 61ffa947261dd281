"""`make bench-accuracy`: how many printed figures end up in the MARTS correctly.

Builds a bench warehouse from raw/ (plus tests/fixtures/pdf/*.pdf and tests/fixtures/corpus/*.pdf,
which have a golden too) with the whole pipeline, then compares the marts with every golden file
under tests/fixtures/expected/ and tests/fixtures/expected_corpus/ (formats: the README of each):

* table figures — tables.json rows (not duplicate copies, non-blank cells) against
  marts.fct_reported_figure (source_kind 'table'), keyed by document, table kind, entity code,
  classification code (rows without a code: pooled per table kind / column / side), column, side;
* prose figures — narrative.json figures against fct_reported_figure (source_kind 'narrative'),
  keyed by document, line and measure;
* stated totals — the headline figures a corpus golden reads off the prose (stated_totals: 收入 / 支出
  / 财政拨款 / 一般公共预算支出 / 基本 / 项目 / 人员 / 公用 / “三公” / 机关运行经费 totals) against the
  prose figures of the file (fct_reported_figure, source_kind 'narrative'), by measure and amount;
* projects — narrative.json projects against marts.fct_project (name, or a name that extends it, and amount);
* project lists — projects.json (the 项目支出表 read off its pages: projects, and the lines grouping
  them) against the marts' projects listed in the file's tables; extras are lines read as projects
  that are not (a unit's line, a project type, a 一级项目: their figures counted twice);
* indicators — performance.json indicators (less known_gaps) against
  marts.fct_performance_indicator (level1, level2, indicator → target value);
* facts — every row of fct_function_expenditure / fct_economic_expenditure must be a printed
  leaf of the golden tables (same code, same amount in the basic/project/total column).

Within a key, amounts are matched as multisets: equal = found, left over on both sides = wrong,
left over expected = missing, left over in the marts = extra (extras of prose figures counted only
for the golden's complete_measures; of subset goldens (the PDF), not at all).

    python -m bench.accuracy [--min 0.95] [--warehouse PATH (skip the build)]
Exit 1 when found / expected of the figures (tables + prose) is below --min.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from .common import BENCH_DIR, ROOT, build_warehouse, log

EXPECTED = ROOT / "tests" / "fixtures" / "expected"
# page-read goldens of development-corpus documents (tests/fixtures/corpus/*.pdf)
EXPECTED_CORPUS = ROOT / "tests" / "fixtures" / "expected_corpus"
SOURCES = [ROOT / "raw", ROOT / "tests" / "fixtures" / "pdf", ROOT / "tests" / "fixtures" / "corpus"]
WAN = Decimal(10000)


def _d(s) -> Decimal:
    return Decimal(str(s)).normalize() if s is not None else None


def build_corpus(dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for src in SOURCES:
        for p in sorted(src.iterdir()):
            if p.is_file() and not p.name.startswith(".") and p.name != "README.md":
                shutil.copy(p, dest / p.name)
    return dest


def _col(kind: str, col: str) -> str:
    """One name per column meaning: the one amount column of a 机关运行经费 table is its total,
    whether a golden calls it `operating_cost` (C040, C071) or `total` (省人大 2018)."""
    return "total" if kind == "operating_cost" and col == "operating_cost" else col


def source_file_of(stem: str, corpus: Path) -> str | None:
    for p in corpus.iterdir():
        if p.stem == stem:
            return p.name
    return None


_HALF_WIDTH = str.maketrans("（）：％，", "():%,")


def _sq(text) -> str:
    """Spaces removed, full-width brackets, colon, per cent and comma as their half-width forms (a text
    layer and the page's glyphs may differ in them: 观测系统业务可用性（国家地面站）, C023 p19)."""
    return re.sub(r"\s+", "", text or "").translate(_HALF_WIDTH)


def _target(text, comparator, value, unit) -> tuple:
    """What an indicator's target is compared by: its comparison, number and unit when it is one
    number, else its printed words (spaces removed)."""
    if value is not None:
        return (comparator, _d(value), _sq(unit) or None)
    return ("text", _sq(text))


def _like(a: str, b: str) -> bool:
    """One name in the other, or (six characters or more) one character apart."""
    if a in b or b in a:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) < len(b):
        a, b = b, a
    if len(a) > len(b):
        return any(a[:i] + a[i + 1:] == b for i in range(len(a)))
    return sum(x != y for x, y in zip(a, b)) == 1


def _page_read_performance(con, sf: str, data: dict, res: dict) -> None:
    """A corpus performance golden (tests/fixtures/expected_corpus/<C>/performance.json, read off the
    rendered pages it lists): its projects (name → amount) and indicators ((一级, 二级, 三级) → target)
    against the marts' rows of the file; the marts' rows of pages it does not cover are not extras."""
    exp = defaultdict(list)
    for p in data.get("projects", []):
        amount = p.get("amount")
        if amount is not None and p.get("unit") == "元":
            amount = Decimal(str(amount)) / WAN
        exp[_sq(p["project_name"])].append(_d(amount))
    act = defaultdict(list)
    for name, amt in _file_projects(con, sf):
        name = _sq(name)
        if name not in exp:  # the 项目支出表's name of the form's project (2026信访专项经费 for the
            # form's 2026年信访专项经费: fct_project keeps the table's), same amount
            name = next((g for g, amts in exp.items() if _d(amt) in amts and _like(g, name)), name)
        act[name].append(_d(amt))
    res["projects"].match(exp, act, count_extra=False)
    exp = defaultdict(list)
    for _page, l1, l2, ind, text, comp, val, unit in data["indicators"]:
        exp[(_sq(l1), _sq(l2), _sq(ind))].append(_target(text, comp, val, unit))
    act = defaultdict(list)
    for l1, l2, ind, text, comp, val, unit in _fetch(con, """
            select i.level1, i.level2, i.indicator, i.target_text, i.comparator, i.target_value, i.target_unit
            from marts.fct_performance_indicator i
            where split_part(i.source_ref, ':', 1) = ?""", sf):
        act[(_sq(l1), _sq(l2), _sq(ind))].append(_target(text, comp, val, unit))
    res["indicators"].match(exp, act, count_extra=False)


def _page_read_projects(con, sf: str, data: dict, res: dict) -> None:
    """A corpus project-list golden (tests/fixtures/expected_corpus/<C>/projects.json, read off the
    项目支出表's rendered pages): its projects (name → amount) against the marts' projects the file's
    tables list (fct_project mentioned in a table); a line the golden calls a group (a unit's line,
    a project type, a 一级项目) or any other line read as a project is an extra: counted twice."""
    scale = WAN if data.get("unit") == "元" else Decimal(1)
    exp = defaultdict(list)
    for p in data["projects"]:
        exp[_sq(p["project_name"])].append(_d(p["amount"]) / scale if p.get("amount") is not None else None)
    act = defaultdict(list)
    for name, amt in _file_projects(con, sf, listed_in_table=True):
        act[_sq(name)].append(_d(amt))
    res["project lists"].match(exp, act)


class Tally:
    FIELDS = ("expected", "found", "wrong", "missing", "extra")

    def __init__(self):
        self.c = Counter()

    def match(self, expected: dict, actual: dict, count_extra: bool = True) -> None:
        """expected / actual: key → list of amounts."""
        for key in set(expected) | set(actual):
            e, a = Counter(expected.get(key, [])), Counter(actual.get(key, []))
            found = sum((e & a).values())
            e_left, a_left = sum((e - a).values()), sum((a - e).values())
            if e_left and os.environ.get("BENCH_ACCURACY_DEBUG"):  # list what is missed, key by key
                print("MISS", key, sorted(e - a), "actual", sorted(a - e)[:6])
            wrong = min(e_left, a_left)
            self.c["expected"] += sum(e.values())
            self.c["found"] += found
            self.c["wrong"] += wrong
            self.c["missing"] += e_left - wrong
            if count_extra:
                self.c["extra"] += a_left - wrong

    def __iadd__(self, other: "Tally"):
        self.c.update(other.c)
        return self

    def row(self) -> list:
        return [self.c[f] for f in self.FIELDS]


def _fetch(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def _file_projects(con, sf: str, listed_in_table: bool = False) -> list:
    """(name, amount_wan) of the marts' projects of the entities a file discloses (with
    ``listed_in_table``, only those a table of it lists)."""
    return _fetch(con, """
        select p.project_name, p.amount_wan from marts.fct_project p
        join marts.dim_budget_entity e using (entity_id)
        where list_contains(string_split(e.source_files, ';'), ?)""" + (
        "\n          and list_contains(string_split(p.mentioned_in, ','), 'table')" if listed_in_table else ""), sf)


def compare(con, corpus: Path) -> dict:
    """{document: {section: Tally}} over every golden directory whose document is in the corpus."""
    out: dict[str, dict[str, Tally]] = {}
    for gdir in sorted(p for d in (EXPECTED, EXPECTED_CORPUS) if d.is_dir() for p in d.iterdir() if p.is_dir()):
        sf = source_file_of(gdir.name, corpus)
        if sf is None:
            log(f"  (no document for golden {gdir.name}: skipped)")
            continue
        res = out.setdefault(sf, defaultdict(Tally))
        figs = _fetch(con, """
            select f.source_kind, f.table_kind, f.code, f.measure, f.side, e.entity_code, f.amount_wan,
                   f.source_ref
            from marts.fct_reported_figure f join marts.dim_budget_entity e using (entity_id)
            where split_part(f.source_ref, ':', 1) = ?""", sf)  # the figures printed in this file
        # rows whose code is not printed but inferred from their name (extractors.tables.names):
        # the goldens, read off the page, give them no code
        inferred = {f"{sf}:p{pg}:{ln}" for pg, ln in _fetch(con, """
            select page, line_number from staging.table_rows
            where source_file = ? and code is not null and code_raw is null""", sf)}
        # ---- tables
        tpath = gdir / "tables.json"
        if tpath.exists():
            data = json.loads(tpath.read_text())
            subset = isinstance(data, dict)
            tables = data["tables"] if subset else data
            exp = defaultdict(list)
            kinds = set()
            for t in tables:
                if t.get("is_duplicate_copy"):
                    continue
                kinds.add(t["kind"])
                scale = WAN if t.get("unit") == "元" else Decimal(1)
                if "figures" in t:  # a subset golden that lists only the printed amounts of a table
                    exp[(t["kind"], "figures")] += [(Decimal(v) / scale).normalize() for v in t["figures"]]
                    continue
                for row in t["rows"]:
                    if subset:
                        row_kind, code, name, amounts = row
                        side, ent = None, None
                    else:
                        row_kind, code, name, side, ent, amounts = row
                    for col, v in amounts.items():
                        if v is None or col.startswith("other:"):
                            continue
                        key = (t["kind"], None if subset else ent, code or "*", _col(t["kind"], col.rstrip("'")), side)
                        exp[key].append((Decimal(v) / scale).normalize())
            act = defaultdict(list)
            for kind, tkind, code, measure, side, ent, amt, ref in figs:
                if kind != "table" or (subset and tkind not in kinds) or measure.startswith("other:"):
                    continue
                if (tkind, "figures") in exp:
                    act[(tkind, "figures")].append(_d(amt))
                    continue
                printed = None if ref in inferred else code
                if subset and not printed and (tkind, None, "*", _col(tkind, measure), side) not in exp:
                    continue
                act[(tkind, None if subset else ent, printed or "*", _col(tkind, measure), side)].append(_d(amt))
            res["table figures"].match(exp, act, count_extra=not subset)
            # ---- the headline figures the prose states (corpus goldens): each (measure, amount)
            # read off the page is found when the prose reader took a sentence of this file for
            # that measure with that amount (any line: the golden names one statement of several)
            stated = data.get("stated_totals") if subset else None
            if stated:
                said = defaultdict(set)
                for kind, tkind, code, measure, side, ent, amt, ref in figs:
                    if kind == "narrative" and amt is not None:
                        said[measure].add(_d(amt))
                exp, act = defaultdict(list), defaultdict(list)
                for st in stated:
                    amt = (Decimal(str(st["amount"])) / (WAN if st.get("unit") == "元" else Decimal(1))).normalize()
                    key = (st["measure"], amt)
                    if key in exp:
                        continue  # the same figure stated twice (basic on p20 and p21)
                    exp[key].append(amt)
                    if amt in said.get(st["measure"], ()):
                        act[key].append(amt)
                res["stated totals"].match(exp, act, count_extra=False)
        # ---- prose
        npath = gdir / "narrative.json"
        if npath.exists():
            data = json.loads(npath.read_text())
            complete = set(data.get("complete_measures", []))
            exp = defaultdict(list)
            for f in data["figures"]:
                if f.get("amount") is not None:
                    exp[(f["line"], f["measure"])].append(_d(f["amount"]))
            act, extra_ok = defaultdict(list), defaultdict(list)
            for kind, tkind, code, measure, side, ent, amt, ref in figs:
                if kind != "narrative" or amt is None:
                    continue
                line = int(ref.rsplit(":", 1)[1])
                key = (line, measure)
                if key in exp:
                    act[key].append(_d(amt))
                elif measure in complete:
                    extra_ok[key].append(_d(amt))
            res["prose figures"].match(exp, act)
            res["prose figures"].match({}, extra_ok)
            # projects
            if data.get("projects"):
                exp = defaultdict(list)
                for p in data["projects"]:
                    exp[p["project_name"]].append(_d(p.get("amount")))
                act = defaultdict(list)
                for name, amt in _file_projects(con, sf):
                    if name not in exp:  # fct_project keeps the table's name where it extends the prose one
                        name = next((g for g in exp if name.startswith(g)), name)
                    act[name].append(_d(amt))
                res["projects"].match(exp, {k: v for k, v in act.items() if k in exp}, count_extra=False)
        # ---- project lists (项目支出表)
        jpath = gdir / "projects.json"
        if jpath.exists():
            _page_read_projects(con, sf, json.loads(jpath.read_text()), res)
        # ---- indicators
        ppath = gdir / "performance.json"
        data = json.loads(ppath.read_text()) if ppath.exists() else None
        if data is not None and "pages" in data:
            _page_read_performance(con, sf, data, res)
        elif data is not None:
            gaps = {tuple(g) for g in data.get("known_gaps", [])}
            exp = defaultdict(list)
            for tid, l1, l2, ind, text, comp, val, unit in data["indicators"]:
                if (tid, ind) not in gaps:
                    exp[(l1, l2, ind)].append((text, _d(val)))
            act = defaultdict(list)
            for l1, l2, ind, text, val in _fetch(con, """
                    select i.level1, i.level2, i.indicator, i.target_text, i.target_value
                    from marts.fct_performance_indicator i join marts.dim_budget_entity e using (entity_id)
                    where list_contains(string_split(e.source_files, ';'), ?)""", sf):
                act[(l1, l2, ind)].append((text, _d(val)))
            res["indicators"].match(exp, act)
        # ---- additive facts: every fact row is a printed leaf of the golden tables
        if tpath.exists() and not isinstance(json.loads(tpath.read_text()), dict):
            leaf = defaultdict(set)
            for t in json.loads(tpath.read_text()):
                for row_kind, code, name, side, ent, amounts in t["rows"]:
                    if code and row_kind == "detail":
                        for col, v in amounts.items():
                            if v is not None:
                                leaf[code].add(_d(v))
            exp, act = defaultdict(list), defaultdict(list)
            for code, amt in _fetch(con, """
                    select f.functional_code, f.amount_wan from marts.fct_function_expenditure f
                    join marts.dim_budget_entity e using (entity_id) where list_contains(string_split(e.source_files, ';'), ?)
                    union all
                    select f.economic_code, f.amount_wan from marts.fct_economic_expenditure f
                    join marts.dim_budget_entity e using (entity_id) where list_contains(string_split(e.source_files, ';'), ?)""", sf, sf):
                a = _d(amt)
                act[code].append(a)
                if a in leaf.get(code, ()):
                    exp[code].append(a)
            res["facts (fct_function/economic)"].match(exp, act)
    return out


SECTIONS = ("table figures", "prose figures", "stated totals", "projects", "project lists", "indicators", "facts (fct_function/economic)")


def report(results: dict) -> tuple[str, float]:
    lines = ["| document | section | expected | found | wrong | missing | extra |",
             "|---|---|---:|---:|---:|---:|---:|"]
    totals = defaultdict(Tally)
    for doc, secs in results.items():
        for s in SECTIONS:
            if s in secs:
                lines.append(f"| {doc} | {s} | " + " | ".join(str(x) for x in secs[s].row()) + " |")
                totals[s] += secs[s]
    lines.append("")
    lines.append("| overall | expected | found | wrong | missing | extra | found / expected |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    fig = Tally()
    for s in SECTIONS:
        if s in totals:
            r = totals[s].row()
            lines.append(f"| {s} | " + " | ".join(str(x) for x in r) + f" | {r[1] / max(r[0], 1):.1%} |")
            if s in ("table figures", "prose figures"):
                fig += totals[s]
    r = fig.row()
    acc = r[1] / max(r[0], 1)
    lines.append(f"| **figures (tables + prose)** | " + " | ".join(str(x) for x in r) + f" | **{acc:.1%}** |")
    return "\n".join(lines), acc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.accuracy")
    ap.add_argument("--min", type=float, default=0.95, help="minimum found/expected of the figures")
    ap.add_argument("--warehouse", type=Path, help="compare this warehouse (skip the build)")
    a = ap.parse_args(argv)
    import duckdb

    corpus = build_corpus(BENCH_DIR / "accuracy_raw")
    if a.warehouse:
        wh = a.warehouse
    else:
        wh = build_warehouse("accuracy", corpus, "bench-accuracy")
        if wh is None:
            return 2
    con = duckdb.connect(str(wh), read_only=True)
    try:
        text, acc = report(compare(con, corpus))
    finally:
        con.close()
    out = f"## Accuracy (marts vs golden files)\n\n{text}\n\nthreshold {a.min:.0%}: " \
          f"{'met' if acc >= a.min else 'MISSED'} ({acc:.1%})\n"
    print(out)
    (BENCH_DIR).mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "accuracy.md").write_text(out)
    return 0 if acc >= a.min else 1


if __name__ == "__main__":
    sys.exit(main())
