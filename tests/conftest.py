import os
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
