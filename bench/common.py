"""Shared helpers of the benchmark harness: paths, running the pipeline in its own warehouse and
DAGSTER_HOME, timing and peak memory of a process tree."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("BENCH_DIR", ROOT / "build" / "bench")).resolve()
PY = sys.executable


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- memory
def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out.extend(int(x) for x in f.read().split())
    except OSError:
        pass
    return out


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (KiB)."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_kib(p)
        stack.extend(_children(p))
    return total


class PeakSampler:
    """Samples the summed RSS of a process tree every `every` seconds; .peak_mib afterwards."""

    def __init__(self, pid: int, every: float = 0.1):
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_kib(self.pid))
            self._stop.wait(self.every)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()

    @property
    def peak_mib(self) -> float:
        return self.peak / 1024


# ---------------------------------------------------------------------------- pipeline
@dataclass
class RunResult:
    seconds: float
    returncode: int
    peak_tree_mib: float  # summed RSS of the whole process tree, sampled
    maxrss_child_mib: float  # getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest single process
    phases: dict = field(default_factory=dict)  # "[1/4]" … → seconds from start when printed
    log_file: Optional[Path] = None
    documents_extracted: Optional[int] = None


def fresh_home(name: str) -> tuple[Path, Path]:
    """A new warehouse path and DAGSTER_HOME (with the project's dagster.yaml) under BENCH_DIR."""
    wh = BENCH_DIR / name / "budget.duckdb"
    home = BENCH_DIR / name / "dagster_home"
    if (BENCH_DIR / name).exists():
        shutil.rmtree(BENCH_DIR / name)
    home.mkdir(parents=True)
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    return wh, home


def pipeline_env(raw: Path, wh: Path, home: Path, workers: Optional[int] = None) -> dict:
    env = dict(os.environ)
    env.update({
        "BUDGET_RAW_DIR": str(raw), "BUDGET_WAREHOUSE": str(wh), "DAGSTER_HOME": str(home),
        "DBT_PROFILES_DIR": str(ROOT / "dbt"), "DO_NOT_TRACK": "1", "DAGSTER_DISABLE_TELEMETRY": "1",
        "GX_ANALYTICS_ENABLED": "False", "PYTHONDONTWRITEBYTECODE": "1",
    })
    if workers:
        env["BUDGET_WORKERS"] = str(workers)
    return env


def run_pipeline(raw: Path, wh: Path, home: Path, log_file: Path, workers: Optional[int] = None) -> RunResult:
    """`python -m dagster_project.run` on raw → wh, its output to log_file; wall time, peak memory
    and when each of its [n/4] phase lines appeared."""
    import json
    import resource

    counts = log_file.with_suffix(".counts.json")
    env = pipeline_env(raw, wh, home, workers)
    env["BUDGET_COUNTS_FILE"] = str(counts)
    phases = {}
    t0 = time.perf_counter()
    with open(log_file, "w") as out:
        proc = subprocess.Popen([PY, "-m", "dagster_project.run"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        with PeakSampler(proc.pid) as sampler:
            for line in proc.stdout:
                out.write(line)
                s = line.strip()
                if s[:1] == "[" and s[2:5] == "/4]":
                    phases[s[:5]] = time.perf_counter() - t0
            rc = proc.wait()
    seconds = time.perf_counter() - t0
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    n = None
    if counts.exists():
        n = json.loads(counts.read_text()).get("documents_extracted")
    return RunResult(seconds, rc, sampler.peak_mib, maxrss, phases, log_file, n)


def build_warehouse(name: str, raw: Path, label: str) -> Optional[Path]:
    """A fresh warehouse BENCH_DIR/<name> built from raw by the whole pipeline (log in
    BENCH_DIR/<name>/pipeline.log); None, with the reason logged, when the pipeline failed."""
    wh, home = fresh_home(name)
    log(f"{label}: pipeline on {raw} → {wh}")
    r = run_pipeline(raw, wh, home, BENCH_DIR / name / "pipeline.log")
    if r.returncode != 0:
        log(f"pipeline failed (exit {r.returncode}); see {r.log_file}")
        return None
    log(f"  built in {r.seconds:.1f} s")
    return wh
