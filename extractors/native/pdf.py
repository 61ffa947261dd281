"""PDF → entries (prose lines and grid rows) with pdfplumber, or pdfium's page model (settings.pdf_reader).

* Ruled tables (drawn cell borders) are read with ``page.find_tables()`` (lines strategy):
  one row per printed row, merged cells as empty cells, cell text with its line breaks
  joined; every cell keeps its page and bbox.
* Pages without ruling lines: words are grouped into printed lines; a run of lines cut
  into several cells by wide gaps with amounts in them is a grid read by text alignment
  (columns = overlapping x ranges of the run's cells). A wrapped name printed alone on the
  line above its code/amount row is joined into that row's name cell.
* A table continued on the next page is one table: the header rows it repeats are dropped,
  and running page headers/footers (page numbers, a line printed on most pages) are not rows.
* Text outside tables is prose, in reading order (top to bottom) with the tables.

A PDF with (almost) no text layer is a scan: :class:`ExtractionError` (stage ``read``).
Encrypted, truncated or page-less files raise :class:`ExtractionError` too.
"""
from __future__ import annotations

import io
import re
from bisect import bisect_left
from collections import Counter
from typing import Optional

from ..blocks import squash
from ..errors import ExtractionError
from ..tables.classify import looks_like_title
from ..tables.overflow import RUN_GAP, RUN_TOP, joins_across, regroup_by
from ..settings import ExtractSettings
from .render import RowEntry, TextEntry

_TIE_SHIFT = 0.00371  # see _text_lines
_AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# a page's number line: - 3 -, 第 3 页, 第 3 页，共 45 页 (西安 C056: it closed a table running over pages)
_PAGE_NO = re.compile(r"^\s*(?:[-—－]\s*)?\d{1,4}(?:\s*[-—－])?\s*$|^\s*第\s*\d+\s*页(?:\s*[，,、]?\s*共\s*\d+\s*页)?\s*$")
_PROSE_PUNCT = re.compile(r"[，。；：]")
# the number of a list item (1、 / 2. / 10．) opening a line
_ENUMERATOR = re.compile(r"^\d{1,2}\s*[、.．]\s*(?=\D)")
_CODE_NAME = re.compile(r"^(\d{3}(?:\s+\d{2}){1,2})\s+(\S.*)$")


def _encrypted(exc: BaseException) -> bool:
    """Whether a failure to open is the PDF's encryption. pdfplumber wraps pdfminer's
    PDFPasswordIncorrect (or PDFEncryptionError for an unsupported scheme) in a
    PdfminerException whose own message is empty, so the wrapped errors are looked at too."""
    seen: set[int] = set()
    todo: list = [exc]
    while todo:
        e = todo.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        text = f"{type(e).__name__}: {e}".lower()
        if "password" in text or "encrypt" in text:
            return True
        todo.extend([e.__cause__, e.__context__, *e.args])
    return False


def _open(data: bytes, name: str):
    import pdfplumber

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ExtractionError(name, "read", "not a PDF (no %PDF header)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfminer raises many types for bad files
        if _encrypted(exc):
            raise ExtractionError(name, "read", "encrypted PDF (password-protected): cannot read it "
                                  "without the password") from exc
        text = f"{type(exc).__name__}: {exc}".strip()
        raise ExtractionError(name, "read", f"cannot parse the PDF (truncated or damaged?): {text[:200]}") from exc
    if not pages:
        pdf.close()
        raise ExtractionError(name, "read", "PDF has zero pages")
    return pdf


def fix_char_boxes(page) -> int:
    """Glyph boxes placed by the baseline, for fonts whose declared ascent/descent is wrong.

    Some embedded fonts (seen: the E-BZ Latin fonts of Chongqing disclosures) declare a box that
    sits most of an em below the baseline, so their digits land a line lower than the CJK text
    they are printed with (the year of a title on the next line, an amount in the row below).
    A character whose box bottom is not within [-0.2, +0.45] em of its baseline gets the box
    size tall ending 0.2 em below the baseline. Upright, unrotated characters only; edits the
    page's character dicts in place (find_tables and the text lines read the same objects).
    Returns how many characters were moved."""
    height = float(page.height)
    moved = 0
    unchecked = getattr(page, "unchecked", None)  # the pdfium page model knows which may move
    for ch in (page.chars if unchecked is None else unchecked):
        m = ch.get("matrix")
        size = ch.get("size") or 0
        if not m or size <= 0 or m[1] or m[2] or not ch.get("upright", True):
            continue
        base = float(page.bbox[3]) - m[5] if page.bbox else height - m[5]
        off = ch["bottom"] - base
        if -0.2 * size <= off <= 0.45 * size:
            continue
        bottom = base + 0.2 * size
        top = bottom - size
        dy = top - ch["top"]
        ch["top"], ch["bottom"] = top, bottom
        ch["doctop"] = ch.get("doctop", top) + dy
        ch["y1"], ch["y0"] = height - top, height - bottom
        moved += 1
    return moved


def _drop_inline_boxes(tables, chars) -> list:
    """Ruled boxes around words inside a prose line (a template's filled-in blanks drawn as boxes:
    2026 [年本单位基本支出预算数] [386.73] 万元) are not tables: one row, one text line high, with
    printed text beside it on the same line. Their characters stay in the prose line."""
    def within(bbox) -> list:  # the characters whose midpoint lies in bbox (edges included)
        x0, top, x1, bottom = bbox
        return [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]

    def inline(bbox) -> bool:
        x0, top, x1, bottom = bbox
        inside = within(bbox)
        size = max((c.get("size") or 0 for c in inside), default=0)
        if not inside or bottom - top > 2 * size:
            return False
        mid = (top + bottom) / 2
        if any(c["top"] <= mid <= c["bottom"] and not (x0 <= (c["x0"] + c["x1"]) / 2 <= x1) for c in chars):
            return True  # printed text beside the box on the same line
        # a whole prose line boxed: sentence punctuation, which no table row prints
        return bool(_PROSE_PUNCT.search("".join(c["text"] for c in inside)))

    def words_line(t) -> bool:
        # one boxed line of words and no figure (主要是 | 单位 | 为完成特定…): prose, not a table;
        # a list item's own number is no figure (a contents page's 1、部门收支总表, C042 p2)
        if len(t.rows) != 1:
            return False
        top, bottom = t.bbox[1], t.bbox[3]
        inside = _ENUMERATOR.sub("", "".join(c["text"] for c in within(t.bbox)).strip())
        size = max((c.get("size") or 0 for c in chars), default=0)
        return bool(inside) and not any(ch.isdigit() for ch in inside) and bottom - top <= 2 * size

    return [t for t in tables if not (len(t.rows) <= 3 and all(inline(r.bbox) for r in t.rows)) and not words_line(t)]


def _text_lines(page, boxes) -> list[dict]:
    """Words outside the table boxes grouped into printed lines; each line keeps its words."""
    # same words as page.filter(…).extract_words(…), without filtering every non-char object
    chars = page.chars
    if boxes:
        # a character whose midpoint is inside a table's box (1 pt margin) is the table's
        grown = [(b[0] - 1, b[1] - 1, b[2] + 1, b[3] + 1) for b in boxes]
        kept = []
        for c in chars:
            cx = (c["x0"] + c["x1"]) / 2
            cy = (c["top"] + c["bottom"]) / 2
            for x0, top, x1, bottom in grown:
                if x0 <= cx <= x1 and top <= cy <= bottom:
                    break
            else:
                kept.append(c)
        chars = kept
    words = words_of(chars, 1.5)
    # by the whole point the word's top is nearest to; the buckets' bounds are shifted off the
    # half points (231.5) that a two-decimal top hits exactly, where float noise would decide:
    # pdfminer's 231.49999999999994 and pdfium's float32 231.50002 fell in different buckets
    words.sort(key=lambda w: (round(w["top"] + _TIE_SHIFT), w["x0"]))
    lines: list[dict] = []
    for w in words:
        if lines and abs(w["top"] - lines[-1]["top"]) <= 3:
            lines[-1]["words"].append(w)
            lines[-1]["bottom"] = max(lines[-1]["bottom"], w["bottom"])
        else:
            lines.append({"top": w["top"], "bottom": w["bottom"], "words": [w]})
    for ln in lines:
        ws = sorted(ln["words"], key=lambda w: w["x0"])
        ln["words"] = ws
        ln["x0"], ln["x1"] = ws[0]["x0"], max(w["x1"] for w in ws)
        # cells: words separated by a gap wider than ~2 characters
        cells: list[list] = []
        for w in ws:
            size = max(w["bottom"] - w["top"], 4)
            if cells and w["x0"] - cells[-1][-1]["x1"] <= 1.8 * size:
                cells[-1].append(w)
            else:
                cells.append([w])
        ln["cells"] = [(_join(c), (c[0]["x0"], min(x["top"] for x in c), c[-1]["x1"], max(x["bottom"] for x in c)))
                       for c in cells]
        ln["text"] = _join(ws)
    return lines


def clusters(values, tol: float) -> dict:
    """pdfplumber's make_cluster_dict: each distinct value → its cluster (a chain of sorted values
    each within ``tol`` of the one before). The word steps' lines and the table finder's snapping
    (tablefind._snap) both cluster this way."""
    out = {}
    k, last = 0, None
    for v in sorted(set(values)):
        if last is not None and v > last + tol:
            k += 1
        out[v] = k
        last = v
    return out


def _compiled_text():
    """The word steps compiled (extractors/native/_text_loops.c, built by ``pip install`` where a C
    compiler is found), or None: :func:`_word_chars` and :func:`cell_text` then run in Python."""
    try:
        from . import _text_loops
    except ImportError:
        return None
    return _text_loops


_CT = _compiled_text()


def use_compiled_text(on: bool) -> bool:
    """Run the word steps compiled (the default where the module was built) or in Python
    (``on=False``: the reference the tests compare the compiled steps with). → whether compiled."""
    global _CT
    _CT = _compiled_text() if on else None
    return _CT is not None


def _word_chars(chars, x_tol: float, y_tol: float = 3) -> list:
    """pdfplumber's WordExtractor steps for one run of upright characters (no blank characters
    kept, no text flow): characters clustered into lines by top (``y_tol``), each line sorted by
    x0, cut into words where a blank character stands, where the next character starts left of
    the previous one's x0 or more than ``x_tol`` right of its x1, or its top is more than
    ``y_tol`` away. → the words' characters, in pdfplumber's order. Compiled where it was built
    (_text_loops.word_chars: the same steps, for float coordinates)."""
    if not chars:
        return []
    if _CT is not None:
        got = _CT.word_chars(chars if type(chars) is list else list(chars), x_tol, y_tol)
        if got is not None:
            return got
    top0 = chars[0]["top"]
    if all(c["top"] == top0 for c in chars):  # one printed line (the usual cell): one cluster
        lines = {0: chars}
    else:
        cl = clusters([c["top"] for c in chars], y_tol)
        lines = {}
        for c in chars:
            lines.setdefault(cl[c["top"]], []).append(c)
    words = []
    for k in sorted(lines):
        cur: list = []
        for c in sorted(lines[k], key=_X0):
            if c["text"].isspace():
                if cur:
                    words.append(cur)
                cur = []
            elif cur and (c["x0"] < cur[-1]["x0"] or c["x0"] > cur[-1]["x1"] + x_tol
                          or abs(c["top"] - cur[-1]["top"]) > y_tol):
                words.append(cur)
                cur = [c]
            else:
                cur.append(c)
        if cur:
            words.append(cur)
    return words


def _plain(chars) -> bool:
    """Characters the fast word steps take: all upright, none with an empty text (pdfplumber
    makes a word of its own of those)."""
    for c in chars:
        if not c["upright"] or not c["text"]:
            return False
    return True


def cell_text(chars) -> str:
    """``pdfplumber.utils.extract_text(chars)`` with its default settings (x and y tolerance 3,
    blank characters ending a word, ligatures expanded, no text flow), for upright characters:
    the same steps (:func:`_word_chars`, then the words clustered into lines by their top
    again), without pdfplumber's generic machinery (groupby on attributes, a WordExtractor and a
    TextMap per call). Other characters go to pdfplumber's own function. Compiled where it was
    built (_text_loops.cell_text: the same steps, for float coordinates)."""
    from pdfplumber.utils.text import LIGATURES, extract_text

    if not chars:
        return ""
    if _CT is not None:
        got = _CT.cell_text(chars if type(chars) is list else list(chars), LIGATURES)
        if got is not None:
            return got
    if not _plain(chars):
        return extract_text(chars)
    words = _word_chars(chars, 3)
    if not words:
        return ""
    texts = ["".join(LIGATURES.get(c["text"], c["text"] or "") for c in w) for w in words]
    if len(words) == 1:
        return texts[0]
    tops = [min(c["top"] for c in w) for w in words]
    wl = clusters(tops, 3)
    out: dict = {}
    for t, tx in zip(tops, texts):
        out.setdefault(wl[t], []).append(tx)
    return "\n".join(" ".join(out[k]) for k in sorted(out))


def words_of(chars, x_tolerance: float) -> list:
    """``pdfplumber.utils.extract_words(chars, x_tolerance=…, y_tolerance=3)`` (no blank
    characters kept, no text flow): the same word dicts, by :func:`_word_chars` for upright
    characters, pdfplumber's own function for others."""
    from pdfplumber.utils import extract_words
    from pdfplumber.utils.text import LIGATURES

    if not _plain(chars):
        return extract_words(chars, keep_blank_chars=False, use_text_flow=False, x_tolerance=x_tolerance,
                             y_tolerance=3)
    out = []
    for w in _word_chars(chars, x_tolerance):
        x0 = min(c["x0"] for c in w)
        x1 = max(c["x1"] for c in w)
        top = min(c["top"] for c in w)
        bottom = max(c["bottom"] for c in w)
        out.append({"text": "".join(LIGATURES.get(c["text"], c["text"] or "") for c in w), "x0": x0, "x1": x1,
                    "top": top, "doctop": top + (w[0]["doctop"] - w[0]["top"]), "bottom": bottom,
                    "upright": True, "height": bottom - top, "width": x1 - x0, "direction": "ltr"})
    return out


def _X0(c):
    return c["x0"]


def _table_texts(rows, table_bbox, page_chars) -> list[list[Optional[str]]]:
    """Cell texts of a table, exactly as ``Table.extract()`` gives them: each cell's characters
    (:func:`_table_cells`; a string printed across a ruling goes whole to one cell, _whole_runs),
    then their text (:func:`cell_text`)."""
    boxes = [(tuple(r.bbox), list(r.cells)) for r in rows]
    assigned = None
    if _CT is not None:
        assigned = _CT.table_cells(page_chars if type(page_chars) is list else list(page_chars), tuple(table_bbox),
                                   boxes, RUN_GAP, RUN_TOP)
    if assigned is None:
        assigned = _table_cells(page_chars, table_bbox, boxes)
    out: list[list[Optional[str]]] = []
    for per_cell, row_chars, joins in assigned:
        if joins:
            per_cell = _whole_runs(per_cell, {id(c): k for k, c in enumerate(row_chars)})
        out.append([None if cs is None else (cell_text(cs) if cs else "") for cs in per_cell])
    return out


def _table_cells(page_chars, table_bbox, rows: list) -> list[tuple[list, list, bool]]:
    """The characters of each cell of a table, as ``Table.extract()`` takes them (a char belongs
    to the cell holding its midpoint, half-open boxes), but each row scans only the chars inside
    the table (a row lies within the table's bbox) instead of every char of the page, and the
    midpoints are computed once. rows: [(row bbox, [cell bbox | None])]. → per row (its cells'
    characters in page order, None for a missing cell; the row's characters in page order;
    whether a character near its cell's right ruling ends where one of another cell starts,
    overflow.joins_across). Compiled where it was built (_text_loops.table_cells)."""
    tx0, ttop, tx1, tbottom = table_bbox
    mids = []
    for k, ch in enumerate(page_chars):
        v_mid = (ch["top"] + ch["bottom"]) / 2
        h_mid = (ch["x0"] + ch["x1"]) / 2
        if tx0 <= h_mid < tx1 and ttop <= v_mid < tbottom:
            mids.append((v_mid, k, h_mid, ch))
    # by vertical midpoint, to take each row's characters as one slice (then in page order again)
    mids.sort(key=lambda m: (m[0], m[1]))
    v_mids = [m[0] for m in mids]
    out: list[tuple[list, list, bool]] = []

    def area(c):
        return (c[2] - c[0]) * (c[3] - c[1])

    for i, (rbox, cells) in enumerate(rows):
        x0, top, x1, bottom = rbox
        row_mids = sorted((m[1], m[2], m[0], m[3]) for m in mids[bisect_left(v_mids, top):bisect_left(v_mids, bottom)]
                          if x0 <= m[2] < x1)
        row_mids = [(h, v, ch) for _, h, v, ch in row_mids]
        # the row's characters by horizontal midpoint: a cell's are a slice of them (then put back
        # in page order), not a scan of the whole row per cell
        by_h = sorted(range(len(row_mids)), key=lambda j: row_mids[j][0])
        hs = [row_mids[j][0] for j in by_h]
        # cells of other rows overlapping this one (a frame cell around the title, the meta lines
        # and the header row): a character belongs to the smallest cell holding it, not to both
        nested = [c for j, (other, other_cells) in enumerate(rows) if j != i and other[1] < bottom and other[3] > top
                  for c in other_cells if c is not None]
        per_cell: list[Optional[list]] = []
        ends: list[tuple] = []
        for cell in cells:
            if cell is None:
                per_cell.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            cell_chars = [row_mids[j] for j in sorted(j for j in by_h[bisect_left(hs, cx0):bisect_left(hs, cx1)]
                                                      if ctop <= row_mids[j][1] < cbottom)]
            if nested and cell_chars:
                # (a smaller cell holding one of this cell's characters overlaps this cell)
                inner = [d for d in nested if area(d) < area(cell)
                         and d[0] < cx1 and d[2] > cx0 and d[1] < cbottom and d[3] > ctop]
                cell_chars = [m for m in cell_chars
                              if not any(d[0] <= m[0] < d[2] and d[1] <= m[1] < d[3] for d in inner)]
            per_cell.append([m[2] for m in cell_chars])
            # (only a character ending within a character's width of its cell's right ruling can be
            # followed, in one string, by a character past it)
            ends += [(c["x1"], c["top"], len(per_cell) - 1) for c in per_cell[-1] if 2 * c["x1"] - c["x0"] > cx1]
        joins = bool(ends) and joins_across(ends, [(c["x0"], c["top"], j) for j, cs in enumerate(per_cell) if cs
                                                   for c in cs])
        out.append((per_cell, [m[2] for m in row_mids], joins))
    return out


def _whole_runs(per_cell: list[Optional[list]], order: dict) -> list[Optional[list]]:
    """A string printed wider than its cell goes whole to the cell holding most of it
    (extractors.tables.overflow); per_cell: each cell's characters, in page order (``order``: id
    of a char → its place), as a cell's chars stay."""
    flat = [(j, c) for j, cs in enumerate(per_cell) if cs for c in cs]
    if len(flat) < 2 or sum(1 for cs in per_cell if cs) < 2:
        return per_cell
    chars = [c for _, c in flat]
    cells = regroup_by(chars, lambda c: (c["x0"], c["x1"], c["top"]), lambda c: c["text"] or "",
                       [j for j, _ in flat])
    if all(c == j for c, (j, _) in zip(cells, flat)):
        return per_cell
    out: list[Optional[list]] = [None if cs is None else [] for cs in per_cell]
    for c, ch in zip(cells, chars):
        out[c].append(ch)
    for cs in out:
        if cs:
            cs.sort(key=lambda ch: order[id(ch)])
    return out


def _join(words) -> str:
    out = ""
    prev = None
    for w in words:
        t = w["text"]
        if prev is not None:
            gap = w["x0"] - prev["x1"]
            size = max(w["bottom"] - w["top"], 4)
            ascii_pair = out[-1:].isascii() and t[:1].isascii()
            # a gap of exactly one em (two half-em spaces, 12 pt dots after 12 pt text) is no
            # space: the comparison is made 0.01 pt over it, where float noise does not decide
            if gap > 0.25 * size and (ascii_pair or gap > 1.0 * size + 0.01):
                out += " "
        out += t
        prev = w
    return out


def _is_meta(t: str) -> bool:
    """A header line printed inside a table frame: 部门：… / 单位：万元 / 编制单位 / 表 N."""
    from ..tables import _ENTITY_HEADER, _META_RE, _UNIT_RE

    parts = [squash(x) for x in t.split("\n") if x.strip()]
    return bool(parts) and all(_META_RE.match(x) or _UNIT_RE.search(x) or _ENTITY_HEADER.match(x) for x in parts)


_ENTITY_META = re.compile(r"^(?:部门名称|单位名称|编制单位|编制部门|部门)\s*[：:]")


def _join_wrapped_meta(blocks: list) -> list:
    """A 部门名称 line wrapped inside a narrow text box (部门名称：江苏省人大 / 常委会办公厅,
    with 单位:万元 printed between the two at the right edge) is one line: the continuation
    starts at the label's x0 right under it and is a short single run of text."""
    out: list = []
    for top, kind, ln in blocks:
        host = None
        for _, k2, prev in out[-2:]:
            if k2 == "line" and _ENTITY_META.match(squash(prev["text"])):
                host = prev
        if host is not None and len(ln["cells"]) == 1 and len(ln["text"]) <= 20 \
                and abs(ln["x0"] - host["x0"]) <= 2 \
                and 0 <= ln["top"] - host["bottom"] <= 0.8 * (host["bottom"] - host["top"]) \
                and not looks_like_title(ln["text"]) and not _ENTITY_META.match(squash(ln["text"])) \
                and not re.search(r"[。；;，,：:]$", host["text"]):
            host["text"] += ln["text"]
            host["x1"] = max(host["x1"], ln["x1"])
            host["bottom"] = ln["bottom"]
            continue
        out.append((top, kind, ln))
    return out


def _split_row_tail(prev, cells: list, pno: int) -> bool:
    """Is the first row of a table continued on page ``pno`` the rest of the previous page's last
    row (a row broken by the page break: 20805 | 行政事业单位 | 127.73 … then | 养老支出 | | on the next
    page)? Same columns, the previous row a coded line, this one without a code or an amount of its
    own and with text only under cells that printed text."""
    if not isinstance(prev, RowEntry) or prev.page != pno - 1 or len(prev.cells) != len(cells):
        return False
    if not re.match(r"^\d{3}", (prev.cells[0][0] or "").strip()) or (cells[0][0] or "").strip():
        return False
    filled = [k for k, (c, _) in enumerate(cells) if (c or "").strip()]
    return bool(filled) and all(not _is_amountish(cells[k][0]) and (prev.cells[k][0] or "").strip()
                                and not _is_amountish(prev.cells[k][0]) for k in filled)


def _drop_clipped_above(blocks: list, cut: Optional[tuple]) -> list:
    """A page's blocks without the lines printed above its first frame inside a cell with no top
    rule (a merged cell cut by the page break; ``cut``: the frame's first row's cells and which of
    them have no top rule): the cell's words centred over both pages, drawn past its clip above
    the frame (C012 p13: 11000023T0… / 3382-档案数字化及 again), not printed."""
    grid = next((b for b in blocks if b[1] == "grid"), None)
    if cut is None or grid is None or not grid[2] or grid[2][0][0] is not cut[0]:
        return blocks
    cells, flags = cut
    spans: list = []  # runs of neighbouring open cells (a line may run over several: name | 总额 | 财政资金)
    for (_, bb), f in zip(cells, flags):
        if f and bb is not None:
            if spans and abs(spans[-1][1] - float(bb[0])) <= 1:
                spans[-1] = (spans[-1][0], float(bb[2]))
            else:
                spans.append((float(bb[0]), float(bb[2])))
    top = grid[0]

    def clipped(b) -> bool:
        ln = b[2]
        return b[1] == "line" and ln["bottom"] <= top + 1 and any(
            a - 1 <= ln["x0"] and ln["x1"] <= z + 1 for a, z in spans)
    return [b for b in blocks if not clipped(b)]


def _join_cut_cells(entries: list, cells: list, open_top: list, pno: int) -> Optional[list]:
    """The words of a page's first row in cells with no top rule joined to the cell above the page
    break in the same column (the previous page's row whose cell reaches down to the frame's end:
    a merged cell cut by the break); the row's cells left (None when nothing is left)."""
    prev = []
    for e in reversed(entries):
        if not prev and isinstance(e, TextEntry) and e.page == pno - 1:
            continue  # words under the frame: a cut cell's words past its clip (C012 p12), not a new block
        if not isinstance(e, RowEntry) or e.page != pno - 1 or len(e.cells) != len(cells):
            break
        prev.append(e)
    if not prev or prev[0].bbox is None:
        return cells
    bottom = float(prev[0].bbox[3])
    out = list(cells)
    for k, (text, bb) in enumerate(cells):
        if not open_top[k] or not (text or "").strip():
            continue
        owner = next((e for e in prev if e.cells[k][1] is not None), None)
        if owner is None or float(owner.cells[k][1][3]) < bottom - 2:
            continue  # no cell above reaching the break in this column
        ot, ob = owner.cells[k]
        owner.cells[k] = ((ot + "\n" + text) if (ot or "").strip() else text, ob)
        out[k] = ("", bb)
    return out if any((t or "").strip() for t, _ in out) else None


def _row_above_frame(lines: list[dict], frame: list) -> Optional[tuple[list, tuple]]:
    """The lines printed right above a ruled frame that are its first row, its top border missing
    (a table continued from the previous page, C085 p16: 计算机设备维修和保 / 养服务 | 分散自行组织 |
    2.00 over the frame), as (cells, bbox) in the frame's columns; None when they are not one row:
    every word inside one of the frame's columns, the lines close above it, an amount printed."""
    cols = next(([bb for _, bb in cells] for cells, _ in frame
                 if cells and all(bb is not None for _, bb in cells)), None)
    if not cols or not lines or len(lines) > 6:
        return None
    height = max(ln["bottom"] - ln["top"] for ln in lines)
    top_of_frame = min(float(bb[1]) for bb in cols)
    if top_of_frame - max(ln["bottom"] for ln in lines) > 1.5 * height:
        return None
    parts: list[list[str]] = [[] for _ in cols]
    for ln in sorted(lines, key=lambda ln: ln["top"]):
        for text, bb in ln["cells"]:
            cx = (bb[0] + bb[2]) / 2
            k = next((k for k, c in enumerate(cols) if float(c[0]) <= cx <= float(c[2])), None)
            if k is None or bb[0] < float(cols[k][0]) - 2 or bb[2] > float(cols[k][2]) + 2:
                return None
            parts[k].append(text)
    texts = ["\n".join(p) for p in parts]
    if not any(_is_amountish(t) for t in texts[1:] if t) or any(
            len(p) > 1 and _is_amountish(p[-1]) for p in parts):
        return None
    top, bottom = min(ln["top"] for ln in lines), top_of_frame
    cells = [(t, (float(c[0]), top, float(c[2]), bottom)) for t, c in zip(texts, cols)]
    return cells, (float(cols[0][0]), top, float(cols[-1][2]), bottom)


def _join_row_above_frame(blocks: list) -> list:
    """A page's blocks, the lines above its first ruled frame joined to the frame as its first row
    where they are one (``_row_above_frame``); the page of a table continued from the page before."""
    k = next((i for i, b in enumerate(blocks) if b[1] == "grid"), None)
    if not k or any(b[1] != "line" for b in blocks[:k]):
        return blocks
    row = _row_above_frame([b[2] for b in blocks[:k]], blocks[k][2])
    if row is None:
        return blocks
    return [(blocks[0][0], "grid", [row] + list(blocks[k][2]))] + blocks[k + 1:]


def _is_row_line(ln: dict) -> bool:
    """A printed line that is a table row: a classification code first, an amount last."""
    cells = ln["cells"]
    if len(cells) < 2 or not _is_amountish(cells[-1][0]):
        return False
    first = cells[0][0].strip()
    return bool(re.match(r"^\d{3}(?:\s?\d{2}){0,2}$", first) or _CODE_NAME.match(first))


def _is_amountish(t: str) -> bool:
    s = t.replace(" ", "")
    return bool(_AMOUNT.match(s)) or s in ("-", "—")


def _under_a_spanning_label(above: list, row: list) -> bool:
    """Is ``row`` (its cells: (text, bbox), bbox None for a cell covered by a spanning one) the
    figures of the line ``above``, whose label cell spans down over it? A 合计 printed in a tall
    cell beside an amount column ruled into two rows (江苏 C083 p21: the amount's row under the
    合计's, every label column of it covered). The line above prints one word (its label) and the
    row amounts only, the label's column covered in it, and nothing where the line above prints
    something."""
    if len(above) != len(row):
        return False
    printed = [j for j, (t, _) in enumerate(row) if t.strip()]
    if not printed or not all(_is_amountish(row[j][0]) for j in printed):
        return False
    labels = [j for j, (t, _) in enumerate(above) if t.strip() and not _is_amountish(t)]
    if len(labels) != 1 or row[labels[0]][1] is not None:
        return False  # (a header row prints several words: 合计 | 基本支出 | 项目支出 over the figures, C085 p10)
    return all(not above[j][0].strip() for j in printed)


def _joined_under_span(above: tuple, cells: list, bbox: tuple) -> tuple:
    """The line above with the figures of the row under its spanning label (_under_a_spanning_label)."""
    a_cells, a_bbox = above
    joined = [cell if (cell[0] or "").strip() else prev for prev, cell in zip(a_cells, cells)]
    return joined, (min(a_bbox[0], bbox[0]), min(a_bbox[1], bbox[1]), max(a_bbox[2], bbox[2]), max(a_bbox[3], bbox[3]))


def _aligned_grids(lines: list[dict]) -> list[tuple[int, int]]:
    """Runs of lines (start, end) that form a grid by text alignment: ≥2 lines with ≥2 cells
    and an amount, plus header lines with ≥2 cells right above."""
    n = len(lines)
    rowish = [len(ln["cells"]) >= 2 and any(_is_amountish(t) for t, _ in ln["cells"][1:]) for ln in lines]
    runs = []
    i = 0
    while i < n:
        if not rowish[i]:
            i += 1
            continue
        j = i
        # allow single-cell wrapped lines inside the run (a name printed above its row)
        while j + 1 < n and (rowish[j + 1] or (j + 2 < n and rowish[j + 2] and len(lines[j + 1]["cells"]) == 1
                                                and not _is_amountish(lines[j + 1]["text"])
                                                and len(lines[j + 1]["text"]) <= 30)):
            j += 1
        if sum(rowish[i:j + 1]) >= 2:
            s = i
            while s - 1 >= 0 and len(lines[s - 1]["cells"]) >= 2 and not rowish[s - 1] and i - s < 3:
                s -= 1
            runs.append((s, j))
        i = j + 1
    return runs


def _grid_from_lines(run: list[dict]) -> list[tuple[list, tuple]]:
    """Assign the cells of aligned lines to columns (overlapping x ranges)."""
    spans: list[list[float]] = []
    for ln in run:
        if len(ln["cells"]) < 2:
            continue
        for _, bb in ln["cells"]:
            for sp in spans:
                if bb[0] <= sp[1] and bb[2] >= sp[0]:
                    sp[0], sp[1] = min(sp[0], bb[0]), max(sp[1], bb[2])
                    break
            else:
                spans.append([bb[0], bb[2]])
    spans.sort()
    merged: list[list[float]] = []
    for sp in spans:
        if merged and sp[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], sp[1])
        else:
            merged.append(sp)
    rows: list[tuple[list, tuple]] = []
    pending_name: Optional[tuple] = None
    for ln in run:
        if len(ln["cells"]) < 2:
            pending_name = ln["cells"][0] if ln["cells"] else None
            continue
        cells: list = [("", None) for _ in merged]
        for t, bb in ln["cells"]:
            cx = (bb[0] + bb[2]) / 2
            k = min(range(len(merged)), key=lambda m: 0 if merged[m][0] <= cx <= merged[m][1]
                    else min(abs(cx - merged[m][0]), abs(cx - merged[m][1])))
            prev = cells[k][0]
            cells[k] = ((prev + " " + t).strip() if prev else t, bb)
        # a code and a name printed in one cell (201 03 01 行政运行): split when the next
        # column is empty; a wrapped name printed on the line above joins the name cell
        for k, (t, bb) in enumerate(cells):
            m = _CODE_NAME.match(t)
            if m and k + 1 < len(cells) and not cells[k + 1][0]:
                cells[k] = (m.group(1), bb)
                cells[k + 1] = (m.group(2), bb)
        if pending_name is not None:
            t, bb = pending_name
            cx = (bb[0] + bb[2]) / 2
            for k, (ct, cbb) in enumerate(cells):
                if merged[k][0] - 2 <= cx <= merged[k][1] + 2 and ct and not _is_amountish(ct):
                    cells[k] = (t + ct, cbb)
                    break
            pending_name = None
        top = min(ln["top"] for _ in [0])
        rows.append((cells, (ln["x0"], top, ln["x1"], ln["bottom"])))
    return rows


def _running_lines(pages_lines: list[list[dict]], heights: list[float]) -> set[str]:
    """Texts printed near the top/bottom edge of most pages (running headers/footers)."""
    n = len(pages_lines)
    if n < 3:
        return set()
    cnt: Counter = Counter()
    for lines, h in zip(pages_lines, heights):
        seen = set()
        for ln in lines:
            if ln["top"] < 0.08 * h or ln["bottom"] > 0.92 * h:
                key = re.sub(r"\d+", "#", squash(ln["text"]))
                seen.add(key)
        cnt.update(seen)
    # a table's title and its 部门名称 / 单位 line printed at the top of every page it runs over
    # (项目支出绩效目标表 on each of C029's 12 pages) head each page's grid: no running header
    return {k for k, c in cnt.items() if c >= max(3, n * 0.5) and not _heads_a_table(k)}


def _heads_a_table(text: str) -> bool:
    """Is this line a title of a known kind of table, or a table's 部门名称 / 单位 line?"""
    from ..tables import _UNIT_RE
    from ..tables.classify import classify_title

    if _ENTITY_META.match(text) or _UNIT_RE.search(text):
        return True
    return looks_like_title(text) and classify_title(text) != "unknown"


def _page_chars(page) -> list[tuple]:
    """Every printed character of a page as (text, x0, top, x1, bottom), for the second reading
    of a table's grid (extractors.tables.reading_words), which places characters, not cells."""
    return [(c["text"], c["x0"], c["top"], c["x1"], c["bottom"]) for c in page.chars if c["text"].strip()]


class PageChars(dict):
    """page number → :func:`_page_chars` of that page, made the first time a page is asked for
    (the second reading looks at the pages holding a table; most pages are prose). Holds each
    page's character dicts until then, as they are once the page is read."""

    def __init__(self):
        super().__init__()
        self._pending: dict = {}

    def add(self, pno: int, page) -> None:
        self._pending[pno] = page

    def __contains__(self, pno) -> bool:
        return dict.__contains__(self, pno) or pno in self._pending

    def __len__(self) -> int:
        return dict.__len__(self) + len(self._pending)

    def __missing__(self, pno):
        page = self._pending.pop(pno)  # KeyError for a page never added, as a dict
        got = self[pno] = _page_chars(page)
        return got

    def get(self, pno, default=None):
        return self[pno] if pno in self else default


def read_pdf(data: bytes, name: str, settings: ExtractSettings, info: Optional[dict] = None):
    """→ (entries, n_pages). Pages come from pdfplumber, or with settings.pdf_reader "pdfium" from
    the pdfium page model (.pagemodel; a page it does not read from pdfplumber); ``info`` (when
    given) gets ``reader`` (pdfium | pdfplumber | pdfium+pdfplumber) and ``warnings`` (a page whose
    pdfium text differs from pdfplumber's, read with pdfplumber) and ``page_chars`` (page number →
    [(text, x0, top, x1, bottom)], every page's characters, for the second reading of each grid)."""
    from .pagemodel import PdfPages
    from .tablefind import find_tables

    pdf = PdfPages(data, name, _open, settings.pdf_reader == "pdfium")
    try:
        n_pages = len(pdf.pages)
        per_page = []
        total_chars = 0
        for pno, page in enumerate(pdf.pages, 1):
            try:
                chars = page.chars
                fix_char_boxes(page)
                total_chars += len(chars)
                tables = _drop_inline_boxes(find_tables(page), chars) if chars else []
            except Exception as exc:
                if _encrypted(exc):
                    raise ExtractionError(name, "read", f"encrypted PDF (password-protected): page {pno} "
                                          "cannot be read without the password") from exc
                raise ExtractionError(name, "read", f"page {pno} cannot be read (damaged PDF?): "
                                      f"{type(exc).__name__}: {str(exc)[:120]}") from exc
            boxes = [t.bbox for t in tables]
            lines = _text_lines(page, boxes) if chars else []
            if info is not None and chars:
                info.setdefault("page_chars", PageChars()).add(pno, page)
            per_page.append((pno, page, tables, lines))
        if total_chars < settings.pdf_min_chars_per_page * n_pages:
            raise ExtractionError(name, "read", f"PDF has no text layer ({total_chars} characters on {n_pages} "
                                  "pages): a scanned document needs OCR, not parsed")
        running = _running_lines([p[3] for p in per_page], [float(p[1].height) for p in per_page])
        entries: list = []
        prev_header: list[str] = []  # squashed header rows of the last table read
        last_was_grid = False
        for pno, page, tables, lines in per_page:
            blocks: list[tuple[float, str, object]] = []  # (top, kind, payload)
            cut = None  # (the page's first frame's first row's cells, which have no top rule of their own)
            height = float(page.height)
            for ln in lines:
                key = re.sub(r"\d+", "#", squash(ln["text"]))
                if key in running or _PAGE_NO.match(ln["text"]):
                    continue
                if ln["bottom"] <= 0 or ln["top"] >= height:
                    continue  # off the page: a cell's words past its clip, not printed (C012 pp12-13)
                blocks.append((ln["top"], "line", ln))
            blocks = _join_wrapped_meta(blocks)
            # text-aligned grids among the prose lines of a page without ruled tables
            if not tables:
                plain = [b[2] for b in blocks]
                runs = _aligned_grids(plain)
                if runs:
                    keep = []
                    used = set()
                    for s, e in runs:
                        rows = _grid_from_lines(plain[s:e + 1])
                        keep.append((plain[s]["top"], "grid", rows))
                        used.update(range(s, e + 1))
                    blocks = [(ln["top"], "line", ln) for k, ln in enumerate(plain) if k not in used] + keep
            topmost = min(tables, key=lambda t: t.bbox[1]) if tables else None
            for t in tables:
                rows = []
                t_rows = t.rows
                texts = _table_texts(t_rows, t.bbox, page.chars)
                for r, row in zip(texts, t_rows):
                    cells = [(c or "", bb) for c, bb in zip(r, row.cells)]
                    rbb = row.bbox
                    if rows and _under_a_spanning_label(rows[-1][0], cells):
                        rows[-1] = _joined_under_span(rows[-1], cells, tuple(rbb))
                        continue
                    if not rows and t is topmost and any(t.open_top):
                        cut = (cells, t.open_top)  # the page's first frame: it may continue the last page's
                    rows.append((cells, tuple(rbb)))
                blocks.append((t.bbox[1], "grid", rows))
            blocks.sort(key=lambda b: b[0])
            blocks = _drop_clipped_above(blocks, cut)
            if last_was_grid:
                blocks = _join_row_above_frame(blocks)
            first_on_page = True
            for top, kind, payload in blocks:
                if kind == "line" and first_on_page and last_was_grid and _is_row_line(payload):
                    # the first row of a table continued on this page printed above the ruled frame
                    # (its top border missing): a row of the table, not prose
                    entries.append(RowEntry(list(payload["cells"]), pno, (payload["x0"], payload["top"], payload["x1"],
                                                                         payload["bottom"]), table_start=False))
                    first_on_page = False
                    continue
                if kind == "line":
                    entries.append(TextEntry(payload["text"], pno, (payload["x0"], payload["top"], payload["x1"],
                                                                   payload["bottom"])))
                    last_was_grid = False
                    first_on_page = False
                    continue
                rows = [(cells, bb) for cells, bb in payload if any((c or "").strip() for c, _ in cells)]
                # leading rows holding one text cell (a title and 部门/单位 lines printed inside
                # the table frame) are prose lines, not grid rows; any other one-cell row (a
                # header band such as 财政拨款“三公”经费, or the first rows of a table continued
                # from the previous page: 十六、金融支出) is a grid row
                while rows:
                    ne = [(c, cb) for c, cb in rows[0][0] if (c or "").strip()]
                    titled = any(looks_like_title(part) for c, _ in ne for part in c.split("\n"))
                    if not titled and (len(ne) != 1 or _is_amountish(ne[0][0]) or len(rows[0][0]) < 2
                                       or not _is_meta(ne[0][0])):
                        break
                    if titled and any(_is_amountish(c) for c, _ in ne):
                        break
                    for c, cb in ne:
                        for part in c.split("\n"):
                            if part.strip():
                                entries.append(TextEntry(part.strip(), pno, cb or rows[0][1]))
                    last_was_grid = False
                    first_on_page = False
                    rows = rows[1:]
                sq = [squash("|".join(c for c, _ in cells)) for cells, _ in rows]
                header_len = next((k for k, (cells, _) in enumerate(rows)
                                   if any(_is_amountish(c) for c, _ in cells[1:]) or
                                   any(re.match(r"^\d{3}", c.strip() or "x") for c, _ in cells[:3])), len(rows))
                start = 0
                if first_on_page and last_was_grid and prev_header:
                    # a table continued from the previous page: drop the header rows it repeats
                    while start < len(sq) and start < len(prev_header) and sq[start] == prev_header[start]:
                        start += 1
                if start == 0 or not last_was_grid:
                    prev_header = sq[:header_len]
                body = rows[start:]
                merged = False
                if body and first_on_page and last_was_grid and entries and _split_row_tail(entries[-1], body[0][0], pno):
                    # a row broken across the page break: its rest joins the previous page's last row
                    prev = entries[-1]
                    prev.cells = [((pt or "") + "\n" + ct if (ct or "").strip() else pt, pb)
                                  for (pt, pb), (ct, _) in zip(prev.cells, body[0][0])]
                    body, merged = body[1:], True
                if body and not merged and first_on_page and cut is not None and body[0][0] is cut[0]:
                    # cells of a merged cell cut by the page break (no top rule): their words are the
                    # rest of the cell above the break (成本指标 centred over both pages, C054 p51;
                    # a project's name, C012 p13)
                    rest = _join_cut_cells(entries, body[0][0], cut[1], pno)
                    body = ([(rest, body[0][1])] if rest is not None else []) + body[1:]
                for k, (cells, bb) in enumerate(body):
                    entries.append(RowEntry(cells, pno, bb,
                                            table_start=(k == 0 and not (start and last_was_grid) and not merged)))
                last_was_grid = True
                first_on_page = False
        if info is not None:
            info["reader"], info["warnings"] = pdf.reader, pdf.warnings
        return entries, n_pages
    finally:
        pdf.close()
