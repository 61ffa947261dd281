"""Pages/second of our PDF extraction (extractors.native.read_native: tables + prose) vs
pdfplumber's own page.extract_text() on the same pages. Prints numbers; asserts nothing.

    .venv/bin/python scripts/bench_pdf.py [file.pdf ...]   (default: tests/fixtures/pdf/*.pdf)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from extractors.native import read_native  # noqa: E402


def main(paths):
    for p in paths:
        p = Path(p)
        t0 = time.perf_counter()
        doc = read_native(p, p.parent)
        t1 = time.perf_counter()
        with pdfplumber.open(p) as pdf:
            n = len(pdf.pages)
            for page in pdf.pages:
                page.extract_text()
        t2 = time.perf_counter()
        print(f"{p.name}: {n} pages | ours {n / (t1 - t0):.1f} pages/s ({t1 - t0:.2f} s, {len(doc.lines)} lines) "
              f"| pdfplumber extract_text {n / (t2 - t1):.1f} pages/s ({t2 - t1:.2f} s)")


if __name__ == "__main__":
    main(sys.argv[1:] or sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")))
