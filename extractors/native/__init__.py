"""Native readers: PDF (pdfium page model, pdfplumber where it is better), DOCX (python-docx), XLSX (fastexcel/calamine).

Every reader produces the same thing as the text readers: a :class:`SourceDocument` whose
``lines`` are a faithful text rendering (prose lines as printed; a table row as one line of
tab-separated cells, tables separated from prose by blank lines — the ``markdown`` cell
convention) **plus** ``doc.items``: the pre-built :class:`~extractors.blocks.Item` stream
(grid rows of :class:`~extractors.blocks.Cell` carrying line, page and bbox; prose lines).
``extractors.tables.extract_tables`` uses ``doc.items`` when present instead of re-reading
the lines, so classify → parse → records are shared by every format and every record gets
its page (and the table its bbox). The narrative stages read ``doc.lines``.

``doc.line_pages`` maps a 1-based line number → (page, bbox or None).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import ExtractionError
from ..read import SourceDocument, content_hash, relative_name
from ..settings import DEFAULT_SETTINGS, ExtractSettings
from .render import render

__all__ = ["read_native", "render"]


def read_native(path: Path, raw_dir: Optional[Path] = None,
                settings: ExtractSettings = DEFAULT_SETTINGS) -> SourceDocument:
    path = Path(path)
    name = relative_name(path, raw_dir)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExtractionError(name, "read", f"cannot open: {exc.strerror}") from exc
    if size == 0:
        raise ExtractionError(name, "read", "empty file (0 bytes)")
    if size > settings.max_bytes:
        raise ExtractionError(name, "read", f"file is {size} bytes, more than the {settings.max_bytes} allowed")
    data = path.read_bytes()
    doc = SourceDocument(source_file=name, path=path, content_hash=content_hash(data), data=data)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from .pdf import read_pdf
        info: dict = {}
        entries, n_pages = read_pdf(data, name, settings, info)
        doc.warnings.extend(info.get("warnings", []))
        doc.pdf_reader = info.get("reader")  # type: ignore[attr-defined]
        doc.page_chars = info.get("page_chars", {})  # type: ignore[attr-defined]  # second reading of each grid
        dialect = "pdf"
    elif suffix == ".docx":
        from .docx import read_docx
        entries, n_pages = read_docx(data, name, settings), None
        dialect = "docx"
    elif suffix == ".xlsx":
        from .xlsx import read_xlsx
        entries, n_pages = read_xlsx(data, name, settings), None
        dialect = "xlsx"
    else:
        raise ExtractionError(name, "read", f"not a native format: {suffix!r}")
    render(doc, entries)
    doc.dialect = dialect
    doc.n_pages = n_pages  # type: ignore[attr-defined]
    doc.encoding = None
    return doc
