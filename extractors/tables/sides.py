"""The arithmetic of a two-sided summary (收支总表, 财政拨款收支总表): what adds up into what.

Each side of the table (and each name | amount section of a side: 支出功能分类 | 预算数 | 支出经济
分类 | 预算数) is a list of labelled lines whose structure is printed in the labels themselves:

* the items, numbered ``一、`` … (or ``（一）`` / ``1.`` where that is the shallowest numbering),
  add up to the year's total (本年收入合计 / 本年支出合计 / 当年收入小计 …), or to the grand total
  when no year's total is printed (C021 p7: 一、本年收入 | 二、上年结转 | 收入合计);
* the grand total (收入总计 / 支出总计) is the year's total plus the lines printed between them
  that carry money across years (上年结转结余, 用事业基金弥补收支差额, 结转下年, 年终结转结余 …);
* an item whose lines under it are all numbered one level deeper (一、财政拨款 | 1.一般公共预算 |
  2.政府性基金预算 …, 上年结转结余 | 一、一般公共预算拨款 …) is their sum.

Lines the labels do not place are never guessed at: a 其中 line (a part, not a partition), a line
printed without numbering under an item (the 款 and 项 of a functional list named without codes:
一、教育支出 | 进修及培训 | 培训支出, 深圳 C016 p5) has no sum of its own, and a section whose
first line with a figure precedes every numbered item, or whose numbering starts again, gives
no item sum at all. Pure: lines in, sums out (extractors.tables.closure checks them,
extractors.tables.parse records them as each line's parent_row).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

_CN = "一二三四五六七八九十"
_NUMBERED = (  # (pattern, depth): 一、 < （一） < 1. < （1）
    (re.compile(rf"^[{_CN}]+[、.．，,]"), 1),
    (re.compile(rf"^[（(][{_CN}]+[)）]"), 2),
    (re.compile(r"^\d{1,2}[、.．)）](?!\d)"), 3),
    (re.compile(r"^[（(]\d{1,2}[)）]"), 4),
)
_TOTAL = re.compile(r"^(?:本年|当年)?(?:收入|支出)?(?:合计|小计|总计)$")
# lines that carry money across years, the grand total's parts beside the year's total
_CARRY = re.compile(r"^(?:上年|年初|用事业基金|使用非财政拨款|结转下年|结转结余下年|年终结转|年末|未安排支出|结余分配)")


@dataclass(frozen=True)
class Line:
    row_number: int
    label: str  # as printed, whitespace removed
    has_figure: bool  # prints an amount in any column


@dataclass(frozen=True)
class Sum:
    """``parent`` is printed as the sum of ``children`` (row numbers)."""
    parent: int
    children: tuple[int, ...]


def squash_label(label: Optional[str]) -> str:
    return re.sub(r"\s+", "", label or "").rstrip(":：")


def depth(label: str) -> Optional[int]:
    """1 for 一、, 2 for （一）, 3 for 1. / 1、, 4 for （1）; None for a line printed without numbering."""
    for pat, d in _NUMBERED:
        if pat.match(label):
            return d
    return None


def unnumbered(label: str) -> str:
    for pat, _ in _NUMBERED:
        m = pat.match(label)
        if m:
            return label[m.end():]
    return label


def is_total(label: str) -> bool:
    return bool(_TOTAL.match(label))


def is_carry(label: str) -> bool:
    return bool(_CARRY.match(unnumbered(label)))


def _starts_again(label: str) -> bool:
    """一、 / （一） / 1. : the first number of its kind."""
    body = re.sub(r"^[（(]", "", label)
    return body[:1] in ("一", "1") and not body[:2].isdigit()


def _items(lines: Sequence[Line], mode: str) -> Optional[tuple[list[Line], list[Sum]]]:
    """The top-level lines of a run of lines (mode ``items``: the shallowest numbering; ``carried``:
    the lines carrying money across years; ``mixed``: either) and the sums of those whose lines
    under them are all numbered one level deeper; None when the labels do not say which lines are
    the top level."""
    def carry(x: Line) -> bool:
        return mode != "items" and is_carry(x.label)

    numbered = [depth(x.label) for x in lines if depth(x.label) and not carry(x)]
    top = min(numbered) if numbered and mode != "carried" else None
    roots: list[tuple[Line, list[Line]]] = []
    for x in lines:
        d = depth(x.label)
        if carry(x) or (top is not None and d == top):
            if d == top and _starts_again(x.label) and any(depth(r.label) == top for r, _ in roots):
                return None  # the numbering starts again: a second breakdown of the same total
            roots.append((x, []))
        elif roots:
            roots[-1][1].append(x)
        elif x.has_figure:
            return None  # a figure before any item: which level it is, the print does not say
    if not roots:
        return None
    if any(not head.has_figure and any(u.has_figure for u in under) for head, under in roots):
        return None  # an item printed blank over lines printing figures: a heading (一、部门预算, 西安 C054 p29)
    sums: list[Sum] = []
    for head, under in roots:
        if not under:
            continue
        depths = {depth(u.label) for u in under}
        if len(depths) == 1 and None not in depths and (depth(head.label) or 0) < next(iter(depths)):
            sums.append(Sum(head.row_number, tuple(u.row_number for u in under)))
    return [h for h, _ in roots], sums


def section_sums(lines: Sequence[Line]) -> list[Sum]:
    """What adds up into what in one side (section) of a two-sided table, lines in print order."""
    lines = [x for x in lines if x.label or x.has_figure]
    totals = [k for k, x in enumerate(lines) if is_total(x.label)]
    if not totals or len(totals) > 2:
        return []
    out: list[Sum] = []
    if len(totals) == 2:
        y, g = totals
        if "总计" in lines[y].label and "总计" not in lines[g].label:
            return []
        before, between, after = lines[:y], lines[y + 1:g], lines[g + 1:]
        grand = lines[g]
        got = _items(before, "items")
        if got is not None:
            roots, parts = got
            out.append(Sum(lines[y].row_number, tuple(r.row_number for r in roots)))
            out.extend(parts)
        # the grand total = the year's total + the lines carrying money across years
        if (between and not is_carry(between[0].label)) or not lines[y].has_figure:
            return out  # (a year's total printed blank: its figure is elsewhere, 当 年 收 入 | 小计, C079 p7)
        carried = _items(between, "carried") if between else ([], [])
        if carried is not None and not any(x.has_figure for x in after):
            roots, parts = carried
            out.append(Sum(grand.row_number, (lines[y].row_number,) + tuple(r.row_number for r in roots)))
            out.extend(parts)
        return out
    g = totals[0]
    rest = [x for k, x in enumerate(lines) if k != g]
    if any(x.has_figure for x in lines[g + 1:]) and g != 0:
        return []  # figures after a closing total: not this structure
    got = _items(rest, "mixed")
    if got is None:
        return []
    roots, parts = got
    return [Sum(lines[g].row_number, tuple(r.row_number for r in roots))] + parts
