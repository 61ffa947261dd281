"""Documents per second: the embedded run beside the Celery run on a DuckLake with 1 and 2 workers,
on one generated corpus (part of `make bench`; alone: python -m bench.distributed [--n 200]).

Each Celery run has its own PostgreSQL, Redis and lake (dagster_project/distributed/local.py),
started before the clock starts and stopped after. Two rates per run:
- staging: documents / the span from the first extraction step's start to the last one's end
  (the embedded run: its [2/4] → [3/4] phase, the staging asset with BUDGET_WORKERS processes);
- whole run: documents / wall time of the run, dbt build and checks included (a fixed ~40-60 s
  here, the same work in both kinds).
The load average before each run is printed beside it: on a machine shared with other work the
ratio of 2 workers to 1 measures the cores it got, not only the code.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

from .common import BENCH_DIR, PY, ROOT, fresh_home, log, run_pipeline

def celery_run(raw: Path, workers: int, name: str, batch: Optional[int] = None) -> dict:
    from dagster_project.distributed.local import local_cluster

    out_dir = BENCH_DIR / name
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = out_dir / "counts.json"
    counts.unlink(missing_ok=True)
    with local_cluster(raw, workers=workers, batch_size=batch) as cluster:
        cluster.env["BUDGET_COUNTS_FILE"] = str(counts)
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        with open(out_dir / "run.log", "wb") as f:
            rc = cluster.run(stdout=f, stderr=subprocess.STDOUT).wait()
        seconds = time.perf_counter() - t0
    res = {"workers": workers, "seconds": seconds, "returncode": rc, "load": load}
    if rc == 0 and counts.exists():
        counts_json = json.loads(counts.read_text())
        steps = counts_json["steps"]
        # each stage_batch logs "N documents: extracted in X s, committed R rows in Y s"
        times = [m.groups() for m in
                 (re.search(r"extracted in ([\d.]+) s, committed \d+ rows in ([\d.]+) s(?: \(CPU: extraction ([\d.]+) s)?", b)
                  for b in counts_json.get("batches", [])) if m]
        res["extract_task_s"] = sum(float(t[0]) for t in times)
        res["commit_task_s"] = sum(float(t[1]) for t in times)
        res["extract_cpu_s"] = sum(float(t[2]) for t in times) if times and all(t[2] for t in times) else None
        # Dagster's own span of each step: what is left of the span × workers is workers waiting
        res["step_task_s"] = sum(t[2] - t[1] for t in counts_json.get("tasks", []))
        st = steps.get("stage_batch", {})
        res["staging_s"] = st["end"] - st["start"] if st else None
        res["tasks"] = st.get("n")
        res["dbt_s"] = steps.get("dbt_build", {}).get("end", 0) - steps.get("dbt_build", {}).get("start", 0)
    return res


def embedded_run(raw: Path, name: str) -> dict:
    wh, home = fresh_home(name)
    load = os.getloadavg()[0]
    r = run_pipeline(raw, wh, home, BENCH_DIR / name / "run.log", workers=2)
    p = r.phases
    staging = p["[3/4]"] - p["[2/4]"] if "[2/4]" in p and "[3/4]" in p else None
    return {"seconds": r.seconds, "returncode": r.returncode, "staging_s": staging, "load": load,
            "dbt_s": (p["[4/4]"] - p["[3/4]"]) if "[3/4]" in p and "[4/4]" in p else None}


def measure(raw: Path, batch: Optional[int] = None, pairs: int = 3) -> dict:
    """The embedded run, then ``pairs`` pairs of Celery runs (1 worker, then 2), alternating, so that
    a slower spell of the machine falls on both runs of a pair rather than on one kind of run."""
    n_docs = sum(1 for p in raw.iterdir() if p.is_file())
    log(f"== Celery on a DuckLake vs embedded: {n_docs} documents, {batch or 'sized by the run'} a task, "
        f"{pairs} pair(s) of Celery runs")
    out = {"documents": n_docs, "cores": os.cpu_count(), "batch": batch, "pairs": []}
    out["embedded"] = embedded_run(raw, "celery_embedded")
    log(f"  embedded (2 processes): {out['embedded']['seconds']:.1f} s")
    for i in range(max(1, pairs)):
        pair = []
        for w in (1, 2):
            r = celery_run(raw, w, f"celery_{w}" + (f"_pair{i + 1}" if i else ""), batch)
            pair.append(r)
            log(f"  pair {i + 1}, Celery, {w} worker(s): {r['seconds']:.1f} s, staging "
                f"{r.get('staging_s') or 0:.1f} s (exit {r['returncode']}, load average before {r['load']:.1f})")
        out["pairs"].append(pair)
    for w in (1, 2):  # each kind's run of median staging span: the table's row
        runs = sorted((p[w - 1] for p in out["pairs"]), key=lambda r: r.get("staging_s") or float("inf"))
        out[f"celery{w}"] = runs[(len(runs) - 1) // 2]
    return out


def pair_ratio(pair: list) -> Optional[float]:
    one, two = pair[0].get("staging_s"), pair[1].get("staging_s")
    ok = pair[0]["returncode"] == 0 and pair[1]["returncode"] == 0
    return one / two if ok and one and two else None


def render(m: dict) -> list[str]:
    n = m["documents"]
    pairs = m.get("pairs") or [[m["celery1"], m["celery2"]]]
    rate = lambda s: f"{n / s:.2f}" if s else "—"  # noqa: E731
    L = ["## Celery workers on a DuckLake", "",
         f"{n} documents (generated + the 5 samples), {m['cores']} cores; each Celery task extracts and commits "
         f"{m.get('batch') or 'a share of the'} documents "
         f"({m['celery1'].get('tasks') or '?'} tasks); PostgreSQL, Redis and the workers start before the clock. "
         f"The Celery rows are the runs of median staging span of {len(pairs)} pair(s) of runs (1 worker, then "
         f"2 workers, alternating; every pair below).", "",
         "| run | staging s | staging docs/s | dbt + checks s | whole run s | whole run docs/s | load avg before |",
         "|---|---:|---:|---:|---:|---:|---:|"]
    rows = [("embedded (DuckDB file, in-process executor, 2 extraction processes)", m["embedded"]),
            ("Celery, 1 worker, DuckLake", m["celery1"]), ("Celery, 2 workers, DuckLake", m["celery2"])]
    for label, r in rows:
        ok = r["returncode"] == 0
        L.append(f"| {label} | {r.get('staging_s') or 0:.1f} | {rate(r.get('staging_s')) if ok else 'failed'} | "
                 f"{r.get('dbt_s') or 0:.1f} | {r['seconds']:.1f} | {rate(r['seconds']) if ok else 'failed'} | "
                 f"{r['load']:.1f} |")
    L += ["", "Every pair; worker-seconds summed over the tasks (not the clock): extraction (its CPU seconds in "
          "brackets) / commit to the lake / the rest of each step (Dagster's step: its span as the run records "
          "it, less both) / outside any step (staging span × workers − the steps' spans: the Celery round "
          "trip, Dagster starting a step, a worker with nothing left to take). The same documents' "
          "extraction taking more CPU seconds with two workers than with one says the two did not get two "
          "whole cores (the host's other load, shared caches), not that they waited for each other.", "",
          "| pair | load avg before (1 / 2) | staging docs/s, 1 worker | 2 workers | 2 / 1 | worker-s, 1 worker | 2 workers |",
          "|---|---|---:|---:|---:|---|---|"]

    def split(r: dict, w: int) -> str:
        if not (r.get("staging_s") and "extract_task_s" in r):
            return "—"
        inside = r.get("step_task_s") or 0
        own = r["extract_task_s"] + r["commit_task_s"]
        cpu = f" ({r['extract_cpu_s']:.1f})" if r.get("extract_cpu_s") is not None else ""
        return (f"{r['extract_task_s']:.1f}{cpu} / {r['commit_task_s']:.1f} / {max(inside - own, 0):.1f} / "
                f"{r['staging_s'] * w - (inside or own):.1f}")

    ratios = [pair_ratio(p) for p in pairs]
    for i, ((one, two), ratio) in enumerate(zip(pairs, ratios), 1):
        L.append(f"| {i} | {one['load']:.1f} / {two['load']:.1f} | "
                 f"{rate(one.get('staging_s')) if one['returncode'] == 0 else 'failed'} | "
                 f"{rate(two.get('staging_s')) if two['returncode'] == 0 else 'failed'} | "
                 f"{f'{ratio:.2f}×' if ratio else '—'} | {split(one, 1)} | {split(two, 2)} |")
    measured = [r for r in ratios if r]
    mid = statistics.median(measured) if measured else None
    c1, c2 = m["celery1"], m["celery2"]
    if mid and c1.get("staging_s") and c2.get("staging_s"):
        L += ["", f"Ratio 2 workers / 1 worker, staging: median of the pairs {mid:.2f}× (each: "
                  f"{', '.join(f'{r:.2f}×' for r in measured)}); of the median runs {c1['staging_s'] / c2['staging_s']:.2f}×, "
                  f"whole run {c1['seconds'] / c2['seconds']:.2f}× (target ≥ 1.7 for staging on 2 free cores)."]
    return L + [""]


def succeeded(m: dict) -> bool:
    runs = [m["embedded"]] + [r for p in m.get("pairs") or [[m["celery1"], m["celery2"]]] for r in p]
    return all(r["returncode"] == 0 for r in runs)


def main_measure(n: int, seed: int, batch: Optional[int] = None, pairs: int = 3) -> dict:
    """Generate n documents (+ the 5 samples) into BENCH_DIR/celery_corpus_<n>, measure, write
    BENCH_DIR/distributed.json and .md."""
    dest = BENCH_DIR / f"celery_corpus_{n}"
    if not (dest / "raw").exists():
        subprocess.run([PY, "-m", "extractors.synth", "--out", str(dest), "--n", str(n), "--seed", str(seed),
                        "--discrepancy-rate", "0.1", "--templates"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    m = measure(dest / "raw", batch, pairs)
    (BENCH_DIR / "distributed.json").write_text(json.dumps(m, indent=1))
    (BENCH_DIR / "distributed.md").write_text("\n".join(render(m)))
    return m


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.distributed")
    ap.add_argument("--n", type=int, default=200, help="generated documents (plus the 5 samples)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=None,
                    help="documents per Celery task (default: sized by the run, DistributedSettings.batch_size_for)")
    ap.add_argument("--pairs", type=int, default=3,
                    help="pairs of Celery runs (1 worker, then 2), alternating; the table gives the median")
    a = ap.parse_args(argv)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    m = main_measure(a.n, a.seed, a.batch, a.pairs)
    text = "\n".join(render(m))
    print(text)
    return 0 if succeeded(m) else 1


if __name__ == "__main__":
    sys.exit(main())
