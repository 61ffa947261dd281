"""Stage 1 — read: bytes on disk → a decoded, line-split :class:`SourceDocument`.

Pure apart from reading the file. Text is UTF-8, GB18030 or, after a byte order mark,
UTF-16 (LE or BE). Rejects empty files, binary files with a text name and
undecodable text with an :class:`~extractors.errors.ExtractionError` naming the file; a file
cut inside a multi-byte character (a truncated download) is decoded up to the cut and
flagged ``truncated``.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .errors import ExtractionError
from .settings import DEFAULT_SETTINGS, ExtractSettings

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
NATIVE_SUFFIXES = {".pdf", ".docx", ".xlsx"}


@dataclass
class SourceDocument:
    source_file: str  # path relative to the raw dir, '/'-separated
    path: Path
    content_hash: str  # sha256 of the bytes
    data: bytes
    text: str = ""
    encoding: Optional[str] = None
    lines: list[str] = field(default_factory=list)  # lines[0] is line 1
    dialect: str = "prose"
    truncated: bool = False
    warnings: list[str] = field(default_factory=list)

    def line(self, number: int) -> str:
        return self.lines[number - 1]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def relative_name(path: Path, raw_dir: Optional[Path]) -> str:
    """A file's name in the warehouse and its partition key: its path relative to the raw dir,
    '/'-separated. The path as listed, not its link's target (a symbolic link is named where it
    is in the raw dir); a path outside the raw dir is named by its file name."""
    if raw_dir is not None:
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(raw_dir)).as_posix()
        except ValueError:
            pass
        try:  # the raw dir or the path given through a link of its own (/tmp vs /private/tmp)
            return Path(path).resolve().relative_to(Path(raw_dir).resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
            pass
    return Path(path).name


# control characters that do not occur in text (tab, newline, form feed, CR and ESC do)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def _looks_binary(data: bytes, settings: ExtractSettings) -> bool:
    head = data[:65536]
    if b"\x00" in head:
        return True
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return control / max(len(head), 1) > settings.binary_control_ratio


def _utf16_bom(data: bytes) -> Optional[str]:
    """The UTF-16 byte order a byte order mark announces (Windows' "Unicode" text), else None."""
    if data[:2] == b"\xff\xfe":
        return "utf-16-le"
    if data[:2] == b"\xfe\xff":
        return "utf-16-be"
    return None


def decode(data: bytes, source_file: str, settings: ExtractSettings = DEFAULT_SETTINGS) -> tuple[str, str, bool]:
    """Return (text, encoding, truncated)."""
    utf16 = _utf16_bom(data)
    if utf16:
        try:
            return data[2:].decode(utf16), utf16, False
        except UnicodeDecodeError as exc:
            # cut inside its last code unit or surrogate pair: keep what is there, flag it
            if exc.start >= len(data) - 2 - 4 and exc.reason in ("truncated data", "unexpected end of data"):
                return data[2:2 + exc.start].decode(utf16), utf16, True
            raise ExtractionError(source_file, "read", f"not valid {utf16} text after its byte order mark: "
                                  f"{exc.reason} at byte {exc.start + 2}") from exc
    for enc in settings.encodings:
        try:
            return data.decode(enc), enc.replace("-sig", ""), False
        except UnicodeDecodeError as exc:
            # a UTF-8 file cut inside its last character: keep what is there, flag it
            if enc.startswith("utf-8") and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
                return data[: exc.start].decode(enc), "utf-8", True
            continue
    raise ExtractionError(source_file, "read", f"not valid text in any of {', '.join(settings.encodings)}")


def detect_dialect(lines: list[str]) -> str:
    """Which text dialect a document is in (see README: four text dialects)."""
    n = len(lines)
    tab_cell = tab_sep = html = 0
    for ln in lines:
        tabs = ln.count("\t")
        if tabs == 1 and ln[0] == "\t":
            tab_cell += 1  # DOCX text: one cell per line, the line starts with a tab and holds no other tab
        elif tabs >= 2:
            tab_sep += 1  # PDF→markdown: a row per line, cells separated by tabs
        if "<" in ln and ("<p>" in ln or "<input" in ln or "<table" in ln or "<td" in ln):
            html += 1
    if n == 0:
        return "prose"
    if html or (tab_sep >= 5 and tab_sep > tab_cell):
        return "markdown"
    if tab_cell >= max(5, n * 0.05):
        return "docx_text"
    # pdftotext: many short lines that end mid-sentence (no closing punctuation) and form feeds
    nonblank = [ln for ln in lines if ln.strip()]
    formfeeds = sum(1 for ln in lines if "\f" in ln)
    open_ended = sum(1 for ln in nonblank if ln.rstrip()[-1:] not in "。；;：:）)！？")
    if formfeeds or (nonblank and open_ended / len(nonblank) > 0.6 and len(nonblank) > 200):
        return "pdftotext"
    return "prose"


def read_document(path: Path, raw_dir: Optional[Path] = None, settings: ExtractSettings = DEFAULT_SETTINGS) -> SourceDocument:
    """Read one text document. Raises ExtractionError on empty, binary or undecodable input."""
    path = Path(path)
    name = relative_name(path, raw_dir)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExtractionError(name, "read", f"cannot open: {exc.strerror}") from exc
    if size > settings.max_bytes:
        raise ExtractionError(name, "read", f"file is {size} bytes, more than the {settings.max_bytes} allowed")
    data = path.read_bytes()
    doc = SourceDocument(source_file=name, path=path, content_hash=content_hash(data), data=data)
    if not data.strip():
        raise ExtractionError(name, "read", "empty file (0 bytes of text)")
    utf16 = _utf16_bom(data)  # UTF-16 text is half NUL bytes: judged on its decoded text
    if not utf16 and _looks_binary(data, settings):
        raise ExtractionError(name, "read", "binary content in a text file (NUL or control bytes); "
                              "PDF, DOCX and XLSX need their native suffix")
    text, enc, truncated = decode(data, name, settings)
    if utf16:
        if not text.strip():
            raise ExtractionError(name, "read", f"empty file (no text after the {utf16} byte order mark)")
        if _looks_binary(text.encode("utf-8", "surrogatepass"), settings):
            raise ExtractionError(name, "read", "binary content in a text file (NUL or control characters "
                                  f"after a {utf16} byte order mark)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc.text, doc.encoding, doc.truncated = text, enc, truncated
    doc.lines = text.split("\n")
    if doc.lines and doc.lines[-1] == "":
        doc.lines.pop()
    if truncated:
        doc.warnings.append(f"file ends inside a character at byte {len(data)}: truncated download?")
    if enc != "utf-8":
        doc.warnings.append(f"decoded as {enc}, not UTF-8")
    doc.dialect = detect_dialect(doc.lines)
    return doc
