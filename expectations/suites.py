"""Great Expectations suites as code, one per mart family.

GX's SQL engine fails on DuckDB through duckdb-engine (IndexError in metric bundles), so each
suite validates a pandas DataFrame read from DuckDB (amounts arrive as exact Decimals through
Arrow). ``run_suites`` returns one result per suite (stored in a file context when a root is given).
Data Docs are not built: their pages load CSS and JavaScript from CDNs and are empty offline;
the results are in the run's summary and the findings report (budget_warehouse/report.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import importlib
import threading

import duckdb
import pandas as pd


class _LazyModule:
    """A module imported at its first attribute access. Importing Great Expectations takes ~4 s:
    the Dagster definitions and the runner load this file long before a suite runs, so the import
    waits until then, or runs in the background while dbt builds (``prefetch``)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)


gx = _LazyModule("great_expectations")
gxe = _LazyModule("great_expectations.expectations")


def prefetch() -> threading.Thread:
    """Import Great Expectations in a background thread (the runner starts it with dbt build,
    which runs in its own process)."""
    t = threading.Thread(target=importlib.import_module, args=("great_expectations.expectations",),
                         name="gx-import", daemon=True)
    t.start()
    return t

STATUSES = ["pass", "rounding", "fail", "unverified", "incomplete", "not_applicable"]


@dataclass(frozen=True)
class Suite:
    name: str
    table: str  # marts.<table>
    query: str
    blocking: bool
    expectations: Callable[[], list]
    description: str


def _amount_checks(col: str = "amount_wan") -> list:
    return [gxe.ExpectColumnValuesToNotBeNull(column=col),
            gxe.ExpectColumnValuesToBeBetween(column=col, min_value=0)]


SUITES: list[Suite] = [
    Suite("entities", "dim_budget_entity", "select * from marts.dim_budget_entity", True, lambda: [
        gxe.ExpectColumnValuesToBeUnique(column="entity_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="entity_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="entity_name"),
        gxe.ExpectColumnValuesToBeInSet(column="scope", value_set=["department", "unit"]),
        gxe.ExpectColumnValuesToBeInSet(column="amount_unit", value_set=["万元", "元"]),
        gxe.ExpectColumnValuesToBeBetween(column="fiscal_year", min_value=2000, max_value=2100),
    ], "Budget entities: keys, scope and unit domains, plausible years"),
    Suite("function_facts", "fct_function_expenditure", "select * from marts.fct_function_expenditure", True, lambda: [
        gxe.ExpectColumnValuesToBeUnique(column="fact_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="functional_code"),
        gxe.ExpectColumnValuesToMatchRegex(column="functional_code", regex=r"^\d{3}(\d{2}){0,2}$"),
        gxe.ExpectColumnValuesToBeInSet(column="expenditure_type", value_set=["basic", "project", "unspecified"]),
        gxe.ExpectColumnValuesToBeInSet(column="evidence", value_set=["table", "narrative"]),
        *_amount_checks(),
    ], "Functional expenditure facts: codes, types, non-negative amounts"),
    Suite("economic_facts", "fct_economic_expenditure", "select * from marts.fct_economic_expenditure", True, lambda: [
        gxe.ExpectColumnValuesToBeUnique(column="fact_id"),
        gxe.ExpectColumnValuesToMatchRegex(column="economic_code", regex=r"^\d{3}(\d{2}(\d{2})?)?$"),
        gxe.ExpectColumnValuesToBeInSet(column="cost_type", value_set=["personnel", "public", "unspecified"]),
        *_amount_checks(),
    ], "Economic expenditure facts: codes, cost types, non-negative amounts"),
    Suite("projects", "fct_project", "select * from marts.fct_project", False, lambda: [
        gxe.ExpectColumnValuesToBeUnique(column="project_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="project_name"),
        gxe.ExpectColumnValuesToBeBetween(column="amount_wan", min_value=0),
    ], "Projects: one row per project, non-negative amounts"),
    Suite("reconciliation", "fct_reconciliation", "select * from marts.fct_reconciliation", False, lambda: [
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES),
        gxe.ExpectColumnValuesToNotBeNull(column="rule_id"),
        gxe.ExpectColumnValuesToBeUnique(column="finding_id"),
    ], "Reconciliation findings: well-formed"),
    Suite("reconciliation_blocking", "fct_reconciliation",
          "select * from marts.fct_reconciliation where blocking", True, lambda: [
        gxe.ExpectColumnValuesToNotBeInSet(column="status", value_set=["fail"]),
    ], "No fail on a blocking reconciliation rule"),
]


@dataclass
class SuiteResult:
    suite: str
    table: str
    blocking: bool
    success: bool
    evaluated: int
    failed: int
    rows: int
    details: list[str]


def _context(root: Optional[Path]):
    if root is None:
        return gx.get_context(mode="ephemeral")
    root.mkdir(parents=True, exist_ok=True)
    return gx.get_context(mode="file", project_root_dir=str(root))


def read_frame(con: duckdb.DuckDBPyConnection, query: str) -> pd.DataFrame:
    # through Arrow: DECIMAL stays Decimal (DuckDB's .df() would turn it into float64)
    return con.execute(query).fetch_arrow_table().to_pandas()


def run_suites(warehouse: Path, gx_root: Optional[Path] = None, only: Optional[list[str]] = None) -> list[SuiteResult]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        frames = {s.name: read_frame(con, s.query) for s in SUITES if not only or s.name in only}
    finally:
        con.close()
    ctx = _context(gx_root)
    source = ctx.data_sources.add_or_update_pandas("budget_warehouse")
    results = []
    for suite in SUITES:
        if suite.name not in frames:
            continue
        df = frames[suite.name]
        asset = source.add_dataframe_asset(name=suite.name) if suite.name not in [a.name for a in source.assets] \
            else source.get_asset(suite.name)
        batch_def = asset.add_batch_definition_whole_dataframe(f"{suite.name}_batch") \
            if not any(b.name == f"{suite.name}_batch" for b in asset.batch_definitions) \
            else asset.get_batch_definition(f"{suite.name}_batch")
        gsuite = gx.ExpectationSuite(name=suite.name, expectations=suite.expectations())
        gsuite.meta["description"] = suite.description
        gsuite = ctx.suites.add_or_update(gsuite)
        vdef = ctx.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=f"{suite.name}_validation", data=batch_def, suite=gsuite))
        cp = ctx.checkpoints.add_or_update(gx.Checkpoint(name=f"{suite.name}_checkpoint",
                                                          validation_definitions=[vdef], actions=[]))
        res = cp.run(batch_parameters={"dataframe": df})
        vres = list(res.run_results.values())[0]
        details = [f"{r.expectation_config.type} {r.expectation_config.kwargs.get('column', '')}: "
                   f"{r.result.get('unexpected_count', '')} unexpected, e.g. {r.result.get('partial_unexpected_list', [])[:3]}"
                   for r in vres.results if not r.success]
        results.append(SuiteResult(suite.name, suite.table, suite.blocking, bool(vres.success),
                                   len(vres.results), len(details), len(df), details))
    return results


def main() -> int:
    import argparse

    from extractors.corpus import PROJECT_ROOT, warehouse_path

    ap = argparse.ArgumentParser(description="Run the Great Expectations suites on the warehouse")
    ap.add_argument("--gx-root", default=str(PROJECT_ROOT / "build" / "gx"))
    args = ap.parse_args()
    results = run_suites(warehouse_path(), Path(args.gx_root))
    bad = 0
    for r in results:
        flag = "ok  " if r.success else ("FAIL" if r.blocking else "warn")
        print(f"  {flag} {r.suite:<24} {r.table:<28} {r.rows:>6} rows, {r.evaluated} expectations, {r.failed} failed")
        for d in r.details:
            print(f"         {d}")
        bad += (not r.success and r.blocking)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
