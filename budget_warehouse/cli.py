"""`budget-warehouse`: the pipeline, adding documents, exports, and checking one document.

    budget-warehouse run                 the whole pipeline over the raw dir (= make run)
    budget-warehouse add FILE…           copy documents into the raw dir, then run
    budget-warehouse export [--out DIR]  every mart as Parquet, CSV and one XLSX workbook
    budget-warehouse report [--out DIR]  the HTML findings report (report/ beside the warehouse)
    budget-warehouse check FILE          read one document and print its findings; the warehouse
                                         is not touched (a throw-away one is built in a tmp dir)

The raw dir and the warehouse come from BUDGET_RAW_DIR / BUDGET_WAREHOUSE (defaults raw/ and
warehouse/budget.duckdb of the project), or --raw-dir / --warehouse before the subcommand.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from extractors.corpus import PROJECT_ROOT, raw_dir, warehouse_path

DBT_DIR = PROJECT_ROOT / "dbt"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def pipeline_env(environ: Optional[dict] = None) -> dict:
    """The environment `make run` gives the pipeline (Makefile exports), where not set already."""
    env = dict(os.environ if environ is None else environ)
    env.setdefault("BUDGET_RAW_DIR", str(raw_dir()))
    env.setdefault("BUDGET_WAREHOUSE", str(warehouse_path()))
    env.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / "dagster_home"))
    env.setdefault("DBT_PROFILES_DIR", str(DBT_DIR))
    for k, v in (("DO_NOT_TRACK", "1"), ("DAGSTER_DISABLE_TELEMETRY", "1"), ("GX_ANALYTICS_ENABLED", "False"),
                 ("PYTHONDONTWRITEBYTECODE", "1")):
        env.setdefault(k, v)
    return env


def ensure_manifest() -> None:
    """dbt's manifest, as `make dbt-parse` makes it: parsed when missing or older than the project."""
    manifest = DBT_DIR / "target" / "manifest.json"
    sources = [DBT_DIR / "dbt_project.yml"] + [p for sub in ("models", "seeds", "macros", "tests")
                                               for p in (DBT_DIR / sub).rglob("*") if p.is_file()]
    if manifest.exists() and manifest.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        return
    exe = Path(sys.executable).parent / "dbt"
    log("dbt parse (the manifest is missing or older than the dbt project)")
    subprocess.run([str(exe) if exe.exists() else "dbt", "parse", "--quiet", "--no-use-colors"],
                   cwd=DBT_DIR, env=pipeline_env(), check=True)


def cmd_run(args: argparse.Namespace) -> int:
    os.environ.update(pipeline_env())
    Path(os.environ["BUDGET_WAREHOUSE"]).parent.mkdir(parents=True, exist_ok=True)
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    ensure_manifest()
    from dagster_project.run import main

    return main([])


def cmd_add(args: argparse.Namespace) -> int:
    root = raw_dir()
    files = [Path(f) for f in args.files]
    bad = [f for f in files if not f.is_file()]
    if bad:
        for f in bad:
            log(f"add: {f}: {'no such file' if not f.exists() else 'not a regular file'}; nothing copied")
        return 2
    names: dict[str, Path] = {}
    for f in files:
        if f.name in names and names[f.name].resolve() != f.resolve():
            log(f"add: {f} and {names[f.name]} have the same name {f.name}; nothing copied")
            return 2
        names[f.name] = f
    clashes = [f for f in names.values() if (root / f.name).exists() and not filecmp.cmp(f, root / f.name, shallow=False)]
    if clashes and not args.replace:
        for f in clashes:
            log(f"add: {root / f.name} exists with other content than {f}; nothing copied (--replace overwrites)")
        return 2
    root.mkdir(parents=True, exist_ok=True)
    for f in names.values():
        dest = root / f.name
        if dest.exists() and filecmp.cmp(f, dest, shallow=False):
            log(f"add: {f.name} is already in {root} (same content): kept")
            continue
        shutil.copyfile(f, dest)
        log(f"add: copied {f} → {dest}")
    if args.no_run:
        return 0
    return cmd_run(args)


def cmd_export(args: argparse.Namespace) -> int:
    from .export import FORMATS, export

    formats = tuple(x for part in (args.format or list(FORMATS)) for x in part.split(",") if x)
    try:
        export(warehouse_path(), Path(args.out) if args.out else None, formats)
    except (FileNotFoundError, RuntimeError, ValueError) as exc:
        log(f"export: {exc}")
        return 2
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import duckdb

    from .report import build_report

    try:
        build_report(warehouse_path(), raw_dir(), Path(args.out) if args.out else None, log=log)
    except (OSError, RuntimeError, ValueError, duckdb.Error) as exc:
        log(f"report: {exc}")
        return 2
    return 0


# statuses `check` prints: the failures, or with --all everything that is not a pass
SHOWN = {False: ("fail",), True: ("fail", "incomplete", "unverified", "rounding")}


def cmd_check(args: argparse.Namespace) -> int:
    doc = Path(args.file)
    if not doc.is_file():
        log(f"check: {doc}: {'no such file' if not doc.exists() else 'not a regular file'}")
        return 2
    ensure_manifest()
    tmp = Path(tempfile.mkdtemp(prefix="budget-check-"))
    try:
        (tmp / "raw").mkdir()
        shutil.copyfile(doc, tmp / "raw" / doc.name)
        (tmp / "dagster_home").mkdir()
        shutil.copy(PROJECT_ROOT / "dagster_home" / "dagster.yaml", tmp / "dagster_home" / "dagster.yaml")
        env = pipeline_env({k: v for k, v in os.environ.items()
                            if k not in ("BUDGET_RAW_DIR", "BUDGET_WAREHOUSE", "DAGSTER_HOME", "BUDGET_COUNTS_FILE",
                                         "BUDGET_DBT_UNIT_TESTS", "BUDGET_FORCE_BUILD")})
        env.update(BUDGET_RAW_DIR=str(tmp / "raw"), BUDGET_WAREHOUSE=str(tmp / "budget.duckdb"),
                   DAGSTER_HOME=str(tmp / "dagster_home"))
        log(f"check: reading {doc} (a throw-away warehouse in {tmp}; about a minute)")
        proc = subprocess.run([sys.executable, "-m", "dagster_project.run"], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True)
        if proc.returncode != 0 or not (tmp / "budget.duckdb").exists():
            log(f"check: the pipeline failed on {doc} (exit {proc.returncode}):")
            log((proc.stdout + proc.stderr)[-4000:])
            return 2
        return print_findings(tmp / "budget.duckdb", doc, SHOWN[args.all])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def print_findings(warehouse: Path, doc: Path, statuses: tuple[str, ...]) -> int:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        q = lambda sql, params=(): con.execute(sql, list(params)).fetchall()
        n_fail = 0
        for entity_id, name, year, kind, scope in q(
                "select entity_id, entity_name, fiscal_year, budget_kind, scope from marts.dim_budget_entity "
                "order by not is_primary, entity_code nulls first, entity_name"):
            counts = q("select status, count(*) from marts.fct_reconciliation where entity_id = ? group by 1 order by 1",
                       [entity_id])
            print(f"{name} · {year or '?'} · {kind or '?'} ({scope})")
            print("  findings: " + (", ".join(f"{n} {s}" for s, n in counts) or "none"))
            rows = q(f"""
                select r.status, r.rule_id, l.label_zh, r.subject, r.expected_wan, r.actual_wan, r.difference_wan,
                       r.source_ref, r.message
                from marts.fct_reconciliation r
                left join marts.dim_label l on l.kind = 'rule_id' and l.code = r.rule_id
                where r.entity_id = ? and r.status in ({', '.join('?' * len(statuses))})
                order by list_position(?, r.status), r.source_ref, r.rule_id, r.subject""",
                [entity_id, *statuses, list(statuses)])
            for status, rule, title, subject, exp, act, diff, ref, msg in rows:
                n_fail += status == "fail"
                print(f"  {status:<10} {rule} ({title or '—'}) · {subject}")
                print(f"             expected {_num(exp)}, actual {_num(act)}, difference {_num(diff)} 万元 · {ref}")
                if msg:
                    print(f"             {msg}")
        errs = q("select severity, stage, error from staging.load_errors order by severity, stage")
        if errs:
            print(f"reading: {sum(e[0] == 'error' for e in errs)} errors, {sum(e[0] != 'error' for e in errs)} warnings")
            for sev, stage, err in errs:
                print(f"  {sev}: [{stage}] {err}")
        print(f"check: {doc.name}: {n_fail} fail" + ("" if n_fail == 1 else "s"))
        return 1 if n_fail else 0
    finally:
        con.close()


def _num(v) -> str:
    if v is None:
        return "—"
    s = f"{v:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="budget-warehouse",
        description="Chinese government budget disclosures (部门预算/单位预算/决算) into a reconciled DuckDB warehouse.",
        epilog="Environment: BUDGET_RAW_DIR (documents), BUDGET_WAREHOUSE (the DuckDB file), DAGSTER_HOME.")
    p.add_argument("--raw-dir", metavar="DIR", help="folder of the documents (default $BUDGET_RAW_DIR, else raw/)")
    p.add_argument("--warehouse", metavar="FILE",
                   help="the DuckDB warehouse (default $BUDGET_WAREHOUSE, else warehouse/budget.duckdb)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    s = sub.add_parser("run", help="the whole pipeline over the raw dir (= make run)",
                       description="Extract every new or changed document of the raw dir, build the marts "
                                   "(dbt), run the checks and print a summary. Exit 0 when the pipeline ran, "
                                   "whatever the documents say.")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("add", help="copy documents into the raw dir, then run",
                       description="Copy FILEs into the raw dir (refusing anything that is not a regular file, "
                                   "and a name already there with other content unless --replace), then run "
                                   "the pipeline.")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--replace", action="store_true", help="overwrite a document of the same name and other content")
    s.add_argument("--no-run", action="store_true", help="copy only; do not run the pipeline")
    s.set_defaults(func=cmd_add)

    s = sub.add_parser("export", help="every mart as Parquet, CSV (UTF-8 with BOM) and one XLSX workbook",
                       description="Write every table and view of schema marts into DIR: parquet/<mart>.parquet "
                                   "(exact DECIMAL), csv/<mart>.csv (UTF-8 with BOM for Excel, exact decimals) "
                                   "and marts.xlsx (a sheet per mart, Chinese and English labels beside the "
                                   "codes). The warehouse is opened read-only.")
    s.add_argument("--out", metavar="DIR", help="output folder (default: export/ beside the warehouse)")
    s.add_argument("--format", action="append", metavar="FMT",
                   help="parquet, csv or xlsx (repeat or comma-separate; default all three)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("report", help="the HTML findings report (report/index.html beside the warehouse)",
                       description="Write the static findings report: index.html and one page per document "
                                   "with its entities, totals, a chart of spending by 类 and every finding with "
                                   "its rule (Chinese and English), the two figures and the evidence (a crop of "
                                   "the PDF page, or the source lines). Works offline. The warehouse is opened "
                                   "read-only; the documents are read again from the raw dir.")
    s.add_argument("--out", metavar="DIR", help="output folder (default: report/ beside the warehouse)")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("check", help="read one document and print its findings (the warehouse is not touched)",
                       description="Extract FILE into a throw-away warehouse in a temporary folder (deleted "
                                   "afterwards), run the reconciliation rules and print the findings with "
                                   "their rule, figures and where they are printed (file:p<page>:<line>). "
                                   "Exit 0: no fail; 1: fails found; 2: the file could not be checked.")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--all", action="store_true", help="also print incomplete, unverified and rounding findings")
    s.set_defaults(func=cmd_check)
    return p


def main(argv: Optional[list[str]] = None) -> int:
    args = parser().parse_args(argv)
    if args.raw_dir:
        os.environ["BUDGET_RAW_DIR"] = str(Path(args.raw_dir).resolve())
    if args.warehouse:
        os.environ["BUDGET_WAREHOUSE"] = str(Path(args.warehouse).resolve())
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
