"""PostgreSQL, Redis and Celery workers for a distributed run on one machine (`make run-distributed`,
`make test-distributed`, `make bench`): every service bound to 127.0.0.1 on a free port, its files
in one temporary folder, stopped by ``Services.stop`` (and by the ``with`` block).

PostgreSQL (initdb + pg_ctl) and Redis (redis-server --daemonize) run as unprivileged processes:
as the user ``nobody`` when this runs as root (initdb refuses root), as the caller otherwise. A
missing server is installed with apt-get (Debian's ``postgresql``, ``redis-server``) when this
runs as root; otherwise the error says what to install. Nothing here is used by `make run`.
"""
from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _as_user() -> list[str]:
    """The prefix that runs a server unprivileged: ``setpriv`` to nobody when we are root."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]


def _chown_unprivileged(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "nobody", "nogroup")


def apt_install(package: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError(f"{package} is not installed: install it (Debian: apt-get install {package})")
    log(f"      installing {package} with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def postgres_bin() -> Path:
    """The folder of initdb/pg_ctl (Debian keeps them out of PATH), installing postgresql if needed."""
    for attempt in range(2):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        if found:
            return Path(found[-1]).parent
        if shutil.which("initdb"):
            return Path(shutil.which("initdb")).resolve().parent
        if attempt == 0:
            apt_install("postgresql")
    raise RuntimeError("postgresql's initdb not found after installing it")


def redis_bin() -> str:
    if not shutil.which("redis-server"):
        apt_install("redis-server")
    return shutil.which("redis-server") or "redis-server"


def _wait_port(port: int, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {HOST}:{port} within {seconds:.0f} s")


@dataclass
class Services:
    """What one distributed try on this machine needs, in ``root`` (a temporary folder)."""

    root: Path
    pg_port: int = 0
    redis_port: int = 0
    workers: list[subprocess.Popen] = field(default_factory=list)
    _pg_bin: Path | None = None

    # --- PostgreSQL: the DuckLake catalog (database `lake`) and Dagster's storage (database `dagster`)
    def start_postgres(self, databases=("lake", "dagster")) -> None:
        self._pg_bin = postgres_bin()
        data = self.root / "pg"
        fresh = not (data / "PG_VERSION").exists()  # a catalog kept from an earlier run is started again
        data.mkdir(parents=True, exist_ok=True)
        _chown_unprivileged(self.root)
        _chown_unprivileged(data)
        self.pg_port = free_port()
        run = lambda *cmd: subprocess.run([*_as_user(), *cmd], check=True, stdout=subprocess.DEVNULL,  # noqa: E731
                                          stderr=subprocess.PIPE)
        if fresh:
            run(str(self._pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "budget", "-E", "UTF8",
                "--no-sync", "--locale=C")
        else:
            (data / "postmaster.pid").unlink(missing_ok=True)  # left by a server that was killed
        run(str(self._pg_bin / "pg_ctl"), "-D", str(data), "-l", str(self.root / "pg.log"), "-w", "-t", "60",
            "-o", f"-h {HOST} -p {self.pg_port} -k {data} -F -c max_connections=200", "start")
        for db in databases:
            if fresh:
                run(str(self._pg_bin / "createdb"), "-h", HOST, "-p", str(self.pg_port), "-U", "budget", db)
        log(f"      PostgreSQL on {HOST}:{self.pg_port} (databases {', '.join(databases)}; files in {data})")

    def stop_postgres(self) -> None:
        if self._pg_bin and (self.root / "pg" / "postmaster.pid").exists():
            subprocess.run([*_as_user(), str(self._pg_bin / "pg_ctl"), "-D", str(self.root / "pg"), "-m", "fast",
                            "-w", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def pg_dsn(self, db: str) -> str:
        return f"dbname={db} host={HOST} port={self.pg_port} user=budget"

    # --- Redis: the Celery broker and result backend
    def start_redis(self) -> None:
        exe = redis_bin()
        self.redis_port = free_port()
        _chown_unprivileged(self.root)
        subprocess.run([*_as_user(), exe, "--bind", HOST, "--port", str(self.redis_port), "--daemonize", "yes",
                        "--dir", str(self.root), "--pidfile", str(self.root / "redis.pid"),
                        "--logfile", str(self.root / "redis.log"), "--save", "", "--appendonly", "no"],
                       check=True, stdout=subprocess.DEVNULL)
        _wait_port(self.redis_port, 20, "redis-server")
        log(f"      Redis on {HOST}:{self.redis_port}")

    def stop_redis(self) -> None:
        pidfile = self.root / "redis.pid"
        try:
            pid = int(pidfile.read_text().strip())
        except (OSError, ValueError):
            return
        _terminate(pid)

    @property
    def broker(self) -> str:
        return f"redis://{HOST}:{self.redis_port}/0"

    # --- Celery workers (dagster-celery), each its own process group
    def start_worker(self, env: dict, name: str, concurrency: int = 1) -> subprocess.Popen:
        from extractors.corpus import die_with_parent

        logf = open(self.root / f"worker-{name}.log", "ab")
        cmd = [sys.executable, "-m", "celery", "-A", "dagster_project.distributed.celery_app", "worker",
               "--loglevel", "WARNING", "--concurrency", str(concurrency), "--pool", "prefork",
               "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
               "--prefetch-multiplier", "1", "-Q", "dagster"]
        p = subprocess.Popen(cmd, env=env, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True,
                             preexec_fn=die_with_parent)
        self.workers.append(p)
        return p

    def kill_worker(self, p: subprocess.Popen) -> None:
        """kill -9 of the worker and its pool processes (its process group)."""
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()

    def stop_workers(self) -> None:
        for p in self.workers:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for p in self.workers:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_worker(p)
        self.workers.clear()

    def stop(self) -> None:
        self.stop_workers()
        self.stop_redis()
        self.stop_postgres()

    def __enter__(self) -> "Services":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _terminate(pid: int, seconds: float = 10) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def temp_root(prefix: str = "budget-services-") -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
