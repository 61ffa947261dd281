"""``warehouse/published``: the last step of a run launched by `make ui` (the sensor's, the daily
schedule's, pipeline_job from the UI). The run's staging and dbt steps write its working copy
<warehouse>.ui-building, never the published file (dagster_project/publish.py); this step, after
dbt and the checks, renames the copy onto the published warehouse in one step, as `make run` does.
A reader holding the published file keeps the warehouse it opened; a run that fails before this
step leaves the published warehouse as it was. `make run` does not run this asset (it publishes
its own build)."""

import dagster as dg

from dagster_project.publish import PUBLISH_KEY_PATH, publish_run_copy, run_publishes, ui_working_path
from dagster_project.runlock import step_writer_lock

from .dbt import dbt_models
from .partitions import DUCKDB_POOL
from .staging import STAGING_KEY


@dg.asset(
    key=dg.AssetKey(PUBLISH_KEY_PATH),
    group_name="publish",
    description="The run's working copy of the warehouse, published in one rename once staging, dbt "
                "and the checks have run (readers never see half a build).",
    kinds={"duckdb"},
    deps=[STAGING_KEY, *dbt_models.keys],
    pool=DUCKDB_POOL,
    # after the GX checks, which follow dbt too (the executor starts ready steps by priority)
    op_tags={"dagster/priority": "-10"},
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from extractors.corpus import warehouse_path

    wh = warehouse_path()
    if not run_publishes(context):  # inside a `make run` build: it publishes its own copy
        return dg.MaterializeResult(metadata={"published": False})
    # a step of this run that failed and is not upstream of this one (the GX checks): not published
    failed = [r.event_log_entry.step_key for r in context.instance.get_records_for_run(
        context.run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE).records]
    if failed:
        raise dg.Failure(f"not published: step {', '.join(sorted(set(failed)))} of this run failed; "
                         f"{wh} is unchanged, the run's copy stays in {ui_working_path(wh)} until the next run")
    building = ui_working_path(wh)
    size = building.stat().st_size if building.exists() else 0
    with step_writer_lock():
        publish_run_copy(wh, context.run.run_id)
    context.log.info(f"published {building} ({size / 1e6:.1f} MB) as {wh}")
    return dg.MaterializeResult(metadata={"published": True, "path": str(wh), "bytes": size})
