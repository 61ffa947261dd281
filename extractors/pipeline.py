"""Extract one document: read → blocks → classify → parse → normalise, then merge.

``extract_document`` never raises on bad input: every problem becomes a
:class:`~extractors.records.LoadError` row naming the file, the stage and the line, and the
other documents keep loading. A document that reads fine but is no budget disclosure
(``extractors.disclosure``) gives only a warning row saying why: no entity, no facts.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Optional

from .errors import ExtractionError
from .read import NATIVE_SUFFIXES, SourceDocument, content_hash, read_document, relative_name
from .records import DocumentExtraction, DocumentMeta, LoadError
from .settings import DEFAULT_SETTINGS, ExtractSettings


def _stage(result: DocumentExtraction, source_file: str, stage: str, fn, *args):
    """Run one extraction stage; record its failure instead of raising."""
    try:
        return fn(*args)
    except ExtractionError as exc:
        result.load_errors.append(LoadError(source_file, exc.stage or stage, exc.message, "error", exc.line_number))
    except Exception as exc:  # a bug in a stage must not stop the other documents
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        result.load_errors.append(LoadError(
            source_file, stage,
            f"internal error {type(exc).__name__}: {exc} (at {Path(tb.filename).name}:{tb.lineno})", "error"))
    return None


def extract_document(path: Path, raw_dir: Optional[Path] = None,
                     settings: ExtractSettings = DEFAULT_SETTINGS) -> DocumentExtraction:
    path = Path(path)
    name = relative_name(path, raw_dir)
    result = DocumentExtraction(document=None)
    if path.suffix.lower() in NATIVE_SUFFIXES:
        from . import native
        doc = _stage(result, name, "read", native.read_native, path, raw_dir, settings)
    else:
        doc = _stage(result, name, "read", read_document, path, raw_dir, settings)
    if doc is None:
        return result
    for w in doc.warnings:
        result.load_errors.append(LoadError(name, "read", w, "warning"))
    from .tables import extract_tables
    from .narrative import extract_metadata, extract_narrative

    parts = []
    for stage, fn in (("tables", extract_tables), ("narrative", extract_narrative)):
        part = _stage(result, name, stage, fn, doc, settings)
        if part is not None:
            parts.append(part)
    meta = _stage(result, name, "metadata", extract_metadata, doc, settings)
    if meta is None:
        from .native.render import line_boxes_json
        meta = DocumentMeta(source_file=name, content_hash=doc.content_hash, dialect=doc.dialect,
                            n_lines=len(doc.lines), line_boxes=line_boxes_json(getattr(doc, "line_pages", None)))
    from .merge import merge_parts
    from .bounds import drop_oversized
    merged = merge_parts(meta, parts, result)
    drop_oversized(merged, name)
    from .disclosure import not_budget_reason
    reason = not_budget_reason(doc, merged)
    if reason:
        # read, and no budget: no document row, no entity, no facts; its warning row says why
        return DocumentExtraction(document=None, load_errors=[
            *merged.load_errors, LoadError(name, "classify", reason, "warning")])
    return merged
