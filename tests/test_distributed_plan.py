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


def test_warm_up_reads_a_shipped_sample_and_leaves_the_gazetteer_loaded():
    """A Celery worker warms up before it forks its pool (celery_app.warm_up_worker): the shipped
    document is one of the five samples, read without an error, and afterwards the gazetteer's
    library (cpca and pandas, ~0.8 s of a cold process's first batch) is imported."""
    import subprocess
    import sys

    from extractors.pipeline import extract_document
    from extractors.warmup import DOCUMENT

    root = Path(__file__).resolve().parent.parent
    assert DOCUMENT.read_bytes() == (root / "raw" / "003_638e0d246034f851.txt").read_bytes()
    ex = extract_document(DOCUMENT, DOCUMENT.parent)
    assert ex.document is not None and len(ex.tables) == 10 and len(ex.table_amounts) == 315
    assert not [e for e in ex.load_errors if e.severity == "error"]
    code = ("import sys; from extractors.warmup import warm_up; before = 'cpca' in sys.modules; "
            "s = warm_up(); print(before, 'cpca' in sys.modules, s > 0)")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "True"]


def test_extraction_gc_thresholds_hold_while_reading_and_are_restored():
    import gc

    from extractors.corpus import EXTRACTION_GC_THRESHOLD, extraction_gc

    before = gc.get_threshold()
    with extraction_gc():
        assert gc.get_threshold() == EXTRACTION_GC_THRESHOLD != before
    assert gc.get_threshold() == before
