"""XLSX → entries with fastexcel (calamine): every sheet's grid in sheet order.

A row holding a single text cell (the title, 编制单位 / 单位：万元 lines printed in the first
rows) is a prose line, so the title is found the same way as in the text dialects; the
sheet name stands in as the title when the first rows print none. Numbers keep their
printed value (an integer float prints without ``.0``).
"""
from __future__ import annotations

import io
from decimal import Decimal

from ..errors import ExtractionError
from ..settings import ExtractSettings
from ..tables.classify import looks_like_title
from .render import RowEntry, TextEntry


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return ""
        d = Decimal(repr(v))
        return format(d.quantize(Decimal(1)), "f") if d == d.to_integral_value() else format(d, "f")
    return str(v).strip() if not isinstance(v, str) else v


def _merged_ranges(data: bytes) -> list[list[tuple[int, int, int, int]]]:
    """Per sheet (workbook order): merged ranges as 0-based (row0, col0, row1, col1)."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    out: list = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            wb = ET.fromstring(z.read("xl/workbook.xml"))
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            target = {r.get("Id"): r.get("Target") for r in rels}
            for sh in wb.find("m:sheets", ns):
                t = target.get(sh.get("{%s}id" % ns["r"]), "")
                path = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
                ranges = []
                root = ET.fromstring(z.read(path))
                for mc in root.iterfind(".//m:mergeCell", ns):
                    a, _, b = (mc.get("ref") or "").partition(":")
                    if b:
                        ranges.append((*_rc(a), *_rc(b)))
                out.append(ranges)
    except (KeyError, ValueError, zipfile.BadZipFile, ET.ParseError):
        return []
    return out


def _rc(ref: str) -> tuple[int, int]:
    col = 0
    i = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + ord(ref[i].upper()) - 64
        i += 1
    return int(ref[i:]) - 1, col - 1


def read_xlsx(data: bytes, name: str, settings: ExtractSettings) -> list:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        sheet_names = reader.sheet_names
    except Exception as exc:
        raise ExtractionError(name, "read", f"cannot open the XLSX (truncated, encrypted or not a workbook?): "
                              f"{type(exc).__name__}: {str(exc)[:150]}") from exc
    merged = _merged_ranges(data)
    entries: list = []
    for idx, sheet_name in enumerate(sheet_names):
        try:
            sheet = reader.load_sheet(idx, header_row=None)
            cols = [list(c) for c in sheet.to_arrow().to_pydict().values()] if sheet.width else []
        except Exception as exc:
            raise ExtractionError(name, "read", f"sheet {sheet_name!r} cannot be read: {type(exc).__name__}: "
                                  f"{str(exc)[:150]}") from exc
        n = max((len(c) for c in cols), default=0)
        grid = [[_text(c[r]) if r < len(c) else "" for c in cols] for r in range(n)]
        # a horizontally merged range is one cell (as in the DOCX text dialect)
        drop: set = set()
        for r0, c0, r1, c1 in (merged[idx] if idx < len(merged) else []):
            for r in range(r0, r1 + 1):
                drop.update((r, c) for c in range(c0 + 1, c1 + 1))
        if drop:
            grid = [[v for c, v in enumerate(row) if (r, c) not in drop] for r, row in enumerate(grid)]
        titled = False
        started = False
        for r, cells in enumerate(grid):
            ne = [c for c in cells if c.strip()]
            if not ne:
                continue
            if len(ne) == 1 and not started:
                if looks_like_title(ne[0]):
                    titled = True
                entries.append(TextEntry(ne[0], None, None, blank_before=(r == 0)))
                continue
            if started and len(ne) == 1 and (ne[0].startswith("注") or len(ne[0]) > 15):
                entries.append(TextEntry(ne[0], None, None))  # a note printed under the grid
                continue
            if not started and not titled and looks_like_title(sheet_name):
                entries.append(TextEntry(sheet_name, None, None, blank_before=True))
            entries.append(RowEntry([(c, None) for c in cells], None, None, table_start=not started))
            started = True
    if not entries:
        raise ExtractionError(name, "read", "XLSX holds no cells")
    return entries
