"""Readers never see half a build: `make run` builds into a working copy of the warehouse and
publishes the finished file with one rename.

The working copy is ``<warehouse>.building``: a copy of the published warehouse (or a new file
when there is none yet). Staging, dbt and the checks all write and read it (BUDGET_WAREHOUSE
points at it during the build; BUDGET_PUBLISHED_WAREHOUSE keeps the published path, which names
the dbt target folder, the ``.built`` state and the lock). Once everything passed, ``os.replace``
puts it in place of the published file atomically: a reader holding the old file keeps reading
the warehouse it opened (its inode lives until it closes it), a reader opening it afterwards gets
the new one, nobody ever sees a half-built one, and no reader's lock ever stops the writer.
A build that fails or is killed leaves the published warehouse as it was; its working copy is
removed by the next run before it copies again.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

BUILDING_SUFFIX = ".building"


def working_path(published: Path) -> Path:
    return published.with_name(published.name + BUILDING_SUFFIX)


def wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def published_warehouse() -> Path:
    """The warehouse readers use: BUDGET_PUBLISHED_WAREHOUSE during a `make run` build, else
    BUDGET_WAREHOUSE itself (`make ui`, tests that build in place)."""
    from extractors.corpus import warehouse_path

    p = os.environ.get("BUDGET_PUBLISHED_WAREHOUSE")
    return Path(p).resolve() if p else warehouse_path()


def discard(building: Path) -> None:
    for p in (building, wal(building)):
        p.unlink(missing_ok=True)


def prepare(published: Path) -> tuple[Path, int]:
    """A fresh working copy of the published warehouse (its WAL too, which DuckDB replays on
    opening the copy); (its path, bytes copied). Whatever an earlier run left there is removed
    first: the caller holds the writer lock, so no live run is writing it."""
    building = working_path(published)
    building.parent.mkdir(parents=True, exist_ok=True)
    discard(building)
    copied = 0
    if published.exists():
        shutil.copyfile(published, building)
        copied = building.stat().st_size
        if wal(published).exists():
            shutil.copyfile(wal(published), wal(building))
    return building, copied


def publish(building: Path, published: Path) -> None:
    """Checkpoint the working copy into one file, flush it to disk and rename it onto the
    published path (atomic on one file system)."""
    if wal(building).exists():  # every writer closed its connection, which checkpoints; make sure
        con = duckdb.connect(str(building))
        con.execute("checkpoint")
        con.close()
    with open(building, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(building, published)
    # a WAL of the old file (a writer that crashed on it in place) was copied into the build
    wal(published).unlink(missing_ok=True)
    try:
        fd = os.open(published.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass
