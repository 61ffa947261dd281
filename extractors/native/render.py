"""Entries (prose lines and grid rows from a native reader) → SourceDocument lines + items."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from ..blocks import Cell, Item
from ..read import SourceDocument


@dataclass
class TextEntry:
    text: str
    page: Optional[int] = None
    bbox: Optional[tuple] = None
    blank_before: bool = False


@dataclass
class RowEntry:
    cells: list  # of (text, bbox or None)
    page: Optional[int] = None
    bbox: Optional[tuple] = None
    table_start: bool = False  # first row of a printed grid (a blank line goes before it)


Entry = Union[TextEntry, RowEntry]


def _cell_text(t: Optional[str]) -> str:
    if not t:
        return ""
    # a cell holding a line break (事业单位\n经营收入): CJK wraps join without a space
    parts = [p.strip() for p in t.replace("\r", "\n").split("\n")]
    out = ""
    for p in parts:
        if not p:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out.replace("\t", " ")


def render(doc: SourceDocument, entries: list[Entry]) -> None:
    """Fill doc.lines, doc.text, doc.items and doc.line_pages from the entries."""
    lines: list[str] = []
    items: list[Item] = []
    pages: dict[int, tuple] = {}
    in_grid = False
    for e in entries:
        if isinstance(e, RowEntry):
            if not in_grid or e.table_start:
                if lines and lines[-1] != "":
                    lines.append("")
            in_grid = True
            texts = [_cell_text(t) for t, _ in e.cells]
            lines.append("\t".join(texts))
            ln = len(lines)
            cells = [Cell(tx, ln, e.page, bb) for tx, (_, bb) in zip(texts, e.cells)]
            items.append(Item(ln, cells=cells, blank_before=e.table_start, page=e.page))
            pages[ln] = (e.page, e.bbox)
        else:
            text = _cell_text(e.text) if "\n" in e.text else e.text.strip()
            blank = e.blank_before
            if in_grid:
                lines.append("")
                blank = True
                in_grid = False
            elif blank and lines and lines[-1] != "":
                lines.append("")
            if not text:
                continue
            lines.append(text)
            ln = len(lines)
            items.append(Item(ln, text=text, blank_before=blank, page=e.page))
            pages[ln] = (e.page, e.bbox)
    doc.lines = lines
    doc.text = "\n".join(lines)
    doc.items = items  # type: ignore[attr-defined]
    doc.line_pages = pages  # type: ignore[attr-defined]


def line_boxes_json(line_pages: Optional[dict]) -> Optional[str]:
    """doc.line_pages (line → (page, bbox)) as the JSON of DocumentMeta.line_boxes: the lines
    that have a page and a box, coordinates to 0.1 pt; None when no line has one (DOCX, XLSX, text)."""
    import json

    boxes = {str(ln): [page, *(round(float(v), 1) for v in bbox)]
             for ln, (page, bbox) in sorted((line_pages or {}).items()) if page is not None and bbox}
    return json.dumps(boxes, separators=(",", ":")) if boxes else None
