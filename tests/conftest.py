import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"


@pytest.fixture(scope="session")
def test_warehouse() -> Path:
    """The warehouse `make test` builds from raw/ before running pytest."""
    path = Path(os.environ.get("BUDGET_TEST_WAREHOUSE", ROOT / "build" / "test" / "budget.duckdb"))
    if not path.exists():
        pytest.skip(f"{path} not built: run `make test` (it builds the sample warehouse first)")
    return path


@pytest.fixture(scope="session")
def wh(test_warehouse):
    import duckdb

    con = duckdb.connect(str(test_warehouse), read_only=True)
    yield con
    con.close()


def pipeline_env(raw: Path, warehouse: Path, home: Path, **env_extra: str) -> dict:
    """The environment of ``python -m dagster_project.run`` over raw into warehouse, with DAGSTER_HOME
    home (made, with the project's dagster.yaml, when it does not exist)."""
    if not (home / "dagster.yaml").exists():
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    return dict(os.environ, BUDGET_RAW_DIR=str(raw), BUDGET_WAREHOUSE=str(warehouse), DAGSTER_HOME=str(home),
                DBT_PROFILES_DIR=str(ROOT / "dbt"), DO_NOT_TRACK="1", DAGSTER_DISABLE_TELEMETRY="1",
                GX_ANALYTICS_ENABLED="False", PYTHONDONTWRITEBYTECODE="1", **env_extra)


def run_pipeline(raw: Path, warehouse: Path, home: Path, timeout: int = 1200, **env_extra: str) -> str:
    """Run ``python -m dagster_project.run`` over raw into warehouse (see pipeline_env); fails the
    test when the run does. Its stderr (the progress log)."""
    proc = subprocess.run([sys.executable, "-m", "dagster_project.run"], cwd=ROOT,
                          env=pipeline_env(raw, warehouse, home, **env_extra),
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stderr


def pipeline_warehouse(raw: Path, tmp: Path, timeout: int = 1200):
    """The pipeline over raw into a fresh warehouse and DAGSTER_HOME under tmp; a read-only DuckDB
    connection to it (skips when dbt's manifest is not parsed)."""
    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt/target/manifest.json is missing (run `make dbt-parse` first)")
    duckdb = pytest.importorskip("duckdb")
    warehouse = tmp / "budget.duckdb"
    run_pipeline(raw, warehouse, tmp / "dagster_home", timeout)
    return duckdb.connect(str(warehouse), read_only=True)


DEV_PDFS = ROOT / "tests" / "fixtures" / "pdf"


@pytest.fixture(scope="session")
def dev_pdfs_warehouse(tmp_path_factory) -> Path:
    """The five development PDFs (tests/fixtures/pdf) through the pipeline into a temporary
    warehouse, once per session (test_dev_pdfs and test_report read it)."""
    tmp = tmp_path_factory.mktemp("dev_pdfs")
    pipeline_warehouse(DEV_PDFS, tmp, timeout=600).close()
    return tmp / "budget.duckdb"


def apply_sensor_result(instance, result) -> None:
    """What the sensor daemon does with a SensorResult's partition requests before its runs."""
    for req in result.dynamic_partitions_requests:
        if type(req).__name__.startswith("Add"):
            instance.add_dynamic_partitions(req.partitions_def_name, list(req.partition_keys))
        else:
            for key in req.partition_keys:
                instance.delete_dynamic_partition(req.partitions_def_name, key)
