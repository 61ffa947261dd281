"""Pages/second of our PDF extraction (extractors.native.read_native: tables + prose) vs
pdfplumber's own page.extract_text() on the same pages. Prints numbers; asserts nothing.

Two measurements per file:
* cold — the first pass, files in order, as a fresh process meets them: the first file read pays
  the one-off loading of pdfminer's CJK cmaps (Adobe-GB1 …), whichever reader opens it first;
* warm — after that pass: the best of ``--repeat`` passes (default 3), every cmap already loaded.
The ratio is our time / pdfplumber's time on the same file (< 1: we are faster).

    .venv/bin/python scripts/bench_pdf.py [--repeat N] [file.pdf ...]   (default: tests/fixtures/pdf/*.pdf)
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from extractors.native import read_native  # noqa: E402


def ours(p: Path) -> float:
    t0 = time.perf_counter()
    read_native(p, p.parent)
    return time.perf_counter() - t0


def plumber(p: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    with pdfplumber.open(p) as pdf:
        n = len(pdf.pages)
        for page in pdf.pages:
            page.extract_text()
    return time.perf_counter() - t0, n


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="warm passes (the best one counts)")
    ap.add_argument("pdfs", nargs="*", type=Path)
    args = ap.parse_args(argv)
    paths = args.pdfs or sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))
    cold = {}
    for p in paths:  # the cold pass: the first file pays the cmap loading
        o = ours(p)
        t, n = plumber(p)
        cold[p] = (n, o, t)
    warm = {p: [float("inf"), float("inf")] for p in paths}
    for _ in range(max(1, args.repeat)):
        for p in paths:
            warm[p][0] = min(warm[p][0], ours(p))
            warm[p][1] = min(warm[p][1], plumber(p)[0])
    print(f"| file | pages | cold: ours | cold: extract_text | cold ratio | warm: ours | warm: extract_text | "
          f"warm ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    tot = [0, 0.0, 0.0, 0.0, 0.0]
    for p in paths:
        n, co, ct = cold[p]
        wo, wt = warm[p]
        tot = [tot[0] + n, tot[1] + co, tot[2] + ct, tot[3] + wo, tot[4] + wt]
        print(f"| {p.name} | {n} | {n / co:.1f} p/s ({co:.2f} s) | {n / ct:.1f} p/s ({ct:.2f} s) | {co / ct:.2f}× | "
              f"{n / wo:.1f} p/s ({wo:.2f} s) | {n / wt:.1f} p/s ({wt:.2f} s) | {wo / wt:.2f}× |")
    n, co, ct, wo, wt = tot
    print(f"| all | {n} | {n / co:.1f} p/s ({co:.2f} s) | {n / ct:.1f} p/s ({ct:.2f} s) | {co / ct:.2f}× | "
          f"{n / wo:.1f} p/s ({wo:.2f} s) | {n / wt:.1f} p/s ({wt:.2f} s) | {wo / wt:.2f}× |")


if __name__ == "__main__":
    main()
