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
