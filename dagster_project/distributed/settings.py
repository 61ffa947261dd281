"""Settings of a distributed run, from the environment, in one dataclass."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class DistributedSettings:
    broker: str              # BUDGET_CELERY_BROKER: the Redis URL of the Celery broker and result backend
    batch_size: int          # BUDGET_TASK_BATCH: documents per Celery task (one task extracts and commits them)

    @classmethod
    def from_env(cls) -> "DistributedSettings":
        broker = os.environ.get("BUDGET_CELERY_BROKER", "")
        return cls(broker=broker, batch_size=max(1, int(os.environ.get("BUDGET_TASK_BATCH", "10"))))


def celery_config() -> dict:
    """Celery() arguments shared by the executor (in the run) and the workers: they must agree."""
    s = DistributedSettings.from_env()
    return {"broker": s.broker, "backend": s.broker, "include": [],
            "config_source": celery_source()}


def celery_source() -> dict:
    return {"worker_prefetch_multiplier": 1,       # a worker takes one batch at a time: the queue balances
            "task_default_queue": "dagster",
            "broker_connection_retry_on_startup": True,
            "result_expires": 3600}
