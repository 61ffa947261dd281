"""Great Expectations suites as Dagster asset checks on the marts. A failed blocking suite is
an ERROR-severity check failure, a failed non-blocking one a WARN: neither crashes the run."""

import dagster as dg

from expectations.suites import SUITES, run_suites

from .partitions import DUCKDB_POOL


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(name=f"gx_{s.name}", asset=dg.AssetKey(["marts", s.table]), description=s.description,
                             blocking=False) for s in SUITES],
    can_subset=True,
    pool=DUCKDB_POOL,
)
def gx_suites(context: dg.AssetCheckExecutionContext):
    wanted = {k.name[3:] for k in context.selected_asset_check_keys}
    from dagster_project.publish import step_warehouse
    for r in run_suites(step_warehouse(context, write=False), only=sorted(wanted)):
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(["marts", r.table]),
            check_name=f"gx_{r.suite}",
            passed=r.success,
            severity=dg.AssetCheckSeverity.ERROR if r.blocking else dg.AssetCheckSeverity.WARN,
            metadata={"rows": r.rows, "expectations": r.evaluated, "failed": r.failed,
                      "details": dg.MetadataValue.md("\n".join(f"- {d}" for d in r.details) or "all passed")},
        )
