"""The pdfium page model (extractors.native.pagemodel) against pdfplumber on the development PDFs.

Every page pdfium reads must give pdfplumber's characters (text as a multiset, whitespace
ignored; boxes within float32 rounding) and pdfplumber's ruling edges; the pages it does not read
are read by pdfplumber and the document says so (documents.pdf_reader); read_pdf gives the same
entries with either reader.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from extractors.native import pagemodel, read_native
from extractors.native.pdf import _open, read_pdf
from dataclasses import replace

from extractors.settings import DEFAULT_SETTINGS

PDFIUM = replace(DEFAULT_SETTINGS, pdf_reader="pdfium")

FIXTURES = Path(__file__).parent / "fixtures"
DEV_PDFS = sorted((FIXTURES / "pdf").glob("*.pdf")) + sorted((FIXTURES / "native").glob("*.pdf"))


def _edge_keys(edges) -> Counter:
    return Counter((e["orientation"], round(e["x0"], 2), round(e["x1"], 2), round(e["top"], 2), round(e["bottom"], 2))
                   for e in edges if e["orientation"])


def _assert_same_page(mine, theirs, pno):
    assert (mine.width, mine.height) == pytest.approx((float(theirs.width), float(theirs.height)), abs=0.01)
    text = Counter(c["text"] for c in mine.chars if not c["text"].isspace())
    assert text == Counter(c["text"] for c in theirs.chars if not c["text"].isspace()), f"page {pno}"
    # boxes: the same glyphs at the same places (pdfium computes in float32)
    key = lambda c: (c["text"], round(c["top"] / 2), c["x0"])  # noqa: E731
    for a, b in zip(sorted((c for c in mine.chars if not c["text"].isspace()), key=key),
                    sorted((c for c in theirs.chars if not c["text"].isspace()), key=key)):
        assert a["text"] == b["text"] and all(abs(a[k] - b[k]) <= 0.2 for k in ("x0", "x1", "top", "bottom")), \
            f"page {pno}: {a} != {b}"
    assert _edge_keys(mine.edges) == _edge_keys(theirs.edges), f"page {pno}"


@pytest.mark.parametrize("path", DEV_PDFS, ids=lambda p: p.name)
def test_pdfium_pages_equal_pdfplumber(path):
    data = path.read_bytes()
    pages = pagemodel.PdfPages(data, path.name, _open)  # pdfium wherever it reads the page
    n_pdfium = 0
    with pdfplumber.open(path) as pl:
        for pno, (mine, theirs) in enumerate(zip(pages.pages, pl.pages), 1):
            if not isinstance(mine, pagemodel.PageModel):
                continue
            n_pdfium += 1
            _assert_same_page(mine, theirs, pno)
    pages.close()
    assert n_pdfium >= 2


# pages that fell back to pdfplumber, one per class fixed, and the first printed character pdfium
# gives now (pdfplumber's box)
FORMER_FALLBACKS = [
    # a font name printed in UTF-8 (宋体): pdfium's name bytes were decoded as latin-1
    ("corpus_pages/C005_p1.pdf", 1, ("上", 186.26, 102.66, 138.66)),
    ("corpus_pages/C049_p7.pdf", 1, ("5", 295.25, 783.78, 793.74)),
    # two fonts named FZFSK--GBK1-0 with descents -0.242 and -0.285: the one pdfium's own
    # descent equals
    ("corpus/C023.pdf", 2, ("按", 102.35, 76.09, 89.77)),
    # single spaces printed at every column, pdfium's text page keeping one of each run
    ("corpus/C012.pdf", 1, ("预", 375.0, 48.25, 59.05)),
    # /Rotate 90
    ("corpus/C071.pdf", 1, None),
    # runs of blanks pdfium boxes 0.3 pt tall at 10.56 pt, a copy of one before it in another
    # font left out of its text page (C085 p15; C054 p57, C061 p30 alike): no ink, one space
    ("corpus_pages/C085_p15.pdf", 1, None),
]


@pytest.mark.parametrize("rel,pno,first", FORMER_FALLBACKS, ids=lambda v: str(v))
def test_former_fallback_pages_read_by_pdfium(rel, pno, first):
    path = FIXTURES / rel
    pages = pagemodel.PdfPages(path.read_bytes(), path.name, _open)
    mine = pages.page(pno - 1)
    pages.close()
    assert isinstance(mine, pagemodel.PageModel), pages.fallbacks
    with pdfplumber.open(path) as pl:
        _assert_same_page(mine, pl.pages[pno - 1], pno)
    if first:
        c = next(c for c in mine.chars if c["text"].strip())
        assert (c["text"], round(c["x0"], 2), round(c["top"], 2), round(c["bottom"], 2)) == first


def test_font_candidates():
    """A name as pdfium gives it → the descents of the fonts so named; a name pdfium cut short
    (C049: 'ABCDEE+方正小标宋简体' as its first 30 bytes, 简 cut in two) → the names it begins."""
    descents = pagemodel.font_descents((FIXTURES / "corpus_pages" / "C049_p7.pdf").read_bytes())
    assert pagemodel.font_candidates(descents, "方正小标宋简体".encode()) == (-0.289,)
    assert pagemodel.font_candidates(descents, "ABCDEE+方正小标宋简体".encode()[:30]) == (-0.289,)
    assert pagemodel.font_candidates(descents, b"Times New Roman") == (-0.216,)
    assert pagemodel.font_candidates(descents, b"SimSun") == ()
    descents = pagemodel.font_descents((FIXTURES / "corpus" / "C023.pdf").read_bytes())
    assert descents["FZFSK--GBK1-0"] == (-0.242, -0.285)


def test_fast_word_steps_equal_pdfplumber():
    """cell_text, words_of and tablefind (table_edges, find_tables) give pdfplumber's
    extract_text, extract_words and TableFinder results on every page and table cell of a dev PDF."""
    from pdfplumber.table import TableFinder, TableSettings
    from pdfplumber.utils import extract_text, extract_words

    from extractors.native.pdf import cell_text, words_of
    from extractors.native.tablefind import find_tables, table_edges

    path = FIXTURES / "pdf" / "sh_putuo_czj_2025_dept_budget.pdf"
    pages = pagemodel.PdfPages(path.read_bytes(), path.name, _open)
    n_cells = 0
    for page in pages.pages:
        assert words_of(page.chars, 1.5) == extract_words(page.chars, x_tolerance=1.5, y_tolerance=3)
        assert words_of([], 1.5) == [] and cell_text([]) == ""
        finder = TableFinder(page, TableSettings.resolve(None))
        assert table_edges(page.edges, finder.settings) == \
            [(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e["height"]) for e in finder.edges]
        theirs = finder.tables
        mine = find_tables(page, close_open_frames=False)
        assert [(t.bbox, [r.cells for r in t.rows]) for t in mine] == \
            [(t.bbox, [r.cells for r in t.rows]) for t in theirs]
        for t in mine:
            for row in t.rows:
                for cell in row.cells:
                    if cell is None:
                        continue
                    chars = [c for c in page.chars if cell[0] <= (c["x0"] + c["x1"]) / 2 < cell[2]
                             and cell[1] <= (c["top"] + c["bottom"]) / 2 < cell[3]]
                    assert cell_text(chars) == extract_text(chars)
                    n_cells += bool(chars)
    pages.close()
    assert n_cells > 500


def test_reader_recorded_per_document():
    doc = read_native(FIXTURES / "pdf" / "sh_putuo_czj_2025_dept_budget.pdf", FIXTURES / "pdf")
    assert doc.pdf_reader == "pdfium"  # the default
    doc = read_native(FIXTURES / "pdf" / "sh_putuo_czj_2025_dept_budget.pdf", FIXTURES / "pdf",
                      replace(DEFAULT_SETTINGS, pdf_reader="pdfplumber"))
    assert doc.pdf_reader == "pdfplumber"
    # the 公开表 prints its tables on pages rotated by /Rotate 90: pdfium reads them too (the
    # characters as displayed, pdfminer's rotation of the page), none falls back
    path = FIXTURES / "pdf" / "江苏省委办公厅2018年度部门预算公开表.pdf"
    pages = pagemodel.PdfPages(path.read_bytes(), path.name, _open)
    list(pages.pages)
    pages.close()
    assert pages.reader == "pdfium"
    assert pages.fallbacks == [] and pages.warnings == []


def test_rotated_page_as_displayed():
    """/Rotate 90: the page is 842 × 595.22 as pdfplumber gives it (MediaBox 595.22 × 842), the
    title 江苏省2018… upright at pdfplumber's boxes (bug: every rotated page fell back to pdfplumber)."""
    path = FIXTURES / "pdf" / "江苏省委办公厅2018年度部门预算公开表.pdf"
    pages = pagemodel.PdfPages(path.read_bytes(), path.name, _open)
    page = pages.page(0)
    pages.close()
    assert isinstance(page, pagemodel.PageModel)
    assert (page.width, round(page.height, 2)) == (842.0, 595.22)
    got = [(c["text"], round(c["x0"], 2), round(c["x1"], 2), round(c["top"], 2), round(c["bottom"], 2))
           for c in page.chars[:4]]
    assert got == [("江", 308.75, 344.75, 97.92, 133.92), ("苏", 344.99, 380.99, 97.92, 133.92),
                   ("省", 381.23, 417.23, 97.92, 133.92), ("2", 417.47, 435.47, 97.92, 133.92)]


def _entries(path, settings):
    entries, n = read_pdf(path.read_bytes(), path.name, settings)
    out = []
    for e in entries:
        cells = getattr(e, "cells", None)
        if cells is None:
            out.append(("text", e.page, e.text, tuple(e.bbox)))
        else:
            out.append(("row", e.page, tuple(c for c, _ in cells), None, e.table_start))
    return n, out


def test_read_pdf_same_entries_with_either_reader():
    """Same entries, texts and boxes (within float32 rounding) with either reader (bug: a gap of
    exactly one em, 目  录 with two half-em spaces, the table of contents' dots 12 pt after
    12 pt text, was a tie for _join that float noise decided: 目 录 from pdfium, 目录 from
    pdfminer)."""
    path = FIXTURES / "pdf" / "sh_putuo_czj_2025_dept_budget.pdf"
    n_new, new = _entries(path, PDFIUM)
    n_old, old = _entries(path, replace(DEFAULT_SETTINGS, pdf_reader="pdfplumber"))
    assert n_new == n_old and len(new) == len(old) > 200
    assert [e[:3] + e[4:] for e in new] == [e[:3] + e[4:] for e in old]
    for a, b in zip(new, old):
        if a[3] is not None:
            assert a[3] == pytest.approx(b[3], abs=0.11), a
    assert ("text", 2, "目录") == new[2][:3]


def test_blanks_pdfium_leaves_out_sit_on_their_baseline():
    """sh_putuo p2 (the table of contents) prints its blanks as text objects of spaces that
    pdfium's text page leaves out; each is put back as one space at the object's origin, boxed on
    its baseline like pdfminer's (bug: boxed by the object's bounds, 2 pt higher: top 56.05
    instead of 58.01 beside 目录)."""
    path = FIXTURES / "pdf" / "sh_putuo_czj_2025_dept_budget.pdf"
    pages = pagemodel.PdfPages(path.read_bytes(), path.name, _open)
    mine = pages.page(1)
    pages.close()
    with pdfplumber.open(path) as pl:
        theirs = pl.pages[1].chars

    def spaces(chars):
        return sorted((round(float(c["x0"]), 1), round(float(c["top"]), 1), round(float(c["bottom"]), 1))
                      for c in chars if c["text"] == " ")

    assert len(spaces(mine.chars)) == 73
    assert spaces(mine.chars) == spaces(theirs)
    assert spaces(mine.chars)[:2] == [(98.7, 230.7, 242.7), (98.7, 251.7, 263.7)]
    first = [c for c in mine.chars if c["text"] == " "][0]
    assert (round(first["x0"], 2), round(first["top"], 2)) == (386.66, 58.01)


def test_text_line_top_not_decided_by_float_noise():
    """C054 p20 prints '0' at top 231.5 and the header 济科目分）… at 230.534 on one line: pdfminer
    gives the 0's top as 231.49999999999994, pdfium as 231.50002. The words were bucketed by
    round(top), which put the 0 in 231 or 232 by that noise, and the line's top (its first word's)
    was 231.5 with one reader and 230.53 with the other; the buckets are off the half points now:
    the 0 falls in 232 either way, the line starts at the header's top."""
    from types import SimpleNamespace

    from extractors.native.pdf import _text_lines

    def page(zero_top):
        def ch(t, x0, top, bottom):
            return {"text": t, "x0": x0, "x1": x0 + 10.0, "top": top, "bottom": bottom, "doctop": top,
                    "upright": True, "size": bottom - top}
        chars = [ch("0", 168.86, zero_top, 241.46)] + \
            [ch(t, 524.59 + 10 * k, 230.534, 240.494) for k, t in enumerate("济科目分")]
        return SimpleNamespace(chars=chars)

    lines = [_text_lines(page(top), []) for top in (231.49999999999994, 231.50002)]
    assert [(len(ls), ls[0]["text"], round(ls[0]["top"], 1)) for ls in lines] == [(1, "0 济科目分", 230.5)] * 2


# pages of every class the loops take apart: many text objects, forms, rotated pages, blanks put
# back, curves and rects (the dev PDFs and corpus pages, each page)
LOOP_PDFS = DEV_PDFS + sorted((FIXTURES / "corpus_pages").glob("*.pdf"))


def _models(data: bytes) -> list:
    doc = pagemodel.open_pdf(data)
    descents = pagemodel.font_descents(data)
    try:
        return [(why, None if m is None else (m.width, m.height, m.chars, m.edges, len(m.unchecked or [])))
                for m, why in (pagemodel.read_page(doc, i, descents) for i in range(len(doc)))]
    finally:
        doc.close()


def test_compiled_loops_equal_the_python_loops():
    # the compiled per-character and per-segment loops (_pdfium_loops.c) give the Python loops'
    # page models, value for value, on every page; CI builds them (a C compiler is on its machine)
    assert pagemodel.use_compiled_loops(True), "extractors/native/_pdfium_loops.c was not built"
    n_read = 0
    try:
        for path in LOOP_PDFS:
            data = path.read_bytes()
            compiled = _models(data)
            pagemodel.use_compiled_loops(False)
            try:
                python = _models(data)
            finally:
                pagemodel.use_compiled_loops(True)
            assert compiled == python, path.name
            n_read += sum(1 for _, m in compiled if m is not None and m[2])
    finally:
        pagemodel.use_compiled_loops(True)
    assert n_read >= 40
