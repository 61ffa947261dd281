"""One measurement in a fresh interpreter (so no cache is warm): prints one JSON line.

    python -m bench.extract_only --root DIR --mode extract --processes P
    python -m bench.extract_only --root DIR --mode read        (the floor: bytes + decode + hash)
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--mode", choices=("read", "extract"), default="extract")
    ap.add_argument("--processes", type=int, default=1)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    from extractors.corpus import extract_many, hash_file, list_documents

    paths = [p for p in list_documents(a.root) if p.name != "truth.jsonl"]
    n_bytes = 0
    if a.mode == "read":
        for p in paths:
            b = p.read_bytes()
            n_bytes += len(b)
            b.decode("utf-8", errors="replace")
            hash_file(p)
        n_records = 0
    else:
        res = extract_many(paths, a.root, processes=a.processes)
        n_records = sum(len(ex.table_amounts) + len(ex.narrative_figures) for _, _, ex in res)
        n_bytes = sum(p.stat().st_size for p in paths)
    sec = time.perf_counter() - t0
    ru_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ru_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"mode": a.mode, "processes": a.processes, "documents": len(paths), "bytes": n_bytes,
                      "seconds": sec, "figures": n_records, "maxrss_self_mib": ru_self,
                      "maxrss_children_mib": ru_kids}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
