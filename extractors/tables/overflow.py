"""Text runs that cross a cell's ruling: a string printed wider than its cell.

A name too long for its cell (1、人员经费和公用经费支出 in 西安's 收支总表, C056 p3) runs on past the
ruling line; the page clips it, but the text layer keeps every character, so the characters past
the line fall in the next cell (``1、人员经费和公用经费支 | 出 2,022.39``). A header centred in a
narrow cell (部门预算支出经济分类科目（按大类）) spills into the cell on its left and its characters
interleave with that cell's own label (预算数 → 部门预预算算数支). Both readings of a grid place
characters by position; before they do, each such run goes whole to the cell holding most of it.

A run is a chain of characters on one line, each starting where the one before it ends (a space
ends a run): text set as one string. Runs are chained by position, not by reading order, so two
strings overlapping on the page (the interleaved header) stay two runs.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from typing import Callable, Optional, Sequence

# how far apart (pt) one character's end and the next one's start may be within a run; set
# text advances exactly (0.0–0.1 pt seen), two strings in neighbouring cells are padded apart
RUN_GAP = 0.6
# how far apart (pt) the tops of two characters of one run may be
RUN_TOP = 1.0


def runs(boxes: Sequence[tuple[float, float, float]], texts: Sequence[str]) -> list[list[int]]:
    """Chains of character indices. boxes: (x0, x1, top) per character, texts: its text."""
    order = sorted(range(len(boxes)), key=lambda k: (boxes[k][0], boxes[k][2]))
    out: list[list[int]] = []
    ends: dict[int, list[list[int]]] = {}  # whole-point bucket of a run's end → the runs ending there
    for k in order:
        if not texts[k].strip():
            continue
        x0, x1, top = boxes[k]
        run = None
        for b in (int(x0) - 1, int(x0), int(x0) + 1):
            for cand in ends.get(b, ()):
                last = boxes[cand[-1]]
                if abs(x0 - last[1]) <= RUN_GAP and abs(top - last[2]) <= RUN_TOP:
                    run = cand
                    ends[b].remove(cand)
                    break
            if run is not None:
                break
        if run is None:
            run = []
            out.append(run)
        run.append(k)
        ends.setdefault(int(x1), []).append(run)
    return out


def regroup(boxes: Sequence[tuple[float, float, float]], texts: Sequence[str],
            cell_of: Sequence[Optional[int]]) -> list[Optional[int]]:
    """The cell of each character once every run crossing a ruling lies whole in the cell holding
    most of its characters (the first of them on a tie). ``cell_of``: the cell each character's
    position gives (None: in no cell; a run touching no cell is left alone)."""
    out = list(cell_of)
    for run in runs(boxes, texts):
        cells = [cell_of[k] for k in run]
        if len(set(cells)) < 2 or any(c is None for c in cells):
            continue
        counts = Counter(cells)
        top = max(counts.values())
        home = next(c for c in cells if counts[c] == top)
        for k in run:
            out[k] = home
    return out


def regroup_by(chars: list, box: Callable, text: Callable, cell_of: Sequence[Optional[int]]) -> list[Optional[int]]:
    """:func:`regroup` over characters of any shape, given how to read a box and a text."""
    return regroup([box(c) for c in chars], [text(c) for c in chars], cell_of)


def joins_across(ends: Sequence[tuple[float, float, int]], starts: Sequence[tuple[float, float, int]]) -> bool:
    """Does a character end where one of another cell starts (a run crossing a ruling)? ends:
    (x1, top, cell) of the characters that may run on (near their cell's right edge), starts:
    (x0, top, cell) of every character. The cheap test before :func:`regroup`."""
    if not ends:
        return False
    xs = sorted(starts)
    x0s = [s[0] for s in xs]
    for x1, top, cell in ends:
        k = bisect_left(x0s, x1 - RUN_GAP)
        while k < len(xs) and xs[k][0] <= x1 + RUN_GAP:
            if xs[k][2] != cell and abs(xs[k][1] - top) <= RUN_TOP:
                return True
            k += 1
    return False
