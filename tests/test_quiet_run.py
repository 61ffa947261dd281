"""A quiet run (issue 15 point 6): `make run` prints one line per stage, one progress line for
extraction and one for dbt, then the summary; Dagster's log and dbt's output go to files beside
the warehouse; no ANSI codes when the output is not a terminal; load warnings name their line.
Before: 535 lines for the five sample documents (≈340 dbt per-model lines, GX progress bars,
multi-line dagster-dbt warnings, a BetaWarning)."""
import io
import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import RAW, ROOT, pipeline_env

DOCS = ["000_94a51bfa8bc2096e.txt", "002_26df1c49268341e3.txt"]  # 002 has four load warnings
ANSI = re.compile(r"\x1b\[")


@pytest.fixture(scope="module")
def quiet_run(tmp_path_factory):
    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt/target/manifest.json is missing (run `make dbt-parse` first)")
    tmp = tmp_path_factory.mktemp("quiet")
    raw = tmp / "raw"
    raw.mkdir()
    for name in DOCS:
        shutil.copy(RAW / name, raw / name)
    wh = tmp / "wh" / "budget.duckdb"
    proc = subprocess.run([sys.executable, "-m", "dagster_project.run"], cwd=ROOT,
                          env=pipeline_env(raw, wh, tmp / "dagster_home"), capture_output=True, text=True,
                          timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc, wh


def test_a_run_prints_a_few_lines_without_ansi_codes(quiet_run):
    proc, wh = quiet_run
    out = proc.stderr + proc.stdout
    lines = out.splitlines()
    # 4 stage lines, 4 lines about the build (working copy, log files, partitions, published),
    # 2 extraction progress lines, 1 dbt line, the summary (~25 lines with the 4 warnings)
    assert len(lines) <= 45, out
    assert not ANSI.search(out) and "\r" not in out
    for stage in ("[1/4]", "[2/4]", "[3/4]", "[4/4]"):
        assert sum(line.startswith(stage) for line in lines) == 1, stage
    assert "Calculating Metrics" not in out and "BetaWarning" not in out and " START " not in out
    assert " - dagster - " not in out  # Dagster's log lines are in the run log
    # the extraction progress: the first and the last document (into a file: no line per document)
    extract = [line for line in lines if line.startswith("  extract [")]
    assert [e.split("]")[0] for e in extract] == ["  extract [1/2", "  extract [2/2"]


def test_the_dbt_progress_line_counts_what_dbt_ran(quiet_run):
    proc, wh = quiet_run
    dbt_lines = [line for line in proc.stderr.splitlines() if line.startswith("  dbt [")]
    # the first node, at most one line every 10 s, the last (which says how long dbt took): the
    # bound follows the run's own duration, so a slow machine does not fail it
    seconds = float(re.search(r"\(([\d.]+) s\)", dbt_lines[-1]).group(1))
    assert 2 <= len(dbt_lines) <= 2 + int(seconds // 10) + 1, dbt_lines
    done = [int(re.match(r"  dbt \[\s*(\d+)/", line).group(1)) for line in dbt_lines]
    assert done == sorted(set(done)) and done[0] == 1, dbt_lines
    results = json.loads((wh.with_name(wh.name + ".dbt-target") / "run_results.json").read_text())["results"]
    n = len(results)
    kinds = {}
    for r in results:
        kind = r["unique_id"].split(".")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    last = dbt_lines[-1]
    assert last.startswith(f"  dbt [{n}/{n}] {kinds['model']} models, {kinds['seed']} seeds, {kinds['test']} data tests;"), last
    assert f"PASS={n} WARN=0 ERROR=0" in last


def test_the_full_logs_are_beside_the_warehouse(quiet_run):
    proc, wh = quiet_run
    run_log = wh.with_name(wh.name + ".run.log")
    dbt_log = wh.with_name(wh.name + ".dbt-target") / "dbt.log"
    assert f"full log: {run_log} (Dagster and dbt); dbt's JSON log: {dbt_log}" in proc.stderr
    text = run_log.read_text()
    assert re.search(r"^\d+ of \d+ START sql table model marts\.fct_reconciliation ", text, re.M)  # dbt's lines
    assert " - dagster - INFO - " in text and "staging__documents" in text  # Dagster's log
    assert "[3/4] dbt build" in text  # the stage lines too, for context
    assert not ANSI.search(text)
    first = json.loads(dbt_log.read_text().splitlines()[0])
    assert first["info"]["name"] == "MainReportVersion"


def test_load_warnings_name_their_line(quiet_run):
    proc, _ = quiet_run
    # the same note printed twice (部门 and 单位 copies of 部门政府采购预算) are two lines of the summary
    warned = [line for line in proc.stdout.splitlines() if "note says empty" in line and "部门政府采购预算" in line]
    assert [w.split(" [")[0].strip() for w in warned] == [
        "warning: 002_26df1c49268341e3.txt:3747", "warning: 002_26df1c49268341e3.txt:7521"]


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_line_in_place_on_a_terminal_and_sparse_in_a_file():
    from dagster_project.console import ProgressLine

    tty, file = _Tty(), io.StringIO()
    for stream in (tty, file):
        p = ProgressLine("extract", every=3600, stream=stream)
        for i in range(1, 101):
            p.update(i, 100, f"doc{i}")
    assert tty.getvalue().count("\n") == 1 and tty.getvalue().count("\r") == 100
    assert not ANSI.search(tty.getvalue())
    assert file.getvalue().splitlines() == ["  extract [  1/100] doc1", "  extract [100/100] doc100"]


def test_dbt_progress_from_dbt_events():
    from dagster_project.console import DbtProgress

    out = io.StringIO()
    p = DbtProgress(every=3600, stream=out)
    events = [{"info": {"name": "LogStartLine", "level": "info"}, "data": {"index": 1, "total": 3}},
              *[{"info": {"name": name, "level": "info"},
                 "data": {"index": i, "total": 3, "node_info": {"resource_type": kind, "node_name": f"n{i}"}}}
                for i, (name, kind) in enumerate([("LogModelResult", "model"), ("LogSeedResult", "seed"),
                                                  ("LogTestResult", "test")], 1)],
              {"info": {"name": "StatsLine", "level": "info"},
               "data": {"stats": {"pass": 2, "warn": 0, "error": 1, "skip": 0, "total": 3}}},
              {"info": {"name": "RunResultError", "level": "error", "msg": "Failure in test n3"}, "data": {}}]
    for e in events:
        p.event(e)
    p.finish()
    lines = out.getvalue().splitlines()
    assert lines[0] == "  dbt [1/3] n1"
    assert lines[-1].startswith("  dbt [3/3] 1 models, 1 seeds, 1 data tests; PASS=2 WARN=0 ERROR=1 SKIP=0 (")
    assert p.errors == ["Failure in test n3"]
