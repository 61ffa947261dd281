"""Dagster's SQLite event log, with asset events stored a batch per transaction.

A run over N document partitions records one "materialisation planned" and one materialisation
event per partition. Dagster's SQLite storage writes each event on its own: a new engine, a
transaction and an fsync on the run's database and again on the index database, ~20–45 ms per
event on this machine, so 1,000 documents cost 30–90 s of bookkeeping before and after the
extraction itself (measured in README, Benchmarks).

Dagster hands events over in batches when ``DAGSTER_EVENT_BATCH_SIZE`` is set (the planned events
of a run, the per-partition materialisations of a step); its SQLite storage then still stores
them one by one. This subclass stores a batch of asset events of one run in one transaction per
database, and updates each asset's summary row once per batch with the batch's last event of each
type, which is what storing them one by one leaves behind (each update overwrites the previous).
Anything else (mixed runs, run or check events) goes the ordinary way.

Configured in ``dagster_home/dagster.yaml``; setting the class turns batching on (the environment
variable is set here, so ``make ui`` and ``make run`` behave alike). Relies on protected methods
of dagster's SqlEventLogStorage: the dagster pin in pyproject.toml is a minor-version range, and
tests/test_foundation.py checks the stored events and partition status after a run.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

from dagster import Field, StringSource
from dagster._core.events import ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlalchemy_compat import db_result

BATCH_SIZE = "1000"


class BatchedSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data=None):
        super().__init__(base_dir, inst_data=inst_data)
        os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", BATCH_SIZE)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False,
                                  description="default: $DAGSTER_HOME/history/runs, as Dagster's own default")}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        base_dir = config_value.get("base_dir") or os.path.join(os.environ["DAGSTER_HOME"], "history", "runs")
        return cls(base_dir, inst_data=inst_data)

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        if (not events or len({e.run_id for e in events}) != 1
                or not all(e.is_dagster_event and e.dagster_event_type in ASSET_EVENTS
                           and e.get_dagster_event().asset_key for e in events)):
            return super().store_event_batch(events)
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
