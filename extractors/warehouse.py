"""Where the warehouse is: one DuckDB file (the default) or a DuckLake (BUDGET_WAREHOUSE names one).

``BUDGET_WAREHOUSE=warehouse/budget.duckdb`` (the default): one DuckDB file, one writer at a time.
``BUDGET_WAREHOUSE='ducklake:postgres:dbname=lake host=127.0.0.1 port=5432 user=budget'`` with
``BUDGET_LAKE_DATA=/shared/lake``: a DuckLake, its catalog in PostgreSQL, its data Parquet files
under BUDGET_LAKE_DATA (a shared folder, or ``s3://…`` through httpfs). Many processes on many
machines write it at once (each commit is a snapshot; appends never conflict) and readers see
the last committed snapshot.

Every connection, the staging writer's, dbt's (dagster_project/dbt_lake_plugin.py) and a
reader's, is made here: for a lake, an in-memory DuckDB that LOADs the ducklake and postgres
extensions from their installed PyPI packages (``duckdb-extension-ducklake`` …, built for one DuckDB
version, which pyproject.toml pins: INSTALL / autoloading would download them), ATTACHes the lake
as ``lake`` and USEs it, so ``staging.documents`` and ``marts.fct_revenue`` mean the same tables
in both kinds.
"""
from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

import duckdb

LAKE_PREFIX = "ducklake:"
LAKE_ALIAS = "lake"
# extensions a lake connection loads: the catalog database's (postgres for ducklake:postgres:…)
# and httpfs for s3:// or http(s):// data paths
LAKE_EXTENSIONS = ("ducklake",)


def is_lake(target: Union[str, Path, None]) -> bool:
    return str(target or "").startswith(LAKE_PREFIX)


@dataclass(frozen=True)
class Warehouse:
    """BUDGET_WAREHOUSE and BUDGET_LAKE_DATA, read once (settings of the warehouse)."""

    target: str                       # a DuckDB file's path, or a ducklake: catalog
    lake_data: Optional[str] = None   # the lake's DATA_PATH (for a lake only)

    @property
    def is_lake(self) -> bool:
        return is_lake(self.target)

    @property
    def dbt_target(self) -> str:
        """The output of dbt/profiles.yml that builds the marts in this warehouse."""
        return "lake" if self.is_lake else "dev"

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        if not self.is_lake:
            path = Path(self.target)
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            return duckdb.connect(str(path), read_only=read_only)
        con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": "false",
                                                  "autoload_known_extensions": "false"})
        try:
            load_extensions(con, lake_extensions(self.target, self.lake_data))
            con.execute(attach_sql(self.target, self.lake_data, read_only=read_only))
            for name, value in LAKE_RETRY.items():
                con.execute(f"SET {name} = {value}")
            con.execute(f"USE {LAKE_ALIAS}")
        except Exception:
            con.close()
            raise
        return con

    def reused_connect(self) -> duckdb.DuckDBPyConnection:
        """A read-write connection to the lake from a DuckDB instance this process keeps: the first
        call makes it (the extension LOADs cost ~0.25 s per instance, more than committing a batch
        of documents), later calls open a new connection (``cursor()``: its own transactions) on
        it. For a Celery worker, which commits batch after batch. Only the lake is attached to the
        kept instance: a caller must not ATTACH anything else. ``forget_reused`` drops it (after
        an error: the next call starts afresh). A DuckDB file: ``connect()``."""
        if not self.is_lake:
            return self.connect()
        key = (os.getpid(), self.target, self.lake_data)
        base = _REUSED.get(key)
        if base is None:
            _REUSED.clear()  # another target's, or the parent's before a fork: never used again
            base = _REUSED[key] = self.connect()
            # one thread: a worker's commit (~20,000 rows into ten tables) gains nothing from more
            # and their coordination cost CPU seconds the other workers' extraction needed (four
            # commits of 25 documents: 2.1-2.4 CPU s on DuckDB's default threads, 1.7-1.9 on one,
            # the same wall time)
            base.execute("SET threads = 1")
        con = base.cursor()
        try:
            con.execute(f"USE {LAKE_ALIAS}")
        except Exception:
            con.close()
            self.forget_reused()
            raise
        return con

    @staticmethod
    def forget_reused() -> None:
        for con in _REUSED.values():
            try:
                con.close()
            except Exception:  # noqa: BLE001 - it is being dropped because it failed
                pass
        _REUSED.clear()

    def describe(self) -> str:
        return f"DuckLake {self.target} (data {self.lake_data})" if self.is_lake else str(self.target)


# DuckLake's retries of a commit that lost the race for the next snapshot to another writer's
# (appends to the same tables: no conflict, retried in the catalog alone): at once and then
# doubling, from 10 ms, instead of from 100 ms growing 1.5×: two workers committing four batches
# each at once waited 0.47 s a worker for their retries at the defaults, 0.21 s at these
LAKE_RETRY = {"ducklake_retry_wait_ms": 10, "ducklake_retry_backoff": 2}

_REUSED: dict = {}  # Warehouse.reused_connect's instance, by (pid, target, lake_data)


def current(target: Union[str, Path, None] = None) -> Warehouse:
    """The warehouse of this process: ``target`` or BUDGET_WAREHOUSE (default warehouse/budget.duckdb)."""
    from .corpus import warehouse_path

    raw = str(target) if target is not None else os.environ.get("BUDGET_WAREHOUSE", "")
    if is_lake(raw):
        data = os.environ.get("BUDGET_LAKE_DATA")
        if not data:
            raise ValueError("BUDGET_WAREHOUSE names a DuckLake: set BUDGET_LAKE_DATA to the folder (or s3:// "
                             "path) of its Parquet files")
        return Warehouse(raw, data if "://" in data else str(Path(data).resolve()))
    return Warehouse(str(Path(raw).resolve()) if raw else str(warehouse_path()))


def lake_extensions(target: str, lake_data: Optional[str]) -> list[str]:
    exts = list(LAKE_EXTENSIONS)
    catalog = target[len(LAKE_PREFIX):]
    if catalog.startswith("postgres:"):
        exts.append("postgres_scanner")
    if lake_data and "://" in lake_data:
        exts.append("httpfs")
    return exts


# the PyPI package that ships an extension (postgres_scanner is the postgres extension's file name)
_PACKAGES = {"ducklake": "duckdb_extension_ducklake", "postgres_scanner": "duckdb_extension_postgres",
             "httpfs": "duckdb_extension_httpfs"}


def extension_file(name: str) -> Path:
    """<site-packages>/duckdb_extension_<x>/extensions/v<duckdb version>/<name>.duckdb_extension."""
    package = _PACKAGES[name]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the DuckDB extension {name} is not installed: pip install "
                           f"{package.replace('_', '-')}=={duckdb.__version__} (make install does)")
    folder = Path(list(spec.submodule_search_locations)[0]) / "extensions" / f"v{duckdb.__version__}"
    found = sorted(folder.glob("*.duckdb_extension"))
    if not found:
        built = sorted(p.name for p in folder.parent.glob("v*"))
        raise RuntimeError(f"{package} has no extension for DuckDB {duckdb.__version__} (it has {built}): "
                           "pin duckdb to the version the extension packages are built for")
    return found[0]


def loadable_file(name: str) -> Path:
    """The extension file under the name DuckDB expects: it derives the entry point from the file
    name, and the postgres package ships postgres_scanner as postgres.duckdb_extension, so that
    one is loaded through a link named postgres_scanner.duckdb_extension in a folder of our own."""
    path = extension_file(name)
    if path.stem == name:
        return path
    import tempfile
    folder = Path(tempfile.gettempdir()) / f"budget-duckdb-extensions-{os.getuid()}" / f"v{duckdb.__version__}"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / f"{name}.duckdb_extension"
    if not (link.is_symlink() and Path(os.readlink(link)) == path):
        tmp = folder / f".{name}.{os.getpid()}"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(path)
        os.replace(tmp, link)  # atomic: processes starting together never see a half-made link
    return link


def load_extensions(con: duckdb.DuckDBPyConnection, names) -> None:
    loaded = {r[0] for r in con.execute(
        "select extension_name from duckdb_extensions() where loaded").fetchall()}
    for name in names:
        if name not in loaded:
            con.execute(f"LOAD '{loadable_file(name)}'")


def attach_sql(target: str, lake_data: Optional[str], read_only: bool = False) -> str:
    opts = [f"DATA_PATH '{_quote(lake_data)}'"] if lake_data else []
    if read_only:
        opts.append("READ_ONLY")
    return f"ATTACH IF NOT EXISTS '{_quote(target)}' AS {LAKE_ALIAS}" + (f" ({', '.join(opts)})" if opts else "")


def _quote(s: str) -> str:
    return s.replace("'", "''")


def is_lake_connection(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection's default database is a DuckLake (the staging DDL differs a little)."""
    row = con.execute("select type from duckdb_databases() where database_name = current_database()").fetchone()
    return bool(row) and row[0] == "ducklake"
