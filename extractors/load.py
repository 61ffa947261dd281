"""Load extractions into the DuckDB staging schema, idempotently.

One staging table per record kind (``extractors.records.RECORD_TABLES``), one column per
dataclass field, plus ``staging.file_manifest`` (one row per input file with its content hash
and load status). A file whose content hash is already in the manifest is skipped, so a second
run over unchanged files writes nothing; a changed file's old rows are deleted before its new
rows go in; a file gone from the raw dir is pruned. Amounts go in as text and are cast to
DECIMAL in SQL: no float ever touches a figure.

Identical bytes under two names are one document: after every write and prune,
``mark_duplicates`` sets ``file_manifest.duplicate_of`` on every name but the first (by partition
key) of a content hash and gives each a warning row naming both; the dbt staging models leave
those names out, so no mart counts a document twice. It is recomputed from the whole manifest
each time, so the order files arrive in does not matter: when the first name is deleted, the
next one is the document on the next run.
"""
from __future__ import annotations

import dataclasses
import typing
from datetime import datetime, timezone
from functools import lru_cache
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Iterable, Optional

import duckdb
import polars as pl

from .records import RECORD_TABLES, DocumentExtraction
from .version import extractor_version
from .warehouse import current as current_warehouse
from .warehouse import is_lake, is_lake_connection

SCHEMA = "staging"
AMOUNT_TYPE = "DECIMAL(20,6)"

_SQL_TYPES = {str: "VARCHAR", int: "BIGINT", bool: "BOOLEAN", Decimal: AMOUNT_TYPE}

MANIFEST_DDL = f"""
CREATE TABLE IF NOT EXISTS {SCHEMA}.file_manifest (
    source_file VARCHAR PRIMARY KEY,
    content_hash VARCHAR,
    status VARCHAR,          -- loaded | loaded_with_warnings | failed | not_budget
    n_records BIGINT,
    n_errors BIGINT,
    loaded_at TIMESTAMP,
    extractor_version VARCHAR,
    duplicate_of VARCHAR     -- the first name of the same bytes: this name adds no facts
)"""

# the stage of the warning row a duplicate name gets (rewritten by mark_duplicates at every load)
DUPLICATE_STAGE = "duplicate"


def _base_type(tp) -> type:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if args else tp


@lru_cache(maxsize=None)
def columns_of(cls: type) -> tuple[tuple[str, str], ...]:
    """(column, SQL type) of a record class, once per process (get_type_hints evaluates every
    annotation: 0.04 s a commit when it ran per table and per batch)."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _SQL_TYPES[_base_type(hints[f.name])]) for f in dataclasses.fields(cls))


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    if is_lake_connection(con):
        return ensure_lake_schema(con)
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    for table, cls in RECORD_TABLES.items():
        cols = ", ".join(f"{name} {sqltype}" for name, sqltype in columns_of(cls))
        con.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.{table} ({cols})")
        # a field added to a record later becomes a new (NULL) column of a warehouse built before
        for name, sqltype in columns_of(cls):
            con.execute(f"ALTER TABLE {SCHEMA}.{table} ADD COLUMN IF NOT EXISTS {name} {sqltype}")
    con.execute(MANIFEST_DDL)
    con.execute(f"ALTER TABLE {SCHEMA}.file_manifest ADD COLUMN IF NOT EXISTS extractor_version VARCHAR")
    con.execute(f"ALTER TABLE {SCHEMA}.file_manifest ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR")


def ensure_lake_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The same tables in a DuckLake, which has no PRIMARY KEY (file_manifest holds one row per
    source_file because every write deletes a name's rows before it inserts them). DDL is issued
    only for what is missing: a statement that changes nothing would still be a catalog change
    that conflicts with other writers' commits."""
    have = {(t, c) for t, c in con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = ? "
        "and table_catalog = current_database()", [SCHEMA]).fetchall()}
    tables = {t for t, _ in have}
    if not tables:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    wanted = {table: columns_of(cls) for table, cls in RECORD_TABLES.items()}
    wanted["file_manifest"] = MANIFEST_COLUMNS
    for table, cols in wanted.items():
        if table not in tables:
            con.execute(f"CREATE TABLE {SCHEMA}.{table} ({', '.join(f'{n} {t}' for n, t in cols)})")
            continue
        for name, sqltype in cols:
            if (table, name) not in have:
                con.execute(f"ALTER TABLE {SCHEMA}.{table} ADD COLUMN {name} {sqltype}")


MANIFEST_COLUMNS = [("source_file", "VARCHAR"), ("content_hash", "VARCHAR"), ("status", "VARCHAR"),
                    ("n_records", "BIGINT"), ("n_errors", "BIGINT"), ("loaded_at", "TIMESTAMP"),
                    ("extractor_version", "VARCHAR"), ("duplicate_of", "VARCHAR")]


def manifest_key(content_hash: str, version: str | None = None) -> str:
    """What must match for a file to be skipped: its bytes and the extractor code.
    version None means the current extractor; '' (a row loaded before versions were kept)
    matches no extractor, so such a file is re-extracted."""
    return f"{content_hash}:{extractor_version() if version is None else version}"


def manifest(con: duckdb.DuckDBPyConnection, ensure: bool = True) -> dict[str, str]:
    """source_file → manifest_key of what is loaded (empty if nothing was ever loaded)."""
    if ensure:
        ensure_schema(con)
    elif not con.execute("select count(*) from information_schema.tables where table_schema = ? "
                         "and table_name = 'file_manifest'", [SCHEMA]).fetchone()[0]:
        return {}
    has_version = con.execute("select count(*) from information_schema.columns where table_schema = ? and "
                              "table_name = 'file_manifest' and column_name = 'extractor_version'",
                              [SCHEMA]).fetchone()[0]
    version = "coalesce(extractor_version, '')" if has_version else "''"
    return {f: manifest_key(h, v) for f, h, v in con.execute(
        f"SELECT source_file, content_hash, {version} FROM {SCHEMA}.file_manifest").fetchall()}


def _frame(cls: type, records: list) -> pl.DataFrame:
    """Records of one kind → a column frame. Attribute reads and the row → column transpose run
    in C (attrgetter, zip): this is the one loop over every staged value in the main process."""
    cols = columns_of(cls)
    names = [name for name, _ in cols]
    get = attrgetter(*names)
    rows = [get(rec) for rec in records] if len(names) > 1 else [(get(rec),) for rec in records]
    columns = list(zip(*rows)) if rows else [()] * len(names)
    data: dict[str, list] = {}
    for (name, sqltype), values in zip(cols, columns):
        if sqltype == AMOUNT_TYPE:
            values = [None if v is None else format(v, "f") for v in values]
        data[name] = list(values)
    schema = {name: (pl.Boolean if t == "BOOLEAN" else pl.Int64 if t == "BIGINT" else pl.Utf8) for name, t in cols}
    return pl.DataFrame(data, schema=schema)


def delete_files(con: duckdb.DuckDBPyConnection, files: Iterable[str]) -> None:
    files = list(files)
    if not files:
        return
    ff = pl.DataFrame({"source_file": files})
    con.register("_del_files", ff)
    for table in list(RECORD_TABLES) + ["file_manifest"]:
        con.execute(f"DELETE FROM {SCHEMA}.{table} WHERE source_file IN (SELECT source_file FROM _del_files)")
    con.unregister("_del_files")


def write_extractions(con: duckdb.DuckDBPyConnection, extractions: list[tuple[str, str, DocumentExtraction]],
                      concurrent: bool = False) -> dict[str, int]:
    """Replace the staging rows of each (source_file, content_hash, extraction). Returns rows written per table.

    ``concurrent``: other processes write other documents into the same tables at the same time
    (a DuckLake, extractors/warehouse.py). Then only names already loaded are deleted (a batch of
    new documents only appends, and appends never conflict), and the duplicates are marked by the
    caller once every batch is in (``mark_duplicates`` rewrites the whole manifest)."""
    ensure_schema(con)
    if not extractions:
        return {}
    written: dict[str, int] = {}
    names = [name for name, _, _ in extractions]
    con.execute("BEGIN TRANSACTION")
    try:
        delete_files(con, loaded_names(con, names) if concurrent else names)
        for table, cls in RECORD_TABLES.items():
            records: list = []
            for _, _, ex in extractions:
                part = getattr(ex, table) if table != "documents" else ([ex.document] if ex.document else [])
                records.extend(part)
            if not records:
                continue
            df = _frame(cls, records)
            con.register("_batch", df)
            select = ", ".join(
                f"CAST({name} AS {t}) AS {name}" if t == AMOUNT_TYPE else name for name, t in columns_of(cls))
            names = ", ".join(name for name, _ in columns_of(cls))
            con.execute(f"INSERT INTO {SCHEMA}.{table} ({names}) SELECT {select} FROM _batch")
            con.unregister("_batch")
            written[table] = len(records)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        rows = []
        for name, chash, ex in extractions:
            n_err = sum(1 for e in ex.load_errors if e.severity == "error")
            n_warn = len(ex.load_errors) - n_err
            status = manifest_status(ex, n_err, n_warn)
            n_rec = sum(len(getattr(ex, t)) for t in RECORD_TABLES if t not in ("documents", "load_errors"))
            rows.append((name, chash, status, n_rec, n_err, now, extractor_version()))
        con.executemany(f"INSERT INTO {SCHEMA}.file_manifest (source_file, content_hash, status, n_records, "
                        f"n_errors, loaded_at, extractor_version) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        if not concurrent:
            mark_duplicates(con)
        con.execute("COMMIT")
    except Exception:
        try:
            con.execute("ROLLBACK")
        except duckdb.TransactionException:
            pass  # a COMMIT that failed (another writer's conflicting commit) has ended the transaction
        raise  # the error itself, not the ROLLBACK's "no transaction is active"
    return written


def loaded_names(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[str]:
    """Those of ``names`` the manifest holds."""
    con.register("_names", pl.DataFrame({"source_file": names}, schema={"source_file": pl.Utf8}))
    try:
        return [r[0] for r in con.execute(
            f"SELECT source_file FROM {SCHEMA}.file_manifest JOIN _names USING (source_file)").fetchall()]
    finally:
        con.unregister("_names")


def manifest_status(ex: DocumentExtraction, n_err: int, n_warn: int) -> str:
    """loaded | loaded_with_warnings | failed (not read: its error rows say why) | not_budget (read,
    and not a budget disclosure: its warning row says why; extractors.disclosure)."""
    if ex.document is None:
        return "failed" if n_err else "not_budget"
    return "loaded_with_warnings" if (n_err or n_warn) else "loaded"


def mark_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Identical bytes under several names: the first name (by partition key) is the document, each
    other name gets ``duplicate_of`` = that name and a warning row naming both (the dbt staging
    models leave its rows out). Recomputed from the whole manifest, in the caller's transaction.
    Files that could not be read (empty hash) are no one's duplicate. Returns the duplicates."""
    con.execute(f"""
        UPDATE {SCHEMA}.file_manifest AS m SET duplicate_of = d.first_name
        FROM (
            SELECT source_file,
                   CASE WHEN coalesce(content_hash, '') <> '' THEN
                        nullif(min(source_file) OVER (PARTITION BY content_hash), source_file) END AS first_name
            FROM {SCHEMA}.file_manifest
        ) AS d
        WHERE m.source_file = d.source_file AND m.duplicate_of IS DISTINCT FROM d.first_name""")
    con.execute(f"DELETE FROM {SCHEMA}.load_errors WHERE stage = ?", [DUPLICATE_STAGE])
    con.execute(f"""
        INSERT INTO {SCHEMA}.load_errors (source_file, stage, error, severity, line_number)
        SELECT source_file, ?, 'same bytes as ' || duplicate_of || ' (sha256 ' || left(content_hash, 12)
               || '…): one document, read as ' || duplicate_of || '; ' || source_file || ' adds no facts',
               'warning', NULL
        FROM {SCHEMA}.file_manifest WHERE duplicate_of IS NOT NULL""", [DUPLICATE_STAGE])
    return con.execute(f"SELECT count(*) FROM {SCHEMA}.file_manifest WHERE duplicate_of IS NOT NULL").fetchone()[0]


def prune_missing(con: duckdb.DuckDBPyConnection, present: Iterable[str]) -> list[str]:
    """Delete the staging rows of files no longer in the raw dir (and mark the duplicates again:
    a deleted first name leaves the next name the document). Returns the pruned names."""
    present = set(present)
    gone = [f for f in manifest(con) if f not in present]
    con.execute("BEGIN TRANSACTION")
    try:
        delete_files(con, gone)
        mark_duplicates(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return gone


def rows_of(con: duckdb.DuckDBPyConnection, files: Iterable[str]) -> dict[str, int]:
    """Rows each staging table holds for these files (whether written now or at an earlier load)."""
    con.register("_rows_of", pl.DataFrame({"source_file": list(files)}, schema={"source_file": pl.Utf8}))
    try:
        return {table: con.execute(f"SELECT count(*) FROM {SCHEMA}.{table} JOIN _rows_of USING (source_file)").fetchone()[0]
                for table in RECORD_TABLES}
    finally:
        con.unregister("_rows_of")


def connect(warehouse, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB file's path, or a ``ducklake:`` catalog (extractors/warehouse.py)."""
    if is_lake(warehouse):
        return current_warehouse(warehouse).connect(read_only=read_only)
    warehouse = Path(warehouse)
    if not read_only:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(warehouse), read_only=read_only)
