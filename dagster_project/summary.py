"""The short summary `make run` ends with."""
from __future__ import annotations

from pathlib import Path

from extractors.load import connect

MARTS = ["dim_budget_entity", "fct_function_expenditure", "fct_economic_expenditure", "fct_revenue",
         "fct_three_public_expense", "fct_project", "fct_performance_indicator", "fct_reported_figure",
         "fct_reconciliation", "rpt_classification_issues"]


def mart_counts(warehouse) -> dict[str, int]:
    """Rows per mart of a DuckDB file (a path) or a DuckLake (a ducklake: catalog)."""
    con = connect(warehouse, read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' and table_catalog = current_database() order by 1").fetchall()]
        return {n: con.execute(f"select count(*) from marts.{n}").fetchone()[0] for n in names}
    finally:
        con.close()


def load_errors_sql(con) -> str:
    """staging.load_errors for the summary, each with where it is: `file[:p<page>][:<line>]` (the
    source_ref form of the marts; the page is that of the table printed over the line), so two
    warnings about two printings of one table are told apart."""
    has_line = con.execute("select count(*) from information_schema.columns where table_schema = 'staging' "
                           "and table_name = 'load_errors' and column_name = 'line_number'").fetchone()[0]
    if not has_line:
        return "select source_file, stage, severity, error from staging.load_errors order by severity, source_file"
    return """
        select e.source_file || coalesce(':p' || cast((
                   select min(t.page) from staging.tables t
                   where t.source_file = e.source_file and e.line_number between t.line_start and t.line_end
               ) as varchar), '') || coalesce(':' || cast(e.line_number as varchar), ''),
               e.stage, e.severity, e.error
        from staging.load_errors e
        order by e.severity, e.source_file, e.line_number nulls first, e.stage, e.error"""


def summary(warehouse: Path, failed_checks: list[str], seconds: float, checks_from_last_build: bool = False) -> str:
    con = connect(warehouse, read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()
        status = dict(q("select status, count(*) from staging.file_manifest group by 1"))
        n_docs = sum(status.values())
        lines = [f"Summary ({seconds:.1f} s)",
                 f"  documents read: {n_docs} ({', '.join(f'{v} {k}' for k, v in sorted(status.items())) or 'none'})"]
        if q("select count(*) from information_schema.columns where table_schema = 'staging' "
             "and table_name = 'file_manifest' and column_name = 'duplicate_of'")[0][0]:
            dups = q("select source_file, duplicate_of from staging.file_manifest where duplicate_of is not null "
                     "order by 1")
            if dups:
                lines.append(f"  second names of the same bytes (no facts of their own): {len(dups)} ("
                             + ", ".join(f"{f} = {d}" for f, d in dups[:5]) + (" …" if len(dups) > 5 else "") + ")")
        ents = q("select scope, count(*) from marts.dim_budget_entity group by 1 order by 1")
        lines.append(f"  budget entities: {sum(n for _, n in ents)} ({', '.join(f'{n} {s}' for s, n in ents)})")
        lines.append("  rows per mart:")
        for m in MARTS:
            lines.append(f"    marts.{m:<28} {q(f'select count(*) from marts.{m}')[0][0]:>7}")
        rec = q("select status, count(*) from marts.fct_reconciliation group by 1 order by 1")
        lines.append("  reconciliation findings: " + (", ".join(f"{n} {s}" for s, n in rec) or "none"))
        fails = q("""select e.source_file, r.rule_id, count(*) from marts.fct_reconciliation r
                     join marts.dim_budget_entity e using (entity_id) where r.status = 'fail'
                     group by 1, 2 order by 1, 2 limit 20""")
        for f, rule, n in fails:
            lines.append(f"    fail: {f}  {rule} ×{n}")
        errs = q(load_errors_sql(con))
        lines.append(f"  load errors: {sum(1 for e in errs if e[2] == 'error')} errors, "
                     f"{sum(1 for e in errs if e[2] != 'error')} warnings")
        for f, stage, sev, err in errs[:20]:
            lines.append(f"    {sev}: {f} [{stage}] {err[:160]}")
        if len(errs) > 20:
            lines.append(f"    … {len(errs) - 20} more in staging.load_errors")
        when = " (as of the last build)" if checks_from_last_build else ""
        if failed_checks:
            lines.append(f"  failed checks{when}: " + ", ".join(failed_checks))
        else:
            lines.append(f"  checks{when}: all passed")
        return "\n".join(lines)
    finally:
        con.close()
