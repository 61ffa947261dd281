"""Narrative extraction (issue 4). Placeholder until the narrative extractor lands."""
from __future__ import annotations

from ..read import SourceDocument
from ..records import DocumentExtraction, DocumentMeta
from ..settings import ExtractSettings


def extract_narrative(doc: SourceDocument, settings: ExtractSettings) -> DocumentExtraction:
    return DocumentExtraction(document=None)


def extract_metadata(doc: SourceDocument, settings: ExtractSettings) -> DocumentMeta:
    return DocumentMeta(source_file=doc.source_file, content_hash=doc.content_hash, dialect=doc.dialect,
                        n_lines=len(doc.lines))
