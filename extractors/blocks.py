"""Stage 2 — blocks: a document's lines → a flat stream of grid rows and prose lines.

A :class:`Block` is a generic cell grid (rows of :class:`Cell`). Every cell keeps its text,
its 1-based line number and, for native readers written later (PDF/DOCX/XLSX), an optional
page and bbox, so every reader produces the same shape and the table stages downstream
(classify → parse) do not care where the grid came from.

The text readers here produce an :class:`Item` stream (one item per printed grid row or
prose line, in reading order); :func:`segment` in :mod:`extractors.tables` cuts it into
tables. Readers:

* :func:`docx_text_items` — DOCX-derived text: one cell per line starting with a TAB, rows
  separated by blank lines, a cell may wrap onto following lines without a tab.
* :func:`markdown_items` — PDF-derived markdown: a row per line, cells separated by tabs
  (several tabs = merged cells), HTML fragments, rows wrapping onto following lines.
* :func:`pdftotext_items` — pdftotext output: every non-blank line is prose (cells are
  not recoverable from the text; the performance parser reads these lines directly).

All readers are linear in the number of lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_HTML_TAG = re.compile(r"<[^>]{0,200}>")
_SPACES = re.compile(r"[ \u3000\u00a0]+")


@dataclass(frozen=True)
class Cell:
    text: str
    line_number: Optional[int] = None
    page: Optional[int] = None
    bbox: Optional[tuple] = None  # (x0, top, x1, bottom) for native PDF readers


@dataclass
class Item:
    """One printed grid row (``cells`` set) or one prose line (``text`` set)."""

    line_number: int
    cells: Optional[list[Cell]] = None
    text: Optional[str] = None
    blank_before: bool = False  # a blank line separates this item from the previous one
    page: Optional[int] = None
    indented: bool = False  # pdftotext: the printed line starts with whitespace

    @property
    def is_row(self) -> bool:
        return self.cells is not None

    def texts(self) -> list[str]:
        return [c.text for c in self.cells] if self.cells is not None else [self.text or ""]

    def nonempty(self) -> list[str]:
        # = [t for t in self.texts() if t], in one pass (segment calls it for every item)
        if self.cells is not None:
            return [c.text for c in self.cells if c.text]
        return [self.text] if self.text else []

    def raw(self) -> str:
        return " | ".join(self.texts())


@dataclass
class Block:
    """A cell grid: rows of cells, with the title/header context it was printed under."""

    rows: list[list[Cell]] = field(default_factory=list)
    title: Optional[str] = None
    line_start: Optional[int] = None
    line_end: Optional[int] = None
    page: Optional[int] = None
    bbox: Optional[str] = None


def clean_cell(text: str) -> str:
    """Strip bookmarks, HTML tags and surrounding whitespace; keep inner text as printed."""
    if "[" in text:
        text = _BOOKMARK.sub("", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return text.strip()


def squash(text: str) -> str:
    """Remove all (incl. ideographic) spaces — for matching labels like 项  目 / 收 入."""
    if " " not in text and "\u3000" not in text and "\u00a0" not in text:
        return text  # most cells: no regex pass (squash runs ~7,000 times a document)
    return _SPACES.sub("", text)


def is_blank(line: str) -> bool:
    """An empty line; a line holding only a TAB is an empty cell, not a blank."""
    return "\t" not in line and not line.strip()


def _join_wrapped(parts: list[str]) -> str:
    # a wrapped cell (项目资金 + （万元）, 绩/效/指/标) is one text; no separator for CJK wraps
    return "".join(p.strip() for p in parts)


def _blank_separated_runs(lines: list[str]):
    """Yield (start, end, blank_before) for every run of non-blank lines, lines[start:end]."""
    blank = False
    i, n = 0, len(lines)
    while i < n:
        if is_blank(lines[i]):
            blank = True
            i += 1
            continue
        j = i
        while j < n and not is_blank(lines[j]):
            j += 1
        yield i, j, blank
        blank = False
        i = j


def docx_text_items(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    for i, j, blank in _blank_separated_runs(lines):
        # a cell's text is built as it is read: the stripped pieces concatenated, which is
        # exactly _join_wrapped(pieces) without keeping a list of pieces per cell
        texts: list[str] = []
        numbers: list[int] = []  # line number of each cell
        for k in range(i, j):
            ln = lines[k]
            if ln.startswith("\t"):
                body = ln[1:]
                if "\t" in body:  # a DOCX line holding several tab cells (rare): split them
                    for part in body.split("\t"):
                        texts.append(part.strip())
                        numbers.append(k + 1)
                else:
                    texts.append(body.strip())
                    numbers.append(k + 1)
            elif texts:
                texts[-1] += ln.strip()  # wrapped cell text
            else:
                text = clean_cell(ln)
                if text:
                    items.append(Item(k + 1, text=text, blank_before=blank))
                    blank = False
        if texts:
            row = [Cell(clean_cell(text), ln_no) for text, ln_no in zip(texts, numbers)]
            items.append(Item(numbers[0], cells=row, blank_before=blank))
    return items


def markdown_items(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    for i, j, blank in _blank_separated_runs(lines):
        run = lines[i:j]
        tabbed = ["\t" in ln for ln in run]
        if all(tabbed):
            for k, ln in enumerate(run):
                row = [Cell(clean_cell(c), i + k + 1) for c in ln.split("\t")]
                items.append(Item(i + k + 1, cells=row, blank_before=blank and k == 0))
        elif not any(tabbed):
            for k, ln in enumerate(run):
                text = clean_cell(ln)
                if text:
                    items.append(Item(i + k + 1, text=text, blank_before=blank and k == 0))
        else:
            # a row wrapped over several lines: the text of a line without a tab (or before
            # the first tab) continues the cell above it
            from .tables.classify import looks_like_title
            parts: list[list[str]] = []
            first = True
            for k, ln in enumerate(run):
                if "\t" not in ln and looks_like_title(clean_cell(ln)):
                    # a title printed right under a table: the row ends here
                    if parts:
                        items.append(Item(i + 1, cells=[Cell(clean_cell(_join_wrapped(p)), i + 1) for p in parts],
                                          blank_before=blank))
                        blank = False
                    items.append(Item(i + k + 1, text=clean_cell(ln)))
                    parts, first = [], True
                    continue
                pieces = ln.split("\t")
                if first or not parts:
                    parts = [[p] for p in pieces]
                    first = False
                else:
                    parts[-1].append(pieces[0])
                    parts.extend([p] for p in pieces[1:])
            if parts:
                row = [Cell(clean_cell(_join_wrapped(p)), i + 1) for p in parts]
                items.append(Item(i + 1, cells=row, blank_before=blank))
    return items


def pdftotext_items(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    blank = False
    page = 1
    for k, line in enumerate(lines):
        if "\f" in line:
            page += line.count("\f")
            line = line.replace("\f", "")
        text = clean_cell(line)
        if not text:
            blank = True
            continue
        items.append(Item(k + 1, text=text, blank_before=blank, page=page,
                          indented=line[:1].isspace()))
        blank = False
    return items


def items_for(dialect: str, lines: list[str]) -> list[Item]:
    if dialect == "docx_text":
        return docx_text_items(lines)
    if dialect == "markdown":
        return markdown_items(lines)
    return pdftotext_items(lines)


def items_to_block(items: Iterable[Item], title: Optional[str] = None) -> Block:
    items = list(items)
    rows = [list(it.cells) for it in items if it.cells is not None]
    return Block(rows=rows, title=title,
                 line_start=items[0].line_number if items else None,
                 line_end=items[-1].line_number if items else None)
