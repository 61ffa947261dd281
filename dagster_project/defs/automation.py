"""Sensor for new or changed files in BUDGET_RAW_DIR, and a daily schedule over everything
(02:00 Asia/Shanghai). Both launch ``pipeline_job``: staging over the requested documents, then
the dbt build (seeds, models, data tests) and the Great Expectations checks in the same run, so
a file dropped into raw/ reaches the marts (as ``make run`` does). Like ``make run`` it builds in a
working copy (<warehouse>.ui-building) that its last step, ``warehouse/published``, publishes in
one rename (dagster_project/publish.py, defs/publish.py).

The sensor's cursor is what it last saw (partition key → content hash). With no cursor (the
first ``make ui`` on a warehouse ``make run`` built) it starts from what the warehouse holds:
files whose bytes are loaded with the current extractor are not requested again."""

import hashlib
import json
from typing import Optional

import dagster as dg

from extractors.corpus import list_documents, partition_key, raw_dir, try_hash_file, warehouse_path

from .partitions import DOCUMENTS_PARTITION, documents_partitions

# every asset (staging/documents, the dbt models and seeds) and every check on them (the dbt
# tests, the GX suites): a run over some documents' partitions (the job's partitions are those of
# staging/documents, the one partitioned asset) rebuilds the marts from them
pipeline_job = dg.define_asset_job(
    "pipeline_job", selection=dg.AssetSelection.all(),
    description="Staging over the run's documents, then dbt build and the Great Expectations checks, in a "
                "working copy of the warehouse published at the end in one rename (warehouse/published).",
    # one such run at a time (concurrency.runs in dagster.yaml): each builds in the one working copy
    tags={"budget/writes_warehouse": "1"})

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def scan() -> dict[str, Optional[str]]:
    root = raw_dir()
    # a path that cannot be read (None) is requested once: its run records why
    return {partition_key(p, root): try_hash_file(p) for p in list_documents(root)}


def loaded(current: dict[str, Optional[str]]) -> dict[str, Optional[str]]:
    """The files of ``current`` the warehouse holds as they are now (same bytes, same extractor;
    an unreadable file that was unreadable at its load too), with their hashes. Raises
    duckdb.IOException while a run holds the warehouse."""
    from extractors.load import connect, manifest, manifest_key

    wh = warehouse_path()
    if not wh.exists():
        return {}
    con = connect(wh, read_only=True)
    try:
        known = manifest(con, ensure=False)
    finally:
        con.close()
    return {k: h for k, h in current.items() if known.get(k) == manifest_key(h or "")}


def range_tags(keys: list[str], ordered: list[str]) -> dict[str, str]:
    """A run over the span of ``ordered`` (the partitions in Dagster's order) that holds ``keys``:
    one run, one dbt build, however many files changed (the unchanged ones inside the span are
    skipped by the staging asset by their hash)."""
    position = {k: i for i, k in enumerate(ordered)}
    span = sorted(position[k] for k in keys)
    return {RANGE_START: ordered[span[0]], RANGE_END: ordered[span[-1]]}


@dg.sensor(job=pipeline_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_documents_sensor(context: dg.SensorEvaluationContext):
    """Adds a partition per new file, drops the partitions of deleted files, and requests one run
    of staging → dbt → checks over the new or changed files (one partition, or the span of them)."""
    import duckdb

    current = scan()
    if context.cursor:
        seen = json.loads(context.cursor)
    else:
        try:
            seen = loaded(current)
        except duckdb.Error as exc:  # a run is writing: the next tick reads what it loaded
            return dg.SkipReason(f"cannot read what the warehouse holds yet ({exc}); trying again next tick")
    existing = context.instance.get_dynamic_partitions(DOCUMENTS_PARTITION)
    new_parts = sorted(set(current) - set(existing))
    gone = sorted(set(existing) - set(current))
    changed = sorted(k for k, h in current.items() if k not in seen or seen[k] != h)
    runs = []
    if changed:
        # the partitions once the requests below are applied (Dagster adds and deletes them before it
        # launches the run): the existing ones in their order, then the new ones
        ordered = [k for k in existing if k in current] + new_parts
        # unique per change: the same file set back to bytes seen before is another run
        run_key = hashlib.sha256(json.dumps([context.cursor, {k: current[k] for k in changed}],
                                            sort_keys=True).encode()).hexdigest()[:20]
        if len(changed) == 1:
            runs.append(dg.RunRequest(partition_key=changed[0], run_key=f"{changed[0]}:{run_key}"))
        else:
            runs.append(dg.RunRequest(run_key=f"{len(changed)} files:{run_key}", tags=range_tags(changed, ordered)))
    return dg.SensorResult(
        run_requests=runs,
        dynamic_partitions_requests=[
            *([documents_partitions.build_add_request(new_parts)] if new_parts else []),
            *([documents_partitions.build_delete_request(gone)] if gone else []),
        ],
        cursor=json.dumps(current, sort_keys=True),
    )


@dg.schedule(job=pipeline_job, cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def daily_full_run(context: dg.ScheduleEvaluationContext):
    """Every night at 02:00 China time (Asia/Shanghai, 18:00 UTC): register every document and run
    staging over all of them (unchanged ones are skipped by their hash), then dbt and the checks,
    in one run."""
    keys = sorted(scan())
    existing = set(context.instance.get_dynamic_partitions(DOCUMENTS_PARTITION))
    if set(keys) - existing:
        context.instance.add_dynamic_partitions(DOCUMENTS_PARTITION, sorted(set(keys) - existing))
    if not keys:
        return dg.SkipReason("no documents in the raw dir")
    ordered = context.instance.get_dynamic_partitions(DOCUMENTS_PARTITION)
    return dg.RunRequest(tags=range_tags(keys, [k for k in ordered if k in set(keys)]))
