"""Foundation: the Dagster definitions, bad input, idempotent loading, the sensor."""
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from extractors.corpus import extract_many, list_documents
from extractors.load import connect, manifest, write_extractions

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
SAMPLES = sorted(p.name for p in RAW.glob("*.txt"))


def test_five_sample_documents_are_the_default_corpus():
    assert SAMPLES == ["000_94a51bfa8bc2096e.txt", "001_13025beda4217a55.txt", "002_26df1c49268341e3.txt",
                       "003_638e0d246034f851.txt", "004_648995029452fd0f.txt"]


@pytest.fixture(scope="module")
def defs():
    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt manifest missing: run `make dbt-parse`")
    from dagster_project.definitions import defs as load

    return load()


def test_definitions_have_the_whole_asset_graph(defs):
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert "staging/documents" in keys  # one asset writes every staging table of a document
    for model in ["dim_budget_entity", "dim_functional_classification", "dim_economic_classification",
                  "fct_function_expenditure", "fct_economic_expenditure", "fct_revenue", "fct_three_public_expense",
                  "fct_project", "fct_performance_indicator", "fct_reported_figure", "rpt_entity_summary",
                  "fct_reconciliation"]:
        assert f"marts/{model}" in keys, model
    assert "stg/stg_budget_docs__documents" in keys and "catalog/functional_classification" in keys
    # dbt sources are the Python asset: every stg model hangs off staging/documents
    for stg in ("stg_budget_docs__table_rows", "stg_budget_docs__documents", "stg_budget_docs__load_errors"):
        parents = {k.to_user_string() for k in graph.get(__import__("dagster").AssetKey(["stg", stg])).parent_keys}
        assert parents == {"staging/documents"}, stg
    assert not [k for k in keys if k.startswith("staging/") and k != "staging/documents"]
    checks = {c.name for c in graph.asset_check_keys}
    assert "gx_reconciliation_blocking" in checks and "gx_function_facts" in checks
    assert any(name.startswith("not_null_") for name in checks)  # dbt tests are asset checks


def test_definitions_partitions_sensor_schedule(defs):
    import dagster as dg

    staging = defs.resolve_assets_def(dg.AssetKey(["staging", "documents"]))
    assert isinstance(staging.partitions_def, dg.DynamicPartitionsDefinition)
    assert staging.partitions_def.name == "documents"
    assert defs.resolve_sensor_def("raw_documents_sensor") is not None
    assert defs.resolve_schedule_def("daily_full_run").cron_schedule == "0 2 * * *"
    # every DuckDB writer is in the same pool
    dbt_def = defs.resolve_assets_def(dg.AssetKey(["marts", "fct_reconciliation"]))
    pools = {staging.op.pool, dbt_def.op.pool}
    assert pools == {"duckdb_warehouse"}


@pytest.fixture()
def bad_corpus(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "000_94a51bfa8bc2096e.txt", raw / "good.txt")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 40)
    text = (RAW / "000_94a51bfa8bc2096e.txt").read_text(encoding="utf-8")
    (raw / "gbk.txt").write_bytes(text.encode("gb18030"))
    data = (RAW / "003_638e0d246034f851.txt").read_bytes()
    cut = len(data) // 2
    while (data[cut] & 0xC0) != 0x80:  # cut inside a multi-byte character
        cut += 1
    (raw / "truncated.txt").write_bytes(data[:cut])
    (raw / "notes.odt").write_bytes(b"PK\x03\x04 not a budget")
    return raw


def _load(raw: Path, wh: Path):
    con = connect(wh)
    try:
        results = extract_many(list_documents(raw), raw)
        write_extractions(con, results)
        return {name: ex for name, _, ex in results}
    finally:
        con.close()


def test_bad_files_are_recorded_and_good_ones_still_load(bad_corpus, tmp_path):
    wh = tmp_path / "wh.duckdb"
    _load(bad_corpus, wh)
    con = duckdb.connect(str(wh), read_only=True)
    errors = {(f, stage, sev): err for f, stage, sev, err in con.execute(
        "select source_file, stage, severity, error from staging.load_errors").fetchall()}
    status = dict(con.execute("select source_file, status from staging.file_manifest").fetchall())
    assert status["empty.txt"] == "failed" and "empty file" in errors[("empty.txt", "read", "error")]
    assert status["binary.txt"] == "failed" and "binary" in errors[("binary.txt", "read", "error")]
    assert status["notes.odt"] == "failed" and "unsupported file type .odt" in errors[("notes.odt", "read", "error")]
    # GBK text is read (with a warning), with the same figures as the UTF-8 original
    assert "gb18030" in errors[("gbk.txt", "read", "warning")]
    assert status["truncated.txt"] == "loaded_with_warnings"
    assert "truncated" in errors[("truncated.txt", "read", "warning")]
    docs = dict(con.execute("select source_file, entity_name from staging.documents").fetchall())
    assert set(docs) == {"good.txt", "gbk.txt", "truncated.txt"}
    good = con.execute("select count(*) from staging.performance_indicators where source_file='good.txt'").fetchone()[0]
    gbk = con.execute("select count(*) from staging.performance_indicators where source_file='gbk.txt'").fetchone()[0]
    assert good > 0 and good == gbk


def test_reloading_unchanged_files_writes_nothing_new(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in SAMPLES[:3]:
        shutil.copy(RAW / name, raw / name)
    wh = tmp_path / "wh.duckdb"

    def counts():
        con = duckdb.connect(str(wh), read_only=True)
        try:
            return {t: con.execute(f"select count(*) from staging.{t}").fetchone()[0]
                    for t in ["documents", "tables", "table_rows", "table_amounts", "performance_indicators", "file_manifest"]}
        finally:
            con.close()

    _load(raw, wh)
    first = counts()
    _load(raw, wh)  # same files again: replaced, not duplicated
    assert counts() == first
    # the manifest knows every file's hash, so the Dagster asset skips them next time
    con = connect(wh)
    from extractors.corpus import hash_file
    from extractors.load import manifest_key
    assert manifest(con) == {name: manifest_key(hash_file(raw / name)) for name in SAMPLES[:3]}
    con.close()
    assert first["table_rows"] > 0


def test_sensor_adds_partitions_and_requests_runs_for_new_files(tmp_path, monkeypatch):
    import dagster as dg

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / SAMPLES[0], raw / SAMPLES[0])
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    from dagster_project.defs.automation import raw_documents_sensor

    with dg.instance_for_test() as instance:
        ctx = dg.build_sensor_context(instance=instance)
        result = raw_documents_sensor(ctx)
        assert [r.partition_key for r in result.run_requests] == [SAMPLES[0]]
        assert result.dynamic_partitions_requests[0].partition_keys == [SAMPLES[0]]
        # nothing new: no run; a new file: one run for it
        ctx2 = dg.build_sensor_context(instance=instance, cursor=result.cursor)
        assert raw_documents_sensor(ctx2).run_requests == []
        shutil.copy(RAW / SAMPLES[1], raw / SAMPLES[1])
        ctx3 = dg.build_sensor_context(instance=instance, cursor=result.cursor)
        assert [r.partition_key for r in raw_documents_sensor(ctx3).run_requests] == [SAMPLES[1]]


def test_second_run_leaves_mart_counts_unchanged():
    """`make test` runs the pipeline twice over raw/ and records mart row counts after each."""
    first, second = ROOT / "build" / "test" / "counts_run1.json", ROOT / "build" / "test" / "counts_run2.json"
    if not (first.exists() and second.exists()):
        pytest.skip("run counts not recorded: run `make test`")
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    assert a["marts"] == b["marts"]
    assert a["marts"]["fct_function_expenditure"] > 0
    assert b["documents_extracted"] == 0  # nothing new: nothing re-extracted


def test_amounts_are_exact_decimals_in_the_warehouse(wh):
    types = dict(wh.execute("""select table_name || '.' || column_name, data_type from information_schema.columns
                               where table_schema = 'marts' and column_name like '%wan'""").fetchall())
    assert types and all(t.startswith("DECIMAL") for t in types.values()), types
    total = wh.execute("""select amount_wan from marts.fct_reported_figure f join marts.dim_budget_entity e using (entity_id)
                          where e.entity_code = '434' and f.table_kind = 'expenditure_summary' and f.row_kind = 'total'
                            and f.measure = 'total'""").fetchall()
    assert total and total[0][0] == Decimal("1331.05")


def test_regression_stale_rows_are_reextracted_when_the_extractor_changes(tmp_path, monkeypatch):
    """A file loaded by an older extractor (or before versions were recorded) is not 'unchanged'."""
    from extractors import load
    from extractors.corpus import hash_file

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / SAMPLES[0], raw / SAMPLES[0])
    wh = tmp_path / "wh.duckdb"
    _load(raw, wh)
    con = connect(wh)
    current = load.manifest_key(hash_file(raw / SAMPLES[0]))
    assert manifest(con)[SAMPLES[0]] == current
    con.execute("update staging.file_manifest set extractor_version = NULL")
    assert manifest(con)[SAMPLES[0]] != current
    con.execute("update staging.file_manifest set extractor_version = 'older-code'")
    assert manifest(con)[SAMPLES[0]] != current
    con.close()


def test_regression_a_field_added_to_a_record_migrates_an_existing_warehouse(tmp_path):
    """staging.documents built before DocumentMeta gained a field still loads."""
    from extractors.load import ensure_schema

    wh = tmp_path / "wh.duckdb"
    con = connect(wh)
    ensure_schema(con)
    con.execute("alter table staging.documents drop column fiscal_year")
    con.close()
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / SAMPLES[0], raw / SAMPLES[0])
    _load(raw, wh)
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select fiscal_year from staging.documents").fetchall() == [(2025,)]
    con.close()


def test_regression_a_file_removed_from_the_raw_dir_loses_its_rows(tmp_path, monkeypatch):
    """The runner deletes a removed file's partition before the staging run, so the asset must
    prune by the raw dir, not by the partitions of the run."""
    import dagster as dg

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in SAMPLES[:2]:
        shutil.copy(RAW / name, raw / name)
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv("BUDGET_WORKERS", "1")
    from dagster_project.defs.staging import staging_tables

    def run(keys):
        with dg.instance_for_test() as instance:
            instance.add_dynamic_partitions("documents", keys)
            assert dg.materialize([staging_tables], instance=instance, tags={
                "dagster/asset_partition_range_start": keys[0],
                "dagster/asset_partition_range_end": keys[-1]}).success
        con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
        try:
            return sorted(r[0] for r in con.execute("select distinct source_file from staging.documents").fetchall())
        finally:
            con.close()

    assert run(SAMPLES[:2]) == SAMPLES[:2]
    (raw / SAMPLES[1]).unlink()
    assert run(SAMPLES[:1]) == SAMPLES[:1]


def test_batched_event_storage_records_every_partition(tmp_path, monkeypatch):
    """dagster_home/dagster.yaml stores a run's asset events a batch per transaction
    (dagster_project/storage.py): every partition of a range run must still be planned,
    materialised and reported as such, exactly once."""
    import dagster as dg

    from dagster_project.storage import BatchedSqliteEventLogStorage

    home = tmp_path / "dh"
    home.mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.delenv("DAGSTER_EVENT_BATCH_SIZE", raising=False)
    parts = dg.DynamicPartitionsDefinition(name="docs")

    @dg.asset(key=["staging", "probe"], partitions_def=parts, backfill_policy=dg.BackfillPolicy.single_run())
    def probe(context):
        return dg.MaterializeResult(metadata={"n": len(context.partition_keys)})

    @dg.asset(key=["marts", "probe"])
    def probe_mart():
        return dg.MaterializeResult()

    @dg.asset_check(asset=probe_mart)
    def probe_check():
        return dg.AssetCheckResult(passed=True)

    keys = [f"doc{i:02d}.txt" for i in range(25)]
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, BatchedSqliteEventLogStorage)
        assert os.environ["DAGSTER_EVENT_BATCH_SIZE"] == "1000"
        instance.add_dynamic_partitions("docs", keys)
        for _ in range(2):  # a second run over the same range updates, never duplicates partitions
            assert dg.materialize([probe], instance=instance, tags={
                "dagster/asset_partition_range_start": keys[0],
                "dagster/asset_partition_range_end": keys[-1]}).success
        key = dg.AssetKey(["staging", "probe"])
        assert instance.get_materialized_partitions(key) == set(keys)
        mats = instance.fetch_materializations(key, limit=1000).records
        assert len(mats) == 50 and {m.partition_key for m in mats} == set(keys)
        with pytest.warns(DeprecationWarning):  # still the way to read planned events in dagster 1.13
            planned = instance.fetch_planned_materializations(key, limit=1000).records
        assert len(planned) == 50 and {p.partition_key for p in planned} == set(keys)
        latest = instance.get_latest_materialization_event(key)
        assert latest is not None and latest.run_id == mats[0].run_id
        assert instance.get_asset_records([key])[0].asset_entry.last_run_id == latest.run_id
        # a run planning assets and checks: its planned batch mixes both kinds of events
        assert dg.materialize([probe_mart, probe_check], instance=instance).success
        mart = dg.AssetKey(["marts", "probe"])
        assert len(instance.fetch_materializations(mart, limit=10).records) == 1
        history = instance.event_log_storage.get_asset_check_execution_history(
            dg.AssetCheckKey(mart, "probe_check"), limit=10)
        assert [h.status.value for h in history] == ["SUCCEEDED"]
        with instance.event_log_storage.index_connection() as conn:  # WAL, synced at checkpoints
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1


def test_staging_written_in_batches_equals_one_write(tmp_path, monkeypatch):
    """The staging asset writes every BUDGET_WRITE_BATCH documents (memory holds one batch):
    the rows must be those of writing every document at once."""
    import dagster as dg

    from dagster_project.defs.staging import staging_tables
    from extractors.records import RECORD_TABLES

    monkeypatch.setenv("BUDGET_RAW_DIR", str(RAW))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "batched.duckdb"))
    monkeypatch.setenv("BUDGET_WORKERS", "2")
    monkeypatch.setenv("BUDGET_WRITE_BATCH", "2")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("documents", SAMPLES)
        assert dg.materialize([staging_tables], instance=instance, tags={
            "dagster/asset_partition_range_start": SAMPLES[0],
            "dagster/asset_partition_range_end": SAMPLES[-1]}).success
    one = connect(tmp_path / "one.duckdb")
    write_extractions(one, extract_many(list_documents(RAW), RAW))
    batched = duckdb.connect(str(tmp_path / "batched.duckdb"), read_only=True)
    try:
        for table in RECORD_TABLES:
            q = f"select * exclude (source_file) , source_file from staging.{table} order by all"
            assert batched.execute(q).fetchall() == one.execute(q).fetchall(), table
        assert batched.execute("select count(*) from staging.file_manifest").fetchone()[0] == len(SAMPLES)
    finally:
        batched.close()
        one.close()


def test_dbt_prints_no_colour_codes_into_a_file_or_a_pipe(monkeypatch):
    # make run > run.log carried dbt's ANSI colour codes ([32mOK[0m) into the file (issue 15)
    import io

    from dagster_project.defs.dbt import dbt_build_args
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert "--no-use-colors" in dbt_build_args()

    class Tty(io.StringIO):
        def isatty(self):
            return True
    monkeypatch.setattr("sys.stderr", Tty())
    assert "--no-use-colors" not in dbt_build_args()
    monkeypatch.setenv("NO_COLOR", "1")
    assert "--no-use-colors" in dbt_build_args()
