"""How a distributed run splits its documents into Celery tasks (DistributedSettings.plan_tasks):
no services needed, so it runs in `make test`."""
from pathlib import Path

from dagster_project.distributed.settings import DistributedSettings

FIXTURES = Path(__file__).parent / "fixtures"


def _costs() -> list[int]:
    # real documents' sizes: the development PDFs and the corpus pages kept as fixtures
    files = sorted(FIXTURES.glob("pdf/*.pdf")) + sorted(FIXTURES.glob("native/*.pdf")) + \
        sorted(FIXTURES.glob("corpus/*.pdf")) + sorted(FIXTURES.glob("corpus_pages/*.pdf"))
    return [p.stat().st_size for p in files]


def test_tasks_sized_by_the_run_take_the_costliest_first_and_end_short():
    costs = _costs()
    assert len(costs) >= 40
    tasks = DistributedSettings(broker="", batch_size=None).plan_tasks(costs)
    size = DistributedSettings(broker="", batch_size=None).batch_size_for(len(costs))
    assert len(tasks) == -(-len(costs) // size) >= 3
    # every document in exactly one task
    assert sorted(i for t in tasks for i in t) == list(range(len(costs)))
    loads = [sum(costs[i] for i in t) for t in tasks]
    # the costliest document is in the first task queued, and the last task is the lightest
    assert max(range(len(costs)), key=costs.__getitem__) in tasks[0]
    assert loads[-1] == min(loads) and loads[0] == max(loads)
    assert loads[-1] < 0.75 * sum(loads) / len(loads)


def test_a_given_task_size_keeps_the_listing_order():
    costs = _costs()
    tasks = DistributedSettings(broker="", batch_size=10).plan_tasks(costs)
    assert tasks[0] == list(range(10)) and [i for t in tasks for i in t] == list(range(len(costs)))
    assert DistributedSettings(broker="", batch_size=None).plan_tasks([]) == []
    assert DistributedSettings(broker="", batch_size=None).plan_tasks([3, 5]) == [[0, 1]]
