"""Merge the per-stage extractions of one document into one DocumentExtraction."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Optional

from .records import BudgetEntity, DocumentExtraction, DocumentMeta, LoadError, TableRecord

_LISTS = ("entities", "tables", "table_rows", "table_amounts", "narrative_figures", "yoy_changes",
          "projects", "performance_indicators", "load_errors", "reading_differences")


def merge_parts(meta: DocumentMeta, parts: list[DocumentExtraction], result: DocumentExtraction) -> DocumentExtraction:
    result.document = meta
    for part in parts:
        for name in _LISTS:
            getattr(result, name).extend(getattr(part, name))
    # entities: one row per (entity_code or primary); the primary entity always exists
    seen: dict[object, BudgetEntity] = {}
    for ent in result.entities:
        key = ent.entity_code or ("__primary__" if ent.is_primary else ent.entity_name)
        if key not in seen or (ent.is_primary and not seen[key].is_primary):
            seen[key] = ent
    if not any(e.is_primary for e in seen.values()):
        primary = BudgetEntity(source_file=meta.source_file, entity_code=meta.entity_code,
                               entity_name=meta.entity_name or meta.source_file, scope="department",
                               is_primary=True)
        seen[primary.entity_code or "__primary__"] = primary
    result.entities = list(seen.values())
    primary = next(e for e in result.entities if e.is_primary)
    if meta.entity_code is None and primary.entity_code is not None:
        result.document = replace(result.document, entity_code=primary.entity_code)
    unit = tables_unit(result.tables)
    if unit is not None and unit != result.document.amount_unit:
        result.document = replace(result.document, amount_unit=unit)
    if unit is not None:
        _unit_where_unprinted(result, unit)
    return result


def _unit_where_unprinted(result: DocumentExtraction, unit: str) -> None:
    """A table printing no unit (its 单位 printed on another page: 上海 C003's 收入预算总表, whose
    last column and 单位：元 spill onto pages of their own) is in the document's unit, the unit of
    most of its tables — not the reader's default: its figures were read as 万元, 10,000 times
    those of the tables beside it. Recorded as a warning naming the table."""
    unitless = {(t.source_file, t.table_id): t for t in result.tables
                if t.unit is None and not t.is_empty and t.table_kind not in ("unknown", "performance_targets")}
    # only where the reader's default differs from it: a table read in the document's unit anyway
    # stays as it is, unwarned
    read_otherwise = {(a.source_file, a.table_id) for a in result.table_amounts if a.unit != unit}
    unitless = {k: t for k, t in unitless.items() if k in read_otherwise}
    if not unitless:
        return
    result.tables = [replace(t, unit=unit) if (t.source_file, t.table_id) in unitless else t for t in result.tables]
    result.table_amounts = [replace(a, unit=unit) if (a.source_file, a.table_id) in unitless and a.unit != unit else a
                            for a in result.table_amounts]
    for t in unitless.values():
        result.load_errors.append(LoadError(
            t.source_file, "normalise", f"table {t.title!r} (p{t.page}) prints no unit: taken in {unit}, "
            "the unit of most of the document's tables", "warning", t.line_start))


# the tables the facts come from (功能分类 by 基本/项目, 基本支出 by 经济分类)
_MAIN_TABLE_KINDS = ("general_budget_expenditure", "expenditure_summary", "general_budget_basic_expenditure")


def tables_unit(tables: list[TableRecord]) -> Optional[str]:
    """The document's unit when it prints tables: the unit of most of its main tables, else of most
    of its tables (a 公开表 in 元 whose “三公” table and prose are in 万元 is a document in 元); None
    without tables (the unit of the prose stands). Amounts are never converted with it: every table
    keeps its own printed unit."""
    for kinds in (_MAIN_TABLE_KINDS, None):
        c = Counter(t.unit for t in tables if t.unit and not t.is_empty and not t.is_duplicate_copy
                    and (kinds is None or t.table_kind in kinds))
        if c:
            return c.most_common(1)[0][0]
    return None
