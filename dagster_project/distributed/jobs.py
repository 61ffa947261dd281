"""The distributed pipeline: one Dagster job on the Celery executor (dagster-celery), writing a
DuckLake (extractors/warehouse.py).

    plan_batches ──▶ stage_batch × N (one Celery task each, on any worker) ──▶ finish_staging ──▶ dbt_build

``plan_batches`` lists the raw dir, creates the staging tables when the lake has none, and splits
the new or changed documents (by content hash and extractor version, as `make run` does) into
batches (of BUDGET_TASK_BATCH documents, else sized by the run, the costliest first and the last
ones shortest: DistributedSettings.plan_tasks).
Each ``stage_batch`` extracts its documents and commits their staging rows in one DuckLake transaction: batches of new documents only append, so workers
on any number of machines commit at once; a killed worker's batch commits nothing, and the next
run extracts exactly the documents that did not commit. ``finish_staging`` removes the rows of
files gone from the raw dir and marks duplicate names (it rewrites the whole manifest, so it runs
once, after every batch). ``dbt_build`` builds the marts in the lake (dbt/profiles.yml, output
``lake``). Every step is a Celery task; the run's events go to DAGSTER_HOME's storage (PostgreSQL
in a distributed setup, so that every worker can write them).

The embedded default (`make run`) does not use this module.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
from dagster_celery import celery_executor

from .settings import DistributedSettings


@dg.op(out={"batches": dg.DynamicOut(list), "planned": dg.Out(int)})
def plan_batches(context: dg.OpExecutionContext):
    from extractors.corpus import list_documents, partition_key, raw_dir, try_hash_file
    from extractors.load import ensure_schema, manifest, manifest_key
    from extractors.warehouse import current

    root, wh = raw_dir(), current()
    files = list_documents(root)
    con = wh.connect()
    try:
        ensure_schema(con)
        known = manifest(con, ensure=False)
    finally:
        con.close()
    todo = [partition_key(p, root) for p in files
            if known.get(partition_key(p, root)) != manifest_key(try_hash_file(p) or "")]
    tasks = DistributedSettings.from_env().plan_tasks([_size(root / k) for k in todo])
    sizes = [len(t) for t in tasks] or [0]
    span = f"{min(sizes)}–{max(sizes)}" if min(sizes) < max(sizes) else f"{max(sizes)}"
    context.log.info(f"{len(files)} files in {root}: {len(todo)} new or changed, in {len(tasks)} batches of "
                     f"{span} documents; warehouse {wh.describe()}")
    yield dg.Output(len(todo), "planned")
    # one empty batch when nothing changed, so that the rest of the job runs (prune, dbt)
    for j, task in enumerate(tasks or [[]]):
        yield dg.DynamicOutput([todo[i] for i in task], output_name="batches", mapping_key=f"b{j:05d}")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def write_with_retry(con, batch, attempts: int = 5) -> dict:
    """One transaction for the batch; a conflict with another writer's commit that DuckLake could
    not resolve by itself (two deletes of one table's rows) is retried here."""
    import duckdb

    from extractors.load import write_extractions
    for attempt in range(attempts):
        try:
            return write_extractions(con, batch, concurrent=True)
        except duckdb.TransactionException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    return {}


@dg.op
def stage_batch(context: dg.OpExecutionContext, keys: list) -> list:
    from extractors.corpus import iter_extract, raw_dir
    from extractors.warehouse import current

    if not keys:
        return []
    root = raw_dir()
    t0, c0 = time.perf_counter(), time.process_time()
    batch = list(iter_extract([root / k for k in keys], root, processes=1))
    t1, c1 = time.perf_counter(), time.process_time()
    wh = current()
    con = wh.reused_connect()  # the worker's kept DuckDB instance: no extension LOADs per batch
    try:
        written = write_with_retry(con, batch)
    except Exception:
        wh.forget_reused()
        raise
    finally:
        con.close()
    context.log.info(f"{len(batch)} documents: extracted in {t1 - t0:.1f} s, committed "
                     f"{sum(written.values())} rows in {time.perf_counter() - t1:.1f} s (CPU: extraction "
                     f"{c1 - c0:.2f} s, commit {time.process_time() - c1:.2f} s)")
    return [name for name, _, _ in batch]


@dg.op
def finish_staging(context: dg.OpExecutionContext, planned: int, staged: list) -> int:
    from extractors.corpus import list_documents, partition_key, raw_dir
    from extractors.load import manifest, prune_missing
    from extractors.warehouse import current

    root = raw_dir()
    con = current().connect()
    try:
        present = [partition_key(p, root) for p in list_documents(root)]
        pruned = prune_missing(con, present)  # and marks duplicates, in one transaction
        n = len(manifest(con, ensure=False))
    finally:
        con.close()
    loaded = sum(len(s) for s in staged)
    context.log.info(f"{loaded} of {planned} planned documents committed by the batches; {len(pruned)} files "
                     f"no longer in the raw dir removed; the lake holds {n} files")
    return loaded


@dg.op
def dbt_build(context: dg.OpExecutionContext, loaded: int) -> list:
    """dbt build (target lake) in a local DuckDB file that reads the lake's staging, then the marts
    and catalogs copied into the lake in one transaction: readers see the old marts or the new
    ones, never a mix, and the ~70 models and ~150 tests run at local speed instead of one catalog
    commit each (a build of the 5 samples straight into the lake took 111 s)."""
    from extractors.corpus import PROJECT_ROOT

    dbt_dir = PROJECT_ROOT / "dbt"
    home = Path(os.environ.get("DAGSTER_HOME", PROJECT_ROOT / "build"))
    build = home / "lake_build.duckdb"
    for p in (build, build.with_name(build.name + ".wal")):
        p.unlink(missing_ok=True)
    exe = Path(sys.executable).parent / "dbt"
    args = [str(exe if exe.exists() else "dbt"), "build", "--target", "lake", "--project-dir", str(dbt_dir),
            "--profiles-dir", str(dbt_dir), "--target-path", str(home / "dbt-target"), "--no-use-colors",
            "--quiet"]
    if os.environ.get("BUDGET_DBT_UNIT_TESTS", "0") != "1":
        args += ["--exclude-resource-type", "unit_test"]
    t0 = time.perf_counter()
    res = subprocess.run(args, cwd=dbt_dir, capture_output=True, text=True,
                         env=dict(os.environ, BUDGET_LAKE_BUILD=str(build),
                                  # the profile's plugin (dagster_project.dbt_lake_plugin) imports from
                                  # the project even where the package is not installed in place
                                  PYTHONPATH=os.pathsep.join(p for p in (str(PROJECT_ROOT),
                                                                         os.environ.get("PYTHONPATH")) if p)))
    if res.returncode:
        context.log.error((res.stdout + res.stderr)[-6000:])
        raise dg.Failure(f"dbt build on the lake failed (exit {res.returncode})",
                         metadata={"output": dg.MetadataValue.text((res.stdout + res.stderr)[-20000:])})
    t1 = time.perf_counter()
    # the Great Expectations suites on the marts just built, as `make run` runs them (non-blocking)
    from expectations.suites import run_suites
    failed = [f"marts.{r.table}:gx_{r.suite} ({'ERROR' if r.blocking else 'WARN'})"
              for r in run_suites(build) if not r.success]
    t2 = time.perf_counter()
    copied = publish_to_lake(build)
    build.unlink(missing_ok=True)
    context.log.info(f"dbt build: {t1 - t0:.1f} s; GX suites {t2 - t1:.1f} s ({len(failed)} failed); "
                     f"{len(copied)} tables of schemas marts and catalog copied into the lake in one "
                     f"transaction in {time.perf_counter() - t2:.1f} s")
    return failed


PUBLISHED_SCHEMAS = ("marts", "catalog")


def publish_to_lake(build: Path) -> list[str]:
    """Every table of the schemas marts and catalog of the local build into the lake, replacing
    the lake's, in one transaction (one snapshot)."""
    from extractors.warehouse import current

    con = current().connect()
    try:
        con.execute(f"ATTACH '{build}' AS lake_build (READ_ONLY)")
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = 'lake_build' "
            f"and table_schema in {PUBLISHED_SCHEMAS} and table_type = 'BASE TABLE' order by 1, 2").fetchall()
        con.execute("BEGIN TRANSACTION")
        try:
            for schema in PUBLISHED_SCHEMAS:
                con.execute(f"CREATE SCHEMA IF NOT EXISTS lake.{schema}")
            for schema, table in tables:
                con.execute(f'CREATE OR REPLACE TABLE lake.{schema}."{table}" AS '
                            f'SELECT * FROM lake_build.{schema}."{table}"')
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return [f"{s}.{t}" for s, t in tables]
    finally:
        con.close()


@dg.job(executor_def=celery_executor,
        description="Staging on Celery workers into a DuckLake, then dbt build on the lake")
def distributed_pipeline():
    batches, planned = plan_batches()
    staged = batches.map(stage_batch).collect()
    dbt_build(finish_staging(planned, staged))
