"""The Celery app a worker runs (``celery -A dagster_project.distributed.celery_app worker -Q dagster``):
dagster-celery's task, with the broker and result backend from BUDGET_CELERY_BROKER (a Redis URL,
e.g. redis://10.0.0.5:6379/0). The executor (jobs.py) is configured from the same variable.

A worker readies what every batch uses before it takes its first, so that no run pays it in its
first batches: the job's and the readers' modules, Dagster's instance, the job's execution plan and
one small document read through the pipeline (extractors/warmup.py: the gazetteer's library and
data, ~0.8 s of the first batch's CPU otherwise) in the worker's main process before it forks its
pool and answers a ping (~3 s: local.wait_for_workers waits for it), pdfium and the kept lake
connection in each pool process."""
import gc
import logging
import os

from celery.signals import worker_init, worker_process_init
from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from .settings import celery_config

app = make_app(celery_config())
execute_plan = create_task(app)
log = logging.getLogger(__name__)


@worker_init.connect
def warm_up_worker(**_) -> None:
    """Before the pool forks: what dagster-celery's task does before its step starts, once (a
    worker that had not run plan_batches began its first batch ~0.9 s after the other without
    it), and the pipeline on one small document. Then what the main process holds is frozen out
    of the garbage collector's reach: the forked pool process neither traverses those objects
    nor copies their pages by touching them."""
    try:
        import dagster_project.distributed.jobs as jobs
        from extractors import load  # noqa: F401
        from extractors.native import docx, pdf, xlsx  # noqa: F401
        from extractors.warmup import warm_up

        warm_up()

        if os.environ.get("DAGSTER_HOME"):
            from dagster import DagsterInstance, reconstructable
            from dagster._core.execution.api import create_execution_plan

            with DagsterInstance.get() as instance:  # its PostgreSQL storage in a distributed setup
                instance.get_runs(limit=1)
            create_execution_plan(reconstructable(jobs.distributed_pipeline))
    except Exception as exc:  # noqa: BLE001 - the first batch meets it again and says what it is
        log.warning("worker warm-up: %s: %s", type(exc).__name__, exc)
    gc.collect()
    gc.freeze()


@worker_process_init.connect
def warm_up_process(**_) -> None:
    """In each pool process: the readers' libraries (pdfium bound, the compiled loops with it) and
    the process's kept lake connection (its extension LOADs)."""
    try:
        import docx as _python_docx  # noqa: F401 - the readers import these on their first document
        import openpyxl  # noqa: F401
        import pdfplumber  # noqa: F401

        from extractors.native import pagemodel
        from extractors.warehouse import current

        pagemodel._fast()
        wh = current()
        if wh.is_lake:
            wh.reused_connect().close()
    except Exception as exc:  # noqa: BLE001
        log.warning("worker process warm-up: %s: %s", type(exc).__name__, exc)
