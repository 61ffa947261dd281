"""Corpus-level helpers: where the inputs and the warehouse are, which files are documents,
and parallel extraction of many documents with progress output."""
from __future__ import annotations

import ctypes
import errno
import gc
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
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


MAX_DEPTH = 32  # folder levels below the raw dir that are scanned: bounds a chain of folder links


def list_documents(root: Path) -> list[Path]:
    """Every path under root that is not hidden, sorted. Symbolic links are followed: a linked
    file is listed under its link's path, a linked folder is scanned like a folder (after the
    folders themselves) unless it leads to a folder already scanned (a loop, or a second link
    to it) or lies more than MAX_DEPTH levels deep. What cannot be read is listed too: an
    unsupported suffix, a dangling or looping link, a folder not followed or not listable, a
    FIFO. The extractor records each as a load error saying why (``skip_reason``) instead of
    skipping it silently."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"raw dir {root} does not exist (set BUDGET_RAW_DIR)")
    out: list[Path] = []
    scanned: set[tuple[int, int]] = set()  # (device, inode) of every folder scanned
    links: list[tuple[Path, int]] = []  # linked folders, followed once the folders are scanned

    def scan(folder: Path, depth: int) -> None:
        try:
            st = folder.stat()
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            if folder == root:
                raise
            out.append(folder)  # cannot be listed: its load error says why
            return
        scanned.add((st.st_dev, st.st_ino))
        for e in entries:
            if e.name.startswith("."):
                continue
            p = folder / e.name
            try:
                is_dir = e.is_dir()  # follows links
            except OSError:
                is_dir = False
            if is_dir and e.is_symlink():
                links.append((p, depth + 1))
            elif is_dir:
                # a folder inside a linked folder may be one already scanned through another link
                try:
                    st_e = e.stat()
                except OSError:  # gone since it was listed
                    continue
                if depth + 1 > MAX_DEPTH or (st_e.st_dev, st_e.st_ino) in scanned:
                    out.append(p)
                else:
                    scan(p, depth + 1)
            elif e.name not in IGNORED_NAMES:
                out.append(p)

    scan(root, 0)
    while links:
        link, depth = links.pop(0)
        try:
            st = link.stat()
        except OSError:
            out.append(link)
            continue
        if depth > MAX_DEPTH or (st.st_dev, st.st_ino) in scanned:
            out.append(link)
        else:
            scan(link, depth)
    return sorted(out)


def skip_reason(path: Path, root: Path) -> Optional[str]:
    """Why a listed path is not read as a document (None: a regular file, or a link to one)."""
    path, root = Path(path), Path(root)
    key = relative_name(path, root)
    if path.is_symlink():
        try:
            os.stat(path)
        except OSError as exc:
            target = os.readlink(path)
            if exc.errno == errno.ELOOP:
                return f"cannot read: symbolic link loop ({key} → {target})"
            if exc.errno == errno.ENOENT:
                return f"cannot read: dangling symbolic link ({key} → {target}: the target does not exist)"
            return f"cannot read: symbolic link {key} → {target}: {exc.strerror}"
    if path.is_dir():
        if len(Path(key).parts) > MAX_DEPTH:
            return f"folder more than {MAX_DEPTH} levels below the raw dir: not scanned"
        try:
            os.listdir(path)
        except OSError as exc:
            return f"cannot read: the folder cannot be listed ({exc.strerror})"
        target = path.resolve()
        ancestors = [root.resolve()] + [(root / Path(key).parents[i]).resolve() for i in range(len(Path(key).parts) - 1)]
        if path.is_symlink() and target in ancestors:
            return f"symbolic link loop: the folder link {key} → {os.readlink(path)} leads back to a folder " \
                   "that holds it; not followed"
        where = f"as {relative_name(target, root)}" if target.is_relative_to(root.resolve()) else "through another link"
        if path.is_symlink():
            return f"symbolic link {key} → {os.readlink(path)} leads to a folder already scanned {where}; " \
                   "not followed twice"
        return f"folder {key} is {target}, already scanned {where}; not scanned twice"
    if path.exists() and not path.is_file():
        return "cannot read: not a regular file (a FIFO, socket or device)"
    return None


def partition_key(path: Path, root: Path) -> str:
    return relative_name(path, root)


def hash_file(path: Path) -> str:
    return content_hash(Path(path).read_bytes())


def try_hash_file(path: Path) -> Optional[str]:
    """The content hash, or None when the file cannot be read (permission denied, vanished, a
    dangling link, a folder or FIFO listed as skipped): such a file is extracted like any other
    and gets its load error row there."""
    try:
        return hash_file(path) if Path(path).is_file() else None
    except OSError:
        return None


def die_with_parent(parent: Optional[int] = None, sig: int = signal.SIGKILL) -> None:
    """This process gets ``sig`` when its parent process ends, however it ends (Linux
    ``prctl(PR_SET_PDEATHSIG)``; elsewhere a no-op). With ``parent``, exits at once when the parent
    has already ended before the request was made."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(sig), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


# Python's cyclic garbage collector while a document is read: a PDF's page model allocates
# millions of small objects (characters, words, cells), almost none of them in reference cycles,
# and the default thresholds (700, 10, 10) collect the young generation every 700 net allocations
# and the whole heap (Dagster's and dbt's modules in a worker: ~110,000 objects) every 70,000:
# 15% of the CPU seconds of an extraction (0.54 of 3.4 s on 60 generated documents in a process
# that imported the Dagster definitions, as a Celery worker does). At these the collector takes
# 0.05 s of it; peak memory is unchanged (183 MB).
EXTRACTION_GC_THRESHOLD = (20_000, 20, 20)


@contextmanager
def extraction_gc():
    """The collector's thresholds for reading documents in this process, restored on leaving."""
    old = gc.get_threshold()
    gc.set_threshold(*EXTRACTION_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _init_extraction_process(parent: int) -> None:
    """A pool process of iter_extract: it ends with its parent, and it only reads documents."""
    die_with_parent(parent)
    gc.set_threshold(*EXTRACTION_GC_THRESHOLD)


def _extract_one(args: tuple[str, str]) -> tuple[str, str, DocumentExtraction]:
    path_s, root_s = args
    from .pipeline import extract_document

    path, root = Path(path_s), Path(root_s)
    name = relative_name(path, root)
    reason = skip_reason(path, root)
    if reason:
        return name, "", DocumentExtraction(document=None, load_errors=[LoadError(name, "read", reason)])
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
            with extraction_gc():
                res = _extract_one(job)
            if progress:
                progress(i, len(jobs), res[0])
            yield res
        return
    chunk = max(1, min(32, len(jobs) // (processes * 8) or 1))
    # a worker (~300 MB on a large PDF) ends with the process that started it, even on kill -9
    with ProcessPoolExecutor(max_workers=processes, initializer=_init_extraction_process,
                             initargs=(os.getpid(),)) as pool:
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
