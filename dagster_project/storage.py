"""Dagster's SQLite event log, with asset events stored a batch per transaction.

A run over N document partitions records one "materialisation planned" and one materialisation
event per partition. Dagster's SQLite storage writes each event on its own: a new engine, a
transaction and an fsync on the run's database and again on the index database, ~20–45 ms per
event on this machine, so 1,000 documents cost 30–90 s of bookkeeping before and after the
extraction itself (measured in docs/benchmarks.md).

Dagster hands events over in batches when ``DAGSTER_EVENT_BATCH_SIZE`` is set (the planned events
of a run, the per-partition materialisations of a step); its SQLite storage then still stores
them one by one. This subclass stores a batch of asset events of one run in one transaction per
database, and updates each asset's summary row once per batch with the batch's last event of each
type, which is what storing them one by one leaves behind (each update overwrites the previous).
Anything else (mixed runs, run or check events) goes the ordinary way.

Each database also keeps one SQLAlchemy engine instead of creating and disposing of one per
statement, and its connections use ``synchronous=NORMAL``: the databases are already in WAL mode
(Dagster sets it), where NORMAL is durable across a crash of the process and syncs at checkpoints
rather than at every commit (a power cut may lose the last events, never corrupt the file). A
dbt run records ~300 such single events (a materialisation per model, an evaluation per test).

Configured in ``dagster_home/dagster.yaml``; setting the class turns batching on (the environment
variable is set here, so ``make ui`` and ``make run`` behave alike). Relies on protected methods
of dagster's SqlEventLogStorage: the dagster pin in pyproject.toml is a minor-version range, and
tests/test_foundation.py checks the stored events and partition status after a run.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from dagster import Field, StringSource
from dagster._core.events import ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SQLITE_BUSY_TIMEOUT_SECONDS, SqliteEventLogStorage
from dagster._core.storage.sqlalchemy_compat import db_result

BATCH_SIZE = "1000"


def _sync_normal(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class BatchedSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data=None):
        self._engines: dict[str, sa.engine.Engine] = {}
        super().__init__(base_dir, inst_data=inst_data)
        os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", BATCH_SIZE)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.engine.Connection]:
        # as SqliteEventLogStorage._connect, with one engine per shard kept for the process
        with self._db_lock:
            engine = self._engines.get(shard)
            if engine is None:
                engine = sa.create_engine(self.conn_string_for_shard(shard), poolclass=sa.pool.NullPool,
                                          connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
                sa.event.listen(engine, "connect", _sync_normal)
                self._engines[shard] = engine
            if shard not in self._initialized_dbs:  # emptied again by wipe() and upgrade()
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                with conn.begin():
                    yield conn

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        super().dispose()

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False,
                                  description="default: $DAGSTER_HOME/history/runs, as Dagster's own default")}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        base_dir = config_value.get("base_dir") or os.path.join(os.environ["DAGSTER_HOME"], "history", "runs")
        return cls(base_dir, inst_data=inst_data)

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        # a run's planned events come as one batch of asset and asset-check events: the asset
        # events are stored together, the others one by one (as Dagster's own storage does)
        assets = [e for e in events if e.is_dagster_event and e.dagster_event_type in ASSET_EVENTS
                  and e.get_dagster_event().asset_key]
        if not assets or len({e.run_id for e in events}) != 1:
            return super().store_event_batch(events)
        if len(assets) < len(events):
            ids = {id(e) for e in assets}
            super().store_event_batch([e for e in events if id(e) not in ids])
        self._store_asset_events(assets)

    def _store_asset_events(self, events: Sequence[EventLogEntry]) -> None:
        with self.run_connection(events[0].run_id) as conn:
            conn.execute(self.prepare_insert_event_batch(events))
        last: dict[tuple, tuple[EventLogEntry, int]] = {}
        with self.index_transaction() as conn:
            for event in events:
                with db_result(conn, self.prepare_insert_event(event)) as result:
                    event_id = result.inserted_primary_key[0]
                self._store_asset_event_tags(conn, [event], [event_id])
                last[(event.get_dagster_event().asset_key, event.dagster_event_type)] = (event, event_id)
            for event, event_id in last.values():
                self._store_asset_event(conn, event, event_id)
