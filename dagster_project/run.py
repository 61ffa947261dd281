"""`make run`: the whole pipeline over BUDGET_RAW_DIR, through Dagster, then a summary.

0. takes the writer lock <warehouse>.lock (dagster_project/runlock.py): a second run says which
   run holds the warehouse and exits 4 (BUDGET_LOCK_WAIT=<seconds> waits for it instead);
   when nothing changed since the last build, prints the summary and ends here, without Dagster;
   otherwise the build runs in a child process (`supervise`), in a working copy of the warehouse
   published at the end in one rename (dagster_project/publish.py), after freeing the Dagster
   runs and pool slots a dead run left behind;
1. registers every file of the raw dir as a dynamic partition (and drops deleted ones);
2. materialises the staging asset over all partitions in one run (unchanged files are skipped
   by content hash, so a second run adds nothing);
3. materialises the dbt models (dbt build: seeds, models, tests) and the GX asset checks;
4. prints documents read, entities, fact rows per mart and reconciliation findings by status.
Exit 0 when the pipeline ran, whatever the documents say; non-zero with the reason otherwise:
2 staging failed, 3 dbt failed, 4 another run holds the warehouse, 5 the build process was
killed, 130 / 143 interrupted by SIGINT (Ctrl-C) / SIGTERM.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from extractors.corpus import list_documents, partition_key, raw_dir, warehouse_path


def log(msg: str) -> None:
    # on the console; in the build process also in the run log (dagster_project/console.py)
    from dagster_project.console import say
    say(msg)


# exit codes besides 0 (the pipeline ran), 2 (staging failed) and 3 (dbt failed)
EXIT_BUSY = 4  # another run holds the warehouse (or a process has it open for writing)
EXIT_DIED = 5  # the pipeline process was killed (kill -9, out of memory)


class Interrupted(Exception):
    """SIGTERM or SIGHUP before the build started (SIGINT raises KeyboardInterrupt)."""


def _interrupted(signum, _frame):
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    import signal

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--build"]:
        return build()
    if argv:
        # `python -m dagster_project.run --help` (or any argument) never starts the pipeline
        print("usage: python -m dagster_project.run   (make run; the command line: budget-warehouse --help)\n\n"
              "The whole pipeline over BUDGET_RAW_DIR into BUDGET_WAREHOUSE (DAGSTER_HOME for Dagster's "
              "storage); it takes no arguments.", file=sys.stdout if argv[0] in ("-h", "--help") else sys.stderr)
        return 0 if argv[0] in ("-h", "--help") else 2
    for s in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(s) is not signal.SIG_IGN:
            signal.signal(s, _interrupted)
    try:
        return run()
    except (KeyboardInterrupt, Interrupted) as exc:  # while listing the raw dir or printing the summary
        signum = exc.args[0] if isinstance(exc, Interrupted) else signal.SIGINT
        log(f"\ninterrupted ({signal.Signals(signum).name}) outside the build; the warehouse is whole "
            "(a build is published whole or not at all)")
        return 128 + signum


def run() -> int:
    t0 = time.perf_counter()
    root, wh = raw_dir(), warehouse_path()
    os.environ["BUDGET_WAREHOUSE"] = str(wh)
    log(f"budget-warehouse: raw dir {root} → warehouse {wh}")
    from dagster_project.runlock import RunInProgress, acquire_writer_lock, lock_wait
    try:
        lock_fd = acquire_writer_lock(wh, lock_wait(), log)  # held until this process ends
    except RunInProgress as exc:
        log(f"pipeline not started: {exc}")
        return EXIT_BUSY
    files = list_documents(root)
    keys = [partition_key(p, root) for p in files]
    log(f"[1/4] {len(keys)} files in the raw dir")

    # what changed since the last load: new or changed files (bytes or extractor code), removed files
    known: dict[str, str] = {}
    if wh.exists():
        import duckdb

        from extractors.load import connect, manifest
        try:
            con = connect(wh, read_only=True)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            log(f"pipeline not started: {wh} is open for writing by another process, so it cannot be read "
                f"or copied safely. Readers open it read-only (duckdb.connect(path, read_only=True), "
                f"`duckdb -readonly`). DuckDB says: {str(exc).splitlines()[0]}")
            return EXIT_BUSY
        try:
            known = manifest(con, ensure=False)
        finally:
            con.close()
    from extractors.corpus import try_hash_file
    from extractors.load import manifest_key
    # a file that cannot be read is extracted (its load error row says why) unless it was already
    # unreadable at the last load: its row is there with the empty hash
    changed = [k for p, k in zip(files, keys) if known.get(k) != manifest_key(try_hash_file(p) or "")]
    to_extract = len(changed)
    removed = sorted(set(known) - set(keys))

    # nothing new and the marts were built from exactly this: done, without starting Dagster
    state = read_state(state_path(wh))
    if to_extract == 0 and not removed and known and state.get("fingerprint") == build_fingerprint(wh) \
            and os.environ.get("BUDGET_FORCE_BUILD") != "1":
        from dagster_project.publish import discard, working_path
        discard(working_path(wh))  # what a failed build left (this run holds the lock)
        log("[2/4] nothing new or changed, nothing removed")
        log("[3/4] the marts were built from exactly these files and this dbt project: kept as they are "
            "(BUDGET_FORCE_BUILD=1 rebuilds)")
        return finish(wh, state.get("failed_checks", []), t0, to_extract, checks_from_last_build=True)

    rc = supervise({"warehouse": str(wh), "keys": keys, "changed": changed, "removed": removed}, lock_fd)
    if rc:
        return rc
    return finish(wh, read_state(state_path(wh)).get("failed_checks", []), t0, to_extract)


def supervise(plan: dict, lock_fd: int) -> int:
    """Runs the build (`build`, below) in a child process, its own process group, and answers for it:
    SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the whole group at once (the build, its extraction
    workers, dbt) and end this process with 128 + the signal; a build that dies (kill -9, out of
    memory) has its group stopped too. Either way the published warehouse is the one of the last
    finished build, and the Dagster run left behind is marked failed and its pool slot freed.
    The child keeps the writer lock's descriptor, so the lock lasts as long as either process."""
    import signal
    import subprocess

    from extractors.corpus import die_with_parent

    from dagster_project.console import CONSOLE_FD_ENV, run_log_path

    me = os.getpid()
    # the build's stdout and stderr (Dagster's log, dbt's lines, warnings) are the run log; the
    # console (this process's stderr) reaches it as another descriptor, for its stage lines
    run_log = open(run_log_path(Path(plan["warehouse"])), "wb")
    console_fd = os.dup(2)
    try:
        child = subprocess.Popen([sys.executable, "-m", "dagster_project.run", "--build"], stdin=subprocess.PIPE,
                                 stdout=run_log, stderr=run_log,
                                 env=dict(os.environ, BUDGET_RUN_PARENT=str(me), **{CONSOLE_FD_ENV: str(console_fd)}),
                                 pass_fds=(lock_fd, console_fd), start_new_session=True, preexec_fn=die_with_parent)
    finally:
        run_log.close()
        os.close(console_fd)
    caught: list[int] = []

    def stop(signum, _frame):
        if caught:  # a second signal while cleaning up: end now
            os._exit(128 + signum)
        caught.append(signum)
        log(f"\ninterrupted ({signal.Signals(signum).name}): stopping the run and its processes")
        _kill_group(child.pid)

    # a signal ignored when we started stays ignored (nohup, a background job of a script)
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
                if signal.getsignal(s) is not signal.SIG_IGN}
    try:
        try:
            child.stdin.write(json.dumps(plan).encode())
            child.stdin.close()
        except BrokenPipeError:
            pass
        # wait without reaping: the child's PID (its group's id) cannot be reused while we stop
        # whatever of its group is left
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
        _kill_group(child.pid)
        rc = child.wait()
        if not caught and rc >= 0:
            return rc
        wh = Path(plan["warehouse"])
        if caught:
            log(f"interrupted: the run and its processes are stopped; {wh} is as the last finished run left it")
        else:
            log(f"pipeline error: the pipeline process was killed ({signal.Signals(-rc).name}); its processes "
                f"are stopped; {wh} is as the last finished run left it")
        _free_after(child.pid)
        return 128 + caught[0] if caught else EXIT_DIED
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _kill_group(pgid: int) -> None:
    import signal
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _free_after(pid: int) -> None:
    """Marks the Dagster runs of the stopped build failed and frees their pool slots now (the next
    run would do it too), so `make ui` does not show them running or wait for their slot."""
    try:
        from dagster_project.defs.partitions import DUCKDB_POOL
        from dagster_project.runlock import free_stale_runs, instance
        freed = free_stale_runs(instance(), DUCKDB_POOL)
        if freed:
            log(f"      marked {len(freed)} Dagster runs of the stopped build failed, pool {DUCKDB_POOL} "
                "slots freed")
    except Exception as exc:  # noqa: BLE001 - the next run frees them
        log(f"      could not mark the stopped build's Dagster run failed ({exc}); the next run will")


def build() -> int:
    """The build, in the child process `supervise` starts (the plan on stdin): a working copy of
    the warehouse, staging, dbt and the checks on it, then the copy published in one rename."""
    import signal

    from extractors.corpus import die_with_parent
    die_with_parent(int(os.environ.get("BUDGET_RUN_PARENT", os.getppid())))  # again: the parent may have ended
    signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))
    plan = json.load(sys.stdin)
    keys, changed, removed = plan["keys"], plan["changed"], plan["removed"]
    wh = Path(plan["warehouse"])

    from dagster_project.publish import prepare, publish
    t = time.perf_counter()
    building, copied = prepare(wh)
    os.environ["BUDGET_WAREHOUSE"] = str(building)
    os.environ["BUDGET_PUBLISHED_WAREHOUSE"] = str(wh)
    log(f"      building in {building} ({f'a copy of {copied / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s' if copied else 'a new warehouse'}); "
        f"readers keep {wh.name} until the build is published")
    from dagster_project.console import run_log_path
    from dagster_project.defs.dbt import dbt_target_path
    run_log = run_log_path(wh)
    log(f"      full log: {run_log} (Dagster and dbt); dbt's JSON log: {dbt_target_path() / 'dbt.log'}")

    import dagster as dg  # not imported when nothing changed (the run above ends without Dagster)

    from dagster_project.defs.checks import gx_suites
    from dagster_project.defs.dbt import dbt_models, dbt_resource
    from dagster_project.defs.partitions import DOCUMENTS_PARTITION, DUCKDB_POOL
    from dagster_project.defs.staging import staging_tables
    from dagster_project.runlock import free_stale_runs, instance, run_tags

    inst = instance()
    freed = free_stale_runs(inst, DUCKDB_POOL)
    if freed:
        log(f"      freed {len(freed)} stale runs from a dead process (marked failed, pool {DUCKDB_POOL} "
            "slots released): " + "; ".join(freed))
    tags = run_tags(wh)
    quiet = {"loggers": {"console": {"config": {"log_level": os.environ.get("BUDGET_LOG_LEVEL", "INFO")}}}}
    existing = set(inst.get_dynamic_partitions(DOCUMENTS_PARTITION))
    new = [k for k in keys if k not in existing]
    gone = sorted(existing - set(keys))
    if new:
        inst.add_dynamic_partitions(DOCUMENTS_PARTITION, new)
    for k in gone:
        inst.delete_dynamic_partition(DOCUMENTS_PARTITION, k)
    log(f"      partitions: {len(new)} added, {len(gone)} removed")
    kept = f"{wh} is unchanged; the failed build stays in {building} until the next run"

    log(f"[2/4] extracting documents into staging tables ({len(changed)} new or changed, {len(removed)} removed)")
    if keys:
        # one run over the span of partitions that changed (new files are appended, so usually
        # just those): Dagster records events per partition and asset, unchanged documents need none.
        # A run with only removals spans one partition: the asset prunes by the raw dir.
        ordered = inst.get_dynamic_partitions(DOCUMENTS_PARTITION)
        position = {k: i for i, k in enumerate(ordered)}
        span = sorted(position[k] for k in changed) or [0]
        res = dg.materialize(
            [staging_tables], instance=inst,
            tags={**tags, "dagster/asset_partition_range_start": ordered[span[0]],
                  "dagster/asset_partition_range_end": ordered[span[-1]]},
            run_config=quiet, raise_on_error=False)
        if not res.success:
            log(f"pipeline error: the staging run failed (the whole log: {run_log}); {kept}")
            log(failure(res))
            return 2
    else:
        from extractors.load import connect, ensure_schema, prune_missing
        con = connect(building)
        ensure_schema(con)
        prune_missing(con, [])
        con.close()

    log("[3/4] dbt build (seeds, models, data tests) and Great Expectations checks")
    res = dg.materialize(
        [dbt_models, gx_suites], instance=inst,
        resources={"dbt": dbt_resource()}, tags=tags,
        run_config=quiet, raise_on_error=False)
    if not res.success:
        log(f"pipeline error: dbt build failed (the whole log, dbt's output too: {run_log}); {kept}")
        log(failure(res))
        return 3
    failed_checks = [f"{e.asset_key.to_user_string()}:{e.check_name} ({e.severity.value})"
                     for e in res.get_asset_check_evaluations() if not e.passed]
    fingerprint = build_fingerprint(building)
    state_file = state_path(wh)
    state_file.unlink(missing_ok=True)  # a crash from here to the write below means: rebuild
    publish(building, wh)
    state_file.write_text(json.dumps({"fingerprint": fingerprint, "failed_checks": failed_checks}))
    log(f"      published {wh}")
    return 0


def failure(res, max_lines: int = 12) -> str:
    """The errors of a failed in-process run, for the console: each failed step's error (its first
    lines; the whole of it is in the run log)."""
    lines = []
    for ev in res.get_step_failure_events():
        err = ev.step_failure_data.error if ev.step_failure_data else None
        text = (err.message if err else ev.message or "").strip()
        lines.append(f"  {ev.step_key} failed: " + "\n    ".join(text.splitlines()[:max_lines]))
    return "\n".join(lines) or "  (no step failure recorded: see the run log)"


def state_path(wh: Path) -> Path:
    """The last build's fingerprint and failed checks, next to the published warehouse."""
    return wh.with_name(wh.name + ".built")


def read_state(path) -> dict:
    """The last build's fingerprint and failed checks; anything unreadable means 'rebuild'."""
    try:
        state = json.loads(path.read_text())
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def build_fingerprint(wh) -> str:
    """What the marts are built from: the loaded files (names, hashes, extractor version) and
    the dbt project (models, seeds, macros). Equal fingerprints mean a rebuild changes nothing."""
    import hashlib

    from extractors.corpus import PROJECT_ROOT
    from extractors.load import connect, manifest

    h = hashlib.sha256()
    con = connect(wh, read_only=True)
    try:
        for name, key in sorted(manifest(con, ensure=False).items()):
            h.update(f"{name}\0{key}\n".encode())
    finally:
        con.close()
    dbt_dir = PROJECT_ROOT / "dbt"
    for sub in ("models", "seeds", "macros", "tests"):
        for p in sorted((dbt_dir / sub).rglob("*")):
            if p.is_file():
                h.update(p.relative_to(dbt_dir).as_posix().encode())
                h.update(p.read_bytes())
    h.update((dbt_dir / "dbt_project.yml").read_bytes())
    h.update(os.environ.get("BUDGET_DBT_UNIT_TESTS", "0").encode())
    return h.hexdigest()


def finish(wh, failed_checks: list[str], t0: float, to_extract: int, checks_from_last_build: bool = False) -> int:
    log("[4/4] summary")
    from dagster_project.summary import mart_counts, summary
    print(summary(wh, failed_checks, time.perf_counter() - t0, checks_from_last_build))
    print(findings_report(wh))
    counts_file = os.environ.get("BUDGET_COUNTS_FILE")
    if counts_file:
        Path(counts_file).write_text(json.dumps(
            {"marts": mart_counts(wh), "documents_extracted": to_extract}, indent=1, sort_keys=True))
    return 0


def findings_report(wh) -> str:
    """The summary's report line: the HTML findings report built beside the warehouse
    (budget_warehouse/report.py). A report that cannot be built never fails the run."""
    try:
        from budget_warehouse.report import build_report
        r = build_report(wh, raw_dir())
        return f"  findings report: {r.index}"
    except Exception as exc:  # noqa: BLE001 - the warehouse is built; the report is a view of it
        return f"  findings report: not built ({type(exc).__name__}: {exc}); `make report` retries"


if __name__ == "__main__":
    raise SystemExit(main())
