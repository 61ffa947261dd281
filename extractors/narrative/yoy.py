"""Year-on-year statements: ``比2024年预算减少60.89万元，下降9.94%，原因主要是厉行节约``.

``find_yoy`` returns the statements of one sentence as :class:`YoyMatch` (spans, signed
change, percent, prior year, reason); linking a statement to the figure it qualifies is the
caller's job (``figures.py``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from .text import AMOUNT_RE, NUMBER, normalise_unit, parse_decimal

UP = ("增加", "增长", "上升", "提高", "多")
DOWN = ("减少", "下降", "降低", "减", "少")
DIRECTION_WORDS = r"增加|增长|上升|提高|减少|下降|降低"
COMPARATOR = (
    r"(?:(?:比|较)(?:(?P<year>20\d{2})年(?:度)?|(?P<last>上年|上一年|去年)(?:度)?)|同比)"
    r"(?:年初)?(?:预算|决算)?(?:数)?(?:相比)?"
)
_PART = rf"(?:{DIRECTION_WORDS})(?:{NUMBER})(?:万元|万|元|%|％)"
YOY_RE = re.compile(
    COMPARATOR
    + rf"(?P<d1>{DIRECTION_WORDS})(?P<n1>{NUMBER})(?P<u1>万元|万|元|%|％)"
    + rf"(?:[，,]?(?P<d2>{DIRECTION_WORDS})(?P<n2>{NUMBER})(?P<u2>万元|万|元|%|％))?"
)
FLAT_RE = re.compile(
    r"(?:与|和|同)(?:(?P<year>20\d{2})年(?:度)?|(?P<last>上年|上一年|去年)(?:度)?)(?:预算)?(?:数)?(?:相比)?(?:保持)?(?:一致|持平|相同|相当|无变化)"
    r"|(?:比|较)(?:(?P<year2>20\d{2})年(?:度)?|(?P<last2>上年|上一年|去年)(?:度)?)(?:预算)?(?:数)?(?:保持)?(?:持平|无变化|不变)"
)
# a bare change after a label, read only where the sentence or section compares with a year
BARE_RE = re.compile(rf"(?P<d1>增加|减少)(?P<n1>{NUMBER})(?P<u1>万元|万|元)")
REASON_RE = re.compile(
    r"[，,：:]?(?:[^，,。；;]{0,4}?)(?:的)?(?:主要)?原因(?:主要)?(?:是|为|在于|有)?[:：]?"
)
COMPARE_CONTEXT_RE = re.compile(
    r"(?:比|较)(?:20\d{2}年|上年|上一年|去年)|增减"
    r"|(?:与|同|和)(?:20\d{2}年(?:度)?|上年(?:度)?|上一年(?:度)?|去年)(?:预算|决算)?(?:数)?相比"
)


@dataclass
class YoyMatch:
    start: int
    end: int
    prior_year: Optional[int]
    change: Optional[Decimal]  # signed
    unit: Optional[str]
    pct: Optional[Decimal]  # signed
    direction: str
    reason: Optional[str]
    bare: bool = False


def _sign(word: str) -> int:
    return -1 if word in DOWN or word.startswith(("减", "下", "降")) else 1


def _prior(year: Optional[str], last: Optional[str], fiscal_year: Optional[int]) -> Optional[int]:
    if year:
        return int(year)
    if last and fiscal_year:
        return fiscal_year - 1
    return None


def reason_after(text: str, pos: int) -> tuple[Optional[str], int]:
    """The 原因 clause that follows position ``pos``; (reason, end position).

    It runs to the end of the sentence, over ``；``-separated parts (一是…；二是…), but stops
    at a part that states another amount or comparison (the next figure of a list).
    """
    m = REASON_RE.match(text, pos)
    if not m:
        return None, pos
    start = m.end()
    end = text.find("。", start)
    end = len(text) if end < 0 else end
    segs = re.split(r"[；;]", text[start:end])
    kept = [segs[0]]
    for seg in segs[1:]:
        if not seg or AMOUNT_RE.search(seg) or YOY_RE.search(seg):
            break
        kept.append(seg)
    reason = "；".join(kept)
    y = YOY_RE.search(reason)
    if y:
        reason = reason[:y.start()]
    reason = reason.strip("，,；;：: ")
    return (reason or None), start + len(reason)


def find_yoy(text: str, fiscal_year: Optional[int]) -> list[YoyMatch]:
    out: list[YoyMatch] = []
    for m in YOY_RE.finditer(text):
        change = pct = None
        unit = None
        direction_sign = 1
        for d, n, u in ((m.group("d1"), m.group("n1"), m.group("u1")), (m.group("d2"), m.group("n2"), m.group("u2"))):
            if not d:
                continue
            sign = _sign(d)
            value = parse_decimal(n) * sign
            if u in ("%", "％"):
                if pct is None:
                    pct = value
            elif change is None:
                change, unit = value, normalise_unit(u)
                direction_sign = sign
            if change is None and pct is not None:
                direction_sign = sign
        ref = change if change is not None else pct
        direction = "flat" if ref == 0 else ("increase" if direction_sign > 0 else "decrease")
        reason, _ = reason_after(text, m.end())
        out.append(YoyMatch(m.start(), m.end(), _prior(m.group("year"), m.group("last"), fiscal_year),
                            change, unit, pct, direction, reason))
    for m in FLAT_RE.finditer(text):
        if any(y.start <= m.start() < y.end for y in out):
            continue
        year = m.group("year") or m.group("year2")
        last = m.group("last") or m.group("last2")
        reason, _ = reason_after(text, m.end())
        out.append(YoyMatch(m.start(), m.end(), _prior(year, last, fiscal_year), Decimal(0), None, None,
                            "flat", reason))
    out.sort(key=lambda y: y.start)
    return out


def bare_change(text: str, start: int, fiscal_year: Optional[int], compare_year: Optional[int]) -> Optional[YoyMatch]:
    """``基本支出增加204.12万元`` at ``start`` (the amount is preceded by 增加/减少)."""
    m = BARE_RE.match(text, start)
    if not m:
        return None
    sign = _sign(m.group("d1"))
    change = parse_decimal(m.group("n1")) * sign
    reason, _ = reason_after(text, m.end())
    direction = "flat" if change == 0 else ("increase" if sign > 0 else "decrease")
    return YoyMatch(m.start(), m.end(), compare_year if compare_year else (fiscal_year - 1 if fiscal_year else None),
                    change, normalise_unit(m.group("u1")), None, direction, reason, bare=True)
