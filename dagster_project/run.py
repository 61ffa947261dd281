"""`make run`: the whole pipeline over BUDGET_RAW_DIR, through Dagster, then a summary.

1. registers every file of the raw dir as a dynamic partition (and drops deleted ones);
2. materialises the staging asset over all partitions in one run (unchanged files are skipped
   by content hash, so a second run adds nothing);
3. materialises the dbt models (dbt build: seeds, models, tests) and the GX asset checks;
4. prints documents read, entities, fact rows per mart and reconciliation findings by status.
Exit 0 when the pipeline ran, whatever the documents say; non-zero with the reason otherwise.
"""
from __future__ import annotations

import json
import os
import sys
import time

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

    # what changed since the last load: new or changed files (bytes or extractor code), removed files
    known: dict[str, str] = {}
    if wh.exists():
        from extractors.load import connect, manifest
        con = connect(wh, read_only=True)
        try:
            known = manifest(con, ensure=False)
        finally:
            con.close()
    from extractors.corpus import try_hash_file
    from extractors.load import manifest_key
    # a file that cannot be read is extracted (its load error row says why) unless it was already
    # unreadable at the last load: its row is there with the empty hash
    changed = [k for p, k in zip(files, keys) if known.get(k) != manifest_key(try_hash_file(p) or "")]
    to_extract = len(changed)
    removed = sorted(set(known) - set(keys))

    # nothing new and the marts were built from exactly this: done, without starting Dagster
    state_file = wh.with_name(wh.name + ".built")
    state = read_state(state_file)
    if to_extract == 0 and not removed and known and state.get("fingerprint") == build_fingerprint(wh) \
            and os.environ.get("BUDGET_FORCE_BUILD") != "1":
        log("[2/4] nothing new or changed, nothing removed")
        log("[3/4] the marts were built from exactly these files and this dbt project: kept as they are "
            "(BUDGET_FORCE_BUILD=1 rebuilds)")
        return finish(wh, state.get("failed_checks", []), t0, to_extract, checks_from_last_build=True)

    import dagster as dg  # not imported when nothing changed (the run above ends without Dagster)

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

    log(f"[2/4] extracting documents into staging tables ({to_extract} new or changed, {len(removed)} removed)")
    if keys:
        # one run over the span of partitions that changed (new files are appended, so usually
        # just those): Dagster records events per partition and asset, unchanged documents need none.
        # A run with only removals spans one partition: the asset prunes by the raw dir.
        ordered = instance.get_dynamic_partitions(DOCUMENTS_PARTITION)
        position = {k: i for i, k in enumerate(ordered)}
        span = sorted(position[k] for k in changed) or [0]
        res = dg.materialize(
            [staging_tables], instance=instance,
            tags={"dagster/asset_partition_range_start": ordered[span[0]],
                  "dagster/asset_partition_range_end": ordered[span[-1]]},
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

    log("[3/4] dbt build (seeds, models, data tests) and Great Expectations checks")
    state_file.unlink(missing_ok=True)
    res = dg.materialize(
        [dbt_models, gx_suites], instance=instance,
        resources={"dbt": dbt_resource()},
        run_config=quiet, raise_on_error=False)
    if not res.success:
        log("pipeline error: dbt build failed (see the dbt output above)")
        return 3
    failed_checks = [f"{e.asset_key.to_user_string()}:{e.check_name} ({e.severity.value})"
                     for e in res.get_asset_check_evaluations() if not e.passed]
    state_file.write_text(json.dumps({"fingerprint": build_fingerprint(wh), "failed_checks": failed_checks}))
    return finish(wh, failed_checks, t0, to_extract)


def read_state(path) -> dict:
    """The last build's fingerprint and failed checks; anything unreadable means 'rebuild'."""
    try:
        state = json.loads(path.read_text())
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def build_fingerprint(wh) -> str:
    """What the marts are built from: the loaded files (names, hashes, extractor version) and
    the dbt project (models, seeds, macros). Equal fingerprints mean a rebuild changes nothing."""
    import hashlib

    from extractors.corpus import PROJECT_ROOT
    from extractors.load import connect, manifest

    h = hashlib.sha256()
    con = connect(wh, read_only=True)
    try:
        for name, key in sorted(manifest(con, ensure=False).items()):
            h.update(f"{name}\0{key}\n".encode())
    finally:
        con.close()
    dbt_dir = PROJECT_ROOT / "dbt"
    for sub in ("models", "seeds", "macros", "tests"):
        for p in sorted((dbt_dir / sub).rglob("*")):
            if p.is_file():
                h.update(p.relative_to(dbt_dir).as_posix().encode())
                h.update(p.read_bytes())
    h.update((dbt_dir / "dbt_project.yml").read_bytes())
    h.update(os.environ.get("BUDGET_DBT_UNIT_TESTS", "0").encode())
    return h.hexdigest()


def finish(wh, failed_checks: list[str], t0: float, to_extract: int, checks_from_last_build: bool = False) -> int:
    log("[4/4] summary")
    from dagster_project.summary import mart_counts, summary
    print(summary(wh, failed_checks, time.perf_counter() - t0, checks_from_last_build))
    counts_file = os.environ.get("BUDGET_COUNTS_FILE")
    if counts_file:
        from pathlib import Path
        Path(counts_file).write_text(json.dumps(
            {"marts": mart_counts(wh), "documents_extracted": to_extract}, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
