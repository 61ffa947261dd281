"""What the first document a process reads would otherwise pay, done ahead: a long-lived process
(a Celery worker, before it forks its pool) calls ``warm_up`` once, so that no batch of any run
pays it.

The first document of a fresh process costs ~1 s of CPU more than the next ones: the gazetteer's
library and its data (cpca, which imports pandas: 0.8-0.9 s), the readers' and parsers' modules
and their regular expressions. ``warm_up`` reads one small disclosure shipped with the package
(warmup_document.txt: one of the five samples, 42 KB, with ten tables) through the whole pipeline, which takes
every one of those paths."""
from __future__ import annotations

import time
from pathlib import Path

DOCUMENT = Path(__file__).with_name("warmup_document.txt")


def warm_up() -> float:
    """Read the shipped sample through the pipeline; returns the seconds it took. Never raises
    for the document's sake (extract_document records its problems), and a missing file only
    leaves the process cold."""
    from .pipeline import extract_document

    t0 = time.perf_counter()
    if DOCUMENT.exists():
        extract_document(DOCUMENT, DOCUMENT.parent)
    return time.perf_counter() - t0
