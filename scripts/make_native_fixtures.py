"""Generate the DOCX and XLSX fixtures in tests/fixtures/native/ from the sample documents'
tables (raw/002, raw/003), so the native readers are tested against the same golden files
(tests/fixtures/expected/<stem>/tables.json) as the text reader.

DOCX: prose lines → paragraphs, each run of grid rows → a bordered Word table (style Table Grid;
a row printed with fewer cells ends in one merged cell). XLSX: one sheet per printed table (title
and header lines in the first rows, then the grid); amounts are written as numbers where they
parse. PDF: the DOCX of raw/003 rendered by LibreOffice (``soffice --headless --convert-to pdf``,
Debian packages libreoffice-writer and fonts-noto-cjk), so the chain text → DOCX → PDF →
warehouse is tested against the same golden; skipped, with a note, when soffice is not installed
(the tests read the committed PDF and never need LibreOffice).

    .venv/bin/python scripts/make_native_fixtures.py
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.blocks import items_for  # noqa: E402
from extractors.read import read_document  # noqa: E402
from extractors.tables.classify import looks_like_title  # noqa: E402

STEMS = ["002_26df1c49268341e3", "003_638e0d246034f851"]
PDF_STEMS = ["003_638e0d246034f851"]  # rendered from their DOCX by LibreOffice
OUT = ROOT / "tests" / "fixtures" / "native"
_NUM = re.compile(r"^-?\d+(?:\.\d+)?$")


def _runs(items):
    """[(kind, payload)]: ('text', str) or ('grid', [row cells])."""
    out = []
    for it in items:
        if it.is_row:
            if out and out[-1][0] == "grid":
                out[-1][1].append(it.texts())
            else:
                out.append(("grid", [it.texts()]))
        else:
            if it.blank_before and out and out[-1][0] == "text":
                out.append(("blank", ""))
            out.append(("text", it.text or ""))
    return out


def make_docx(runs, path: Path):
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    for kind, payload in runs:
        if kind in ("text", "blank"):
            d.add_paragraph(payload)
            continue
        width = max(len(r) for r in payload)
        t = d.add_table(rows=len(payload), cols=width, style="Table Grid")  # ruled, as Word tables print
        for i, cells in enumerate(payload):
            for j, txt in enumerate(cells):
                t.cell(i, j).text = txt
            if len(cells) < width:
                t.cell(i, len(cells) - 1).merge(t.cell(i, width - 1))
                t.cell(i, len(cells) - 1).text = cells[-1]
        d.add_paragraph("")
    # deterministic core properties
    d.core_properties.author = "make_native_fixtures"
    import datetime
    d.core_properties.created = d.core_properties.modified = datetime.datetime(2025, 1, 1)
    d.save(path)
    _ = qn


def make_xlsx(runs, path: Path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheet = None
    n = 0
    for kind, payload in runs:
        if kind == "blank":
            continue
        if kind == "text":
            if sheet is None or looks_like_title(payload) or sheet.max_row > 1 and sheet._grid_done:
                n += 1
                sheet = wb.create_sheet(f"表{n}")
                sheet._grid_done = False
            sheet.append([payload])
            continue
        if sheet is None:
            n += 1
            sheet = wb.create_sheet(f"表{n}")
        width = max(len(r) for r in payload)
        for cells in payload:
            if len(cells) < width:  # a row printed with merged cells: the last one spans the rest
                r = sheet.max_row + 1
                sheet.merge_cells(start_row=r, start_column=len(cells), end_row=r, end_column=width)
                sheet.cell(r, 1)
                for j, c in enumerate(cells):
                    sheet.cell(r, j + 1).value = float(c.replace(",", "")) if _NUM.match(c.replace(",", "")) and "." in c else c
                continue
            sheet.append([float(c.replace(",", "")) if _NUM.match(c.replace(",", "")) and not re.match(r"^\d{3,}$", c) and "." in c
                          else c for c in cells])
        sheet._grid_done = True
    wb.properties.creator = "make_native_fixtures"
    import datetime
    wb.properties.created = wb.properties.modified = datetime.datetime(2025, 1, 1)
    wb.save(path)


def render_pdf(docx_path: Path) -> bool:
    """DOCX → PDF next to it with LibreOffice; False (nothing written) without soffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:  # a throw-away profile: no clash with a running office
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx_path)], check=True, capture_output=True, timeout=300)
        shutil.move(Path(tmp) / (docx_path.stem + ".pdf"), docx_path.with_suffix(".pdf"))
    return True


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for stem in STEMS:
        doc = read_document(ROOT / "raw" / f"{stem}.txt", ROOT / "raw")
        runs = _runs(items_for(doc.dialect, doc.lines))
        make_docx(runs, OUT / f"{stem}.docx")
        make_xlsx(runs, OUT / f"{stem}.xlsx")
        print("wrote", stem)
        if stem in PDF_STEMS:
            if render_pdf(OUT / f"{stem}.docx"):
                print("rendered", stem + ".pdf")
            else:
                print(f"soffice not found: {stem}.pdf not re-rendered (apt-get install libreoffice-writer fonts-noto-cjk)")


if __name__ == "__main__":
    main()
