"""Amounts that cannot be stored: a figure is data, so a number too large for the warehouse's
DECIMAL columns becomes a load error row for its document (file, page, line, the printed text)
and the figure is kept without its amount. The rest of the document, and of the batch, loads.

The marts hold 万元 as DECIMAL(18,6) (12 integer digits); a figure in 元 is divided by 10,000 on
the way, so a printed 元 amount may have up to 16 integer digits. Percentages are DECIMAL(9,4).
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Optional

from .records import DocumentExtraction, LoadError

WAN_LIMIT = Decimal(10) ** 12  # |amount| in 万元 must be below this
PCT_LIMIT = Decimal(10) ** 5

_AMOUNT_LISTS = ("table_amounts", "narrative_figures", "yoy_changes", "projects", "performance_indicators")


def _limit(field_name: str, unit: Optional[str]) -> Decimal:
    if field_name.endswith("_pct"):
        return PCT_LIMIT
    return WAN_LIMIT * (10000 if unit == "元" else 1)


def _where(rec) -> str:
    page = getattr(rec, "page", None)
    line = getattr(rec, "line_number", None)
    return ", ".join(p for p in (f"page {page}" if page else "", f"line {line}" if line else "") if p) or "?"


def drop_oversized(ex: DocumentExtraction, source_file: str) -> int:
    """Blank every Decimal field of ``ex`` that the warehouse cannot hold; one error row each.
    Returns how many were blanked."""
    n = 0
    for name in _AMOUNT_LISTS:
        recs = getattr(ex, name)
        for i, rec in enumerate(recs):
            changes = {}
            unit = getattr(rec, "unit", None)
            for f in dataclasses.fields(rec):
                v = getattr(rec, f.name)
                if isinstance(v, Decimal) and (not v.is_finite() or abs(v) >= _limit(f.name, unit)):
                    changes[f.name] = None
                    raw = getattr(rec, "amount_raw", None) or getattr(rec, "raw_text", None) or format(v, "f")
                    ex.load_errors.append(LoadError(
                        source_file, "normalise",
                        f"{f.name} {format(v, 'f')} ({unit or 'no unit'}) is too large to be an amount "
                        f"({_where(rec)}: {str(raw)[:80]!r}); kept without it", "error",
                        getattr(rec, "line_number", None)))
                    n += 1
            if changes:
                recs[i] = dataclasses.replace(rec, **changes)
    return n
