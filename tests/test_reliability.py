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
