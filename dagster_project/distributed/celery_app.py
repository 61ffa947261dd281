"""The Celery app a worker runs (``celery -A dagster_project.distributed.celery_app worker -Q dagster``):
dagster-celery's task, with the broker and result backend from BUDGET_CELERY_BROKER (a Redis URL,
e.g. redis://10.0.0.5:6379/0). The executor (jobs.py) is configured from the same variable."""
from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from .settings import celery_config

app = make_app(celery_config())
execute_plan = create_task(app)
