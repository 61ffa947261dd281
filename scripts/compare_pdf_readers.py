"""Same documents, two PDF readers: does the pipeline give the same records?

``save`` runs :func:`extractors.pipeline.extract_document` (read → tables → narrative →
metadata, no warehouse) on every PDF given and pickles every record of every file as plain
tuples; ``compare`` runs it again with the code in place now and prints every difference
against a saved run, per file and record kind (rows, amounts, tables, warnings …). Run ``save``
with the old code (``--code DIR``: a checkout of main) or ``--reader pdfplumber``, ``compare``
with ``--reader pdfium``.

Warning rows of the read stage that name a page read by pdfplumber instead of pdfium
(``… read with pdfplumber``) are listed, not counted (in either run); so is
documents.pdf_reader (which reader read the file). ``--tolerance 0.1``: boxes within float32
rounding count as equal (reported per file and kind, not counted as differences).

    .venv/bin/python scripts/compare_pdf_readers.py save OUT.pkl [--code DIR] [PDF or DIR ...]
    .venv/bin/python scripts/compare_pdf_readers.py compare OUT.pkl [--reader R] [--tolerance 0.1] [PDF or DIR ...]
Default files: tests/fixtures/pdf, tests/fixtures/native, tests/fixtures/corpus and
../shared/corpus (when present). Exit 1 when anything differs.
"""
from __future__ import annotations

import argparse
import dataclasses
import pickle
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FALLBACK_MARK = "read with pdfplumber"


def default_pdfs() -> list[Path]:
    dirs = [ROOT / "tests" / "fixtures" / "pdf", ROOT / "tests" / "fixtures" / "native",
            ROOT / "tests" / "fixtures" / "corpus", ROOT.parent / "shared" / "corpus"]
    return files_of([d for d in dirs if d.is_dir()])


def files_of(args) -> list[Path]:
    out: list[Path] = []
    for a in args:
        a = Path(a)
        out.extend(sorted(a.glob("*.pdf")) if a.is_dir() else [a])
    return out


def records_of(path: Path, reader: str | None = None) -> dict:
    from dataclasses import replace

    from extractors.pipeline import extract_document
    from extractors.settings import DEFAULT_SETTINGS

    settings = replace(DEFAULT_SETTINGS, pdf_reader=reader) if reader else DEFAULT_SETTINGS
    ex = extract_document(path, path.parent, settings)
    out = {}
    for f in dataclasses.fields(ex):
        v = getattr(ex, f.name)
        if f.name == "document":
            v = [v] if v is not None else []
        out[f.name] = [dataclasses.astuple(r) for r in v]
    return out


_NUM = re.compile(r"-?\d+\.\d+")


def _close(a, b, tol: float) -> bool:
    """Equal but for numbers within ``tol`` (floats, and decimals inside texts such as line_boxes)."""
    if a == b:
        return True
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= tol + 1e-9
    if isinstance(a, str) and isinstance(b, str):
        na, nb = _NUM.findall(a), _NUM.findall(b)
        return len(na) == len(nb) and _NUM.sub("#", a) == _NUM.sub("#", b) and \
            all(abs(float(x) - float(y)) <= tol + 1e-9 for x, y in zip(na, nb))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b))
    return False


def key_of(path: Path) -> str:
    return str(path.resolve().relative_to(path.resolve().parents[2]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["save", "compare"])
    ap.add_argument("pickle", type=Path)
    ap.add_argument("--code", type=Path, help="import extractors from this checkout (default: this one)")
    ap.add_argument("--reader", choices=["pdfplumber", "pdfium"],
                    help="settings.pdf_reader (default: the settings' default; main's code has none)")
    ap.add_argument("--tolerance", type=float, default=0.0,
                    help="compare: numbers (and the numbers inside texts, e.g. line_boxes) within this many points "
                         "count as equal, and a record kind equal so is reported as such (boxes: 0.1)")
    ap.add_argument("pdfs", nargs="*")
    args = ap.parse_args(argv)
    sys.path.insert(0, str((args.code or ROOT).resolve()))
    paths = files_of(args.pdfs) if args.pdfs else default_pdfs()
    t0 = time.perf_counter()
    now = {}
    for p in paths:
        t = time.perf_counter()
        now[key_of(p)] = records_of(p, args.reader)
        print(f"{key_of(p)}: {time.perf_counter() - t:.2f} s", file=sys.stderr)
    print(f"{len(paths)} files in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if args.mode == "save":
        args.pickle.write_bytes(pickle.dumps(now))
        return 0
    old = pickle.loads(args.pickle.read_bytes())
    n_diff = n_close = 0
    for k, new in now.items():
        if k not in old:
            print(f"{k}: not in the saved run")
            continue
        for kind, recs in new.items():
            before = old[k].get(kind, [])
            if kind == "load_errors":
                # pages read with pdfplumber are listed, on either side, not counted
                extra = [r for r in recs if FALLBACK_MARK in str(r)]
                for r in extra:
                    print(f"{k}: fallback: {r[2]}")
                for r in before:
                    if FALLBACK_MARK in str(r) and r not in extra:
                        print(f"{k}: fallback in the saved run only: {r[2]}")
                recs = [r for r in recs if r not in extra]
                before = [r for r in before if FALLBACK_MARK not in str(r)]
            if kind == "document" and recs and before and len(recs[0]) > len(before[0]):
                # a column added since the saved run (documents.pdf_reader): compared without it
                print(f"{k}: reader {recs[0][len(before[0]):]}")
                recs = [r[:len(before[0])] for r in recs]
            if kind == "document" and recs and before and len(recs[0]) == len(before[0]) and recs[0][-1] != before[0][-1]:
                # documents.pdf_reader: which reader read the file is not a difference of the reading
                print(f"{k}: reader {before[0][-1]} → {recs[0][-1]}")
                recs = [r[:-1] for r in recs]
                before = [r[:-1] for r in before]
            if recs == before:
                continue
            if args.tolerance and len(recs) == len(before) and all(_close(a, b, args.tolerance) for a, b in zip(recs, before)):
                n_close += 1
                print(f"{k}: {kind} equal within {args.tolerance}")
                continue
            n_diff += 1
            gone = [r for r in before if r not in recs]
            added = [r for r in recs if r not in before]
            print(f"{k}: {kind} differ ({len(before)} → {len(recs)})")
            for r in gone[:8]:
                print(f"   - {r}")
            for r in added[:8]:
                print(f"   + {r}")
            if not gone and not added:
                print("   (same records, other order)")
    print(f"{len(now)} files compared, {n_diff} record kinds differ"
          + (f", {n_close} equal within {args.tolerance} only" if args.tolerance else ""))
    return 1 if n_diff else 0


if __name__ == "__main__":
    sys.exit(main())
