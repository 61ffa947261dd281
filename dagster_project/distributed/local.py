"""A distributed setup on one machine: PostgreSQL (the lake's catalog and Dagster's storage) and
Redis (the Celery broker) on 127.0.0.1, N Celery workers, a DAGSTER_HOME for the run; everything
stopped when the ``with`` block ends. Used by `make run-distributed`, `make test-distributed` and
`make bench`."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from dagster_project.services import HOST, Services, log, temp_root


@dataclass
class LocalCluster:
    services: Services
    env: dict                      # the environment of the run and of every worker
    dagster_home: Path
    workers: list = field(default_factory=list)

    def start_workers(self, n: int, prefix: str = "w") -> list[subprocess.Popen]:
        started = [self.services.start_worker(self.env, f"{prefix}{len(self.workers) + i + 1}") for i in range(n)]
        self.workers += started
        wait_for_workers(self.env, len(alive(self.workers)))
        return started

    def run(self, timeout: Optional[float] = None, **popen) -> subprocess.Popen:
        """The run (the job through the Celery executor) in a child process, its own process group."""
        return subprocess.Popen([sys.executable, "-m", "dagster_project.distributed", "run"], env=self.env,
                                start_new_session=True, **popen)

    def lake_target(self) -> str:
        return self.env["BUDGET_WAREHOUSE"]

    def warehouse(self):
        """The lake as this cluster's run and workers see it (BUDGET_WAREHOUSE and BUDGET_LAKE_DATA of
        ``env``, not of this process's environment), e.g. for a reader's connection."""
        from extractors.warehouse import Warehouse
        return Warehouse(self.env["BUDGET_WAREHOUSE"], self.env["BUDGET_LAKE_DATA"])


def alive(workers) -> list:
    return [w for w in workers if w.poll() is None]


def wait_for_workers(env: dict, n: int, seconds: float = 120) -> None:
    """Until n workers answer a ping on the broker."""
    from celery import Celery

    app = Celery("ping", broker=env["BUDGET_CELERY_BROKER"], backend=env["BUDGET_CELERY_BROKER"])
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            replies = app.control.ping(timeout=1.0) or []
            if len(replies) >= n:
                return
            time.sleep(0.5)
    finally:
        app.close()
    raise RuntimeError(f"fewer than {n} Celery workers answered within {seconds:.0f} s")


def dagster_yaml(pg_port: int) -> str:
    return (f"# written by dagster_project/distributed/local.py: run and event storage in PostgreSQL, so that\n"
            f"# every Celery worker (on any machine) records its steps\n"
            f"storage:\n  postgres:\n    postgres_url: \"postgresql+psycopg2://budget@{HOST}:{pg_port}/dagster\"\n"
            f"telemetry:\n  enabled: false\n")


@contextlib.contextmanager
def local_cluster(raw_dir: Path, lake_home: Optional[Path] = None, workers: int = 2,
                  batch_size: Optional[int] = None) -> Iterator[LocalCluster]:
    """Services for one distributed try. ``lake_home``: where the lake's catalog (PostgreSQL's data
    folder) and its Parquet files are kept (a temporary folder, removed at the end, when None)."""
    import shutil

    tmp = temp_root()
    tmp.chmod(0o755)  # the servers run as an unprivileged user (services.py)
    home = Path(lake_home).resolve() if lake_home else tmp / "lake"
    home.mkdir(parents=True, exist_ok=True)
    services = Services(home / "catalog")
    services.root.mkdir(parents=True, exist_ok=True)
    try:
        services.start_postgres()
        services.start_redis()
        dagster_home = tmp / "dagster_home"
        dagster_home.mkdir()
        (dagster_home / "dagster.yaml").write_text(dagster_yaml(services.pg_port))
        data = home / "data"
        data.mkdir(exist_ok=True)
        env = dict(os.environ,
                   BUDGET_RAW_DIR=str(Path(raw_dir).resolve()),
                   BUDGET_WAREHOUSE="ducklake:postgres:" + services.pg_dsn("lake"),
                   BUDGET_LAKE_DATA=str(data) + "/",
                   BUDGET_CELERY_BROKER=services.broker,
                   DAGSTER_HOME=str(dagster_home),
                   DAGSTER_DISABLE_TELEMETRY="1", DO_NOT_TRACK="1")
        if batch_size:
            env["BUDGET_TASK_BATCH"] = str(batch_size)
        cluster = LocalCluster(services, env, dagster_home)
        if workers:
            cluster.start_workers(workers)
        yield cluster
    finally:
        services.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def lake_home_default() -> Path:
    from extractors.corpus import PROJECT_ROOT
    return Path(os.environ.get("BUDGET_LAKE_HOME", PROJECT_ROOT / "warehouse" / "lake")).resolve()
