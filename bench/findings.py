"""Compare a warehouse's `fail` findings with the reviewed list (docs/findings/corpus_fails.csv).

    python -m bench.findings --warehouse build/corpus/budget.duckdb [--write]

Prints every fail with its review verdict; fails not in the list are NEW (review them on the
rendered pages, then add them with a verdict and a reason), listed fails the warehouse no longer
reports are GONE. With --write, the list is rewritten with the warehouse's fails, keeping the
verdict and reason of those already reviewed (new ones get verdict 'unreviewed').
Exit status 1 when a fail is unreviewed or not real.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "docs" / "findings" / "corpus_fails.csv"
FIELDS = ["file", "page", "rule_id", "subject", "expected_wan", "actual_wan", "verdict", "reason"]


def fails(con) -> list[dict]:
    """Every `fail` finding of a warehouse (an open DuckDB connection), with its file and page."""
    rows = con.execute("""
            select e.source_file, r.rule_id, r.subject, coalesce(cast(r.expected_wan as varchar), ''),
                   coalesce(cast(r.actual_wan as varchar), ''), r.source_ref
            from marts.fct_reconciliation r
            join (select distinct entity_id, source_file from marts.dim_budget_entity) e using (entity_id)
            where r.status = 'fail'
            order by 1, 2, 3""").fetchall()
    out = []
    for f, rule, subject, exp, act, ref in rows:
        parts = (ref or "").split(":")
        page = next((p[1:] for p in parts if p.startswith("p") and p[1:].isdigit()), "")
        out.append(dict(file=f, page=page, rule_id=rule, subject=subject, expected_wan=exp, actual_wan=act))
    return out


def warehouse_fails(path: Path) -> list[dict]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return fails(con)
    finally:
        con.close()


def reviewed() -> list[dict]:
    if not LIST.exists():
        return []
    with LIST.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def key(r: dict) -> tuple:
    return (r["file"], r["rule_id"], r["subject"], r["expected_wan"], r["actual_wan"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, required=True)
    ap.add_argument("--write", action="store_true", help="rewrite docs/findings/corpus_fails.csv")
    args = ap.parse_args(argv)
    got = warehouse_fails(args.warehouse)
    known = {key(r): r for r in reviewed()}
    bad = 0
    merged = []
    for r in got:
        k = known.pop(key(r), None)
        verdict = k["verdict"] if k else "unreviewed"
        reason = k["reason"] if k else ""
        page = (k or {}).get("page") or r["page"]
        merged.append(dict(r, page=page, verdict=verdict, reason=reason))
        tag = "NEW " if k is None else ""
        bad += verdict != "real"
        print(f"{tag}{verdict:10} {r['file']} p{page} {r['rule_id']} {r['subject']}: "
              f"{r['expected_wan']} vs {r['actual_wan']}  {reason[:100]}")
    for r in known.values():
        print(f"GONE {r['verdict']:10} {r['file']} p{r['page']} {r['rule_id']} {r['subject']}")
    n_files = len({r["file"] for r in got})
    print(f"{len(got)} fails on {n_files} documents; {len(got) - bad} reviewed real, {bad} unreviewed or false; "
          f"{len(known)} listed ones gone")
    if args.write:
        LIST.parent.mkdir(parents=True, exist_ok=True)
        with LIST.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=FIELDS)
            w.writeheader()
            for r in merged:
                w.writerow({k: r.get(k, "") for k in FIELDS})
        print(f"wrote {LIST}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
