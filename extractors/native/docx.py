"""DOCX → entries with python-docx: paragraphs and tables in document order.

A table row is one grid row: a horizontally merged cell (gridSpan) is one cell and a
vertically merged continuation cell is empty, as in the ``docx_text`` dialect.
"""
from __future__ import annotations

import io

from ..errors import ExtractionError
from ..settings import ExtractSettings
from .render import RowEntry, TextEntry

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tc_text(tc) -> str:
    paras = []
    for p in tc.iter(_W + "p"):
        paras.append("".join(t.text or "" for t in p.iter(_W + "t")))
    return "\n".join(paras)


def _table_rows(tbl) -> list[list[str]]:
    rows = []
    for tr in tbl.iter(_W + "tr"):
        cells: list[str] = []
        for tc in tr.findall(_W + "tc"):
            pr = tc.find(_W + "tcPr")
            span, cont = 1, False
            if pr is not None:
                gs = pr.find(_W + "gridSpan")
                if gs is not None:
                    span = int(gs.get(_W + "val", "1") or 1)
                vm = pr.find(_W + "vMerge")
                cont = vm is not None and vm.get(_W + "val", "continue") == "continue"
            # a merged cell is one cell, as in the DOCX text dialect
            cells.append("" if cont else _tc_text(tc))
        rows.append(cells)
    return rows


def read_docx(data: bytes, name: str, settings: ExtractSettings) -> list:
    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ExtractionError(name, "read", f"cannot open the DOCX (not a Word file, truncated or encrypted?): "
                              f"{type(exc).__name__}: {str(exc)[:150]}") from exc
    entries: list = []
    blank = False
    for el in document.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in el.iter(_W + "t"))
            if text.strip():
                entries.append(TextEntry(text, None, None, blank))
                blank = False
            else:
                blank = True
        elif tag == "tbl":
            for k, cells in enumerate(_table_rows(el)):
                entries.append(RowEntry([(c, None) for c in cells], None, None, table_start=(k == 0)))
            blank = True
    if not entries:
        raise ExtractionError(name, "read", "DOCX holds no text")
    return entries
