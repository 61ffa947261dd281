"""Merge the per-stage extractions of one document into one DocumentExtraction."""
from __future__ import annotations

from dataclasses import replace

from .records import BudgetEntity, DocumentExtraction, DocumentMeta

_LISTS = ("entities", "tables", "table_rows", "table_amounts", "narrative_figures", "yoy_changes",
          "projects", "performance_indicators", "load_errors")


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
        result.document = replace(meta, entity_code=primary.entity_code)
    return result
