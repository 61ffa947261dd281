"""Runs launched by `make ui` (the sensor's, the daily schedule's) build in a working copy and
publish it at their end in one rename, as `make run` does: a reader holding the published
warehouse, or opening it during the run, keeps working; a run that fails leaves the published
warehouse byte-identical. The sensor's job executed in process, as the daemon would launch it."""
from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import duckdb
import pytest
from conftest import apply_sensor_result as _apply

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
FIRST, SECOND = "000_94a51bfa8bc2096e.txt", "001_13025beda4217a55.txt"
ENTITIES = "select entity_name, fiscal_year from marts.dim_budget_entity order by 1"
ONE = [("淮北市杜集区人民政府办公室", 2025)]
BOTH = ONE + [("淮北市相山区人民政府办公室", 2024)]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _query(wh: Path, sql: str):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


class Readers:
    """While the run goes on: one connection held open on the published warehouse, queried in a
    loop, and a new read-only connection opened and queried in a loop (the README's query)."""

    def __init__(self, wh: Path):
        self.wh, self.stop, self.errors, self.reads = wh, threading.Event(), [], 0
        self.held = duckdb.connect(str(wh), read_only=True)
        self.held_before = self.held.execute(ENTITIES).fetchall()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        cursor = self.held.cursor()
        while not self.stop.is_set():
            try:
                assert cursor.execute(ENTITIES).fetchall() == self.held_before
                _query(self.wh, "select count(*) from marts.dim_budget_entity")
                self.reads += 1
            except Exception as exc:  # noqa: BLE001 - recorded, asserted by the test
                self.errors.append(repr(exc))
            self.stop.wait(0.1)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(30)


def test_sensor_runs_build_in_a_copy_and_publish_it_atomically(tmp_path, monkeypatch):
    import dagster as dg

    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt/target/manifest.json is missing (run `make dbt-parse` first)")
    raw, wh = tmp_path / "raw", tmp_path / "budget.duckdb"
    raw.mkdir()
    shutil.copy(RAW / FIRST, raw / FIRST)
    for k, v in {"BUDGET_RAW_DIR": raw, "BUDGET_WAREHOUSE": wh, "BUDGET_WORKERS": "1"}.items():
        monkeypatch.setenv(k, str(v))
    monkeypatch.delenv("BUDGET_PUBLISHED_WAREHOUSE", raising=False)
    from dagster_project.definitions import defs as load
    from dagster_project.publish import ui_working_path

    defs = load()
    job = defs.resolve_job_def("pipeline_job")
    sensor = defs.resolve_sensor_def("raw_documents_sensor")
    copy = ui_working_path(wh)

    def execute(instance, request, ok=True) -> dg.ExecuteInProcessResult:
        res = job.execute_in_process(instance=instance, tags=request.tags, partition_key=request.partition_key,
                                     raise_on_error=False)
        assert res.success is ok, "\n".join(str(e.step_failure_data.error)[-1500:] for e in res.get_step_failure_events())
        return res

    with dg.instance_for_test() as instance:
        tick = sensor(dg.build_sensor_context(instance=instance))
        [request] = tick.run_requests
        _apply(instance, tick)
        res = execute(instance, request)
        # the last step, after dbt and the GX checks, published the run's copy
        steps = [e.step_key for e in res.all_events if e.is_step_success]
        assert steps[-1] == "warehouse__published" and steps.index("gx_suites") < steps.index("warehouse__published")
        assert _query(wh, ENTITIES) == ONE and not copy.exists()
        [published] = [e for e in res.get_asset_materialization_events() if e.asset_key.path == ["warehouse", "published"]]
        assert published.materialization.metadata["published"].value is True

        shutil.copy(RAW / SECOND, raw / SECOND)
        tick = sensor(dg.build_sensor_context(instance=instance, cursor=tick.cursor))
        [request] = tick.run_requests
        assert request.partition_key == SECOND
        _apply(instance, tick)
        published = _sha(wh)

        # a run that fails after staging and dbt built the copy (the GX step errors): not published
        import dagster_project.defs.checks as checks

        def broken(*_a, **_k):
            raise RuntimeError("forced failure in the checks")

        with monkeypatch.context() as m:
            m.setattr(checks, "run_suites", broken)
            res = execute(instance, request, ok=False)
        failed = {e.step_key for e in res.get_step_failure_events()}
        assert failed == {"gx_suites", "warehouse__published"}
        assert _sha(wh) == published and _query(wh, ENTITIES) == ONE
        assert _query(copy, ENTITIES) == BOTH  # the failed build stays in its copy until the next run

        # a run that fails in staging, after writing the copy: not published either
        import dagster_project.defs.staging as staging

        def broken_rows(*_a, **_k):
            raise RuntimeError("forced failure in staging")

        with monkeypatch.context() as m:
            m.setattr(staging, "rows_of", broken_rows)
            res = execute(instance, request, ok=False)
        assert "staging__documents" in {e.step_key for e in res.get_step_failure_events()}
        assert _sha(wh) == published and _query(wh, ENTITIES) == ONE

        # the run again, with readers on the published warehouse all along
        with Readers(wh) as readers:
            execute(instance, request)
        assert readers.errors == [] and readers.reads > 0
        assert readers.held.execute(ENTITIES).fetchall() == ONE  # it keeps the warehouse it opened
        readers.held.close()
        assert _query(wh, ENTITIES) == BOTH and not copy.exists()
        assert _query(wh, "select count(*) from staging.file_manifest where status = 'loaded'") == [(2,)]


def test_a_materialisation_without_the_publish_step_writes_in_place(tmp_path, monkeypatch):
    """Materialising staging alone (the UI's 'Materialize' on one asset): no run copy, as before."""
    import dagster as dg

    raw, wh = tmp_path / "raw", tmp_path / "budget.duckdb"
    raw.mkdir()
    shutil.copy(RAW / FIRST, raw / FIRST)
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(wh))
    monkeypatch.setenv("BUDGET_WORKERS", "1")
    monkeypatch.delenv("BUDGET_PUBLISHED_WAREHOUSE", raising=False)
    from dagster_project.defs.staging import staging_tables
    from dagster_project.publish import ui_working_path

    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("documents", [FIRST])
        assert dg.materialize([staging_tables], instance=instance, partition_key=FIRST).success
    assert _query(wh, "select source_file, status from staging.file_manifest") == [(FIRST, "loaded")]
    assert not ui_working_path(wh).exists()


def test_a_run_copy_made_before_another_publish_is_not_published(tmp_path):
    """A `make run` published between a UI run's copy and its publish step: the UI run does not
    overwrite it (the make run read every file), it says so and removes its copy. A copy left by a
    failed run is replaced by the next run's."""
    from dagster_project.publish import PublishConflict, ensure_run_copy, publish_run_copy, ui_working_path

    wh = tmp_path / "budget.duckdb"
    con = duckdb.connect(str(wh))
    con.execute("create table t as select 1 as v")
    con.close()
    copy = ensure_run_copy(wh, "run-a")
    assert copy == ui_working_path(wh) and _query(copy, "select v from t") == [(1,)]
    con = duckdb.connect(str(copy))
    con.execute("update t set v = 2")
    con.close()
    # another run leaves a new published file (a rename, as make run publishes)
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("create table t as select 3 as v")
    con.close()
    other.replace(wh)
    with pytest.raises(PublishConflict, match="changed since this run copied it"):
        publish_run_copy(wh, "run-a")
    assert _query(wh, "select v from t") == [(3,)] and not copy.exists()

    # run-b's copy, left behind by a failure, is replaced by run-c's fresh copy, which publishes
    con = duckdb.connect(str(ensure_run_copy(wh, "run-b")))
    con.execute("update t set v = 4")
    con.close()
    copy = ensure_run_copy(wh, "run-c")
    assert _query(copy, "select v from t") == [(3,)]
    with pytest.raises(RuntimeError, match="has no working copy"):
        publish_run_copy(wh, "run-b")
    con = duckdb.connect(str(copy))
    con.execute("update t set v = 5")
    con.close()
    publish_run_copy(wh, "run-c")
    assert _query(wh, "select v from t") == [(5,)] and not copy.exists()
