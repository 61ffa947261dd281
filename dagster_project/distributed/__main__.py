"""python -m dagster_project.distributed COMMAND

  run      the distributed pipeline through the Celery executor, with the services named by the
           environment (BUDGET_WAREHOUSE=ducklake:…, BUDGET_LAKE_DATA, BUDGET_CELERY_BROKER, and a
           DAGSTER_HOME whose storage every worker reaches); prints the summary. Exit 0 when the
           pipeline ran, 2 when a step failed.
  local    `make run-distributed`: PostgreSQL and Redis on 127.0.0.1, BUDGET_CELERY_WORKERS (default
           2) workers, `run` over BUDGET_RAW_DIR into the lake kept in BUDGET_LAKE_HOME (default
           warehouse/lake: catalog/ and data/), then everything stopped.
  serve    the lake's catalog (PostgreSQL) of BUDGET_LAKE_HOME on 127.0.0.1 until Ctrl-C, to query
           the lake; prints the BUDGET_WAREHOUSE / BUDGET_LAKE_DATA to use.
"""
from __future__ import annotations

import os
import signal
import sys
import time


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run() -> int:
    import dagster as dg

    from extractors.warehouse import current

    from .jobs import distributed_pipeline
    from .settings import celery_config

    wh = current()
    if not wh.is_lake:
        log("the distributed run writes a DuckLake: set BUDGET_WAREHOUSE=ducklake:… and BUDGET_LAKE_DATA")
        return 2
    t0 = time.perf_counter()
    cfg = celery_config()
    if not cfg["broker"]:
        log("set BUDGET_CELERY_BROKER to the Redis URL the workers listen on (redis://host:port/0)")
        return 2
    instance = dg.DagsterInstance.get()
    log(f"budget-warehouse (distributed): raw dir {os.environ.get('BUDGET_RAW_DIR')} → {wh.describe()}; "
        f"broker {cfg['broker']}")
    run_config = {"execution": {"config": {"broker": cfg["broker"], "backend": cfg["broker"],
                                           "config_source": cfg["config_source"]}},
                  "loggers": {"console": {"config": {"log_level": os.environ.get("BUDGET_LOG_LEVEL", "INFO")}}}}
    import warnings
    # dagster-celery registers its task again for every step it submits (harmless, but once per step)
    warnings.filterwarnings("ignore", message="Task name 'execute_plan' is already registered")
    with dg.execute_job(dg.reconstructable(distributed_pipeline), instance=instance, run_config=run_config,
                        raise_on_error=False) as res:
        ok = res.success
        failed_checks = res.output_for_node("dbt_build") if ok else []
        run_id = res.run_id
    # what the plan and the end of staging found: logged on the workers that ran those steps, so
    # read back from the run's event log (every worker writes it) for this console
    for line in step_messages(instance, run_id, ("plan_batches", "finish_staging")):
        log("  " + line)
    if not ok:
        # what the failed steps logged as errors (dbt's own output, on the worker that ran it):
        # the console would otherwise show only that the step failed
        for line in failed_step_errors(instance, run_id):
            log("  " + line)
        log("pipeline error: the distributed run failed (see the Dagster log above); the lake keeps every batch "
            "that committed: run again")
        return 2
    from dagster_project.summary import mart_counts, summary
    print(summary(wh.target, failed_checks, time.perf_counter() - t0))
    counts_file = os.environ.get("BUDGET_COUNTS_FILE")
    if counts_file:  # for the benchmark: rows per mart and when each kind of step ran
        import json
        from pathlib import Path
        Path(counts_file).write_text(json.dumps({"marts": mart_counts(wh.target),
                                                 "steps": step_spans(instance, run_id),
                                                 "tasks": task_spans(instance, run_id),
                                                 "batches": step_messages(instance, run_id, batch_steps(
                                                     instance, run_id))}, indent=1))
    return 0


def step_messages(instance, run_id: str, steps, min_level: int = 0) -> list[str]:
    """The messages the ops of ``steps`` logged (context.log) at ``min_level`` or above, in order,
    from the run's event log."""
    return [f"{e.step_key}: {e.user_message}" for e in instance.all_logs(run_id)
            if e.step_key in steps and not e.is_dagster_event and e.level >= min_level and e.user_message]


def failed_step_errors(instance, run_id: str) -> list[str]:
    """The ERROR messages the run's failed steps logged (context.log.error), in order."""
    import logging

    failed = {st.step_key for st in instance.get_run_step_stats(run_id) if str(st.status).endswith("FAILURE")}
    return step_messages(instance, run_id, failed, logging.ERROR)


def batch_steps(instance, run_id: str) -> set[str]:
    return {st.step_key for st in instance.get_run_step_stats(run_id) if st.step_key.startswith("stage_batch")}


def step_spans(instance, run_id: str) -> dict:
    """Per kind of step (stage_batch[b00001] → stage_batch): first start, last end, count (epoch s)."""
    spans: dict = {}
    for st in instance.get_run_step_stats(run_id):
        kind = st.step_key.split("[")[0]
        if st.start_time is None or st.end_time is None:
            continue
        sp = spans.setdefault(kind, {"start": st.start_time, "end": st.end_time, "n": 0})
        sp["start"], sp["end"], sp["n"] = min(sp["start"], st.start_time), max(sp["end"], st.end_time), sp["n"] + 1
    return spans


def task_spans(instance, run_id: str) -> list:
    """[step key, start, end, submitted] of every stage_batch step (epoch s), by start: the step's
    span as Dagster records it and when the run submitted its Celery task (dagster-celery's engine
    event; None when absent)."""
    submitted: dict = {}
    for e in instance.all_logs(run_id):
        if e.step_key and e.step_key.startswith("stage_batch") and e.is_dagster_event \
                and (e.dagster_event.message or "").startswith("Submitting celery task"):
            submitted.setdefault(e.step_key, e.timestamp)
    return sorted([st.step_key, st.start_time, st.end_time, submitted.get(st.step_key)]
                  for st in instance.get_run_step_stats(run_id)
                  if st.step_key.startswith("stage_batch") and st.start_time and st.end_time)


def local() -> int:
    from extractors.corpus import raw_dir

    from .local import lake_home_default, local_cluster

    def stop(signum, _frame):  # SIGTERM (make passes it on), SIGHUP: stop the services on the way out
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    n = max(1, int(os.environ.get("BUDGET_CELERY_WORKERS", "2")))
    home = lake_home_default()
    log(f"distributed try on this machine: {n} Celery workers, the lake in {home} (catalog/, data/)")
    with local_cluster(raw_dir(), lake_home=home, workers=n) as cluster:
        proc = cluster.run()
        try:
            return proc.wait()
        except KeyboardInterrupt:
            os.killpg(proc.pid, signal.SIGKILL)
            log("interrupted: the run and the services are stopped; the batches that committed stay in the lake")
            return 130


def serve() -> int:
    from dagster_project.services import Services

    from .local import lake_home_default

    home = lake_home_default()
    if not (home / "catalog" / "pg" / "PG_VERSION").exists():
        log(f"no lake in {home}: make run-distributed makes one")
        return 2
    with Services(home / "catalog") as s:
        s.start_postgres()
        print(f"BUDGET_WAREHOUSE='ducklake:postgres:{s.pg_dsn('lake')}' BUDGET_LAKE_DATA={home / 'data'}/")
        print("(Ctrl-C stops the catalog)", flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    commands = {"run": run, "local": local, "serve": serve}
    if len(argv) != 1 or argv[0] not in commands:
        print(__doc__, file=sys.stderr if argv and argv[0] not in ("-h", "--help") else sys.stdout)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    return commands[argv[0]]()


if __name__ == "__main__":
    raise SystemExit(main())
