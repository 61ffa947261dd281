"""Rows of one table printed with a different number of ruled cells (a table continued on a page
whose frame has no empty spacer column, or one more: Beijing 预算03表 pp4→5) are placed in the
columns of the table by the x-position of their cells, not by their index.

The column extents come from the rows printed with the table's own width (each column's
narrowest cell); a cell of a row of another width goes to the column its centre lies in (else
the nearest). Native PDF rows only
(cells carry bboxes); text dialects and rows of the table's width are returned as they are.
"""
from __future__ import annotations

from typing import Optional

from ..blocks import Cell


def column_extents(rows: list[list[Cell]], width: int) -> Optional[list[Optional[tuple[float, float]]]]:
    ext: list[Optional[list[float]]] = [None] * width
    for r in rows:
        if len(r) != width:
            continue
        for j, c in enumerate(r):
            if c.bbox is None:
                continue
            # the narrowest printed cell of the column: a cell merged over its neighbours (合计
            # across the code columns, a header over three amount columns: C090 p16) is wider
            if ext[j] is None or c.bbox[2] - c.bbox[0] < ext[j][1] - ext[j][0]:
                ext[j] = [c.bbox[0], c.bbox[2]]
    if all(e is None for e in ext):
        return None
    # a column no row of the table's width prints a cell in (a merged spacer) takes no cell
    return [(e[0], e[1]) if e is not None else None for e in ext]


def nearest_column(cx: float, spans: dict[int, tuple[float, float]]) -> int:
    """The column whose span (x0, x1) holds ``cx``, else the one with the nearest edge (the first in
    ``spans``' order on a tie)."""
    return min(spans, key=lambda k: 0 if spans[k][0] <= cx <= spans[k][1]
               else min(abs(cx - spans[k][0]), abs(cx - spans[k][1])))


def align_rows(rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    if all(len(r) == width for r in rows):
        return rows
    ext = column_extents(rows, width)
    if ext is None:
        return rows
    out = []
    for r in rows:
        if len(r) == width or any(c.bbox is None for c in r if c.text.strip()):
            out.append(r)
            continue
        placed = [Cell("", r[0].line_number if r else None, r[0].page if r else None) for _ in range(width)]
        for c in r:
            if not c.text.strip():
                continue
            cx = (c.bbox[0] + c.bbox[2]) / 2
            # a cell merged over several of the table's columns (基本支出 over 小计 | 人员经费 | 公用经费,
            # 预算数 over every amount column: C009 p22, a 9-cell first page over 8-cell continued
            # pages) heads the first of them, as a grid prints a merged cell's text at its span's
            # start; its centre lies in a middle column
            covered = [k for k in range(width) if ext[k] is not None
                       and c.bbox[0] - 1 <= (ext[k][0] + ext[k][1]) / 2 <= c.bbox[2] + 1]
            if len(covered) >= 2:
                cx = (ext[covered[0]][0] + ext[covered[0]][1]) / 2
            j = nearest_column(cx, {k: e for k, e in enumerate(ext) if e is not None})
            prev = placed[j]
            placed[j] = Cell((prev.text + " " + c.text).strip() if prev.text.strip() else c.text,
                             c.line_number, c.page, c.bbox)
        out.append(placed)
    return out


def place_spanning_cells(rows: list[list[Cell]], first_data: int) -> list[list[Cell]]:
    """A data cell merged over several ruled columns (its box spans the cells after it, which
    have none) is printed under the one of them that a header labels: 676.00 in a cell over three
    thin columns whose middle one reads 总计 (C085 p15, 江苏 政府采购预算表: an 18-cell frame of
    spacer columns). pdfplumber gives the text at the span's first column, a spacer; then it
    would merge into the column on its left. Cells whose span holds no labelled column, or whose
    own column is labelled, stay. Native PDF grids only (cells carry bboxes). Rows nothing moves in
    are returned as they are (the same objects)."""
    if not any(c.bbox is not None for r in rows for c in r):
        return rows
    labelled = {j for r in rows[:first_data] for j, c in enumerate(r) if c.text.strip()}
    out = list(rows[:first_data])
    for row in rows[first_data:]:
        r = row  # copied at its first move: an unmoved row is returned as it is
        for k, c in enumerate(row):
            if not c.text.strip() or c.bbox is None or k in labelled:
                continue
            span = [k]
            while span[-1] + 1 < len(r) and r[span[-1] + 1].bbox is None and not r[span[-1] + 1].text.strip():
                span.append(span[-1] + 1)
            cands = [j for j in span[1:] if j in labelled]
            if len(cands) == 1:
                if r is row:
                    r = list(row)
                r[cands[0]], r[k] = c, Cell("", c.line_number, c.page, None)
        out.append(r)
    return out


def merge_sparse_columns(rows: list[list[Cell]], first_data: int) -> Optional[list[list[Cell]]]:
    """Merge neighbouring ruled columns that are one printed column: a merged header cell over
    several ruled cells (Jiangsu 2018: 科目编码 over three cells, 金额 over three, the 类 amount
    printed in one of them and the 款 amounts in the next). Two neighbours merge when no row
    prints in both and at most one of them has header text; the merged cell keeps the text of
    whichever prints. Native PDF grids only (cells carry bboxes), rows of one width. Returns the
    merged rows, or None when nothing merges."""
    if not rows or any(len(r) != len(rows[0]) for r in rows) \
            or not any(c.bbox is not None for r in rows for c in r):
        return None
    cols = [list(col) for col in zip(*rows)]
    width = len(cols)

    def filled(c: Cell) -> bool:
        return bool(c.text.strip())

    j = 0
    while j + 1 < len(cols):
        a, b = cols[j], cols[j + 1]
        collide = any(filled(x) and filled(y) for x, y in zip(a, b))
        labels = sum(1 for col in (a, b) if any(filled(c) for c in col[:first_data]))
        if not collide and labels <= 1 and any(filled(c) for c in a + b):
            cols[j] = [x if filled(x) else y for x, y in zip(a, b)]
            del cols[j + 1]
            continue
        if not any(filled(c) for c in a):  # an empty spacer column: drop it
            del cols[j]
            continue
        j += 1
    if len(cols) == width or not cols:
        return None
    return [list(r) for r in zip(*cols)]
