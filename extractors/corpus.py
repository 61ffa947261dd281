"""Corpus-level helpers: where the inputs and the warehouse are, which files are documents,
and parallel extraction of many documents with progress output."""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .read import NATIVE_SUFFIXES, TEXT_SUFFIXES, content_hash, relative_name
from .records import DocumentExtraction, LoadError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOCUMENT_SUFFIXES = (TEXT_SUFFIXES - {""}) | NATIVE_SUFFIXES
IGNORED_NAMES = {"README.md", ".gitkeep", ".DS_Store"}


def raw_dir() -> Path:
    return Path(os.environ.get("BUDGET_RAW_DIR", PROJECT_ROOT / "raw")).resolve()


def warehouse_path() -> Path:
    return Path(os.environ.get("BUDGET_WAREHOUSE", PROJECT_ROOT / "warehouse" / "budget.duckdb")).resolve()


def list_documents(root: Path) -> list[Path]:
    """Every file under root that is not hidden, sorted. Unsupported suffixes are listed too:
    the extractor records them as load errors instead of skipping them silently."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"raw dir {root} does not exist (set BUDGET_RAW_DIR)")
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts) \
                and p.name not in IGNORED_NAMES:
            out.append(p)
    return out


def partition_key(path: Path, root: Path) -> str:
    return relative_name(path, root)


def hash_file(path: Path) -> str:
    return content_hash(Path(path).read_bytes())


def try_hash_file(path: Path) -> Optional[str]:
    """The content hash, or None when the file cannot be read (permission denied, vanished, a
    dangling link): such a file is extracted like any other and gets its load error row there."""
    try:
        return hash_file(path)
    except OSError:
        return None


def _extract_one(args: tuple[str, str]) -> tuple[str, str, DocumentExtraction]:
    path_s, root_s = args
    from .pipeline import extract_document

    path, root = Path(path_s), Path(root_s)
    name = relative_name(path, root)
    try:
        chash = hash_file(path)
    except OSError as exc:
        ex = DocumentExtraction(document=None, load_errors=[LoadError(name, "read", f"cannot read: {exc}")])
        return name, "", ex
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        ex = DocumentExtraction(document=None, load_errors=[LoadError(
            name, "read", f"unsupported file type {path.suffix or '(no suffix)'}: expected one of "
            f"{', '.join(sorted(DOCUMENT_SUFFIXES))}")])
        return name, chash, ex
    return name, chash, extract_document(path, root)


def iter_extract(paths: Iterable[Path], root: Path, processes: int = 1,
                 progress: Optional[Callable[[int, int, str], None]] = None) -> Iterator[tuple[str, str, DocumentExtraction]]:
    """Extract documents, in parallel when processes > 1, yielding each result as it is ready
    (in the order of paths), so a caller can write them in batches while the rest is extracted."""
    jobs = [(str(p), str(root)) for p in paths]
    if processes <= 1 or len(jobs) < 4:
        for i, job in enumerate(jobs, 1):
            res = _extract_one(job)
            if progress:
                progress(i, len(jobs), res[0])
            yield res
        return
    chunk = max(1, min(32, len(jobs) // (processes * 8) or 1))
    with ProcessPoolExecutor(max_workers=processes) as pool:
        for i, res in enumerate(pool.map(_extract_one, jobs, chunksize=chunk), 1):
            if progress:
                progress(i, len(jobs), res[0])
            yield res


def extract_many(paths: Iterable[Path], root: Path, processes: int = 1,
                 progress: Optional[Callable[[int, int, str], None]] = None) -> list[tuple[str, str, DocumentExtraction]]:
    """Extract documents, in parallel when processes > 1. Order of results follows paths."""
    return list(iter_extract(paths, root, processes, progress))


class Progress:
    """Prints `[ 12/100] name` lines, at most every `every` seconds (and always the last)."""

    def __init__(self, label: str, every: float = 1.0, stream=sys.stderr):
        self.label, self.every, self.stream = label, every, stream
        self.last = 0.0
        self.start = time.perf_counter()

    def __call__(self, i: int, n: int, name: str) -> None:
        now = time.perf_counter()
        if i == n or now - self.last >= self.every or n <= 20:
            self.last = now
            rate = i / max(now - self.start, 1e-9)
            print(f"  {self.label} [{i:>{len(str(n))}}/{n}] {rate:6.1f} docs/s  {name}", file=self.stream, flush=True)
