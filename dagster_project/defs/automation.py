"""Sensor for new or changed files in BUDGET_RAW_DIR, and a daily schedule over everything
(02:00 Asia/Shanghai)."""

import json
from typing import Optional

import dagster as dg

from extractors.corpus import list_documents, partition_key, raw_dir, try_hash_file

from .partitions import DOCUMENTS_PARTITION, documents_partitions
from .staging import staging_tables

staging_job = dg.define_asset_job(
    "staging_job", selection=dg.AssetSelection.assets(staging_tables), partitions_def=documents_partitions)


def scan() -> dict[str, Optional[str]]:
    root = raw_dir()
    # a path that cannot be read (None) is requested once (run key …:None): its run records why
    return {partition_key(p, root): try_hash_file(p) for p in list_documents(root)}


@dg.sensor(job=staging_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_documents_sensor(context: dg.SensorEvaluationContext):
    """Adds a partition per new file, drops the partitions of deleted files, and requests a
    staging run for every new or changed file (run key = file + content hash)."""
    current = scan()
    seen = json.loads(context.cursor) if context.cursor else {}
    existing = set(context.instance.get_dynamic_partitions(DOCUMENTS_PARTITION))
    new_parts = sorted(set(current) - existing)
    gone = sorted(existing - set(current))
    changed = sorted(k for k, h in current.items() if k not in seen or seen[k] != h)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=k, run_key=f"{k}:{current[k]}") for k in changed],
        dynamic_partitions_requests=[
            *([documents_partitions.build_add_request(new_parts)] if new_parts else []),
            *([documents_partitions.build_delete_request(gone)] if gone else []),
        ],
        cursor=json.dumps(current, sort_keys=True),
    )


@dg.schedule(job=staging_job, cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def daily_full_run(context: dg.ScheduleEvaluationContext):
    """Every night at 02:00 China time (Asia/Shanghai): register every document and run staging
    over all of them in one run; the dbt models follow (eager automation), then the checks."""
    keys = sorted(scan())
    existing = set(context.instance.get_dynamic_partitions(DOCUMENTS_PARTITION))
    if set(keys) - existing:
        context.instance.add_dynamic_partitions(DOCUMENTS_PARTITION, sorted(set(keys) - existing))
    if not keys:
        return dg.SkipReason("no documents in the raw dir")
    ordered = context.instance.get_dynamic_partitions(DOCUMENTS_PARTITION)
    return dg.RunRequest(tags={
        "dagster/asset_partition_range_start": ordered[0],
        "dagster/asset_partition_range_end": ordered[-1],
    })
