"""Runs that hold (issue 14): wrong reasons for unreadable files, symbolic links and subfolders,
the schedule's time zone. Small inputs built in tmp_path, no network."""
from __future__ import annotations

import io
import json
import shutil
import struct
import zipfile
from pathlib import Path

import duckdb
import pytest

from extractors.corpus import extract_many, list_documents, partition_key
from extractors.load import connect, write_extractions
from extractors.pipeline import extract_document
from extractors.read import read_document

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
SAMPLE = "000_94a51bfa8bc2096e.txt"  # a prose 部门预算 of 淮北市杜集区人民政府办公室 (2025)


def _errors(ex) -> list[tuple[str, str, str]]:
    return [(e.source_file, e.stage, e.error) for e in ex.load_errors if e.severity == "error"]


def _load_errors(raw: Path, wh: Path) -> dict[str, str]:
    """Extract every listed path of raw into wh; staging.load_errors as {source_file: error}."""
    con = connect(wh)
    try:
        write_extractions(con, extract_many(list_documents(raw), raw))
    finally:
        con.close()
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return dict(con.execute("select source_file, error from staging.load_errors "
                                "where severity = 'error' order by 1").fetchall())
    finally:
        con.close()


def _hold_writer_lock(wh: Path):
    """Another process holding the warehouse's writer lock (it prints 'held' once it has it)."""
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                             "from dagster_project.runlock import acquire_writer_lock; "
                             "acquire_writer_lock(Path(sys.argv[1])); print('held', flush=True); time.sleep(600)",
                             str(wh)], cwd=ROOT, stdout=subprocess.PIPE, text=True)


# ---- item 6: wrong reasons

@pytest.mark.parametrize("algorithm", ["AES-256", "RC4-128"])
def test_encrypted_pdf_is_reported_as_encrypted(tmp_path, algorithm):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.encrypt("secret", algorithm=algorithm)  # a user password: nothing opens without it
    with open(tmp_path / "locked.pdf", "wb") as f:
        w.write(f)
    ex = extract_document(tmp_path / "locked.pdf", tmp_path)
    assert ex.document is None
    [(name, stage, error)] = _errors(ex)
    assert (name, stage) == ("locked.pdf", "read")
    assert error == "encrypted PDF (password-protected): cannot read it without the password"


def test_pdf_with_an_owner_password_only_is_not_called_encrypted(tmp_path):
    # an empty user password opens it: what it lacks is a text layer, and that is the reason
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.encrypt("", owner_password="owner", algorithm="AES-256")
    with open(tmp_path / "owner.pdf", "wb") as f:
        w.write(f)
    [(_, _, error)] = _errors(extract_document(tmp_path / "owner.pdf", tmp_path))
    assert error.startswith("PDF has no text layer (0 characters on 1 pages)")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_with_a_byte_order_mark_is_read_as_text(tmp_path, encoding):
    text = (RAW / SAMPLE).read_text(encoding="utf-8")
    (tmp_path / "doc.txt").write_bytes(("\ufeff" + text).encode(encoding))
    shutil.copy(RAW / SAMPLE, tmp_path / "utf8.txt")

    doc = read_document(tmp_path / "doc.txt", tmp_path)
    ref = read_document(tmp_path / "utf8.txt", tmp_path)
    assert doc.encoding == encoding and not doc.truncated
    assert doc.lines == ref.lines and doc.lines[0] == ref.lines[0] and not doc.lines[0].startswith("\ufeff")
    assert doc.dialect == ref.dialect

    ex, ex_ref = extract_document(tmp_path / "doc.txt", tmp_path), extract_document(tmp_path / "utf8.txt", tmp_path)
    assert _errors(ex) == []
    assert [(e.stage, e.error, e.severity) for e in ex.load_errors] == [
        ("read", f"decoded as {encoding}, not UTF-8", "warning")]
    assert ex.document.entity_name == ex_ref.document.entity_name == "淮北市杜集区人民政府办公室"
    assert ex.document.fiscal_year == ex_ref.document.fiscal_year == 2025
    assert [(f.line_number, f.measure, f.amount) for f in ex.narrative_figures] == \
        [(f.line_number, f.measure, f.amount) for f in ex_ref.narrative_figures]
    assert len(ex.narrative_figures) > 10


def test_utf16_edge_cases(tmp_path):
    body = "\ufeff部门预算\n一、收入\n".encode("utf-16-le")
    (tmp_path / "cut.txt").write_bytes(body[:-1])  # cut inside its last code unit
    doc = read_document(tmp_path / "cut.txt", tmp_path)
    assert doc.truncated and doc.lines == ["部门预算", "一、收入"]
    (tmp_path / "bom.txt").write_bytes(b"\xff\xfe")
    (tmp_path / "nul.txt").write_bytes(b"\xff\xfe" + b"\x00" * 200)
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)  # no BOM, binary: still binary
    errors = {n: e for n, _, e in _errors(extract_document(tmp_path / "bom.txt", tmp_path))
              + _errors(extract_document(tmp_path / "nul.txt", tmp_path))
              + _errors(extract_document(tmp_path / "bin.txt", tmp_path))}
    assert errors == {
        "bom.txt": "empty file (no text after the utf-16-le byte order mark)",
        "nul.txt": "binary content in a text file (NUL or control characters after a utf-16-le byte order mark)",
        "bin.txt": "binary content in a text file (NUL or control bytes); PDF, DOCX and XLSX need their native suffix",
    }


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收支总表"
    ws.append(["2025年部门收支预算总表"])
    ws.merge_cells("A1:D1")
    for i in range(100):
        ws.append([f"项目{i}", "2010301", i * 1.5, "行政运行"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _corrupt_member(data: bytes, member: str, how: str) -> bytes:
    """The zip with one member damaged in place (the zip's directory stays valid)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    b = bytearray(data)
    off = info.header_offset
    n, m = struct.unpack_from("<HH", b, off + 26)
    if how == "bad_deflate":  # block type 3 does not exist: zlib.error
        b[off + 30 + n + m] = 0xFF
    else:  # "truncated": the member's compressed size halved in both headers: BadZipFile (CRC)
        half = info.compress_size // 2
        struct.pack_into("<I", b, off + 18, half)
        i = 0
        while True:
            i = b.index(b"PK\x01\x02", i)
            k = struct.unpack_from("<H", b, i + 28)[0]
            if bytes(b[i + 46:i + 46 + k]).decode() == member:
                struct.pack_into("<I", b, i + 20, half)
                break
            i += 4
    return bytes(b)


@pytest.mark.parametrize("how", ["bad_deflate", "truncated"])
def test_corrupt_xlsx_is_a_load_error_row_naming_the_file(tmp_path, how):
    raw = tmp_path / "raw"
    raw.mkdir()
    good = _xlsx()
    (raw / "good.xlsx").write_bytes(good)
    (raw / "broken.xlsx").write_bytes(_corrupt_member(good, "xl/worksheets/sheet1.xml", how))
    kind = "zlib.error: Error -3 while decompressing data: invalid block type" if how == "bad_deflate" \
        else "BadZipFile: Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"
    [(name, stage, error)] = _errors(extract_document(raw / "broken.xlsx", raw))
    assert (name, stage) == ("broken.xlsx", "read")
    assert error == f"the XLSX is damaged (zip member xl/worksheets/sheet1.xml truncated or corrupt): {kind}"
    # in the warehouse: one row naming the file, and the good workbook still loads
    assert _load_errors(raw, tmp_path / "wh.duckdb") == {"broken.xlsx": error}
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    status = dict(con.execute("select source_file, status from staging.file_manifest").fetchall())
    con.close()
    assert status["broken.xlsx"] == "failed" and status["good.xlsx"].startswith("loaded")


# ---- item 3: symbolic links, subfolders, partition keys


@pytest.fixture()
def linked_raw(tmp_path):
    """raw/ with a file in a subfolder, a linked file in a subfolder (its target outside raw),
    a linked folder, and links that cannot be followed."""
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    (raw / "2025" / "putuo").mkdir(parents=True)
    (outside / "folder" / "nested").mkdir(parents=True)
    shutil.copy(RAW / SAMPLE, raw / "2025" / "putuo" / "real.txt")
    shutil.copy(RAW / "001_13025beda4217a55.txt", outside / "target.txt")
    shutil.copy(RAW / "002_26df1c49268341e3.txt", outside / "folder" / "nested" / "deep.txt")
    (raw / "2025" / "linked.txt").symlink_to(outside / "target.txt")
    (raw / "shared").symlink_to(outside / "folder", target_is_directory=True)
    (raw / "2025" / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (raw / "loop_a.txt").symlink_to(raw / "loop_b.txt")
    (raw / "loop_b.txt").symlink_to(raw / "loop_a.txt")
    (raw / "2025" / "putuo" / "up").symlink_to("..", target_is_directory=True)  # a folder loop
    (raw / "again").symlink_to("2025", target_is_directory=True)  # a second name for a folder
    return raw


LISTED = ["2025/dangling.txt", "2025/linked.txt", "2025/putuo/real.txt", "2025/putuo/up", "again",
          "loop_a.txt", "loop_b.txt", "shared/nested/deep.txt"]


def test_partition_keys_are_paths_relative_to_the_raw_dir(linked_raw):
    keys = [partition_key(p, linked_raw) for p in list_documents(linked_raw)]
    assert keys == LISTED
    # the name in the warehouse is the same key, for the text reader and the pipeline alike
    doc = read_document(linked_raw / "2025" / "linked.txt", linked_raw)
    assert doc.source_file == "2025/linked.txt"
    assert extract_document(linked_raw / "shared" / "nested" / "deep.txt", linked_raw).document.source_file \
        == "shared/nested/deep.txt"


def test_links_that_cannot_be_followed_get_a_load_error_row(linked_raw, tmp_path):
    errors = _load_errors(linked_raw, tmp_path / "wh.duckdb")
    gone = tmp_path / "gone.txt"
    assert errors == {
        "2025/dangling.txt": f"cannot read: dangling symbolic link (2025/dangling.txt → {gone}: "
                             "the target does not exist)",
        "2025/putuo/up": "symbolic link loop: the folder link 2025/putuo/up → .. leads back to a folder that "
                         "holds it; not followed",
        "again": "symbolic link again → 2025 leads to a folder already scanned as 2025; not followed twice",
        "loop_a.txt": f"cannot read: symbolic link loop (loop_a.txt → {linked_raw / 'loop_b.txt'})",
        "loop_b.txt": f"cannot read: symbolic link loop (loop_b.txt → {linked_raw / 'loop_a.txt'})",
    }
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    loaded = con.execute("select source_file, entity_name from staging.documents order by 1").fetchall()
    con.close()
    assert [f for f, _ in loaded] == ["2025/linked.txt", "2025/putuo/real.txt", "shared/nested/deep.txt"]
    assert dict(loaded)["2025/putuo/real.txt"] == "淮北市杜集区人民政府办公室"


def test_folder_links_are_followed_within_a_bound(tmp_path):
    from extractors.corpus import MAX_DEPTH, skip_reason

    raw = tmp_path / "raw"
    deep = raw.joinpath(*[f"d{i}" for i in range(MAX_DEPTH + 1)])
    deep.mkdir(parents=True)
    (deep / "too_deep.txt").write_text("部门预算", encoding="utf-8")
    (deep.parent / "ok.txt").write_text("部门预算", encoding="utf-8")
    keys = [partition_key(p, raw) for p in list_documents(raw)]
    prefix = "/".join(f"d{i}" for i in range(MAX_DEPTH))
    assert keys == [f"{prefix}/d{MAX_DEPTH}", f"{prefix}/ok.txt"]
    assert skip_reason(deep, raw) == f"folder more than {MAX_DEPTH} levels below the raw dir: not scanned"
    # a chain of links that each lead to a new folder is bounded the same way
    chain = tmp_path / "chain"
    (chain / "c0").mkdir(parents=True)
    for i in range(1, MAX_DEPTH + 3):
        (chain / f"c{i}").mkdir()
        (chain / f"c{i - 1}" / "next").symlink_to(chain / f"c{i}", target_is_directory=True)
    (chain / f"c{MAX_DEPTH + 2}" / "end.txt").write_text("部门预算", encoding="utf-8")
    raw2 = tmp_path / "raw2"
    raw2.mkdir()
    (raw2 / "next").symlink_to(chain / "c0", target_is_directory=True)
    [listed] = [partition_key(p, raw2) for p in list_documents(raw2)]
    assert listed == "/".join(["next"] * MAX_DEPTH) + "/next"
    assert skip_reason(raw2 / listed, raw2) == f"folder more than {MAX_DEPTH} levels below the raw dir: not scanned"


def test_staging_asset_keeps_linked_files_in_subfolders(linked_raw, tmp_path, monkeypatch):
    """The asset looked up each partition as raw/<key>: a linked file's basename key was not
    there, so the file was listed and then dropped as 'no longer in raw'."""
    import dagster as dg

    wh = tmp_path / "wh.duckdb"
    monkeypatch.setenv("BUDGET_RAW_DIR", str(linked_raw))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(wh))
    monkeypatch.setenv("BUDGET_WORKERS", "1")
    from dagster_project.defs.staging import staging_tables

    keys = [partition_key(p, linked_raw) for p in list_documents(linked_raw)]
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("documents", keys)
        assert dg.materialize([staging_tables], instance=instance, tags={
            "dagster/asset_partition_range_start": keys[0],
            "dagster/asset_partition_range_end": keys[-1]}).success
    con = duckdb.connect(str(wh), read_only=True)
    manifest = dict(con.execute("select source_file, status from staging.file_manifest").fetchall())
    con.close()
    assert sorted(manifest) == LISTED
    assert sorted(k for k, status in manifest.items() if status.startswith("loaded")) == [
        "2025/linked.txt", "2025/putuo/real.txt", "shared/nested/deep.txt"]  # loaded (with warnings or not)
    assert sorted(k for k, status in manifest.items() if status == "failed") == [
        "2025/dangling.txt", "2025/putuo/up", "again", "loop_a.txt", "loop_b.txt"]


def test_pipeline_loads_a_linked_file_in_a_subfolder_and_a_rerun_extracts_nothing(tmp_path):
    """`python -m dagster_project.run` on one document reached through a link in a subfolder and
    a dangling link: the document reaches the marts under its own key, the link gets its row, and
    a second run re-extracts nothing (an unreadable path still unreadable is unchanged)."""
    import json

    from conftest import run_pipeline

    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt/target/manifest.json is missing (run `make dbt-parse` first)")
    raw, outside, home = tmp_path / "raw", tmp_path / "outside", tmp_path / "dagster_home"
    for d in (raw / "2024" / "xiangshan", outside):
        d.mkdir(parents=True)
    shutil.copy(RAW / "001_13025beda4217a55.txt", outside / "budget.txt")
    (raw / "2024" / "xiangshan" / "budget.txt").symlink_to(outside / "budget.txt")
    (raw / "2024" / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    wh = tmp_path / "budget.duckdb"

    def run(n: int) -> dict:
        run_pipeline(raw, wh, home, 600, BUDGET_WORKERS="1", BUDGET_COUNTS_FILE=str(tmp_path / f"counts{n}.json"))
        return json.loads((tmp_path / f"counts{n}.json").read_text())

    first = run(1)
    assert first["documents_extracted"] == 2
    con = duckdb.connect(str(wh), read_only=True)
    entities = con.execute("select source_file, entity_name, fiscal_year from marts.dim_budget_entity").fetchall()
    errors = con.execute("select source_file, error from staging.load_errors where severity = 'error'").fetchall()
    con.close()
    assert entities == [("2024/xiangshan/budget.txt", "淮北市相山区人民政府办公室", 2024)]
    assert errors == [("2024/dangling.txt", f"cannot read: dangling symbolic link (2024/dangling.txt → "
                                            f"{tmp_path / 'gone.txt'}: the target does not exist)")]
    second = run(2)
    assert second["documents_extracted"] == 0 and second["marts"] == first["marts"]


def test_sensor_requests_a_run_for_a_dangling_link(linked_raw, monkeypatch):
    import dagster as dg

    monkeypatch.setenv("BUDGET_RAW_DIR", str(linked_raw))
    from dagster_project.defs.automation import raw_documents_sensor

    with dg.instance_for_test() as instance:
        result = raw_documents_sensor(dg.build_sensor_context(instance=instance))
    # one run over every listed path (the dangling link's run records why it cannot be read)
    [request] = result.run_requests
    assert (request.tags["dagster/asset_partition_range_start"], request.tags["dagster/asset_partition_range_end"]) \
        == (LISTED[0], LISTED[-1])
    assert result.dynamic_partitions_requests[0].partition_keys == LISTED
    assert json.loads(result.cursor)["2025/dangling.txt"] is None


# ---- item 8 (part): the schedule's time zone


def test_daily_schedule_fires_at_two_in_shanghai():
    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt manifest missing: run `make dbt-parse`")
    from dagster_project.definitions import defs as load

    schedule = load().resolve_schedule_def("daily_full_run")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"


# ---- items 1 and 7: a run that dies, readers and the writer, two runs at once
# Each pipeline run here is on one or two documents; the subprocess timeouts are hang guards
# (a run that waits forever for a pool slot), not performance assertions.

KILL_DOCS = [SAMPLE, "sh_putuo_czj_2025_dept_budget.pdf"]  # the PDF takes seconds to read: a window
HANG_GUARD = 900


def _needs_manifest():
    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt/target/manifest.json is missing (run `make dbt-parse` first)")


def _raw(tmp: Path, names: list[str]) -> Path:
    raw = tmp / "raw"
    raw.mkdir(parents=True)
    for name in names:
        src = RAW / name if (RAW / name).exists() else ROOT / "tests" / "fixtures" / "pdf" / name
        shutil.copy(src, raw / name)
    return raw


def _start(raw: Path, wh: Path, home: Path, log: Path, **env):
    import subprocess
    import sys

    from conftest import pipeline_env

    return subprocess.Popen([sys.executable, "-m", "dagster_project.run"], cwd=ROOT,
                            env=pipeline_env(raw, wh, home, **env), stdout=subprocess.DEVNULL,
                            stderr=open(log, "w"))


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            kids.setdefault(ppid, []).append(int(d.name))
    return kids


def _descendants(pid: int) -> dict[int, str]:
    """{pid: command line} of every process below pid."""
    kids, out, todo = _children(), {}, [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            try:
                out[k] = (Path(f"/proc/{k}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                continue
            todo.append(k)
    return out


def _running(pid: int) -> bool:
    from dagster_project.runlock import process_start

    return process_start(pid) is not None  # None: gone, or a zombie (it has ended)


def _wait_until(what, timeout: float, why: str, proc=None):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the run ended (exit {proc.returncode}) before {why}")
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {why}")


def _log_says(log: Path, text: str):
    return lambda: text in log.read_text(errors="replace")


def _dbt_running(proc):
    return lambda: [p for p, cmd in _descendants(proc.pid).items() if " build " in cmd and "dbt" in cmd]


def _workers_running(proc):
    """Forked extraction workers: processes below the build process with its command line."""
    def find():
        d = _descendants(proc.pid)
        kids = set(_children().get(proc.pid, []))
        return [p for p, cmd in d.items() if "dagster_project.run --build" in cmd and p not in kids]
    return find


def _dagster_state(home: Path) -> tuple[list[str], list, list]:
    """Statuses of every run recorded in DAGSTER_HOME home, and the duckdb_warehouse pool's claimed
    slots and pending steps."""
    import os

    import dagster as dg

    old = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)  # the project's event log storage reads it
    try:
        with dg.DagsterInstance.from_config(str(home)) as inst:
            info = inst.event_log_storage.get_concurrency_info("duckdb_warehouse")
            return sorted(r.status.value for r in inst.get_runs()), info.claimed_slots, info.pending_steps
    finally:
        if old is None:
            os.environ.pop("DAGSTER_HOME")
        else:
            os.environ["DAGSTER_HOME"] = old


def _marts(wh: Path) -> dict:
    """What a build's marts hold: rows per mart and a few values."""
    con = duckdb.connect(str(wh), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        out = {t: q(f"select count(*) from marts.{t}")[0][0] for (t,) in q(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1")}
        out["entities"] = q("select source_file, entity_name, fiscal_year from marts.dim_budget_entity order by 1")
        out["function_total"] = q("select sum(amount_wan), count(distinct functional_code) from marts.fct_function_expenditure")
        out["findings"] = q("select rule_id, status, count(*) from marts.fct_reconciliation group by 1, 2 order by 1, 2")
        out["manifest"] = q("select source_file, status from staging.file_manifest order by 1")
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    """The pipeline on KILL_DOCS, never interrupted: what every rerun must give."""
    from conftest import run_pipeline

    _needs_manifest()
    tmp = tmp_path_factory.mktemp("clean")
    raw, wh = _raw(tmp, KILL_DOCS), tmp / "wh" / "budget.duckdb"
    run_pipeline(raw, wh, tmp / "dagster_home", HANG_GUARD)
    marts = _marts(wh)
    assert [e[0] for e in marts["entities"]] == sorted(KILL_DOCS) and marts["fct_function_expenditure"] > 0
    return tmp, wh, marts


def _group_gone(pids: dict[int, str], timeout: float = 30):
    _wait_until(lambda: not [p for p in pids if _running(p)], timeout,
                "every process of the killed run to end: " + "; ".join(
                    f"{p} {c[:80]}" for p, c in pids.items() if _running(p)))


@pytest.mark.parametrize("when", ["staging", "dbt"])
def test_kill_9_then_rerun_gives_the_marts_of_a_clean_run(clean_build, tmp_path, when):
    """kill -9 during staging (of `make run`'s process: the build process ends with it) and during dbt (of both processes at once, as `pkill -9 -f dagster_project.run` does:
    dbt ends with the build). Nothing is left running, the published warehouse is untouched, and
    the rerun frees the dead run's Dagster run and pool slot, completes and gives the clean marts.
    Before: the rerun waited forever for the duckdb_warehouse slot ('Step blocked by limit for
    pool'), and the killed run's dbt and workers went on."""
    import os
    import signal

    from conftest import run_pipeline

    _, _, clean = clean_build
    raw, home = _raw(tmp_path, KILL_DOCS), tmp_path / "dagster_home"
    wh = tmp_path / "wh" / "budget.duckdb"
    log = tmp_path / "killed.log"
    proc = _start(raw, wh, home, log, BUDGET_WORKERS="1")
    if when == "staging":
        _wait_until(_log_says(log, "extract [1/2]"), HANG_GUARD, "the first document to be read", proc)
        assert not _log_says(log, "[3/4]")()  # the PDF is being read: staging is running
        pids = _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
    else:
        _wait_until(_dbt_running(proc), HANG_GUARD, "dbt to start", proc)
        pids = _descendants(proc.pid)
        for p, cmd in pids.items():
            if "dagster_project.run --build" in cmd:
                os.kill(p, signal.SIGKILL)
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(60)
    assert any("dbt" in c for c in pids.values()) == (when == "dbt")
    _group_gone(pids)
    assert not wh.exists()  # the first build never published: nobody sees half a warehouse

    out = run_pipeline(raw, wh, home, HANG_GUARD)
    assert "freed 1 stale runs from a dead process" in out, out[-3000:]
    assert "its process (PID" in out
    assert _marts(wh) == clean
    statuses, claimed, pending = _dagster_state(home)
    assert statuses.count("FAILURE") == 1 and statuses.count("SUCCESS") == (3 if when == "dbt" else 2)
    assert claimed == [] and pending == []


def test_a_reader_held_open_across_a_whole_run(clean_build, tmp_path):
    """A read-only connection open on the published warehouse, querying all along, while a run adds
    a document: every read succeeds and sees the warehouse it opened (never a half build), the run
    exits 0, and a connection opened afterwards sees the new build. Before: `make run` exited 2
    after 3 s with a lock error."""
    import threading

    from conftest import run_pipeline

    src, clean_wh, clean = clean_build
    raw = _raw(tmp_path, KILL_DOCS + ["001_13025beda4217a55.txt"])
    wh = tmp_path / "wh" / "budget.duckdb"
    wh.parent.mkdir()
    shutil.copy(clean_wh, wh)
    shutil.copy(clean_wh.with_name(clean_wh.name + ".built"), wh.with_name(wh.name + ".built"))
    reader = duckdb.connect(str(wh), read_only=True)
    seen, errors, stop = [], [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                seen.append(reader.execute("select count(*), min(source_file) from marts.dim_budget_entity").fetchone())
            except Exception as exc:  # noqa: BLE001 - the assertion below names it
                errors.append(repr(exc))
            stop.wait(0.2)

    t = threading.Thread(target=read)
    t.start()
    try:
        out = run_pipeline(raw, wh, tmp_path / "dagster_home", HANG_GUARD)
    finally:
        stop.set()
        t.join()
    assert errors == []
    assert len(seen) > 10 and set(seen) == {(2, SAMPLE)}  # the warehouse it opened, throughout
    assert reader.execute("select count(*) from marts.fct_project").fetchone()[0] == clean["fct_project"]
    reader.close()
    assert "1 new or changed" in out and f"published {wh}" in out
    after = _marts(wh)
    assert len(after["entities"]) == 3 and after["fct_project"] > clean["fct_project"]
    assert not wh.with_name(wh.name + ".building").exists()


def test_two_runs_started_together(tmp_path):
    """Two `make run`s at once on one warehouse and a new DAGSTER_HOME: one builds, the other says
    which run holds the warehouse (PID, start) and exits 4 without a traceback; the DAGSTER_HOME is
    sane and the second run afterwards works (nothing new: it keeps the marts). Before: a lock
    traceback, and 3 of 6 first runs crashed creating the DAGSTER_HOME storage."""
    import json

    _needs_manifest()
    raw, home, wh = _raw(tmp_path, [SAMPLE]), tmp_path / "dagster_home", tmp_path / "wh" / "budget.duckdb"
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [_start(raw, wh, home, log) for log in logs]
    codes = [p.wait(HANG_GUARD) for p in procs]
    assert sorted(codes) == [0, 4], [log.read_text()[-2000:] for log in logs]
    ran, refused = (logs[0], logs[1]) if codes[0] == 0 else (logs[1], logs[0])
    winner = procs[codes.index(0)].pid
    said = refused.read_text()
    assert f"pipeline not started: a run is in progress on {wh} (PID {winner} on " in said
    assert "BUDGET_LOCK_WAIT" in said and "Traceback" not in said
    assert f"published {wh}" in ran.read_text()

    from conftest import run_pipeline
    counts = tmp_path / "counts.json"
    out = run_pipeline(raw, wh, home, HANG_GUARD, BUDGET_COUNTS_FILE=str(counts))
    assert "nothing new or changed" in out and json.loads(counts.read_text())["documents_extracted"] == 0
    assert _dagster_state(home) == (["SUCCESS", "SUCCESS"], [], [])


def test_a_second_writer_waits_with_budget_lock_wait(tmp_path):
    """BUDGET_LOCK_WAIT: the second run waits for the lock and goes on once it is free; a lock whose
    holder was killed never blocks (the kernel releases a flock with the last process holding it)."""
    import signal
    import subprocess
    import sys
    import time

    from dagster_project.runlock import RunInProgress, acquire_writer_lock

    wh = tmp_path / "budget.duckdb"
    holder = _hold_writer_lock(wh)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunInProgress, match=rf"a run is in progress on .*budget.duckdb \(PID {holder.pid} on "):
            acquire_writer_lock(wh, wait=0)
        waited: list[str] = []
        t0 = time.monotonic()
        with pytest.raises(RunInProgress, match=r"waited 1 s"):
            acquire_writer_lock(wh, wait=1, log=waited.append)
        assert time.monotonic() - t0 >= 1 and waited and f"PID {holder.pid}" in waited[0]
        holder.send_signal(signal.SIGKILL)  # killed holding it
        holder.wait(30)
        fd = acquire_writer_lock(wh, wait=30)
    finally:
        holder.kill()
    import json
    import os
    assert json.loads(wh.with_name("budget.duckdb.lock").read_text())["pid"] == os.getpid()
    os.close(fd)


def test_dagster_home_created_by_several_processes_at_once(tmp_path):
    """Six processes creating the storage of one new DAGSTER_HOME at the same moment all get a
    working instance and the run storage has one alembic head (Dagster alone: 'table runs already
    exists', 'UNIQUE constraint failed: alembic_version', two heads)."""
    import sqlite3
    import subprocess
    import sys

    from conftest import pipeline_env

    home = tmp_path / "dagster_home"
    env = pipeline_env(tmp_path, tmp_path / "wh.duckdb", home)
    go = tmp_path / "go"
    code = ("import os, sys, time, dagster\n"
            "while not os.path.exists(sys.argv[1]): time.sleep(0.005)\n"
            "from dagster_project.runlock import instance\n"
            "inst = instance(); print(len(inst.get_runs()))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(go)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    import time
    time.sleep(3)  # all six have imported dagster and wait for the signal
    go.touch()
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [err[-1500:] for _, err in results]
    assert [out.strip() for out, _ in results] == ["0"] * 6
    con = sqlite3.connect(home / "history" / "runs.db")
    assert len(con.execute("select version_num from alembic_version").fetchall()) == 1
    con.close()


@pytest.mark.parametrize("sig,when", [("SIGTERM", "staging"), ("SIGINT", "dbt")])
def test_a_signal_ends_the_run_and_its_processes(tmp_path, sig, when):
    """SIGTERM (as `kill`, or make passing it on) while extraction workers run, SIGINT (Ctrl-C)
    while dbt runs: the run ends within seconds with 128 + the signal and a message, every
    process it started has ended, and its Dagster run is marked failed with its pool slot freed.
    Before: a run ignored both for 10 minutes while waiting for a pool slot, and the workers
    (~290 MB each) outlived SIGTERM."""
    import os
    import signal

    _needs_manifest()
    # four documents and two workers: the extraction runs in worker processes
    raw = _raw(tmp_path, KILL_DOCS + ["001_13025beda4217a55.txt", "003_638e0d246034f851.txt"])
    home, wh, log = tmp_path / "dagster_home", tmp_path / "wh" / "budget.duckdb", tmp_path / "run.log"
    proc = _start(raw, wh, home, log, BUDGET_WORKERS="2")
    _wait_until(_workers_running(proc) if when == "staging" else _dbt_running(proc), HANG_GUARD,
                f"{when} to run in its own processes", proc)
    pids = _descendants(proc.pid)
    os.kill(proc.pid, getattr(signal, sig))
    code = proc.wait(60)  # hang guard; the run ends in a few seconds
    assert code == 128 + getattr(signal, sig)
    _group_gone(pids, timeout=10)
    said = log.read_text()
    assert f"interrupted ({sig}): stopping the run and its processes" in said
    assert "marked 1 Dagster runs of the stopped build failed" in said and "Traceback" not in said
    assert not wh.exists()
    statuses, claimed, pending = _dagster_state(home)
    assert statuses == (["FAILURE"] if when == "staging" else ["FAILURE", "SUCCESS"])
    assert claimed == [] and pending == []


def test_a_ui_run_does_not_write_while_make_run_holds_the_warehouse(tmp_path, monkeypatch):
    """A staging run launched by `make ui` (sensor, schedule: no make run around it) takes the
    writer lock for its step: while a `make run` holds the warehouse it fails saying so and writes
    nothing; once the lock is free it loads."""
    import subprocess
    import sys

    import dagster as dg

    raw, wh = _raw(tmp_path, [SAMPLE]), tmp_path / "wh.duckdb"
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(wh))
    monkeypatch.delenv("BUDGET_PUBLISHED_WAREHOUSE", raising=False)
    from dagster_project.defs.staging import staging_tables

    holder = _hold_writer_lock(wh)
    try:
        assert holder.stdout.readline().strip() == "held"
        with dg.instance_for_test() as instance:
            instance.add_dynamic_partitions("documents", [SAMPLE])
            res = dg.materialize([staging_tables], instance=instance, partition_key=SAMPLE, raise_on_error=False)
            assert not res.success
            [failure] = [e for e in res.all_events if e.is_step_failure]
            assert f"a run is in progress on {wh} (PID {holder.pid} on " in str(failure.step_failure_data.error)
            assert not wh.exists()
            holder.kill()
            holder.wait(30)
            assert dg.materialize([staging_tables], instance=instance, partition_key=SAMPLE).success
    finally:
        holder.kill()
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select source_file, status from staging.file_manifest").fetchall() == [(SAMPLE, "loaded")]
    con.close()


def test_a_warehouse_open_for_writing_stops_the_run_with_a_reason(tmp_path):
    """Someone has the published warehouse open read-write (`duckdb budget.duckdb`): the run cannot
    read or copy it safely and says so, exit 4, no traceback."""
    import subprocess
    import sys

    from conftest import pipeline_env

    raw, wh = _raw(tmp_path, [SAMPLE]), tmp_path / "budget.duckdb"
    holder = duckdb.connect(str(wh))
    try:
        proc = subprocess.run([sys.executable, "-m", "dagster_project.run"], cwd=ROOT, capture_output=True, text=True,
                              env=pipeline_env(raw, wh, tmp_path / "dagster_home"), timeout=300)
    finally:
        holder.close()
    assert proc.returncode == 4
    assert f"pipeline not started: {wh} is open for writing by another process" in proc.stderr
    assert "Traceback" not in proc.stderr
