"""XLSX → entries with fastexcel (calamine): every sheet's grid in sheet order.

A row holding a single text cell above the grid (the title, 编制单位 / 单位：万元 lines) is a
prose line, so the title is found the same way as in the text dialects; single-cell rows
inside the grid (header bands, merged text cells) are grid rows (see ``_sheet_entries``);
the sheet name stands in as the title when the first rows print none. Numbers keep their
printed value (an integer float prints without ``.0``).
"""
from __future__ import annotations

import io
import re
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


def _merged_ranges(data: bytes, name: str) -> list[list[tuple[int, int, int, int]]]:
    """Per sheet (workbook order): merged ranges as 0-based (row0, col0, row1, col1).
    A damaged zip member (bad CRC, a deflate stream cut or corrupt) is an ExtractionError."""
    import posixpath
    import zipfile
    import zlib
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    out: list = []
    path = "xl/workbook.xml"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            wb = ET.fromstring(z.read(path))
            path = "xl/_rels/workbook.xml.rels"
            rels = ET.fromstring(z.read(path))
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
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        kind = "zlib.error" if isinstance(exc, zlib.error) else type(exc).__name__
        raise ExtractionError(name, "read", f"the XLSX is damaged (zip member {path} truncated or corrupt): "
                              f"{kind}: {str(exc)[:150]}") from exc
    except (KeyError, ValueError, ET.ParseError):
        return []
    return out


def _rc(ref: str) -> tuple[int, int]:
    col = 0
    i = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + ord(ref[i].upper()) - 64
        i += 1
    return int(ref[i:]) - 1, col - 1


_NOTE = re.compile(r"^\s*(?:注|说明|备注)\s*\d*\s*[：:.、]")


def _is_prose_line(text: str) -> bool:
    """A single-cell row printed above a grid that is not part of it: the title, the
    编制单位 / 单位：万元 / 表 N meta lines, a heading, a caption (…情况, 机构设置：) or a sentence."""
    from ..blocks import squash
    from ..tables import _ENTITY_HEADER, _META_RE, _UNIT_RE

    t = squash(text)
    return bool(looks_like_title(text) or _META_RE.match(t) or _UNIT_RE.search(t) or _ENTITY_HEADER.match(t)
                or _NOTE.match(t) or len(t) > 15 or re.search(r"[。；;，,]", t) or t.endswith(("情况", "：", ":"))
                or re.match(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)", t))


def _sheet_entries(grid: list[list[str]], sheet_name: str) -> list:
    """One sheet's rows → entries.

    A workbook sheet is a grid: once its first row of two or more cells is reached, every
    following row belongs to the table (a row holding one cell is a label row — 收 入, a
    功能分类科目 band, a long 绩效目标 text in a merged cell — not prose) until a note
    (注：/说明：) or a new title. Above that first multi-cell row, the title and meta lines
    (and headings, sentences) are prose; the single-cell rows between the last of them and
    the first multi-cell row are header bands of the grid. A sheet with no multi-cell row
    is all prose (a cover, a table of contents, the 情况说明).
    """
    rows = [(r, cells, [c for c in cells if c.strip()]) for r, cells in enumerate(grid)]
    rows = [x for x in rows if x[2]]
    first = next((k for k, (_, _, ne) in enumerate(rows) if len(ne) > 1), None)
    band = first if first is not None else len(rows)
    if first is not None:
        while band > 0 and not _is_prose_line(rows[band - 1][2][0]):
            band -= 1
    entries: list = []
    titled = False
    started = False
    in_note = False
    for k, (r, cells, ne) in enumerate(rows):
        if k < band:
            if looks_like_title(ne[0]):
                titled = True
            entries.append(TextEntry(ne[0], None, None, blank_before=(r == 0)))
            continue
        if len(ne) == 1 and started:
            t = ne[0]
            if in_note or _NOTE.match(t) or looks_like_title(t):
                in_note = in_note or not looks_like_title(t)
                entries.append(TextEntry(t, None, None, blank_before=looks_like_title(t)))
                if looks_like_title(t):
                    started, in_note = False, False
                continue
        if not started and not titled and looks_like_title(sheet_name):
            entries.append(TextEntry(sheet_name, None, None, blank_before=True))
            titled = True
        in_note = False
        entries.append(RowEntry([(c, None) for c in cells], None, None, table_start=not started))
        started = True
    return entries


def read_xlsx(data: bytes, name: str, settings: ExtractSettings) -> list:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        sheet_names = reader.sheet_names
    except Exception as exc:
        raise ExtractionError(name, "read", f"cannot open the XLSX (truncated, encrypted or not a workbook?): "
                              f"{type(exc).__name__}: {str(exc)[:150]}") from exc
    merged = _merged_ranges(data, name)
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
        ranges = merged[idx] if idx < len(merged) else []
        # the grid extends to the last column a merged range covers (calamine drops trailing
        # columns holding no value, but a header merged over them still defines them)
        width = max([len(cols)] + [c1 + 1 for _, _, _, c1 in ranges])
        grid = [row + [""] * (width - len(row)) for row in grid]
        # a horizontally merged range is one cell (as in the DOCX text dialect)
        drop: set = set()
        for r0, c0, r1, c1 in ranges:
            for r in range(r0, r1 + 1):
                drop.update((r, c) for c in range(c0 + 1, c1 + 1))
        if drop:
            grid = [[v for c, v in enumerate(row) if (r, c) not in drop] for r, row in enumerate(grid)]
        entries.extend(_sheet_entries(grid, sheet_name))
    if not entries:
        raise ExtractionError(name, "read", "XLSX holds no cells")
    return entries
