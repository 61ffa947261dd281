"""`make run`: the whole pipeline over BUDGET_RAW_DIR, through Dagster, then a summary.

1. registers every file of the raw dir as a dynamic partition (and drops deleted ones);
2. materialises the staging asset over all partitions in one run (unchanged files are skipped
   by content hash, so a second run adds nothing);
3. materialises the dbt models (dbt build: seeds, models, tests) and the GX asset checks;
4. prints documents read, entities, fact rows per mart and reconciliation findings by status.
Exit 0 when the pipeline ran, whatever the documents say; non-zero with the reason otherwise.
"""
from __future__ import annotations

import os
import sys
import time

import dagster as dg

from extractors.corpus import list_documents, partition_key, raw_dir, warehouse_path


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main() -> int:
    t0 = time.perf_counter()
    root, wh = raw_dir(), warehouse_path()
    os.environ["BUDGET_WAREHOUSE"] = str(wh)
    log(f"budget-warehouse: raw dir {root} → warehouse {wh}")
    files = list_documents(root)
    keys = [partition_key(p, root) for p in files]
    log(f"[1/4] {len(keys)} files in the raw dir")

    from dagster_project.defs.checks import gx_suites
    from dagster_project.defs.dbt import dbt_models, dbt_resource
    from dagster_project.defs.partitions import DOCUMENTS_PARTITION
    from dagster_project.defs.staging import staging_tables

    instance = dg.DagsterInstance.get()
    quiet = {"loggers": {"console": {"config": {"log_level": os.environ.get("BUDGET_LOG_LEVEL", "INFO")}}}}
    existing = set(instance.get_dynamic_partitions(DOCUMENTS_PARTITION))
    new = [k for k in keys if k not in existing]
    gone = sorted(existing - set(keys))
    if new:
        instance.add_dynamic_partitions(DOCUMENTS_PARTITION, new)
    for k in gone:
        instance.delete_dynamic_partition(DOCUMENTS_PARTITION, k)
    log(f"      partitions: {len(new)} added, {len(gone)} removed")

    to_extract = len(keys)
    if wh.exists():
        from extractors.corpus import hash_file
        from extractors.load import connect, manifest, manifest_key
        con = connect(wh, read_only=True)
        try:
            known = manifest(con, ensure=False)
        finally:
            con.close()
        to_extract = sum(1 for p, k in zip(files, keys) if known.get(k) != manifest_key(hash_file(p)))
    log(f"[2/4] extracting documents into staging tables ({to_extract} new or changed)")
    if keys:
        ordered = instance.get_dynamic_partitions(DOCUMENTS_PARTITION)
        res = dg.materialize(
            [staging_tables], instance=instance,
            tags={"dagster/asset_partition_range_start": ordered[0],
                  "dagster/asset_partition_range_end": ordered[-1]},
            run_config=quiet, raise_on_error=False)
        if not res.success:
            log("pipeline error: the staging run failed (see the Dagster log above)")
            return 2
    else:
        from extractors.load import connect, ensure_schema, prune_missing
        con = connect(wh)
        ensure_schema(con)
        prune_missing(con, [])
        con.close()

    log("[3/4] dbt build (seeds, models, tests) and Great Expectations checks")
    res = dg.materialize(
        [dbt_models, gx_suites], instance=instance,
        resources={"dbt": dbt_resource()},
        run_config=quiet, raise_on_error=False)
    if not res.success:
        log("pipeline error: dbt build failed (see the dbt output above)")
        return 3
    failed_checks = [e for e in res.get_asset_check_evaluations() if not e.passed]

    log("[4/4] summary")
    from dagster_project.summary import mart_counts, summary
    print(summary(wh, failed_checks, time.perf_counter() - t0))
    counts_file = os.environ.get("BUDGET_COUNTS_FILE")
    if counts_file:
        import json
        from pathlib import Path
        Path(counts_file).write_text(json.dumps(
            {"marts": mart_counts(wh), "documents_extracted": to_extract}, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
