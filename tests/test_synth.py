"""The synthetic corpus generator (extractors.synth): deterministic, its documents extract to
their ground truth, and the totals of clean documents add up."""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from extractors import synth
from extractors.pipeline import extract_document


def _key(f: dict) -> str:
    return json.dumps({k: str(v) for k, v in f.items()}, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    truths = synth.generate(out, 10, seed=7, rate=0.5)
    return out / "raw", {t["file"]: t for t in truths}


def test_deterministic(corpus, tmp_path):
    out, truths = corpus
    again = synth.generate(tmp_path, 10, seed=7, rate=0.5)
    assert (tmp_path / "truth.jsonl").read_bytes() == (out.parent / "truth.jsonl").read_bytes()
    for t in again:
        assert (tmp_path / "raw" / t["file"]).read_bytes() == (out / t["file"]).read_bytes()
    # document i does not depend on N, and another seed gives other documents
    name, text, _ = synth.generate_document(7, 3, 0.5)
    assert (out / name).read_text(encoding="utf-8") == text
    assert synth.generate_document(8, 3, 0.5)[1] != text


def test_every_dialect_and_distinct_entities(corpus):
    _, truths = corpus
    assert {t["dialect"] for t in truths.values()} == {"prose", "docx_text", "pdf_markdown", "pdftotext"}
    places = [(t["entity"]["adcode"], t["fiscal_year"]) for t in truths.values()]
    assert len(set(places)) == len(places)
    # never the county of a real sample: a generated document is never the same disclosure
    assert not {t["entity"]["county"] for t in truths.values()} & {t.county for t in synth.TEMPLATES}
    assert any(t["planted"] for t in truths.values())
    assert any(not t["planted"] for t in truths.values())


def test_rewrite_scales_amounts_not_codes_years_or_percentages():
    line = "一般公共服务支出1,080.62万元，占80.89%，比2024年增加3万元，科目2010301，序号12，3.2023 年"
    assert synth.rewrite_line(line, 3, -1) == \
        "一般公共服务支出3,241.86万元，占80.89%，比2023年增加9万元，科目2010301，序号12，3.2022 年"


def _clean_docs(truths, per_template=1):
    seen, out = Counter(), []
    for name, t in sorted(truths.items()):
        if not t["planted"] and seen[t["template"]] < per_template:
            seen[t["template"]] += 1
            out.append(name)
    return out


def test_documents_extract_to_ground_truth(corpus):
    out, truths = corpus
    names = _clean_docs(truths)
    # one clean document per template, plus one with a planted error
    names.append(next(n for n, t in sorted(truths.items()) if t["planted"]))
    assert len({truths[n]["template"] for n in names}) >= 4
    for name in names:
        truth = truths[name]
        ex = extract_document(out / name, out)
        assert not [e for e in ex.load_errors if e.severity == "error"], name
        doc = ex.document
        assert doc.fiscal_year == truth["fiscal_year"], name
        for key in ("province", "city", "county", "adcode"):
            assert getattr(doc, key) == truth["entity"][key], (name, key)
        assert doc.entity_name == truth["entity"]["name"], name
        got = Counter(_key(f) for f in synth.leaf_figures(ex)[0])
        want = Counter(_key({**f, "amount": Decimal(f["amount"])}) for f in truth["figures"])
        if truth["planted"]:
            # the planted figure is the only difference
            assert sum((want - got).values()) <= 1 and sum((got - want).values()) <= 1, name
        else:
            assert got == want, (name, list((want - got).elements())[:5], list((got - want).elements())[:5])


def test_totals_add_up_in_clean_documents(corpus):
    """Every printed 类/款 = Σ its children in clean documents, except where the real template
    itself does not add up (those differences are inherited, × k, and listed in the truth)."""
    out, truths = corpus
    checked = 0
    for name in _clean_docs(truths):
        ex = extract_document(out / name, out)
        diffs = synth.hierarchy_differences(ex)
        assert {k: str(v) for k, v in diffs.items()} == truths[name]["inherited_differences"], name
        checked += sum(1 for r in ex.table_rows if r.code and len(r.code) in (3, 5))
    assert checked > 10
    # a planted 类 error is a new difference of exactly 1.00
    for i in range(2, 200, 5):  # documents of the DOCX-text template (002), all with an error
        name, text, t = synth.generate_document(7, i, rate=1.0)
        if t["planted"] and t["planted"][0]["kind"] == "class_subtotal":
            (out / name).write_text(text, encoding="utf-8")
            diffs = synth.hierarchy_differences(extract_document(out / name, out))
            new = {k: v for k, v in diffs.items() if k not in t["inherited_differences"]}
            assert Decimal("1.00") in new.values(), name
            break
    else:
        pytest.fail("no class_subtotal planted")
