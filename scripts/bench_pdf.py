"""`make bench-pdf`: pages/second of our PDF reading against pdfplumber and the pypdfium2 floor.

On every PDF of the corpus (``--corpus``, default ../shared/corpus) and the development PDFs of
the repository (tests/fixtures/pdf, tests/fixtures/native, tests/fixtures/corpus; a file whose
bytes were already read is skipped), one process, files in order, each measured once per reader:

* ours — ``extractors.native.read_native`` with ``pdf_reader="pdfium"`` (the pdfium page model, pdfplumber for the pages it
  does not read; tables + prose entries);
* extract_text — pdfplumber's ``page.extract_text()`` on every page;
* floor — pypdfium2: every page's text page, every character's Unicode and box
  (``FPDFText_GetUnicode`` + ``FPDFText_GetCharBox``);
* pipeline — ``extractors.pipeline.extract_document`` (pdfium reader) (read, tables, narrative, metadata: all of
  the pipeline's work on a document but the warehouse write), per PDF.

Times are CPU seconds of this process (``time.process_time``: the machine is shared, wall time
is not this program's), each reading started after a garbage collection (untimed). Ratios: extract_text / ours (target ≥ 5) and ours / floor (target ≤ 3).
Also checked on every page pdfium reads: its text equals pdfplumber's (the characters as a
multiset, whitespace ignored); a page that does not is listed (there must be none).
Prints numbers; asserts nothing.

    .venv/bin/python scripts/bench_pdf.py [--corpus DIR] [--no-pipeline] [file.pdf ...]
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import hashlib
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV_DIRS = [ROOT / "tests" / "fixtures" / "pdf", ROOT / "tests" / "fixtures" / "native",
            ROOT / "tests" / "fixtures" / "corpus"]


def ours(p: Path):
    from dataclasses import replace

    from extractors.native import read_native
    from extractors.settings import DEFAULT_SETTINGS

    t0 = time.process_time()
    doc = read_native(p, p.parent, replace(DEFAULT_SETTINGS, pdf_reader="pdfium"))
    return time.process_time() - t0, doc


def plumber(p: Path):
    import pdfplumber

    t0 = time.process_time()
    texts = []
    with pdfplumber.open(p) as pdf:
        for page in pdf.pages:
            page.extract_text()
            texts.append(Counter(c["text"] for c in page.chars if not c["text"].isspace()))
    return time.process_time() - t0, texts


def floor(p: Path):
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    t0 = time.process_time()
    doc = pdfium.PdfDocument(p)
    l, r, b, t = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    n_chars = 0
    for i in range(len(doc)):
        page = R.FPDF_LoadPage(doc.raw, i)
        tp = R.FPDFText_LoadPage(page)
        n = R.FPDFText_CountChars(tp)
        for k in range(n):
            R.FPDFText_GetUnicode(tp, k)
            R.FPDFText_GetCharBox(tp, k, l, r, b, t)
        n_chars += n
        R.FPDFText_ClosePage(tp)
        R.FPDF_ClosePage(page)
    n_pages = len(doc)
    doc.close()
    return time.process_time() - t0, n_pages


def pipeline(p: Path) -> float:
    from dataclasses import replace

    from extractors.pipeline import extract_document
    from extractors.settings import DEFAULT_SETTINGS

    t0 = time.process_time()
    extract_document(p, p.parent, replace(DEFAULT_SETTINGS, pdf_reader="pdfium"))
    return time.process_time() - t0


def pdfium_texts(p: Path) -> dict:
    """page number → the pdfium page model's characters (pages pdfium reads)."""
    from extractors.native.pagemodel import PdfPages
    from extractors.native.pdf import _open

    data = p.read_bytes()
    pages = PdfPages(data, p.name, _open)
    out = {}
    try:
        for pno, page in enumerate(pages.pages, 1):
            if getattr(page, "reader", None) == "pdfium":
                out[pno] = Counter(c["text"] for c in page.chars if not c["text"].isspace())
    finally:
        pages.close()
    return out, pages.fallbacks


def files(args) -> list[tuple[str, Path]]:
    out, seen = [], set()
    groups = [("dev", sorted(p for d in DEV_DIRS if d.is_dir() for p in d.glob("*.pdf")))]
    if args.pdfs:
        groups = [("given", [Path(p) for p in args.pdfs])]
    elif args.corpus.is_dir():
        groups.append(("corpus", sorted(args.corpus.glob("*.pdf"))))
    for group, paths in groups:
        for p in paths:
            h = hashlib.sha256(p.read_bytes()).hexdigest()
            if h not in seen:
                seen.add(h)
                out.append((group, p))
    return out


def fmt(n, s) -> str:
    return f"{n / s:.1f} p/s ({s:.2f} s)" if s > 0 else "-"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--no-pipeline", action="store_true", help="skip the per-PDF pipeline timing")
    ap.add_argument("pdfs", nargs="*")
    args = ap.parse_args(argv)
    todo = files(args)
    rows = []
    mismatched: list[str] = []
    fallbacks: Counter = Counter()
    for group, p in todo:
        # each reading starts with the garbage of the one before collected (untimed): pdfminer's
        # layout objects hold cycles, and a collection falling inside the next reading billed it
        # for them (ours after the pipeline and pdfplumber of the file before: 21.5 s, 18.0 s without)
        gc.collect()
        try:
            to, doc = ours(p)
        except Exception as exc:  # a file our reader refuses (a scan): reported, not timed
            print(f"{p.name}: not read ({str(exc)[:80]})", file=sys.stderr)
            continue
        reader = getattr(doc, "pdf_reader", None)
        del doc
        gc.collect()
        tt, plumber_texts = plumber(p)
        gc.collect()
        tf, n = floor(p)
        gc.collect()
        tpipe = None if args.no_pipeline else pipeline(p)
        mine, fb = pdfium_texts(p)
        for pno, why in fb:
            fallbacks[why] += 1
        for pno, cnt in mine.items():
            if cnt != plumber_texts[pno - 1]:
                mismatched.append(f"{p.name} p{pno}")
        rows.append((group, p.name, n, to, tt, tf, tpipe, reader, len(fb)))
        print(f"{p.name}: {n} pages, ours {to:.2f} s, extract_text {tt:.2f} s, floor {tf:.2f} s", file=sys.stderr)
    print("| set | file | pages | reader (pdfplumber pages) | ours | pdfplumber extract_text | pypdfium2 floor | "
          "extract_text / ours | ours / floor | pipeline per PDF |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for group, name, n, to, tt, tf, tp, reader, nfb in rows:
        pipe = f"{tp:.2f} s" if tp is not None else "-"
        print(f"| {group} | {name} | {n} | {reader} ({nfb}) | {fmt(n, to)} | {fmt(n, tt)} | {fmt(n, tf)} | "
              f"{tt / to:.1f}× | {to / tf:.1f}× | {pipe} |")
    print()
    print("| set | files | pages | ours | pdfplumber extract_text | pypdfium2 floor | extract_text / ours | "
          "ours / floor | pipeline per PDF (mean) | extract_text per PDF (mean) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for group in sorted({r[0] for r in rows}) + ["all"]:
        sel = [r for r in rows if group in ("all", r[0])]
        n = sum(r[2] for r in sel)
        to, tt, tf = (sum(r[k] for r in sel) for k in (3, 4, 5))
        pipes = [r[6] for r in sel if r[6] is not None]
        pipe = f"{sum(pipes) / len(pipes):.2f} s" if pipes else "-"
        print(f"| {group} | {len(sel)} | {n} | {fmt(n, to)} | {fmt(n, tt)} | {fmt(n, tf)} | {tt / to:.1f}× | "
              f"{to / tf:.1f}× | {pipe} | {tt / len(sel):.2f} s |")
    print()
    print(f"pages read with pdfplumber: {sum(fallbacks.values())} "
          f"({', '.join(f'{why}: {c}' for why, c in fallbacks.most_common()) or 'none'})")
    print(f"pages read by pdfium whose text differs from pdfplumber's: {len(mismatched)}"
          + (f" ({', '.join(mismatched[:20])})" if mismatched else ""))


if __name__ == "__main__":
    main()
