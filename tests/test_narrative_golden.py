"""Golden tests of the narrative extractor against hand-written expectations.

The expectations in tests/fixtures/expected/<stem>/narrative.json were written by reading the
documents in raw/ (format: tests/fixtures/expected/README.md, section "narrative.json").
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.narrative import extract_metadata, extract_narrative
from extractors.read import read_document
from extractors.settings import DEFAULT_SETTINGS, NARRATIVE_MEASURES

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"
STEMS = sorted(p.parent.name for p in EXPECTED.glob("*/narrative.json"))

DECIMAL_KEYS = {"amount", "share_pct", "current_amount", "change_amount", "change_pct", "implied_prior_amount"}
KEY_MAP = {"line": "line_number"}


@pytest.fixture(scope="module")
def extracted():
    out = {}
    for stem in STEMS:
        doc = read_document(RAW / f"{stem}.txt", RAW)
        out[stem] = (extract_metadata(doc, DEFAULT_SETTINGS), extract_narrative(doc, DEFAULT_SETTINGS))
    return out


def _golden(stem: str) -> dict:
    return json.loads((EXPECTED / stem / "narrative.json").read_text(encoding="utf-8"))


def _matches(record, want: dict) -> bool:
    for key, value in want.items():
        attr = KEY_MAP.get(key, key)
        got = getattr(record, attr)
        if key in DECIMAL_KEYS and value is not None:
            if got is None or Decimal(got) != Decimal(value):
                return False
        elif got != value:
            return False
    return True


def _assert_all_found(records, wanted: list[dict], what: str, stem: str):
    pool = list(records)
    missing = []
    for want in wanted:
        hit = next((r for r in pool if _matches(r, want)), None)
        if hit is None:
            missing.append(want)
        else:
            pool.remove(hit)  # each expected record matches a distinct extracted one
    assert not missing, f"{stem}: {len(missing)} expected {what} not extracted, first: {missing[:3]}"


@pytest.mark.parametrize("stem", STEMS)
def test_metadata(stem, extracted):
    meta, _ = extracted[stem]
    for key, value in _golden(stem)["document"].items():
        assert getattr(meta, key) == value, f"{stem}: {key}"


@pytest.mark.parametrize("stem", STEMS)
def test_entities(stem, extracted):
    _, ext = extracted[stem]
    g = _golden(stem)
    _assert_all_found(ext.entities, g["entities"], "entities", stem)
    if g.get("complete_entities"):
        assert len(ext.entities) == len(g["entities"])


@pytest.mark.parametrize("stem", STEMS)
def test_figures(stem, extracted):
    _, ext = extracted[stem]
    g = _golden(stem)
    _assert_all_found(ext.narrative_figures, g["figures"], "figures", stem)
    for measure in g.get("complete_measures", []):
        want = sum(1 for f in g["figures"] if f["measure"] == measure)
        got = [f for f in ext.narrative_figures if f.measure == measure]
        assert len(got) == want, f"{stem}: {measure}: {len(got)} extracted, {want} expected"


@pytest.mark.parametrize("stem", STEMS)
def test_yoy(stem, extracted):
    _, ext = extracted[stem]
    g = _golden(stem)
    _assert_all_found(ext.yoy_changes, g["yoy"], "yoy changes", stem)
    if g.get("complete_yoy"):
        assert len(ext.yoy_changes) == len(g["yoy"])


@pytest.mark.parametrize("stem", STEMS)
def test_projects(stem, extracted):
    _, ext = extracted[stem]
    g = _golden(stem)
    _assert_all_found(ext.projects, g["projects"], "projects", stem)
    if g.get("complete_projects"):
        assert len(ext.projects) == len(g["projects"])
    assert all(p.source_kind == "narrative" for p in ext.projects)


@pytest.mark.parametrize("stem", STEMS)
def test_record_invariants(stem, extracted):
    """Provenance, Decimal amounts, known measures, line numbers inside the file."""
    _, ext = extracted[stem]
    n_lines = len(read_document(RAW / f"{stem}.txt", RAW).lines)
    for f in ext.narrative_figures:
        assert f.measure in NARRATIVE_MEASURES, f.measure
        assert isinstance(f.amount, Decimal)
        assert f.unit in ("万元", "元", "辆", "个")
        assert 1 <= f.line_number <= n_lines and f.sentence
    for y in ext.yoy_changes:
        assert y.measure in NARRATIVE_MEASURES
        assert y.direction in ("increase", "decrease", "flat")
        assert y.change_amount is None or isinstance(y.change_amount, Decimal)
        if y.current_amount is not None and y.change_amount is not None and y.implied_prior_amount is not None:
            assert y.implied_prior_amount == y.current_amount - y.change_amount
        assert 1 <= y.line_number <= n_lines and y.sentence
    for p in ext.projects:
        assert p.amount is None or isinstance(p.amount, Decimal)
        assert p.line_number and p.raw_text
