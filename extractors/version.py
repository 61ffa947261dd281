"""A fingerprint of the extractor code and the catalogs it reads: a file is re-extracted when its
content, the code that extracts it or the catalog names it takes codes from change, so a fixed
bug (or a code the catalog learnt) reaches documents already loaded."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def extractor_version() -> str:
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts or path.name == "synth.py" or "synth" in path.parts:
            continue
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    # the catalogs the reader takes codes of lines printed by name from (extractors.tables.names)
    from .tables.names import SEEDS, SEED_FILES

    for name in SEED_FILES:
        if (SEEDS / name).exists():
            h.update(name.encode())
            h.update((SEEDS / name).read_bytes())
    return h.hexdigest()[:16]
