"""The dbt project as Dagster assets (dagster-dbt): every model and seed is an asset, every dbt
test an asset check. The manifest is built by `make dbt-parse` (run by `make run`/`make test`),
never at import time."""

import os
import shutil
import sys
from functools import cached_property
from importlib.metadata import version as distribution_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets
from packaging import version as packaging_version

from extractors.corpus import PROJECT_ROOT, warehouse_path

from .partitions import DUCKDB_POOL

DBT_DIR = PROJECT_ROOT / "dbt"
dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
MANIFEST = dbt_project.manifest_path

if not MANIFEST.exists():
    raise FileNotFoundError(
        f"dbt manifest {MANIFEST} is missing: run `make dbt-parse` (make run and make test do it) "
        "before loading the Dagster definitions")


def dbt_build_args() -> list[str]:
    """dbt build: models, seeds and data tests. Unit tests check the SQL, not the data: they run
    in `make test` (BUDGET_DBT_UNIT_TESTS=1), not in every production run."""
    args = ["build"]
    if os.environ.get("BUDGET_DBT_UNIT_TESTS", "0") != "1":
        args += ["--exclude-resource-type", "unit_test"]
    if not sys.stderr.isatty() or os.environ.get("NO_COLOR"):
        # no ANSI colour codes in a log file or a pipe (make run > run.log): dbt colours its
        # per-model lines otherwise (issue 15)
        args.append("--no-use-colors")
    return args


class Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props):
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "seed":
            return "catalogs"
        return fqn[1] if len(fqn) > 2 else "dbt"


@dbt_assets(
    manifest=MANIFEST,
    project=dbt_project,
    dagster_dbt_translator=Translator(settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,
        # every staging source table is written by the one Python asset staging/documents
        enable_duplicate_source_asset_keys=True)),
    pool=DUCKDB_POOL,
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    os.environ.setdefault("BUDGET_WAREHOUSE", str(warehouse_path()))
    os.environ["BUDGET_DBT_PARENT"] = str(os.getpid())  # dbt ends with this process (DIE_WITH_PARENT)
    from expectations.suites import prefetch
    prefetch()  # the GX checks follow dbt: import GX (~4 s) while dbt runs in its own process
    from dagster_project.publish import step_warehouse
    from dagster_project.runlock import step_writer_lock
    target = dbt_target_path()  # named after the published warehouse
    with step_writer_lock():
        # a run that publishes (sensor, schedule) builds in its working copy (made here when the
        # run has no staging step); dbt's profile reads BUDGET_WAREHOUSE
        wh = step_warehouse(context, write=True)
        before = os.environ.get("BUDGET_WAREHOUSE")
        os.environ["BUDGET_WAREHOUSE"] = str(wh)
        try:
            yield from stream_with_progress(dbt.cli(dbt_build_args(), context=context, target_path=target))
        finally:
            if before is None:
                os.environ.pop("BUDGET_WAREHOUSE", None)
            else:
                os.environ["BUDGET_WAREHOUSE"] = before


def stream_with_progress(invocation):
    """The Dagster events of a dbt invocation (what ``invocation.stream()`` yields), with one
    progress line on the console from dbt's structured events (dagster_project/console.py); dbt's
    own lines go to stdout (the run log in a `make run` build)."""
    from dagster_project.console import DbtProgress, say

    progress = DbtProgress()
    try:
        for event in invocation.stream_raw_events():
            progress.event(event.raw_event)
            yield from event.to_default_asset_events(
                manifest=invocation.manifest, dagster_dbt_translator=invocation.dagster_dbt_translator,
                context=invocation.context, target_path=invocation.target_path, project=invocation.project)
    finally:
        progress.finish()
        for msg in progress.errors[:5]:  # what failed, on the console (all of it is in the log)
            say("  dbt error: " + " ".join(msg.split())[:300])


def dbt_target_path() -> Path:
    """dbt's target folder for this warehouse: <warehouse>.dbt-target next to the published file.

    dbt's partial parse is valid only for the profile it was made with, and the profile holds
    the warehouse path; a folder per warehouse keeps the previous run's parse, so a run with new
    documents does not parse the project again (a full parse costs ~7 s). `make run` builds in
    the working copy <warehouse>.building (dagster_project/publish.py), so its profile path is the
    same in every run and the folder stays named after the warehouse readers use."""
    from dagster_project.publish import published_warehouse

    wh = published_warehouse()
    return wh.with_name(wh.name + ".dbt-target")


class BudgetDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without its in-process dbt adapter: dagster-dbt opens one before
    every dbt command (~2 s) only for ``fetch_row_counts`` / ``fetch_column_metadata``, which
    these assets do not use (it treats a failed adapter as absent, and so does this)."""

    def _initialize_dbt_core_adapter(self, args):
        return None

    @cached_property
    def _cli_version(self):
        # dagster-dbt asks `dbt --version` (a 2 s subprocess) before every command; the dbt next
        # to this interpreter is the dbt-core of this environment
        exe = Path(self.dbt_executable)
        if exe == DIE_WITH_PARENT:
            exe = Path(os.environ.get("BUDGET_DBT_EXECUTABLE", ""))
        if exe == Path(sys.executable).parent / "dbt":
            return packaging_version.parse(distribution_version("dbt-core"))
        return super()._cli_version


# dbt runs through this wrapper on Linux: it becomes dbt, and dbt is killed when the process that
# started it ends (a killed `make run` leaves no dbt process behind)
DIE_WITH_PARENT = Path(__file__).resolve().parent.parent / "dbt_die_with_parent.py"


def dbt_resource() -> DbtCliResource:
    # the dbt next to this interpreter (the project's venv), whether or not it is on PATH
    exe = Path(sys.executable).parent / "dbt"
    real = str(exe) if exe.exists() else (shutil.which("dbt") or "dbt")
    if sys.platform.startswith("linux") and os.access(DIE_WITH_PARENT, os.X_OK) and shutil.which("python3"):
        os.environ["BUDGET_DBT_EXECUTABLE"] = real
        real = str(DIE_WITH_PARENT)
    return BudgetDbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_DIR), dbt_executable=real)


@dg.definitions
def defs() -> dg.Definitions:
    # a module with a @definitions function contributes only what that function returns
    return dg.Definitions(assets=[dbt_models], resources={"dbt": dbt_resource()})
