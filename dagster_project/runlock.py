"""Runs that hold: one writer per warehouse, processes that die with their parent, and Dagster
runs left behind by a dead process freed at the next start.

* The writer lock is ``<warehouse>.lock``, an ``fcntl.flock`` held for the whole run by the run's
  processes (its file says which: PID, host, start time). The kernel releases a flock when the
  last process holding it ends, however it ends (``kill -9`` included), so a lock left by a dead
  run never blocks the next one; the file itself stays (removing it would race with a waiter).
* ``extractors.corpus.die_with_parent`` asks Linux (``prctl(PR_SET_PDEATHSIG)``) to kill a process when the process
  that started it ends: the pipeline process when ``make run``'s process ends, each extraction
  worker and the dbt process when the pipeline process ends.
* ``free_stale_runs``: a run recorded as starting or started whose process is gone is marked
  failed, and its slots in the ``duckdb_warehouse`` pool are freed (a run killed with ``kill -9``
  keeps its slot, and the next run's step waits for it forever).
* ``instance``: the Dagster instance, created under ``$DAGSTER_HOME/.init.lock``, so that two runs
  starting at once on a new DAGSTER_HOME do not both create its SQLite storage (``table runs
  already exists``, two alembic heads).
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator, Optional

# the tags every run started by `make run` carries: which process runs it
TAG_PID, TAG_START, TAG_HOST, TAG_WAREHOUSE = "budget/pid", "budget/process_start", "budget/host", "budget/warehouse"


class RunInProgress(Exception):
    """Another run holds the warehouse."""


def process_start(pid: int) -> Optional[str]:
    """When the process started (clock ticks since boot, /proc/<pid>/stat field 22): with the PID,
    names one process even after the PID is reused. None without /proc or when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
    if fields[0] in ("Z", "X"):  # a zombie has ended
        return None
    return fields[19]


def process_alive(pid: int, start: Optional[str] = None) -> bool:
    """Is process pid running (and, with start, still the process that started then)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: running
    now = process_start(pid)
    if now is None:
        return not Path("/proc/self/stat").exists()  # without /proc, kill(0) is all there is
    return start is None or now == start


def run_tags(warehouse: Path) -> dict[str, str]:
    pid = os.getpid()
    return {TAG_PID: str(pid), TAG_START: process_start(pid) or "", TAG_HOST: socket.gethostname(),
            TAG_WAREHOUSE: str(warehouse)}


# ---- the writer lock

def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _holder(path: Path) -> str:
    """Who holds the lock, as its file says (it is written right after the lock is taken)."""
    for _ in range(10):
        try:
            info = json.loads(path.read_text() or "{}")
        except (OSError, ValueError):
            info = {}
        if info.get("pid"):
            who = f"PID {info['pid']} on {info.get('host', '?')}, started {info.get('started', '?')}"
            if info.get("host") == socket.gethostname() and not process_alive(int(info["pid"]), info.get("process_start")):
                who += (f"; that process has ended, a process it started still holds the lock "
                        f"(`fuser -v {path}` names it)")
            return who
        time.sleep(0.05)
    return "a process that has not written its PID yet"


def _flock_within(fd: int, seconds: float, poll: float, on_first_wait=None) -> bool:
    """Take an exclusive flock on fd, trying for up to ``seconds``; False when it stays held
    (``on_first_wait`` is called once, when the first try finds it held)."""
    deadline = time.monotonic() + max(0.0, seconds)
    waited = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            if not waited and on_first_wait:
                on_first_wait()
            waited = True
            time.sleep(poll)


def acquire_writer_lock(warehouse: Path, wait: float = 0.0, log=None) -> int:
    """Take the writer lock of the warehouse; the file descriptor holding it (keep it open for the
    run; pass it on to child processes so the lock lasts as long as any of them). When another run
    holds it, wait up to ``wait`` seconds, then raise RunInProgress naming that run."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    def waiting():
        if log:
            log(f"waiting up to {wait:.0f} s for the run in progress on {warehouse} ({_holder(path)})")
    if not _flock_within(fd, wait, 0.5, waiting):
        holder = _holder(path)
        os.close(fd)
        raise RunInProgress(
            f"a run is in progress on {warehouse} ({holder}); it holds {path}. Wait for it "
            f"to end{' (waited %.0f s)' % wait if wait else ''}, or set BUDGET_LOCK_WAIT=<seconds> "
            "to wait for it")
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                              "started": datetime.now().astimezone().isoformat(timespec="seconds"),
                              "process_start": process_start(os.getpid())}).encode(), 0)
    return fd


def lock_wait() -> float:
    """BUDGET_LOCK_WAIT: seconds a run waits for the run in progress on its warehouse (default 0:
    it says which run holds the warehouse and exits at once)."""
    try:
        return max(0.0, float(os.environ.get("BUDGET_LOCK_WAIT", "0")))
    except ValueError:
        return 0.0


@contextmanager
def step_writer_lock() -> Iterator[None]:
    """For an asset step that writes the warehouse: inside a `make run` build the lock is already
    held by the build (BUDGET_PUBLISHED_WAREHOUSE is set); a run launched by `make ui` (sensor,
    schedule, the UI) takes it for the step, so it and a `make run` never write at once: the one
    that comes second fails saying which run holds the warehouse (or waits BUDGET_LOCK_WAIT).
    Such a run writes its working copy, not the published file (dagster_project/publish.py), and
    its publish step takes the lock too for the rename."""
    if os.environ.get("BUDGET_PUBLISHED_WAREHOUSE"):
        yield
        return
    from extractors.corpus import warehouse_path

    fd = acquire_writer_lock(warehouse_path(), lock_wait())
    try:
        yield
    finally:
        os.close(fd)


# ---- the Dagster instance

@contextmanager
def init_lock(home: Path, timeout: float = 300.0) -> Iterator[None]:
    """Serialises the creation of a DAGSTER_HOME's storage between processes."""
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(home / ".init.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _flock_within(fd, timeout, 0.1):
            raise RuntimeError(f"another process has held {home / '.init.lock'} for {timeout:.0f} s")
        yield
    finally:
        os.close(fd)


def instance():
    """The Dagster instance of DAGSTER_HOME, its storages created (or upgraded) by one process at a
    time: runs, event log (its index shard, dynamic partitions, concurrency tables), schedules."""
    import dagster as dg

    from dagster_project.defs.partitions import DOCUMENTS_PARTITION, DUCKDB_POOL

    home = Path(os.environ.get("DAGSTER_HOME") or "")
    if not str(home) or not home.is_absolute():
        raise RuntimeError(f"DAGSTER_HOME must be an absolute path (it is {str(home) or 'not set'})")
    with init_lock(home):
        inst = dg.DagsterInstance.get()
        inst.get_runs(limit=1)
        inst.get_dynamic_partitions(DOCUMENTS_PARTITION)
        inst.event_log_storage.get_concurrency_info(DUCKDB_POOL)
        inst.all_instigator_state()
    return inst


IN_PROGRESS = ("QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING")


def run_owner(inst, run) -> tuple[Optional[int], Optional[str], Optional[str]]:
    """(pid, process start, host) of the process executing a run: from the tags `make run` sets,
    else from the 'Started process for run (pid: …)' event of a run launched by Dagster's run
    launcher (`make ui`); (None, None, None) when neither says."""
    tags = run.tags
    if tags.get(TAG_PID):
        return int(tags[TAG_PID]), tags.get(TAG_START) or None, tags.get(TAG_HOST)
    from dagster import DagsterEventType

    records = inst.get_records_for_run(run.run_id, of_type=DagsterEventType.ENGINE_EVENT, limit=20).records
    for rec in records:
        data = rec.event_log_entry.dagster_event.event_specific_data if rec.event_log_entry.dagster_event else None
        meta = getattr(data, "metadata", None) or {}
        if "pid" in meta:
            try:
                return int(meta["pid"].value), None, None
            except (TypeError, ValueError):
                pass
    return None, None, None


def free_stale_runs(inst, pool: str) -> list[str]:
    """Marks failed every run recorded as queued, starting or started whose process is gone, and
    frees the pool slots and pending steps of runs that are not in progress. One line per run freed.

    A run `make run` started names its process in its tags (PID, its start time, host). A run the
    `make ui` run launcher started names its PID in an engine event. A run that names no process
    (one from `materialize` in a Python session, or a `make run` of a version before these tags)
    is stale once it holds or waits for a slot of the pool: no live run can then be running it
    without its slot. A run queued for `make ui`'s daemon, which holds nothing yet, is left to it."""
    from dagster import DagsterRunStatus, RunsFilter

    host = socket.gethostname()
    in_progress = inst.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus[s] for s in IN_PROGRESS]))
    info = inst.event_log_storage.get_concurrency_info(pool)
    pool_runs = {s.run_id for s in info.claimed_slots} | {s.run_id for s in info.pending_steps}
    freed: list[str] = []
    alive: set[str] = set()
    for run in in_progress:
        pid, start, run_host = run_owner(inst, run)
        if pid is not None:
            if run_host not in (None, host) or process_alive(pid, start):
                alive.add(run.run_id)
                continue
            why = f"its process (PID {pid}) is gone"
        elif run.run_id in pool_runs:
            why = f"it holds or waits for a {pool} slot and names no process"
        else:
            alive.add(run.run_id)
            continue
        inst.report_run_failed(run, message=f"marked failed by `make run`: {why} (killed or crashed)")
        inst.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        freed.append(f"{run.run_id[:8]} ({run.job_name}, {run.status.value}): {why}")
    # slots and pending steps of runs that ended without giving them back
    for run_id in sorted(pool_runs - alive - {r.run_id for r in in_progress}):
        inst.event_log_storage.free_concurrency_slots_for_run(run_id)
        freed.append(f"{run_id[:8]}: ended, still held a {pool} slot")
    return freed
