"""Runs that hold (issue 14), the documents' side: the same bytes under two names are one
document, a file that is no budget disclosure makes no entity, and the sensor's and the
schedule's runs reach the marts. Small inputs built in tmp_path, no network."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from extractors.corpus import extract_many, list_documents
from extractors.load import connect, write_extractions, prune_missing
from extractors.pipeline import extract_document
from conftest import apply_sensor_result as _apply

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
FIXTURE_PDF = ROOT / "tests" / "fixtures" / "corpus" / "C065.pdf"  # 长春市信访局(本级) 2026, 21 pages
NOTICE = ("关于举办春季运动会的通知\n\n各单位：\n为丰富职工文化生活，定于四月十日在体育馆举办春季运动会。"
          "请各单位于三月底前报名，每队十人，自备运动服装。\n\n联系人：张三，电话12345678。\n\n2024年3月1日\n")
MINUTES = ["Minutes of the annual meeting of the Riverside Chess Club", "",
           "Present: twelve members. The chair opened the meeting at seven.",
           "The club will hold its spring tournament in April; entries close in March.",
           "The treasurer reported that the club funds are sufficient for new boards.",
           "The meeting closed at nine."]


def text_pdf(path: Path, lines: list[str]) -> None:
    """A one-page PDF printing lines in Helvetica (a text layer, no budget in it)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(("BT /F1 11 Tf 72 770 Td 16 TL " + " ".join(f"({ln}) Tj T*" for ln in lines) + " ET").encode())
    page[NameObject("/Contents")] = w._add_object(stream)
    with open(path, "wb") as f:
        w.write(f)


def non_budget_files(folder: Path) -> list[str]:
    """A Chinese notice as text and as DOCX, English minutes as PDF: none is a budget."""
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    d = docx.Document()
    for para in NOTICE.split("\n"):
        d.add_paragraph(para)
    d.save(folder / "notice.docx")
    text_pdf(folder / "minutes.pdf", MINUTES)
    return ["minutes.pdf", "notice.docx", "notice.txt"]


def _staging(wh: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ---- item 5: files that are no budget disclosure

def test_non_budget_files_are_recorded_as_such_and_load_nothing(tmp_path):
    """A notice (text, DOCX) and club minutes (PDF) used to load as documents of an entity named
    after the file, with no year; now each is a warning row saying why, and nothing else."""
    names = non_budget_files(tmp_path / "raw")
    for name in names:
        ex = extract_document(tmp_path / "raw" / name, tmp_path / "raw")
        assert ex.document is None and not ex.entities and not ex.tables and not ex.narrative_figures, name
        [row] = [e for e in ex.load_errors if e.stage == "classify"]
        assert (row.source_file, row.severity) == (name, "warning")
        assert row.error.startswith("not a budget disclosure: no budget title or term (部门预算, 单位决算, 预算公开, "
                                    "收支总表, 财政拨款 …) in its "), row.error
        assert row.error.endswith("no budget year, no budget table (it prints none) and no budget figure; "
                                  "nothing loaded, no entity made")
    wh = tmp_path / "wh.duckdb"
    con = connect(wh)
    try:
        write_extractions(con, extract_many(list_documents(tmp_path / "raw"), tmp_path / "raw"))
    finally:
        con.close()
    assert _staging(wh, "select source_file, status, n_errors from staging.file_manifest order by 1") == [
        (n, "not_budget", 0) for n in names]
    assert _staging(wh, "select count(*) from staging.documents union all select count(*) from staging.entities") \
        == [(0,), (0,)]


def test_every_sample_and_fixture_document_is_a_budget():
    # the five samples (text dialects), the native fixtures (PDF, DOCX, XLSX) and the development
    # PDFs copied as fixtures (tables-only and narrative-only companion files among them)
    paths = sorted(RAW.glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "native").iterdir()) \
        + [ROOT / "tests" / "fixtures" / "corpus" / n for n in ("C065.pdf", "C071.pdf", "C052.pdf")]
    for path in paths:
        ex = extract_document(path, path.parent)
        assert ex.document is not None, path.name
        assert not [e for e in ex.load_errors if "not a budget" in e.error], path.name


def test_a_document_whose_extraction_failed_is_not_judged(tmp_path):
    # an empty file is a read error: it is 'failed' for that reason, not 'not_budget'
    (tmp_path / "empty.txt").write_bytes(b"")
    ex = extract_document(tmp_path / "empty.txt", tmp_path)
    assert ex.document is None
    assert [e.severity for e in ex.load_errors] == ["error"]
    assert not [e for e in ex.load_errors if "not a budget" in e.error]


# ---- item 4: the same bytes under two names

def test_second_name_of_the_same_bytes_is_marked_and_the_first_name_is_the_document(tmp_path):
    """Staging marks every name but the first (by partition key) of a content hash, whatever order
    the names arrive in; deleting the first makes the next one the document."""
    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    (raw / "2024").mkdir(parents=True)
    shutil.copy(RAW / "001_13025beda4217a55.txt", raw / "b.txt")
    con = connect(wh)
    manifest = "select source_file, duplicate_of from staging.file_manifest order by 1"
    warnings = "select source_file, error from staging.load_errors where stage = 'duplicate' order by 1"
    try:
        write_extractions(con, extract_many(list_documents(raw), raw))
        # two more names arrive later, one sorting before the loaded one
        shutil.copy(raw / "b.txt", raw / "a.txt")
        shutil.copy(raw / "b.txt", raw / "2024" / "c.txt")
        write_extractions(con, extract_many([raw / "a.txt", raw / "2024" / "c.txt"], raw))
        assert con.execute(manifest).fetchall() == [("2024/c.txt", None), ("a.txt", "2024/c.txt"),
                                                    ("b.txt", "2024/c.txt")]
        sha = con.execute("select left(content_hash, 12) from staging.file_manifest limit 1").fetchone()[0]
        assert con.execute(warnings).fetchall() == [
            (n, f"same bytes as 2024/c.txt (sha256 {sha}…): one document, read as 2024/c.txt; {n} adds no facts")
            for n in ("a.txt", "b.txt")]
        (raw / "2024" / "c.txt").unlink()
        assert prune_missing(con, [p.relative_to(raw).as_posix() for p in list_documents(raw)]) == ["2024/c.txt"]
        assert con.execute(manifest).fetchall() == [("a.txt", None), ("b.txt", "a.txt")]
        assert [n for n, _ in con.execute(warnings).fetchall()] == ["b.txt"]
        # changed bytes: no longer a duplicate
        (raw / "b.txt").write_text((raw / "b.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8")
        write_extractions(con, extract_many([raw / "b.txt"], raw))
        assert con.execute(manifest).fetchall() == [("a.txt", None), ("b.txt", None)]
        assert con.execute(warnings).fetchall() == []
    finally:
        con.close()


def _marts(wh: Path, rename: tuple[str, str] = ("", "")) -> dict[str, list[tuple]]:
    """Every mart's rows (sorted). With rename: a file name replaced by another in every text, and
    the rows' own keys left out (md5 of their source file's name and place in it); the entity's key
    stays (its disclosure: name | year | kind)."""
    def value(v):
        return v.replace(*rename) if isinstance(v, str) else v

    con = duckdb.connect(str(wh), read_only=True)
    try:
        names = [r[0] for r in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1").fetchall()]
        out = {}
        for n in names:
            cols = [c for (c,) in con.execute("select column_name from information_schema.columns where table_schema = "
                                              "'marts' and table_name = ? order by ordinal_position", [n]).fetchall()
                    if not rename[0] or not c.endswith("_id") or c in ("entity_id", "parent_entity_id")]
            rows = con.execute(f"select {', '.join(cols)} from marts.{n}").fetchall()
            out[n] = sorted((tuple(value(v) for v in row) for row in rows) if rename[0] else rows, key=repr)
        return out
    finally:
        con.close()


def test_duplicate_pdf_and_non_budget_files_add_nothing_to_the_marts(tmp_path):
    """The whole pipeline (`python -m dagster_project.run`): a development PDF with three non-budget
    files; then a second copy of the PDF under another name — every mart equal to one copy (it
    doubled fct_performance_indicator, fct_reported_figure and fct_reconciliation), a warning naming
    both; then the first name deleted — the copy is the document, the marts the same but for it."""
    from conftest import run_pipeline

    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt/target/manifest.json is missing (run `make dbt-parse` first)")
    raw, home, wh = tmp_path / "raw", tmp_path / "dagster_home", tmp_path / "budget.duckdb"
    non_budget = non_budget_files(raw / "other")
    shutil.copy(FIXTURE_PDF, raw / "C065.pdf")
    run_pipeline(raw, wh, home, 900, BUDGET_WORKERS="1")
    one = _marts(wh)
    shutil.copy(wh, tmp_path / "one.duckdb")
    # the non-budget files: no entity, no facts, a reason each
    assert _staging(wh, "select source_file, fiscal_year from marts.dim_budget_entity") == [("C065.pdf", 2026)]
    assert _staging(wh, "select source_file, status from staging.file_manifest where status = 'not_budget' "
                        "order by 1") == [(f"other/{n}", "not_budget") for n in non_budget]
    assert len(one["fct_performance_indicator"]) == 16 and len(one["fct_reported_figure"]) > 100

    (raw / "copy").mkdir()
    shutil.copy(FIXTURE_PDF, raw / "copy" / "C065 again.pdf")
    run_pipeline(raw, wh, home, 900, BUDGET_WORKERS="1")
    two = _marts(wh)
    assert two == one
    sha = _staging(wh, "select left(content_hash, 12) from staging.file_manifest where source_file = 'C065.pdf'")[0][0]
    assert _staging(wh, "select source_file, severity, error from staging.load_errors where stage = 'duplicate'") == [
        ("copy/C065 again.pdf", "warning",
         f"same bytes as C065.pdf (sha256 {sha}…): one document, read as C065.pdf; copy/C065 again.pdf adds no facts")]

    (raw / "C065.pdf").unlink()
    run_pipeline(raw, wh, home, 900, BUDGET_WORKERS="1")
    three = _marts(wh, rename=("copy/C065 again.pdf", "C065.pdf"))
    assert _staging(wh, "select source_file, fiscal_year from marts.dim_budget_entity") == [("copy/C065 again.pdf", 2026)]
    assert three == _marts(tmp_path / "one.duckdb", rename=("copy/C065 again.pdf", "C065.pdf"))
    assert _staging(wh, "select count(*) from staging.load_errors where stage = 'duplicate'") == [(0,)]


# ---- item 8: the sensor's and the schedule's runs reach the marts


def test_sensor_and_schedule_runs_reach_the_marts(tmp_path, monkeypatch):
    """Dagster's in-process evaluation of the sensor and the schedule, each requested run executed
    as the daemon would launch it: a new file in raw/ becomes its entity in marts.dim_budget_entity
    and the checks run (the sensor's run used to stage the file only); a sensor with no cursor
    on a loaded warehouse requests nothing (it re-ran every document); the schedule's run, which
    finds nothing changed, keeps the real row counts in its metadata (it wrote zeros)."""
    import dagster as dg

    if not (ROOT / "dbt" / "target" / "manifest.json").exists():
        pytest.skip("dbt/target/manifest.json is missing (run `make dbt-parse` first)")
    raw, wh = tmp_path / "raw", tmp_path / "budget.duckdb"
    raw.mkdir()
    first, second = "000_94a51bfa8bc2096e.txt", "001_13025beda4217a55.txt"
    shutil.copy(RAW / first, raw / first)
    for k, v in {"BUDGET_RAW_DIR": raw, "BUDGET_WAREHOUSE": wh, "BUDGET_WORKERS": "1"}.items():
        monkeypatch.setenv(k, str(v))
    from dagster_project.definitions import defs as load

    defs = load()
    job = defs.resolve_job_def("pipeline_job")
    sensor, schedule = defs.resolve_sensor_def("raw_documents_sensor"), defs.resolve_schedule_def("daily_full_run")
    entities = "select entity_name, fiscal_year from marts.dim_budget_entity order by 1"

    def execute(instance, request) -> dg.ExecuteInProcessResult:
        res = job.execute_in_process(instance=instance, tags=request.tags, partition_key=request.partition_key)
        assert res.success
        checks = {e.check_name for e in res.get_asset_check_evaluations()}
        assert {"gx_reconciliation_blocking", "gx_function_facts"} <= checks  # the GX suites ran
        assert any(c.startswith("not_null_") for c in checks)  # and the dbt tests
        return res

    with dg.instance_for_test() as instance:
        tick = sensor(dg.build_sensor_context(instance=instance))
        [request] = tick.run_requests
        assert request.partition_key == first
        _apply(instance, tick)
        execute(instance, request)
        assert _staging(wh, entities) == [("淮北市杜集区人民政府办公室", 2025)]

        shutil.copy(RAW / second, raw / second)
        tick = sensor(dg.build_sensor_context(instance=instance, cursor=tick.cursor))
        [request] = tick.run_requests
        assert request.partition_key == second
        _apply(instance, tick)
        execute(instance, request)
        assert _staging(wh, entities) == [("淮北市杜集区人民政府办公室", 2025), ("淮北市相山区人民政府办公室", 2024)]
        table_rows = _staging(wh, "select count(*) from staging.table_rows")[0][0]

        # a first `make ui` on this warehouse: nothing is requested again
        fresh = sensor(dg.build_sensor_context(instance=instance))
        assert fresh.run_requests == [] and json.loads(fresh.cursor) == json.loads(tick.cursor)

        # the nightly run over everything: nothing changed, the marts stay, the counts stay real
        request = schedule(dg.build_schedule_context(instance=instance))
        assert (request.tags["dagster/asset_partition_range_start"], request.tags["dagster/asset_partition_range_end"]) \
            == (first, second)
        execute(instance, request)
        assert _staging(wh, entities) == [("淮北市杜集区人民政府办公室", 2025), ("淮北市相山区人民政府办公室", 2024)]
        event = instance.get_latest_materialization_event(dg.AssetKey(["staging", "documents"]))
        meta = {k: v.value for k, v in event.asset_materialization.metadata.items()}
        assert meta["documents_extracted"] == 0 and meta["documents_unchanged"] == 2
        assert meta["rows/table_rows"] == table_rows > 0
        assert not [k for k in meta if k.startswith("rows_written/")]


def test_sensor_requests_one_run_over_the_span_of_the_changed_files(tmp_path, monkeypatch):
    import dagster as dg

    raw = tmp_path / "raw"
    raw.mkdir()
    names = sorted(p.name for p in RAW.glob("*.txt"))
    for n in names[:2]:
        shutil.copy(RAW / n, raw / n)
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "none.duckdb"))
    from dagster_project.defs.automation import raw_documents_sensor

    with dg.instance_for_test() as instance:
        tick = raw_documents_sensor(dg.build_sensor_context(instance=instance))
        [request] = tick.run_requests  # two new files, one run (one dbt build)
        assert request.partition_key is None
        assert (request.tags["dagster/asset_partition_range_start"],
                request.tags["dagster/asset_partition_range_end"]) == tuple(names[:2])
        _apply(instance, tick)
        # three more files, one of the first two deleted: one run over the new ones
        (raw / names[0]).unlink()
        for n in names[2:]:
            shutil.copy(RAW / n, raw / n)
        tick = raw_documents_sensor(dg.build_sensor_context(instance=instance, cursor=tick.cursor))
        [request] = tick.run_requests
        assert (request.tags["dagster/asset_partition_range_start"],
                request.tags["dagster/asset_partition_range_end"]) == (names[2], names[-1])
        assert tick.dynamic_partitions_requests[1].partition_keys == [names[0]]  # deleted
        # the same files changed back and forth make distinct runs
        assert len({request.run_key, raw_documents_sensor(dg.build_sensor_context(
            instance=instance, cursor=json.dumps({}))).run_requests[0].run_key}) == 2
