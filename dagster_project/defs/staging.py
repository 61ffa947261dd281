"""Python assets: raw documents → DuckDB staging tables (schema ``staging``).

One asset, ``staging/documents``, partitioned by document, materialises every staging table of a
document at once (each document yields records of every kind, and a table of one kind alone
is never rebuilt). Every dbt source of schema ``staging`` maps to this key
(dbt/models/staging/budget_docs/_budget_docs__sources.yml), so the dbt models hang off it in the
asset graph. A run over many partitions is a single run (BackfillPolicy.single_run) that
extracts documents in parallel.

One key rather than one per table: Dagster records a planned and a materialisation event per
asset key and partition, so ten keys cost ten times the bookkeeping for no extra information
(the ten were always materialised together). The metadata: the rows each staging table holds for
the run's documents (``rows/<table>``, what they are now, also after a run that found nothing
changed), the rows this run wrote (``rows_written/<table>``, only when it extracted something) and
the documents extracted and unchanged.
"""

import os
from collections import Counter

import dagster as dg

from extractors.corpus import iter_extract, try_hash_file, raw_dir
from extractors.load import connect, manifest, manifest_key, prune_missing, rows_of, write_extractions
from extractors.records import RECORD_TABLES

from dagster_project.console import ExtractProgress
from dagster_project.publish import step_warehouse
from dagster_project.runlock import step_writer_lock

from .partitions import DUCKDB_POOL, documents_partitions

STAGING_TABLES = list(RECORD_TABLES)
STAGING_KEY = dg.AssetKey(["staging", "documents"])


def workers() -> int:
    return max(1, int(os.environ.get("BUDGET_WORKERS", os.cpu_count() or 1)))


def write_batch() -> int:
    """Documents written per staging transaction (BUDGET_WRITE_BATCH, default 200): memory holds
    one batch of extracted records, not the whole corpus."""
    return max(1, int(os.environ.get("BUDGET_WRITE_BATCH", "200")))


@dg.asset(
    key=STAGING_KEY,
    group_name="staging",
    description="Every staging table (schema staging: " + ", ".join(STAGING_TABLES) + ", file_manifest) "
                "for a document: its extracted records with provenance.",
    kinds={"python", "duckdb"},
    partitions_def=documents_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=DUCKDB_POOL,
)
def staging_tables(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    root = raw_dir()
    keys = sorted(context.partition_keys)
    # listed in the raw dir: a dangling link or a folder not followed is listed too (its extraction
    # records why it is not read), so it counts as present
    present = [k for k in keys if os.path.lexists(root / k)]
    missing = sorted(set(keys) - set(present))
    with step_writer_lock():
        # a run that publishes (sensor, schedule) writes its working copy, made here
        return _stage(context, root, keys, present, missing, step_warehouse(context, write=True))


def _stage(context, root, keys, present, missing, wh) -> dg.MaterializeResult:
    con = connect(wh)
    try:
        known = manifest(con)
        todo, unchanged = [], 0
        for key in present:
            # unreadable now and at the last load (its load error row has the empty hash): unchanged
            if known.get(key) == manifest_key(try_hash_file(root / key) or ""):
                unchanged += 1
            else:
                todo.append(root / key)
        context.log.info(f"{len(keys)} documents: {len(todo)} new or changed, {unchanged} unchanged, "
                         f"{len(missing)} of this run's partitions no longer in {root}")
        written: Counter = Counter()
        loaded: list[str] = []
        errors: list[tuple[str, str, str]] = []
        batch: list = []

        def flush():
            # one transaction per batch: a document's rows are replaced at once, and the main
            # process writes while the workers extract the next documents
            written.update(write_extractions(con, batch))
            loaded.extend(n for n, _, _ in batch)
            errors.extend((n, e.stage, e.error) for n, _, ex in batch for e in ex.load_errors if e.severity == "error")
            batch.clear()

        for res in iter_extract(todo, root, processes=workers(), progress=ExtractProgress()):
            batch.append(res)
            if len(batch) >= write_batch():
                flush()
        if batch:
            flush()
        # the raw dir is the truth: a loaded file that is gone from it (its partition may already
        # be deleted, so it is not among this run's keys) loses its rows
        pruned = prune_missing(con, [k for k in known if os.path.lexists(root / k)] + loaded)
        if pruned:
            context.log.info(f"removed the rows of {len(pruned)} files no longer in {root}: {', '.join(pruned[:5])}")
        held = rows_of(con, present)
    finally:
        con.close()
    for name, stage, err in errors:
        context.log.warning(f"{name}: [{stage}] {err}")
    # a run that extracted nothing reports what staging holds, not zeros over the last real counts
    return dg.MaterializeResult(metadata={
        **{f"rows/{table}": dg.MetadataValue.int(held[table]) for table in STAGING_TABLES},
        **({f"rows_written/{table}": dg.MetadataValue.int(written.get(table, 0)) for table in STAGING_TABLES}
           if todo else {}),
        "documents_extracted": dg.MetadataValue.int(len(todo)),
        "documents_unchanged": dg.MetadataValue.int(unchanged)})
