"""Group lines of a project list: the lines that add up the lines printed under them.

A 项目支出表 often prints its projects under lines that group them, with no code and often no
layout that says so: the department's or unit's own line (深圳 项目支出总表: 深圳市交通运输局（本级）
over every project; 广州: 广州市统计局 over its projects, then the next unit), the project type and
the 一级项目 (西安 专项业务经费支出表: 通用项目 / 购买服务 / 财政检查; 长春: 部门特定目标类项目 /
综合管理 / the 二级项目). Counted as projects they count every figure two or three times.

The table's own checksum decides which lines group: the lines under a printed total (合计, or a
unit's coded line heading its block) must add up to it, column by column; a list printing no
total adds up to its first line (the unit's line over all its projects). A group line equals the
sum of the lines printed under it up to where the next line of its level begins, and may head
other group lines (类型 → 一级项目 → 二级项目). When the lines add up to the total as printed
(every line a project), nothing is grouped; when one set of group lines makes them add up, and
no other set does, those lines are the groups; otherwise (no such set, or more than one) nothing
is grouped, and the list is left as printed.

Pure: figures in, (group line, parent) out. Figures are exact Decimals; each compare allows half
a unit of the last printed digit of every figure in it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Optional

from .closure import half_unit

MAX_STEPS = 200_000  # search steps per list: a list this search cannot settle is left as printed


@dataclass(frozen=True)
class Figures:
    """One printed line: its amounts by column (blank = 0) and their tolerances (half a unit)."""
    amounts: tuple  # Decimal per amount column, in print order
    tols: tuple  # Decimal per amount column

    @property
    def zero(self) -> bool:
        return all(a == 0 for a in self.amounts)


@dataclass(frozen=True)
class Grouping:
    heads: frozenset  # indexes (into the list) of the group lines
    parent: dict  # index → index of the group line it adds up into (top-level lines absent)


class _Budget(Exception):
    pass


def _close(target: tuple, tol: tuple) -> bool:
    return all(abs(t) <= e for t, e in zip(target, tol))


def _minus(a: tuple, b: tuple) -> tuple:
    return tuple(x - y for x, y in zip(a, b))


def _plus(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b))


class _Search:
    """The ways lines[s:e] can be printed as a forest whose top-level lines add up to a target: a
    line is a project (a leaf) or a group line over the lines after it up to some k, which add up
    to it in turn.

    ``ends[i]``: where a group line at i can end (the k whose lines i+1 … k-1 add up to it), found
    from the last line up, each by walking the lines after it (a line is a leaf, or a group line
    over one of its ends). ``_bounds(j, e)``: the least and the greatest sum (first column) of the
    top-level lines of any forest over lines[j:e]; a way whose target is outside them is not
    followed, so only the ways that can still add up are walked."""

    def __init__(self, lines: list[Figures]):
        self.lines = lines
        self.steps = 0
        self.dead: set = set()  # (s, e, target) with no way
        self.bounds: dict = {}
        n = len(lines)
        self.ends: list[list[int]] = [[] for _ in range(n)]
        for i in range(n - 1, -1, -1):
            if not lines[i].zero:  # a group of nothing but zeros is not one
                self.ends[i] = self._ends_of(i)

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Budget()

    def _ends_of(self, i: int) -> list[int]:
        head = self.lines[i]
        out: set = set()
        seen: set = set()
        todo = [(i + 1, tuple(Decimal(0) for _ in head.amounts), head.tols)]
        while todo:
            j, acc, tol = todo.pop()
            self._tick()
            if j > i + 1 and _close(_minus(head.amounts, acc), tol):
                out.add(j)
            if j == len(self.lines) or (j, acc) in seen:
                continue
            seen.add((j, acc))
            line = self.lines[j]
            nxt, ntol = _plus(acc, line.amounts), _plus(tol, line.tols)
            if nxt[0] > head.amounts[0] + ntol[0] and all(a >= 0 for a in line.amounts):
                continue  # past the group line's figure (and no negative line can bring it back)
            todo.append((j + 1, nxt, ntol))
            todo.extend((k, nxt, ntol) for k in self.ends[j])
        # a zero line just after the lines that add up may be under the group or after it: the
        # print does not say, and either way it adds nothing: it is after it
        return sorted(k for k in out if not (k - 1 in out and self.lines[k - 1].zero))

    def _bounds(self, j: int, e: int) -> tuple:
        key = (j, e)
        if key not in self.bounds:
            if j == e:
                self.bounds[key] = (Decimal(0), Decimal(0))
            else:
                self._tick()
                v = self.lines[j].amounts[0]
                nexts = [j + 1] + [k for k in self.ends[j] if k <= e]
                sub = [self._bounds(k, e) for k in nexts]
                self.bounds[key] = (v + min(b[0] for b in sub), v + max(b[1] for b in sub))
        return self.bounds[key]

    def ways(self, s: int, e: int, target: tuple, tol: tuple, parent: Optional[int]):
        self._tick()
        key = (s, e, target)
        if key in self.dead:
            return
        if s == e:
            if _close(target, tol):
                yield frozenset(), {}
            else:
                self.dead.add(key)
            return
        lo, hi = self._bounds(s, e)
        slack = tol[0] + sum((self.lines[k].tols[0] for k in range(s, e)), Decimal(0))
        if target[0] < lo - slack or target[0] > hi + slack:
            self.dead.add(key)
            return
        found = False
        line = self.lines[s]
        rest_target, rest_tol = _minus(target, line.amounts), _plus(tol, line.tols)
        own = {s: parent} if parent is not None else {}
        for heads, par in self.ways(s + 1, e, rest_target, rest_tol, parent):  # a project
            found = True
            yield heads, {**own, **par}
        for k in self.ends[s]:  # a group line over lines s+1 … k-1
            if k > e:
                break
            for inner_heads, inner_par in self.ways(s + 1, k, line.amounts, line.tols, s):
                for heads, par in self.ways(k, e, rest_target, rest_tol, parent):
                    found = True
                    yield frozenset({s}) | inner_heads | heads, {**own, **inner_par, **par}
        if not found:
            self.dead.add(key)


def group_lines(lines: list[Figures], total: Optional[Figures]) -> Optional[Grouping]:
    """The one set of group lines that makes ``lines`` add up to ``total`` (the printed total; None:
    the first line is the list's total), or None: nothing to group (they add up as printed), no
    set does, or more than one set does."""
    if not lines:
        return None
    width = len(lines[0].amounts)
    zero = tuple(Decimal(0) for _ in range(width))
    if total is None:
        if len(lines) < 4:  # a first line equal to the sum of two or three others may be a project
            return None
        head, rest, offset = lines[0], lines[1:], 1
        target, tol = head.amounts, head.tols
    else:
        rest, offset = lines, 0
        target, tol = total.amounts, total.tols
    flat = zero
    flat_tol = tol
    for f in rest:
        flat, flat_tol = _plus(flat, f.amounts), _plus(flat_tol, f.tols)
    if _close(_minus(target, flat), flat_tol):
        # every line a project (or, no total printed, the first line over all the others)
        if total is None:
            return Grouping(frozenset({0}), {k: 0 for k in range(1, len(lines))})
        return None
    found: list = []
    try:
        search = _Search(rest)
        for heads, parent in search.ways(0, len(rest), target, tol, None):
            if heads not in (f[0] for f in found):
                found.append((heads, parent))
            if len(found) > 1:
                return None  # two sets of group lines both add up: the print does not say which
    except _Budget:
        return None
    if len(found) != 1:
        return None
    heads, parent = found[0]
    heads = frozenset(h + offset for h in heads)
    parent = {k + offset: v + offset for k, v in parent.items()}
    if total is None:
        heads |= {0}
        parent = {k: parent.get(k, 0) for k in range(1, len(lines))}
    return Grouping(heads, parent)


def _free(row) -> bool:
    """A line the list can group: a detail line printing no code (a coded line is placed by its code)."""
    return row.row_kind == "detail" and not row.code


def mark_group_lines(rows: list, amounts: list) -> list:
    """The rows of a project list with its group lines as subtotals (row_kind ``subtotal``) and every
    line it groups pointing at it (``parent_row``). rows: TableRow in print order; amounts:
    TableAmount. Each run of lines between printed totals and coded lines (a unit's line heading
    its block) is grouped against the total or unit line printed just before it, else the total
    printed just after it, else its own first line."""
    cols = sorted({a.column_index for a in amounts if a.column_index is not None})
    if not cols:
        return rows
    where = {c: k for k, c in enumerate(cols)}
    figs: dict = {}
    for a in amounts:
        if a.column_index is None or a.amount is None:
            continue
        amts, tols = figs.setdefault(a.row_number, ([Decimal(0)] * len(cols), [Decimal(0)] * len(cols)))
        amts[where[a.column_index]] = Decimal(a.amount)
        tols[where[a.column_index]] = half_unit(a.amount_raw)

    def figures(row) -> Figures:
        amts, tols = figs.get(row.row_number, ([Decimal(0)] * len(cols), [Decimal(0)] * len(cols)))
        return Figures(tuple(amts), tuple(tols))

    out = list(rows)
    k = 0
    while k < len(out):
        if not _free(out[k]):
            k += 1
            continue
        end = k
        while end < len(out) and _free(out[end]):
            end += 1
        before = out[k - 1] if k > 0 else None
        after = out[end] if end < len(out) else None
        if before is not None and (before.row_kind == "total" or (before.row_kind == "subtotal" and before.code)):
            total = before
        elif after is not None and after.row_kind == "total":
            total = after
        else:
            total = None
        grouping = group_lines([figures(r) for r in out[k:end]], figures(total) if total is not None else None)
        if grouping is not None:
            for i in range(k, end):
                row = out[i]
                par = grouping.parent.get(i - k)
                out[i] = replace(row, row_kind="subtotal" if i - k in grouping.heads else row.row_kind,
                                 parent_row=out[k + par].row_number if par is not None else row.parent_row)
        k = end
    return out
