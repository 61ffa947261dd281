"""The words reading of a table's grid: the page's characters placed under the table's columns
by their x-extent, one row per printed text line.

The first reading of a PDF table (extractors.native.pdf) takes its cells from the ruling lines
(or, on a page without them, from the gaps between runs of words): a character belongs to the
cell rectangle holding its midpoint, a row is the band between two horizontal rules. This reading
takes neither: from the same page it takes the characters printed in the table's data area,
groups them into text lines by their vertical position and puts each under the column whose
x-extent holds its centre (characters, not words: a figure printed against the border of the
next column's text is not one word with it). A missing or extra horizontal rule (two printed lines read as one
row, or one split in two), a character whose midpoint falls over a cell border, two amounts
printed in one gap-cell: the two readings then disagree, and the arbiter
(:mod:`extractors.tables.arbiter`) lets the table's own arithmetic decide.

The header rows are the first reading's (the columns' meaning is read once); only the data rows
are read again. Pure functions of (rows, page characters); ``None`` when the table gives no frame
to read by (no cell boxes, no characters, another format than PDF).
"""
from __future__ import annotations

import bisect
import re
from typing import Optional

from ..blocks import Cell
from .parse import AMOUNT_RE, first_data_row, frame_width, normalise_code
from .overflow import joins_across, regroup_by

Char = tuple  # (text, x0, top, x1, bottom)

def column_bounds(rows: list[list[Cell]], width: int) -> Optional[list[float]]:
    """The x positions between the table's columns (width − 1 of them, ascending), from the cell
    boxes of the rows printing the table's full width: the shared border of two ruled cells, or
    the middle of the gap between two columns of words. None when a column has no box."""
    lo: list[Optional[float]] = [None] * width
    hi: list[Optional[float]] = [None] * width
    for r in rows:
        if len(r) != width:
            continue
        for k, c in enumerate(r):
            if c.bbox is None or (not c.text.strip() and c.bbox[2] - c.bbox[0] <= 0):
                continue
            if k + 1 < width and r[k + 1].bbox is None:
                continue  # a merged cell (合计 across the code columns) spans the next ones
            x0, x1 = float(c.bbox[0]), float(c.bbox[2])
            lo[k] = x0 if lo[k] is None else min(lo[k], x0)
            hi[k] = x1 if hi[k] is None else max(hi[k], x1)
    if all(v is None for v in lo):
        return None
    # a column no cell gives a box for (an empty spacer column whose cells pdfplumber leaves
    # None): zero wide, against its left neighbour (or its right one, for the first column)
    for k in range(width):
        if lo[k] is None:
            edge = hi[k - 1] if k and hi[k - 1] is not None else next((lo[j] for j in range(k + 1, width)
                                                                       if lo[j] is not None), None)
            lo[k] = hi[k] = edge
    bounds = []
    for k in range(width - 1):
        right, left = hi[k], lo[k + 1]
        if right <= left:
            b = (right + left) / 2
        else:  # overlapping extents (words wider than a ruled cell): between the two centres
            b = ((lo[k] + hi[k]) / 2 + (lo[k + 1] + hi[k + 1]) / 2) / 2
        if bounds and b <= bounds[-1]:
            return None
        bounds.append(b)
    return bounds


def text_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into printed lines: one whose vertical centre lies within the band of
    the line being built (its top to bottom) joins it; lines top to bottom, left to right."""
    lines: list[list[Char]] = []
    band: list[float] = []
    for ch in sorted(chars, key=lambda c: (c[2], c[1])):
        cy = (ch[2] + ch[4]) / 2
        if lines and band[0] <= cy <= band[1]:
            lines[-1].append(ch)
            continue
        lines.append([ch])
        band = [ch[2], ch[4]]
    return [sorted(ln, key=lambda c: c[1]) for ln in lines]


def _text(chars: list[Char]) -> str:
    """The characters of one cell on one line, left to right; a gap wider than half a character
    between two Latin characters or digits is a space (201 03 01)."""
    out = ""
    prev = None
    for ch in chars:
        t = ch[0]
        if prev is not None and out[-1:].isascii() and t[:1].isascii():
            if ch[1] - prev[3] > 0.5 * max(ch[4] - ch[2], 1):
                out += " "
        out += t
        prev = ch
    return out


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[:1].isascii() and p[:1].isalnum():
            out += " "
        out += p
    return out


def _is_row_line(cells: list[str]) -> bool:
    """A text line that is a row of the grid: it prints an amount or starts with a code."""
    filled = [t for t in cells if t]
    if not filled:
        return False
    if normalise_code(filled[0]):
        return True
    return any(AMOUNT_RE.match(t.replace(" ", "")) for t in filled[1:] or filled)


_CUT_AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})*,\d{0,2}|[\d,]+\.\d?)$")
_DIGITS_TAIL = re.compile(r"^\d{1,3}$")


def _decimals(t: str) -> int:
    return len(t.rsplit(".", 1)[1]) if "." in t else 0


def table_decimals(lines: list) -> Optional[int]:
    """The number of decimals most of the table's amounts print, of those printing a decimal point
    (None: whole numbers). An amount cut short and its tail make a figure of that precision
    (370,219.2 + 5, 1682.7 + 6 under 903.85); a figure typed with fewer decimals and the next
    row's below it do not (9.6 + 56 among 48.48, C054 p44)."""
    counts: dict[int, int] = {}
    for _, ps, _ in lines:
        for cell in ps:
            t = _join(cell).replace(" ", "")
            if cell and "." in t and AMOUNT_RE.match(t):
                counts[_decimals(t)] = counts.get(_decimals(t), 0) + 1
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else None


def _wraps_amounts(above: list[list[str]], parts: list[list[str]], labels: int = 0,
                   decimals: Optional[int] = -1) -> bool:
    """A line printing only the last digits of the amounts on the line above (an amount wrapped in
    a narrow cell: 370,219.2 over 5): each of its amount cells one to three digits, under a cell of
    the line above that ends cut short (one decimal, or inside a thousands group), the two making
    a figure of the table's precision (``decimals``, :func:`table_decimals`: 370,219.2 + 5 =
    370,219.25 like the rest; among 48.48, 56 below 9.6 is the next row's); its cells in the ``labels``
    columns, if any, words (the rest of a wrapped name: 深圳市交通运输局（本 / 级）)."""
    amounts = [k for k, ps in enumerate(parts) if ps and k >= labels]

    def cut(k: int) -> bool:
        top = _join(above[k]).replace(" ", "") if above[k] else ""
        if not (top and _CUT_AMOUNT.match(top) and _DIGITS_TAIL.match(_join(parts[k]))):
            return False
        if decimals == -1:  # precision not known: any cut amount
            return True
        return decimals is not None and _decimals(top + _join(parts[k])) == decimals

    return bool(amounts) and all(cut(k) for k in amounts) and not any(
        AMOUNT_RE.match(_join(parts[k]).replace(" ", "")) for k in range(labels) if parts[k])


def _label_columns(lines: list, width: int) -> int:
    """How many columns, from the left, name the rows (code, name): those before the first column
    printing a decimal amount on most of the lines that print something in it. 0 when no column
    prints decimals (amounts in whole 元: every line printing an amount is then a row)."""
    for k in range(width):
        texts = [_join(ps[k]).replace(" ", "") for _, ps, _ in lines if ps[k]]
        dec = sum(1 for t in texts if AMOUNT_RE.match(t) and "." in t)
        if texts and dec * 2 > len(texts):
            return k
    return 0


def _band_of(bands: list, cy: float) -> Optional[int]:
    return next((k for k, b in enumerate(bands) if b[0] <= cy <= b[1]), None)


def _same_band(bands: Optional[list], cy_a: float, cy_b: float) -> bool:
    """Two lines in one ruled row (known)."""
    if not bands:
        return False
    a = _band_of(bands, cy_a)
    return a is not None and a == _band_of(bands, cy_b)


def _other_band(bands: Optional[list], cy_a: float, cy_b: float) -> bool:
    """Two lines in two ruled rows (both known and not the same)."""
    if not bands:
        return False
    a, b = _band_of(bands, cy_a), _band_of(bands, cy_b)
    return a is not None and b is not None and a != b


def _words_column(lines: list, k: int) -> bool:
    """Most of the lines printing something in column ``k`` print words there, not amounts."""
    texts = [_join(ps[k]).replace(" ", "") for _, ps, _ in lines if ps[k]]
    words = sum(1 for t in texts if not AMOUNT_RE.match(t))
    return bool(texts) and words * 2 > len(texts)


def rows_of_lines(lines: list, width: int, bands: Optional[list] = None) -> list:
    """The printed rows of a page's text lines [(centre y, parts per column, bbox)]:

    * a line printing a code or a name and an amount (or a code) is a row;
    * a line printing the last digits of the amounts above it, in the same ruled row (``bands``)
      where they are known, is the rest of those amounts (370,219.2 / 5: :func:`_wraps_amounts`);
    * a line printing amounts and no name (in any name column: either side's of a two-sided
      table), where the table's rows are named, is the part of a cell printed over several lines
      (370,219.2 above 合计 and 5 below it, amounts centred in tall rows): it joins the nearest
      row in its ruled row (``bands``, where known) whose cells in those columns are blank or cut
      short;
    * a line printing neither amount nor code is a wrapped text (a name over two lines): it joins
      the nearest row, before its text when printed above it; unless ``bands`` (the ruled rows,
      top to bottom) put it in a ruled row of its own that no other line is in: a row printing no
      amount (专项收入 | blank, C071 p2), not the rest of a name."""
    labels = _label_columns(lines, width)
    # name columns right of the amounts: the expenditure side's 项目 of a two-sided table
    # (收入 项目 | 预算数 | 支出 项目 | 预算数, C070 p22), whose lines may print nothing on the left
    named_cols = list(range(labels)) + [k for k in range(labels, width) if _words_column(lines, k)]
    decimals = table_decimals(lines)
    built: list = []  # [centre y, parts, bbox]
    amount_lines: list = []
    fragments: list = []
    for cy, parts, bbox in lines:
        texts = [_join(ps) for ps in parts]
        if built and _wraps_amounts(built[-1][1], parts, labels, decimals) and not _other_band(bands, built[-1][0], cy):
            for col, ps in enumerate(parts):  # 370,219.2 / 5 printed over two lines of one cell
                built[-1][1][col].extend(ps)
        elif _is_row_line(texts) and not labels and built and _same_band(bands, built[-1][0], cy) and not any(
                ps and built[-1][1][k] for k, ps in enumerate(parts)):
            # no row names (a one-line 三公 table): a figure set lower in the ruled row of the
            # figures above (C079 p20: 0 under 公务用车购置费) is of their row
            _attach(built[-1], cy, parts)
        elif _is_row_line(texts) and (any(texts[k] for k in named_cols) or not labels):
            built.append([cy, parts, bbox])
        elif _is_row_line(texts):
            amount_lines.append((cy, parts, bbox))
        else:
            fragments.append((cy, parts, bbox))
    for cy, parts, bbox in amount_lines:
        near = sorted(range(len(built)), key=lambda i: abs(built[i][0] - cy))[:2]
        fits = [i for i in near if not _other_band(bands, built[i][0], cy) and all(
            not built[i][1][c] or (cy > built[i][0] and _wraps_amounts(
                built[i][1], [ps if j == c else [] for j, ps in enumerate(parts)], decimals=decimals))
            for c, ps in enumerate(parts) if ps)]
        if fits:
            _attach(built[fits[0]], cy, parts)
        else:  # a row of its own (an unnamed 合计 line; amounts centred between a name's two lines)
            built.append([cy, parts, bbox])
            built.sort(key=lambda b: b[0])
    if not built:
        return []
    for cy, parts, bbox in fragments:
        near = min(built, key=lambda b: abs(b[0] - cy))
        own = _band_of(bands, cy) if bands else None
        if own is not None and own != _band_of(bands, near[0]) and not any(
                _band_of(bands, b[0]) == own for b in built):
            built.append([cy, parts, bbox])
            built.sort(key=lambda b: b[0])
            continue
        _attach(near, cy, parts)
    return [tuple(b) for b in built]


def _attach(row: list, cy: float, parts: list[list[str]]) -> None:
    """Join a line's cell texts to a row's: before them when printed above the row, else after."""
    for col, ps in enumerate(parts):
        if ps and cy < row[0]:
            row[1][col][:0] = ps
        elif ps:
            row[1][col].extend(ps)


def read_by_words(rows: list[list[Cell]], page_chars: dict) -> Optional[list[list[Cell]]]:
    """The table's rows read again from the page's characters: the header rows as given, the data
    rows rebuilt, page by page, from the characters inside the data area of that page."""
    first = first_data_row([[c.text for c in r] for r in rows])
    if first is None or not page_chars:
        return None
    data = rows[first:]
    out: list[list[Cell]] = [list(r) for r in rows[:first]]
    pages: list[int] = []
    for r in data:
        p = next((c.page for c in r if c.page), None)
        if p is None:
            return None
        if p not in pages:
            pages.append(p)
    for p in pages:
        on_page = [r for r in data if next((c.page for c in r if c.page), None) == p]
        # a page may print another frame than the table's (an 11-cell first page over 10-cell
        # continued pages): its rows are read in its own frame and placed like the first reading's
        width = frame_width([[c.text for c in r] for r in on_page])
        bounds = column_bounds(on_page, width) if width >= 2 else None
        boxes = [c.bbox for r in on_page for c in r if c.bbox is not None]
        if bounds is None or not boxes or p not in page_chars:
            return None
        x0 = min(b[0] for b in boxes) - 1
        x1 = max(b[2] for b in boxes) + 1
        top = min(b[1] for b in boxes) - 1
        bottom = max(b[3] for b in boxes) + 1
        # the A rows' vertical bands on this page, for each new row's line number: the band its
        # cells share (a cell merged over the rows below, 一般公共预算资金 over 小计 | 公共财政拨款…,
        # C071 p2, is taller than its row)
        bands = []
        for r in on_page:
            bbs = [c.bbox for c in r if c.bbox is not None]
            ln = next((c.line_number for c in r if c.line_number), None)
            if bbs and ln is not None:
                b0, b1 = max(b[1] for b in bbs), min(b[3] for b in bbs)
                if b0 >= b1:
                    b0, b1 = min(b[1] for b in bbs), max(b[3] for b in bbs)
                bands.append((b0, b1, ln))
        chars = [w for w in page_chars[p] if x0 <= (w[1] + w[3]) / 2 <= x1 and top <= (w[2] + w[4]) / 2 <= bottom]
        if not chars:
            return None
        lines = []
        for line in text_lines(chars):
            placed: list[list[Char]] = [[] for _ in range(width)]
            at = [bisect.bisect_left(bounds, (ch[1] + ch[3]) / 2) for ch in line]
            # a string printed wider than its cell goes whole to the cell holding most of it (only
            # a line with a character touching a column bound can hold one)
            ends = [(ch[3], ch[2], k) for ch, k in zip(line, at) if k < len(bounds) and 2 * ch[3] - ch[1] > bounds[k]]
            if ends and joins_across(ends, [(ch[1], ch[2], k) for ch, k in zip(line, at)]):
                at = regroup_by(line, lambda c: (c[1], c[3], c[2]), lambda c: c[0] or "", at)
            for ch, k in zip(line, at):
                placed[k].append(ch)
            parts: list[list[str]] = [[_text(cs)] if cs else [] for cs in placed]
            cy = (min(w[2] for w in line) + max(w[4] for w in line)) / 2
            bbox = (min(w[1] for w in line), min(w[2] for w in line), max(w[3] for w in line), max(w[4] for w in line))
            lines.append((cy, parts, bbox))
        built = rows_of_lines(lines, width, sorted(bands))
        if not built:
            return None
        for cy, parts, bbox in built:
            ln = min(bands, key=lambda b: 0 if b[0] <= cy <= b[1] else min(abs(cy - b[0]), abs(cy - b[1])))[2] \
                if bands else None
            out.append([Cell(_join(ps), ln, p, (bounds[k - 1] if k else x0, bbox[1],
                                                bounds[k] if k < width - 1 else x1, bbox[3]))
                        for k, ps in enumerate(parts)])
    return out
