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

Runs launched by `make ui` (sensor, schedule) do the same in <warehouse>.ui-building: see below.
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


# ---- runs launched by `make ui` (the sensor's, the daily schedule's, a run of pipeline_job from the UI)
#
# Their steps run in separate processes, so the run's working copy is named by the published path
# (<warehouse>.ui-building, apart from `make run`'s .building) and owned by the run: its owner file
# <warehouse>.ui-building.json holds the run id and the identity of the published file it copied.
# The run's first writing step makes the copy (under the writer lock), every DuckDB step of the run
# uses it, and the run's last step, ``warehouse/published`` (after dbt and the checks), renames it
# onto the published path when that is still the file it copied. A run that fails leaves the
# published warehouse untouched; its copy stays until the next UI run, which replaces it.

UI_BUILDING_SUFFIX = ".ui-building"


class PublishConflict(Exception):
    """The published warehouse changed since this run copied it (a `make run` published in between)."""


def ui_working_path(published: Path) -> Path:
    return published.with_name(published.name + UI_BUILDING_SUFFIX)


def _owner_path(published: Path) -> Path:
    return published.with_name(published.name + UI_BUILDING_SUFFIX + ".json")


def identity(path: Path):
    """What names one version of a file: (inode, size, mtime in ns); None when it does not exist."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def run_copy_owner(published: Path) -> dict:
    import json

    try:
        owner = json.loads(_owner_path(published).read_text())
        return owner if isinstance(owner, dict) else {}
    except (OSError, ValueError):
        return {}


def ensure_run_copy(published: Path, run_id: str) -> Path:
    """The working copy of run ``run_id``: made now (a copy of the published warehouse, whatever an
    earlier UI run left replaced) unless this run made it already. The caller holds the writer lock."""
    import json

    building = ui_working_path(published)
    if run_copy_owner(published).get("run_id") == run_id:
        return building
    owner = _owner_path(published)
    owner.unlink(missing_ok=True)
    discard(building)
    source = identity(published)
    if published.exists():
        shutil.copyfile(published, building)
        if wal(published).exists():
            shutil.copyfile(wal(published), wal(building))
    tmp = owner.with_name(owner.name + ".tmp")
    tmp.write_text(json.dumps({"run_id": run_id, "source": source}))
    os.replace(tmp, owner)
    return building


def run_copy_for_reading(published: Path, run_id: str) -> Path:
    """Where a read-only step of run ``run_id`` reads: its working copy while it exists, else the
    published warehouse."""
    building = ui_working_path(published)
    if run_copy_owner(published).get("run_id") == run_id and building.exists():
        return building
    return published


def publish_run_copy(published: Path, run_id: str) -> Path:
    """Publishes run ``run_id``'s working copy in one rename. The caller holds the writer lock.
    Raises PublishConflict (and removes the copy) when the published warehouse is no longer the
    file the run copied: a `make run` published since, and it read every file of the raw dir."""
    building = ui_working_path(published)
    owner = run_copy_owner(published)
    if owner.get("run_id") != run_id or not building.exists():
        raise RuntimeError(f"run {run_id} has no working copy to publish ({building}"
                           f"{' belongs to run ' + str(owner.get('run_id')) if owner.get('run_id') else ' is missing'})")
    if identity(published) != owner.get("source"):
        discard(building)
        _owner_path(published).unlink(missing_ok=True)
        raise PublishConflict(f"{published} changed since this run copied it (another run published in "
                              "between); this run's copy is discarded, the published warehouse is kept")
    publish(building, published)
    _owner_path(published).unlink(missing_ok=True)
    # `make run`'s record of the last build no longer describes the published file: its next run rebuilds
    published.with_name(published.name + ".built").unlink(missing_ok=True)
    return published


PUBLISH_KEY_PATH = ["warehouse", "published"]


def run_publishes(context) -> bool:
    """Does this step's run end with the ``warehouse/published`` step (a run of pipeline_job, or any
    run whose selection holds it)? Never inside a `make run` build, which publishes itself."""
    import dagster as dg

    if os.environ.get("BUDGET_PUBLISHED_WAREHOUSE"):
        return False
    key = dg.AssetKey(PUBLISH_KEY_PATH)
    selection = context.run.asset_selection  # empty (or None) for a run of the whole job
    if selection:
        return key in selection
    try:
        return key in context.job_def.asset_layer.executable_asset_keys
    except AttributeError:
        return False


def step_warehouse(context, write: bool) -> Path:
    """The DuckDB file a step of this run uses. In a `make run` build and in a run that does not
    publish (a UI materialisation of some assets only): BUDGET_WAREHOUSE, as before. In a run that
    publishes: the run's working copy (a writing step makes it if needed: call it holding the
    writer lock), or for reading the published file once there is no copy."""
    from extractors.corpus import warehouse_path

    wh = warehouse_path()
    if not run_publishes(context):
        return wh
    return ensure_run_copy(wh, context.run.run_id) if write else run_copy_for_reading(wh, context.run.run_id)
