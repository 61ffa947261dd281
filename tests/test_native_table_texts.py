"""extractors.native.pdf._table_texts must give exactly what pdfplumber's Table.extract() gives."""
from pathlib import Path

import pytest

pdfplumber = pytest.importorskip("pdfplumber")

from extractors.native.pdf import _table_texts  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"


@pytest.mark.parametrize("name", ["sh_putuo_czj_2025_dept_budget.pdf", "江苏省委办公厅2018年度部门预算公开表.pdf"])
def test_table_texts_match_pdfplumber_extract(name):
    n = 0
    with pdfplumber.open(FIXTURES / name) as pdf:
        for page in pdf.pages[:10]:
            for t in page.find_tables():
                assert _table_texts(t.rows, t.bbox, page.chars) == t.extract()
                n += 1
    assert n > 0


def test_compiled_word_steps_equal_the_python_steps():
    # the compiled word and cell steps (_text_loops.c) give what their Python twins give on every
    # ruled table of the dev PDFs and the corpus pages (pdfium page models): the same characters
    # in each cell (the same dict objects, in order), the same runs across rulings, the same
    # texts and words; CI builds the module (a C compiler is on its machine)
    from extractors.native import pagemodel
    from extractors.native import pdf as P
    from extractors.tables.overflow import RUN_GAP, RUN_TOP
    from pdfplumber.utils.text import LIGATURES

    assert P.use_compiled_text(True), "extractors/native/_text_loops.c was not built"
    ct = P._CT

    def ids(cs):
        return None if cs is None else [id(c) for c in cs]

    pdfs = sorted(FIXTURES.glob("*.pdf")) + sorted((FIXTURES.parent / "native").glob("*.pdf")) + \
        sorted((FIXTURES.parent / "corpus_pages").glob("*.pdf"))
    n_cells = n_joins = 0
    for path in pdfs:
        data = path.read_bytes()
        doc = pagemodel.open_pdf(data)
        descents = pagemodel.font_descents(data)
        try:
            for i in range(len(doc)):
                page, _ = pagemodel.read_page(doc, i, descents)
                if page is None:
                    continue
                words = ct.word_chars(page.chars, 1.5, 3)
                P.use_compiled_text(False)
                try:
                    assert [ids(w) for w in words] == [ids(w) for w in P._word_chars(page.chars, 1.5)], (path.name, i)
                finally:
                    P.use_compiled_text(True)
                for t in page.find_tables():
                    rows = [(tuple(r.bbox), list(r.cells)) for r in t.rows]
                    got = ct.table_cells(page.chars, tuple(t.bbox), rows, RUN_GAP, RUN_TOP)
                    want = P._table_cells(page.chars, t.bbox, rows)
                    assert [([ids(cs) for cs in pc], ids(rc), j) for pc, rc, j in got] == \
                        [([ids(cs) for cs in pc], ids(rc), j) for pc, rc, j in want], (path.name, i, t.bbox)
                    for per_cell, _, joins in want:
                        n_joins += joins
                        for cs in per_cell:
                            if cs:
                                text = ct.cell_text(cs, LIGATURES)
                                P.use_compiled_text(False)
                                try:
                                    assert text == P.cell_text(cs), (path.name, i)
                                finally:
                                    P.use_compiled_text(True)
                                n_cells += 1
        finally:
            doc.close()
    assert n_cells > 5000 and n_joins > 0
