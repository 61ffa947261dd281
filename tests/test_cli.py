"""The `budget-warehouse` command line: help, add, check, report."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
DOC_000 = "000_94a51bfa8bc2096e.txt"
DOC_001 = "001_13025beda4217a55.txt"
COMMANDS = ["run", "add", "export", "report", "check"]


def cli(*args, env=None, timeout=1200):
    return subprocess.run([sys.executable, "-m", "budget_warehouse", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=dict(os.environ, **(env or {})))


def needs_manifest():
    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt/target/manifest.json is missing (run `make dbt-parse` first)")


def test_help_lists_every_command():
    proc = cli("--help")
    assert proc.returncode == 0
    for c in COMMANDS:
        assert f"    {c} " in proc.stdout, c


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help_and_does_nothing_else(command, tmp_path):
    # --help never runs the pipeline: the warehouse named is not created
    proc = cli("--warehouse", str(tmp_path / "w.duckdb"), command, "--help")
    assert proc.returncode == 0 and proc.stdout.startswith(f"usage: budget-warehouse {command}")
    assert not (tmp_path / "w.duckdb").exists()


def test_pipeline_module_help_does_not_run_the_pipeline(tmp_path):
    # `python -m dagster_project.run --help` ran the whole pipeline (issue 15)
    env = dict(os.environ, BUDGET_WAREHOUSE=str(tmp_path / "w.duckdb"), BUDGET_RAW_DIR=str(RAW))
    proc = subprocess.run([sys.executable, "-m", "dagster_project.run", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: python -m dagster_project.run")
    assert not (tmp_path / "w.duckdb").exists() and not list(tmp_path.iterdir())
    proc = subprocess.run([sys.executable, "-m", "dagster_project.run", "--bogus"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env)
    assert proc.returncode == 2 and "takes no arguments" in proc.stderr


def test_entry_point_is_declared():
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["budget-warehouse"] == "budget_warehouse.cli:main"


def test_report_writes_the_site(test_warehouse, tmp_path):
    proc = cli("--warehouse", str(test_warehouse), "--raw-dir", str(RAW), "report", "--out", str(tmp_path / "r"))
    assert proc.returncode == 0, proc.stderr
    assert "report:" in proc.stderr and (tmp_path / "r" / "index.html").is_file()
    assert "淮北市杜集区人民政府办公室" in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    proc = cli("--warehouse", str(tmp_path / "missing.duckdb"), "report")
    assert proc.returncode == 2 and "no warehouse" in proc.stderr


def test_add_refuses_what_is_not_a_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    proc = cli("--raw-dir", str(raw), "add", str(RAW / DOC_001), str(tmp_path), str(tmp_path / "missing.pdf"))
    assert proc.returncode == 2
    assert f"{tmp_path}: not a regular file" in proc.stderr and "missing.pdf: no such file" in proc.stderr
    assert list(raw.iterdir()) == []  # nothing copied, not even the good file


def test_add_refuses_a_name_with_other_content(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / DOC_001).write_text("other")
    proc = cli("--raw-dir", str(raw), "add", "--no-run", str(RAW / DOC_001))
    assert proc.returncode == 2 and "--replace" in proc.stderr
    assert (raw / DOC_001).read_text() == "other"
    proc = cli("--raw-dir", str(raw), "add", "--no-run", "--replace", str(RAW / DOC_001))
    assert proc.returncode == 0 and (raw / DOC_001).read_bytes() == (RAW / DOC_001).read_bytes()


def test_add_copies_and_loads(tmp_path):
    needs_manifest()
    import duckdb

    raw, wh, home = tmp_path / "raw", tmp_path / "budget.duckdb", tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home)
    proc = cli("--raw-dir", str(raw), "--warehouse", str(wh), "add", str(RAW / DOC_001),
               env={"DAGSTER_HOME": str(home)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"copied {RAW / DOC_001} → {raw / DOC_001}" in proc.stderr
    assert (raw / DOC_001).read_bytes() == (RAW / DOC_001).read_bytes()
    con = duckdb.connect(str(wh), read_only=True)
    try:
        assert con.execute("select entity_name, fiscal_year from marts.dim_budget_entity").fetchall() == [
            ("淮北市相山区人民政府办公室", 2024)]
    finally:
        con.close()


def test_check_prints_the_documents_fail_and_leaves_no_warehouse(tmp_path):
    needs_manifest()
    # point the user's warehouse somewhere: check must not create or touch it
    wh = tmp_path / "mine.duckdb"
    proc = cli("--warehouse", str(wh), "check", str(RAW / DOC_000), env={"TMPDIR": str(tmp_path)})
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert "淮北市杜集区人民政府办公室 · 2025 · 部门预算" in out
    # 000 l.61: 其他社会保障和就业支出 0.51万元, 减少0.01万元, 下降0.4% — 0.01 / 0.52 is 1.9 %
    assert "fail       narrative_yoy_pct (说明：同比增减额与增减率一致" in out
    assert "expected -0.00208, actual -0.01, difference -0.00792 万元 · 000_94a51bfa8bc2096e.txt:61" in out
    assert out.rstrip().endswith("check: 000_94a51bfa8bc2096e.txt: 1 fail")
    assert not wh.exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith("budget-check-")] == []  # tmp dir removed


def test_check_names_a_missing_file(tmp_path):
    proc = cli("check", str(tmp_path / "nope.pdf"))
    assert proc.returncode == 2 and "nope.pdf: no such file" in proc.stderr
