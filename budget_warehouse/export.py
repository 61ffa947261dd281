"""Export every mart (tables and views of schema marts) as Parquet, CSV and one XLSX workbook.

- Parquet: one file per mart, the column types of the warehouse (money stays DECIMAL).
- CSV: one file per mart, UTF-8 with a byte-order mark (Excel then reads the Chinese), decimals
  printed as DuckDB prints them (exact, no float rounding).
- XLSX: one workbook, a sheet per mart (a ``contents`` sheet first names them), the labels of
  marts.dim_label in ``<column>_zh`` / ``<column>_en`` columns beside every code column, the
  entity's name beside ``entity_id`` and the catalog name beside a functional / economic code. Amounts are written as exact decimal numbers.

The warehouse is opened read-only; the output folder defaults to ``<warehouse dir>/export``.
"""
from __future__ import annotations

import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import duckdb

BOM = b"\xef\xbb\xbf"
FORMATS = ("parquet", "csv", "xlsx")
XLSX_MAX_ROWS = 1_048_576  # Excel's rows per sheet, header included
SHEET_NAME_MAX = 31

# columns whose codes are labelled under another kind than their own name, or hold several codes
# (every other column whose name is a kind of marts.dim_label holds one code of that kind)
SPECIAL_LABEL_COLUMNS: dict[str, tuple[str, str]] = {
    "total_evidence": ("evidence", "code"),
    "mentioned_in": ("evidence", "list"),  # 'table,narrative'
    "issue": ("issue", "prefix"),  # 'name_path_unresolved: 款 name not under …'
}


@dataclass
class ExportResult:
    out_dir: Path
    marts: dict[str, int] = field(default_factory=dict)  # mart → rows
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def default_out_dir(warehouse: Path) -> Path:
    return warehouse.resolve().parent / "export"


def list_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]


def load_labels(con: duckdb.DuckDBPyConnection, marts: list[str]) -> dict[tuple[str, str], tuple[str, str]]:
    if "dim_label" not in marts:
        return {}
    return {(k, c): (zh, en) for k, c, zh, en in con.execute(
        "select kind, code, label_zh, label_en from marts.dim_label").fetchall()}


def label_columns(columns: list[str], kinds: set[str]) -> dict[str, tuple[str, str]]:
    """The columns of a mart that hold codes: column → (label kind, 'code' | 'list' | 'prefix')."""
    out = {}
    for col in columns:
        if col in SPECIAL_LABEL_COLUMNS:
            out[col] = SPECIAL_LABEL_COLUMNS[col]
        elif col in kinds:
            out[col] = (col, "code")
    return out


def code_label(labels: dict, kind: str, how: str, value, lang: int) -> Optional[str]:
    """The label of one cell (lang 0 = zh, 1 = en); None where the cell is empty or unlabelled."""
    if value is None or value == "":
        return None
    if how == "list":
        parts = [code_label(labels, kind, "code", v.strip(), lang) or v.strip() for v in str(value).split(",")]
        return ("、" if lang == 0 else ", ").join(parts)
    code = str(value).split(":", 1)[0].strip() if how == "prefix" else str(value)
    hit = labels.get((kind, code))
    return hit[lang] if hit else None


def sheet_names(marts: list[str]) -> dict[str, str]:
    """Excel sheet names (≤ 31 characters, unique): long mart names are shortened."""
    out: dict[str, str] = {}
    for m in marts:
        name = m
        for long, short in (("_expenditure", "_exp"), ("_expense", "_exp"), ("_classification", "_class")):
            if len(name) > SHEET_NAME_MAX:
                name = name.replace(long, short)
        name = name[:SHEET_NAME_MAX]
        base, n = name, 2
        while name in out.values():
            suffix = f"~{n}"
            name, n = base[:SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
        out[m] = name
    return out


def _csv(con, mart: str, path: Path) -> None:
    tmp = path.with_name(path.name + ".part")
    con.execute(f"copy (select * from marts.\"{mart}\") to '{_sql_path(tmp)}' (format csv, header true)")
    with open(path, "wb") as out, open(tmp, "rb") as src:
        out.write(BOM)
        shutil.copyfileobj(src, out)
    tmp.unlink()


def _parquet(con, mart: str, path: Path) -> None:
    con.execute(f"copy (select * from marts.\"{mart}\") to '{_sql_path(path)}' (format parquet)")


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx(con, marts: list[str], rows: dict[str, int], path: Path, log: Callable[[str], None]) -> None:
    from openpyxl import Workbook

    labels = load_labels(con, marts)
    kinds = {k for k, _ in labels}
    names = dict(con.execute("select entity_id, entity_name from marts.dim_budget_entity").fetchall()) \
        if "dim_budget_entity" in marts else {}
    # the catalog name beside a classification code (functional_code → functional_code_name)
    catalogs = {col: dict(con.execute(f"select {col}, name from marts.{dim}").fetchall())
                for col, dim in (("functional_code", "dim_functional_classification"),
                                 ("economic_code", "dim_economic_classification")) if dim in marts}
    sheets = sheet_names(marts)
    wb = Workbook(write_only=True)
    contents = wb.create_sheet("contents")
    contents.append(["mart", "sheet", "rows", "note"])
    for m in marts:
        n_sheets = max(1, -(-rows[m] // (XLSX_MAX_ROWS - 1)))
        note = f"split over {n_sheets} sheets (Excel holds {XLSX_MAX_ROWS - 1:,} rows a sheet)" if n_sheets > 1 else ""
        contents.append([f"marts.{m}", sheets[m], rows[m], note])
    for m in marts:
        cur = con.execute(f"select * from marts.\"{m}\"")
        cols = [d[0] for d in cur.description]
        coded = label_columns(cols, kinds)
        with_name = "entity_id" in cols and "entity_name" not in cols and bool(names)
        named = {c for c in cols if c in catalogs and not m.startswith("dim_")}
        header: list[str] = []
        for c in cols:
            header.append(c)
            if c == "entity_id" and with_name:
                header.append("entity_name")
            if c in named:
                header.append(f"{c}_name")
            if c in coded:
                header += [f"{c}_zh", f"{c}_en"]
        def new_sheet(part: int):
            ws = wb.create_sheet(sheets[m] if part == 1 else f"{sheets[m][:SHEET_NAME_MAX - 4]}~{part}")
            ws.freeze_panes = "A2"
            ws.append(header)
            return ws

        part, written = 1, 0
        ws = new_sheet(part)
        for batch in iter(lambda: cur.fetchmany(10_000), []):
            for row in batch:
                if written == XLSX_MAX_ROWS - 1:
                    part, written = part + 1, 0
                    ws = new_sheet(part)
                out = []
                for c, v in zip(cols, row):
                    out.append(_ILLEGAL_XML.sub("", v) if isinstance(v, str) else v)
                    if c == "entity_id" and with_name:
                        out.append(names.get(v))
                    if c in named:
                        out.append(catalogs[c].get(v))
                    if c in coded:
                        kind, how = coded[c]
                        out += [code_label(labels, kind, how, v, 0), code_label(labels, kind, how, v, 1)]
                ws.append(out)
                written += 1
        log(f"  xlsx: sheet {sheets[m]} ({rows[m]} rows)")
    wb.save(path)


def export(warehouse: Path, out_dir: Optional[Path] = None, formats: tuple[str, ...] = FORMATS,
           log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr, flush=True)) -> ExportResult:
    """Write every mart of the warehouse into out_dir (parquet/, csv/, marts.xlsx)."""
    t0 = time.perf_counter()
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist: build it first (make run)")
    out_dir = Path(out_dir) if out_dir else default_out_dir(warehouse)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown export format(s) {sorted(unknown)}; known: {', '.join(FORMATS)}")
    result = ExportResult(out_dir=out_dir)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute("set enable_progress_bar = false")
        marts = list_marts(con)
        if not marts:
            raise RuntimeError(f"warehouse {warehouse} has no marts: run the pipeline first (make run)")
        result.marts = {m: con.execute(f"select count(*) from marts.\"{m}\"").fetchone()[0] for m in marts}
        log(f"export: {len(marts)} marts of {warehouse} → {out_dir}")
        for fmt, writer in (("parquet", _parquet), ("csv", _csv)):
            if fmt not in formats:
                continue
            (out_dir / fmt).mkdir(parents=True, exist_ok=True)
            for m in marts:
                path = out_dir / fmt / f"{m}.{fmt}"
                writer(con, m, path)
                result.files.append(path)
            log(f"  {fmt}: {len(marts)} files in {out_dir / fmt}")
        if "xlsx" in formats:
            out_dir.mkdir(parents=True, exist_ok=True)
            path = out_dir / "marts.xlsx"
            _xlsx(con, marts, result.marts, path, log)
            result.files.append(path)
            log(f"  xlsx: {path}")
    finally:
        con.close()
    result.seconds = time.perf_counter() - t0
    log(f"export: {sum(result.marts.values())} rows in {len(result.files)} files ({result.seconds:.1f} s)")
    return result
