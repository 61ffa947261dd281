"""Tables continued over pages that print their title (or their header) again on every page.

A table whose title (normalised) equals the previous table's — or that has no title of its own
and prints the previous table's header rows, or none but in the previous table's frame — for
the same entity, and whose rows start on the
page after the previous table's last row, is the same table: its rows are
appended to the previous one and the header rows it repeats (the rows above its first data row)
are dropped. Without this every page is a table of its own and only the first page's rows
count (the marts read one table of a kind per entity). Native PDF items only (rows carry pages).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from ..blocks import Item, squash
from .classify import classify_title, normalise_title
from .parse import is_data_row


def _page_of(it: Item) -> Optional[int]:
    """An item's page: its own, else that of its first cell giving one."""
    return it.page if it.page is not None else next((c.page for c in it.cells or [] if c.page), None)


def _pages(rt) -> tuple[Optional[int], Optional[int]]:
    pages = [p for p in map(_page_of, rt.items) if p is not None]
    return (pages[0], pages[-1]) if pages else (None, None)


def _header_len(rt) -> int:
    return next((k for k, it in enumerate(rt.items) if is_data_row([c.text for c in it.cells])), len(rt.items))


def _header(rt) -> list[str]:
    return [squash("|".join(c.text for c in it.cells)) for it in rt.items[:_header_len(rt)]]


def _same_table(prev, rt) -> bool:
    """The same printed title, or no title of its own (the line above it is a 部门/单位 line) and
    the same printed header rows."""
    if rt.entity_code != prev.entity_code or not (rt.unit is None or prev.unit is None or rt.unit == prev.unit) \
            or getattr(rt, "starts_form", False):
        return False
    if rt.titled and prev.titled and normalise_title(rt.title) == normalise_title(prev.title):
        return True
    if rt.titled and classify_title(rt.title) != "unknown":
        return False
    head = _header(rt)
    if bool(head) and any(head) and head == _header(prev)[:len(head)]:
        return True
    # no title and no header of its own, the previous table's frame (as many cells a row, give
    # or take a spacer, and the same right border): its rows go on over the page (C012 pp12–17,
    # 项目支出绩效目标表; the "title" is the end of a cell's text at the top of the page: 接收电子文件管)
    a, b = _frame(rt), _frame(prev)
    # a first page may print a spacer column more than the pages after it (C012 p12: 12 cells
    # over 11; C009 p4 likewise): the rows are placed by position (extractors.tables.align)
    if rt.titled or a is None or b is None or a[1] != b[1]:
        return False
    # a first page whose printed columns are each ruled as several cells (C085 p15: 18 cells,
    # three a column, over 6 on the page after): every column edge of the one is an edge of the
    # other, and the rows go on with no header of their own
    return abs(a[0] - b[0]) <= 1 or (_header_len(rt) == 0 and _edges_within(_edges(rt), _edges(prev)))


def _frame(rt) -> Optional[tuple[int, int]]:
    """(cells a row, the right border rounded to 2 pt) of most of the table's rows."""
    seen: dict[tuple[int, int], int] = {}
    for it in rt.items:
        boxes = [c.bbox for c in it.cells or [] if c.bbox is not None]
        if boxes:
            key = (len(it.cells), round(max(float(b[2]) for b in boxes) / 2))
            seen[key] = seen.get(key, 0) + 1
    return max(seen, key=seen.get) if seen else None


def _edges(rt) -> frozenset[int]:
    """The left edges of the cells (rounded to 2 pt) of the table's most common row frame."""
    seen: dict[tuple[int, ...], int] = {}
    for it in rt.items:
        boxes = [c.bbox for c in it.cells or [] if c.bbox is not None]
        if boxes and len(boxes) == len(it.cells or []):
            key = tuple(round(float(b[0]) / 2) for b in boxes)
            seen[key] = seen.get(key, 0) + 1
    return frozenset(max(seen, key=seen.get)) if seen else frozenset()


def _edges_within(a: frozenset[int], b: frozenset[int]) -> bool:
    """Is every edge of the smaller frame (at least two) an edge of the larger, give or take 2 pt?"""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small) >= 2 and all(any(abs(x - y) <= 1 for y in large) for x in small)


_CUT_AMOUNT = re.compile(r"^-?\d[\d,]*\.\d$")  # an amount printed to one decimal: its last digit on the next page
_AMOUNT = re.compile(r"^-?\d[\d,]*(\.\d+)?$")


def _broken_row(last: Item, first: Item) -> Optional[Item]:
    """A row broken by the page break: the previous page's last row printed ``12,437.3`` and the
    next page's first row ``6`` in the same column (and the rest of the name in the name column:
    杭州市机动 / 车驾驶员考试服务中心, C035 pp21–22) is one row. The evidence is an amount cut
    after one decimal whose last digit alone opens the next page; any other cell of the next
    page's row must go on a cell the last row printed (a name's rest), nothing on a blank cell."""
    a, b = last.cells or [], first.cells or []
    if len(a) != len(b) or not a:
        return None
    joined, cut = [], 0
    for x, y in zip(a, b):
        t1, t2 = x.text.strip(), y.text.strip()
        if not t2:
            joined.append(x)
            continue
        if not t1:
            return None
        if _CUT_AMOUNT.match(t1) and t2.isdigit() and len(t2) == 1:
            cut += 1
        elif _AMOUNT.match(t1.replace(" ", "")) or _AMOUNT.match(t2.replace(" ", "")):
            return None  # an amount beside an amount: two rows
        joined.append(replace(x, text=t1 + t2))
    return replace(last, cells=joined) if cut else None


def merge_continued(raw_tables: list) -> list:
    out: list = []
    for rt in raw_tables:
        prev = out[-1] if out else None
        if prev is not None and rt.items and prev.items and not prev.note and _same_table(prev, rt):
            first, _ = _pages(rt)
            _, last = _pages(prev)
            if first is not None and last is not None and first == last + 1:
                h = _header_len(rt)
                prev.items.extend(rt.items[h:])
                prev.last_line = rt.last_line
                prev.note = rt.note
                prev.note_line = rt.note_line
                continue
        out.append(rt)
    return out


def join_broken_rows(raw_tables: list) -> list:
    """Each table's rows with a row broken by a page break joined (:func:`_broken_row`): the last
    row of a page and the first of the next, wherever the table goes on over the page."""
    for rt in raw_tables:
        items, out = rt.items, []
        for it in items:
            prev = out[-1] if out else None
            if (prev is not None and prev.cells and it.cells and _page_of(prev) is not None
                    and _page_of(it) == _page_of(prev) + 1):
                joined = _broken_row(prev, it)
                if joined is not None:
                    out[-1] = joined
                    continue
            out.append(it)
        if len(out) != len(items):
            rt.items = out
    return raw_tables
