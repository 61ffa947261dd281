"""Table extraction (issue 3). Placeholder until the table extractor lands."""
from __future__ import annotations

from ..read import SourceDocument
from ..records import DocumentExtraction
from ..settings import ExtractSettings


def extract_tables(doc: SourceDocument, settings: ExtractSettings) -> DocumentExtraction:
    return DocumentExtraction(document=None)
