"""Settings of a distributed run, from the environment, in one dataclass."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Optional

# with no BUDGET_TASK_BATCH: tasks in multiples of 8 (as many per worker for 1, 2, 4 or 8 workers),
# each of MIN_BATCH to MAX_BATCH documents. A task costs ~0.5 s besides its documents (Dagster's
# step, the Celery round trip, one lake commit): 21 tasks of 10 for 205 documents ran at 8.0
# documents/s on one worker, 5 tasks of 41 at 12.7 (docs/benchmarks.md)
TASK_MULTIPLE, MIN_BATCH, MAX_BATCH = 8, 10, 100


@dataclass(frozen=True)
class DistributedSettings:
    broker: str                 # BUDGET_CELERY_BROKER: the Redis URL of the Celery broker and result backend
    batch_size: Optional[int]   # BUDGET_TASK_BATCH: documents per Celery task (one task extracts and
    #                             commits them); None: sized by the number of documents (batch_size_for)

    @classmethod
    def from_env(cls) -> "DistributedSettings":
        broker = os.environ.get("BUDGET_CELERY_BROKER", "")
        given = os.environ.get("BUDGET_TASK_BATCH", "").strip()
        return cls(broker=broker, batch_size=max(1, int(given)) if given else None)

    def batch_size_for(self, n_documents: int) -> int:
        """Documents per task for a run of n_documents: BUDGET_TASK_BATCH when set, else the
        fewest tasks, in a multiple of 8, of at most MAX_BATCH documents each (and at least
        MIN_BATCH): 205 documents → 8 tasks of 26, 1,000 → 16 of 63, 10,000 → 104 of 97."""
        if self.batch_size:
            return self.batch_size
        tasks = TASK_MULTIPLE * max(1, math.ceil(n_documents / (TASK_MULTIPLE * MAX_BATCH)))
        return max(MIN_BATCH, math.ceil(n_documents / tasks))


    def plan_tasks(self, costs: list[int]) -> list[list[int]]:
        """The documents, by their place in ``costs`` (each one's bytes: what reading it costs,
        roughly), in tasks, in the order the tasks are queued. BUDGET_TASK_BATCH set: that many a
        task, in listing order. Else as many tasks as batch_size_for gives, the costliest documents
        first, each to the task furthest below its share of the cost, the shares decreasing from
        1.5× to 0.5× the mean: the last tasks to be taken are the shortest, so the workers run out
        of work together instead of one finishing a full task alone (205 documents on 2 workers:
        the last task ran alone for 2 s of a 12 s staging)."""
        n = len(costs)
        if self.batch_size:
            return [list(range(i, min(i + self.batch_size, n))) for i in range(0, n, self.batch_size)]
        k = math.ceil(n / self.batch_size_for(n)) if n else 0
        if k <= 1:
            return [list(range(n))] if n else []
        weights = [1.5 - i / (k - 1) for i in range(k)]
        total = sum(costs)
        share = [w / sum(weights) * total for w in weights]
        load = [0] * k
        tasks: list[list[int]] = [[] for _ in range(k)]
        for i in sorted(range(n), key=lambda i: -costs[i]):
            j = max(range(k), key=lambda j: share[j] - load[j])  # the first of equals
            tasks[j].append(i)
            load[j] += costs[i]
        return [sorted(t) for t in tasks if t]


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
