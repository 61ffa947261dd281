"""Prose lines → paragraphs → sentences, each with the line number it starts on.

Three steps, all pure:

1. ``prose_mask``: which lines are prose. DOCX text: a line starting with a tab is a table
   cell, and so is a non-blank line directly under a cell (a cell that holds a line break).
   PDF→markdown: a line holding a tab, or HTML, is a table row. Native PDF / DOCX / XLSX:
   the lines of the grid rows in ``doc.items`` (else a line holding a tab). pdftotext / prose: every
   line, except page numbers and the body of a flattened 绩效目标表 (handled elsewhere).
2. ``paragraphs``: DOCX paragraphs are lines. PDF text (pdftotext, markdown) is wrapped, so
   lines are joined until a sentence end, a heading, or a short heading line; blank lines and
   page breaks do not end a paragraph by themselves (``882.61\\n\\n万元`` joins to ``882.61万元``).
   Text is compacted (whitespace removed) and keeps an offset → line map.
3. ``split_sentences``: paragraphs are cut after 。！？; every sentence keeps the number of
   the line its first character came from, and the heading it sits under.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Optional

from .text import AMOUNT_RE, HEADING_RE, TERMINAL, clean_line, compact, display_width

PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-—－]\s*)?\d{1,4}(?:\s*[-—－])?\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")
PERF_TABLE_TITLE_RE = re.compile(r"^项目支出绩效目标(?:申报)?表$")
PATH_MARK_RE = re.compile(r"[（(][类款项][）)]")
PART_RE = re.compile(r"^第[一二三四五六七八九十百]+部分")
WRAPPED_DIALECTS = ("pdftotext", "markdown", "prose", "pdf")


@dataclass
class Paragraph:
    text: str  # compacted
    line_number: int  # line of the first character
    offsets: list[int] = field(default_factory=list)  # start offset of each joined line piece
    lines: list[int] = field(default_factory=list)  # its line number
    is_heading: bool = False

    def line_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.offsets, offset) - 1
        return self.lines[max(i, 0)]


@dataclass
class Sentence:
    text: str
    line_number: int
    section: Optional[str] = None  # nearest heading above
    paragraph_index: int = 0
    is_heading: bool = False
    part: Optional[str] = None  # the 第X部分 heading above


NATIVE_DIALECTS = ("pdf", "docx", "xlsx")


def table_lines_of(doc) -> Optional[set]:
    """Line numbers (1-based) of the table rows a native reader built (``doc.items``), or None."""
    items = getattr(doc, "items", None)
    if not items:
        return None
    return {it.line_number for it in items if it.cells is not None}


def prose_mask(lines: list[str], dialect: str, table_lines: Optional[set] = None) -> list[bool]:
    """True for the lines that belong to prose.

    ``table_lines``: the 1-based line numbers of grid rows a native reader built (PDF, DOCX,
    XLSX: ``doc.items``); they are never prose. Without them, a native-dialect line holding a
    tab is a table row (the native renderings join cells with tabs).
    """
    n = len(lines)
    mask = [True] * n
    if table_lines:
        for ln in table_lines:
            if 1 <= ln <= n:
                mask[ln - 1] = False
    if dialect in NATIVE_DIALECTS:
        if not table_lines:
            for i, raw in enumerate(lines):
                if "\t" in raw:
                    mask[i] = False
    elif dialect == "docx_text":
        in_cell = False
        for i, raw in enumerate(lines):
            if raw.startswith("\t"):
                mask[i] = False
                in_cell = True
            elif not raw.strip():
                in_cell = False
            elif in_cell and _continues_cell(raw):  # a cell holding a line break
                mask[i] = False
            else:
                in_cell = False
    elif dialect == "markdown":
        in_cell = False
        for i, raw in enumerate(lines):
            low = raw.lower()
            if "\t" in raw or "<p>" in low or "<input" in low or "<td" in low or "<table" in low or "</p>" in low:
                mask[i] = False
                in_cell = True
            elif not raw.strip():
                in_cell = False
            elif in_cell and _continues_cell(raw):
                mask[i] = False
            else:
                in_cell = False
    for i, raw in enumerate(lines):
        if mask[i] and PAGE_NUMBER_RE.match(raw):
            mask[i] = False
    if dialect in WRAPPED_DIALECTS:
        _mask_flattened_performance_tables(lines, mask)
    return mask


def _continues_cell(raw: str) -> bool:
    """A short line right under a cell is the rest of that cell (（万元）, 目标, 效 / 指 / 标)."""
    s = raw.strip()
    return len(s) <= 12 and not s.endswith(("。", "：", ":"))


def _mask_flattened_performance_tables(lines: list[str], mask: list[bool]) -> None:
    """In PDF text a 绩效目标表 is flattened into short lines; drop them from the prose.

    The table runs from its title to the next numbered heading (the next project or the next
    subsection). Its lines stay in ``lines`` for the project parser to read 年度资金总额.
    """
    inside = False
    for i, raw in enumerate(lines):
        s = compact(clean_line(raw))
        if not s:
            continue
        if PERF_TABLE_TITLE_RE.match(s):
            inside = True
            mask[i] = False
            continue
        if inside:
            if HEADING_RE.match(s) and not s.startswith("- ") and len(s) > 3:
                inside = False
            else:
                mask[i] = False


def _wrap_width(widths: list[int]) -> int:
    if not widths:
        return 0
    ws = sorted(widths)
    return ws[min(len(ws) - 1, int(len(ws) * 0.9))]


def looks_like_heading(text: str, width: int, wrap_width: int) -> bool:
    """A numbered line with no amount that stops short of the right margin."""
    if not HEADING_RE.match(text):
        return False
    if AMOUNT_RE.search(text) or PATH_MARK_RE.search(text):
        return False  # a figure, or a 类/款/项 name path wrapped before its amount
    if text.startswith("第") and "部分" in text[:6]:
        return True
    return wrap_width == 0 or width < 0.85 * wrap_width or (text.endswith("。") and len(text) < 40)


def paragraphs(lines: list[str], dialect: str, mask: Optional[list[bool]] = None,
               table_lines: Optional[set] = None) -> list[Paragraph]:
    if mask is None:
        mask = prose_mask(lines, dialect, table_lines)
    wrapped = dialect in WRAPPED_DIALECTS
    items: list[tuple[int, str, int]] = []  # (line_number, compact text, display width)
    for i, raw in enumerate(lines):
        if not mask[i]:
            items.append((i + 1, "", -1))  # a table line: breaks a paragraph
            continue
        s = compact(clean_line(raw))
        if s:
            items.append((i + 1, s, display_width(raw.strip())))
    wrap_width = _wrap_width([w for _, s, w in items if w > 0]) if wrapped else 0
    out: list[Paragraph] = []
    cur: Optional[Paragraph] = None
    for ln, s, w in items:
        if w < 0:  # table line
            cur = None
            continue
        heading = looks_like_heading(s, w, wrap_width)
        join = (
            wrapped and cur is not None and not cur.is_heading
            and cur.text[-1] not in TERMINAL
            and not HEADING_RE.match(s)
        )
        if join:
            cur.offsets.append(len(cur.text))
            cur.lines.append(ln)
            cur.text += s
        else:
            cur = Paragraph(text=s, line_number=ln, offsets=[0], lines=[ln], is_heading=heading)
            out.append(cur)
    return out


_SPLIT_RE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]?|$)")


def split_sentences(paras: list[Paragraph]) -> list[Sentence]:
    out: list[Sentence] = []
    section: Optional[str] = None
    part: Optional[str] = None
    for pi, p in enumerate(paras):
        if p.is_heading:
            section = p.text
            if PART_RE.match(p.text):
                part = p.text
            out.append(Sentence(p.text, p.line_number, section, pi, True, part))
            continue
        for m in _SPLIT_RE.finditer(p.text):
            if m.group(0):
                out.append(Sentence(m.group(0), p.line_at(m.start()), section, pi, False, part))
    return out


def sentences_of(lines: list[str], dialect: str) -> list[Sentence]:
    return split_sentences(paragraphs(lines, dialect))
