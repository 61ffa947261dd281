"""The Celery app a worker runs (``celery -A dagster_project.distributed.celery_app worker -Q dagster``):
dagster-celery's task, with the broker and result backend from BUDGET_CELERY_BROKER (a Redis URL,
e.g. redis://10.0.0.5:6379/0). The executor (jobs.py) is configured from the same variable.

Each worker process readies, when it starts, what every batch uses (the job's and the readers'
modules, its kept lake connection, Dagster's instance and the job's plan: ~2 s), so that no run
pays it in its first batches."""
from celery.signals import worker_process_init
from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from .settings import celery_config

app = make_app(celery_config())
execute_plan = create_task(app)


@worker_process_init.connect
def warm_up(**_) -> None:
    import logging
    import os

    try:
        import docx as _python_docx  # noqa: F401 - the readers import these on their first document
        import openpyxl  # noqa: F401
        import pdfplumber  # noqa: F401
        import pypdfium2  # noqa: F401

        import dagster_project.distributed.jobs  # noqa: F401 - the job every task reconstructs
        from extractors import load, pipeline  # noqa: F401
        from extractors.native import docx, pdf, pagemodel, xlsx  # noqa: F401
        from extractors.warehouse import current

        pagemodel._fast()  # pdfium's functions bound, the compiled loops with them
        wh = current()
        if wh.is_lake:
            wh.reused_connect().close()
        if os.environ.get("DAGSTER_HOME"):
            # what dagster-celery's task does before its step starts, once: the instance (its
            # PostgreSQL storage) and the job's execution plan; a worker that did not run
            # plan_batches started its first batch ~0.9 s after the other without this
            from dagster import DagsterInstance, reconstructable
            from dagster._core.execution.api import create_execution_plan

            with DagsterInstance.get() as instance:
                instance.get_runs(limit=1)
            create_execution_plan(reconstructable(dagster_project.distributed.jobs.distributed_pipeline))
    except Exception as exc:  # noqa: BLE001 - the first batch meets it again and says what it is
        logging.getLogger(__name__).warning("worker warm-up: %s: %s", type(exc).__name__, exc)
