"""The arbiter: two readings of one table's grid, compared cell by cell, and the table's own
arithmetic deciding between them.

Each reading is a parsed table (rows, amounts, problems) with its closure
(:mod:`extractors.tables.closure`). Rows are paired in print order by what names them (code, else
name, and kind), rows printed on the same line of the page first; a pair's amounts are compared
column by column. Then:

* the readings agree on every amount → the first reading, ``agree``: what is printed is known, and
  a sum that still does not close is the document's;
* they differ and the first reading closes → the first, ``cells_close`` (the other misread);
* they differ, the words reading closes and checks at least as much → the words reading,
  ``words_close``;
* they differ and neither closes → the first reading, ``differ``: the table is uncertain and every
  differing cell is recorded (page, bbox, each reading's text), so no finding rests on it.

Pure: no I/O, no settings.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Optional

from ..blocks import squash
from .closure import Closure


@dataclass(frozen=True)
class Reading:
    name: str  # cells | words
    rows: list
    amounts: list
    problems: list
    closure: Optional[Closure]  # None for a kind without checksums


@dataclass(frozen=True)
class CellDifference:
    row_number: Optional[int]  # in the chosen reading (None: a row only the other reading prints)
    line_number: Optional[int]
    page: Optional[int]
    name: str  # the row's code, else its name
    column_key: str
    chosen_raw: Optional[str]  # the cell as the chosen reading reads it (None: not printed there)
    other_raw: Optional[str]


@dataclass
class Verdict:
    chosen: Reading
    agreement: str  # agree | cells_close | words_close | differ
    n_compared: int = 0  # amount cells compared
    differences: list = field(default_factory=list)  # CellDifference, when the readings differ

    @property
    def certain_by_readings(self) -> bool:
        return self.agreement != "differ"


def _row_key(r) -> tuple:
    return (r.code or squash(r.name or "")[:8], r.row_kind == "total")


def _cells(reading: Reading) -> dict[int, dict[tuple, tuple]]:
    """row_number → {(column_key, side, k-th of that key): (amount, raw)} for printed amounts."""
    out: dict[int, dict[tuple, tuple]] = {}
    for a in reading.amounts:
        if a.amount is None:
            continue
        cells = out.setdefault(a.row_number, {})
        k = 0
        while (a.column_key, a.side, k) in cells:
            k += 1
        cells[(a.column_key, a.side, k)] = (a.amount, a.amount_raw)
    return out


def _printing(reading: Reading, cells: dict) -> list:
    """The rows that print an amount, in print order."""
    return [r for r in reading.rows if r.row_number in cells]


def _by_line(rows: list) -> dict:
    out: dict = {}
    for r in rows:
        if r.line_number is not None:
            out.setdefault((r.page, r.line_number), []).append(r)
    return out


def pair_rows(ra: list, rb: list) -> list[tuple]:
    """The rows of two readings paired: first those printed on the same line of the page, one row
    of each reading there (what names it may differ: a merged group cell read into one reading's
    name, 一般公共预算资金 小计 | 小计, C071 p2); then the rest in print order by what names them
    (code, else name, and kind); a row left over pairs with None."""
    la, lb = _by_line(ra), _by_line(rb)
    same = {id(x): y for key, xs in la.items() if len(xs) == 1 and len(lb.get(key, ())) == 1
            for x in xs for y in lb[key]}
    taken = {id(y) for y in same.values()}
    pairs = [(x, same[id(x)]) for x in ra if id(x) in same]
    rest_a = [x for x in ra if id(x) not in same]
    rest_b = [y for y in rb if id(y) not in taken]
    sm = difflib.SequenceMatcher(None, [_row_key(r) for r in rest_a], [_row_key(r) for r in rest_b],
                                 autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            pairs.extend(zip(rest_a[i1:i2], rest_b[j1:j2]))
        else:
            pairs.extend([(r, None) for r in rest_a[i1:i2]] + [(None, r) for r in rest_b[j1:j2]])
    return pairs


def compare(a: Reading, b: Reading) -> tuple[int, list[CellDifference]]:
    """(amount cells compared, differences) over the paired rows (:func:`pair_rows`), ``a``'s
    numbering."""
    ca, cb = _cells(a), _cells(b)
    ra, rb = _printing(a, ca), _printing(b, cb)
    diffs: list[CellDifference] = []
    n = 0
    for x, y in pair_rows(ra, rb):
        xa = ca.get(x.row_number, {}) if x is not None else {}
        yb = cb.get(y.row_number, {}) if y is not None else {}
        row = x if x is not None else y
        for key in sorted(set(xa) | set(yb), key=lambda k: (k[0], k[1] or "", k[2])):
            n += 1
            va, vb = xa.get(key), yb.get(key)
            if va is not None and vb is not None and va[0] == vb[0]:
                continue
            diffs.append(CellDifference(
                x.row_number if x is not None else None, row.line_number, row.page,
                row.code or (row.name or ""), key[0], va[1] if va else None, vb[1] if vb else None))
    return n, diffs


def _closes(r: Reading) -> bool:
    return r.closure is not None and r.closure.closes


def arbitrate(cells: Reading, words: Optional[Reading]) -> Verdict:
    """The reading to keep, and how the two compare (see the module docstring)."""
    if words is None or not words.amounts:
        return Verdict(cells, "single")
    n, diffs = compare(cells, words)
    if not diffs:
        return Verdict(cells, "agree", n)
    if _closes(cells):
        return Verdict(cells, "cells_close", n, diffs)
    if _closes(words) and words.closure.n_checks >= (cells.closure.n_checks if cells.closure else 0):
        n2, diffs2 = compare(words, cells)
        return Verdict(words, "words_close", n2, diffs2)
    return Verdict(cells, "differ", n, diffs)
