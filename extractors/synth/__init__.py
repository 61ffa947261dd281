"""Synthetic corpus generator: realistic budget disclosures with known ground truth.

    python -m extractors.synth --out DIR --n N --seed S [--discrepancy-rate R] [--templates]

Each document is one of the real sample documents in ``raw/`` (the templates: 000/001 prose
情况说明, 002 DOCX-text cells, 003 PDF-markdown, 004 pdftotext) rewritten consistently:

* the entity moves to another real county/district (``counties.csv``: names the ``cpca``
  gazetteer resolves to exactly that province / city / county / adcode, unique in China, same
  suffix 区/县 as the template's), the template's province, city and county names replaced
  everywhere;
* every printed year moves by the same offset (fiscal year 2021–2025; the prior year with it);
* every printed amount is multiplied by the same integer factor k (2–9). Amounts are the
  numbers with a decimal part (≤ 2 decimals, not followed by % ‰ or 个百分点) and integers
  followed by 万元/元 (or by 万 at a line end: the unit wrapped). Integer scaling is exact, so every total still adds up at every level,
  shares (占比 %) and growth rates stay true, and the prose still restates the tables.

A fraction ``--discrepancy-rate`` of the documents carry one planted discrepancy (chosen from
the figures the extractor reads in the template, so it lands on a printed figure):

* ``class_subtotal``: a 类 (3-digit functional code) subtotal row of a table + 1.00 万元
  (templates with tables); reconciliation should fail ``hierarchy_parent_sum`` /
  ``table_total_sum_classes``;
* ``narrative_figure``: a prose figure + 1.00 万元 — a 类 figure where the document has tables
  (``narrative_vs_table``, or ``narrative_repeated_figure`` / ``narrative_share_pct`` where the
  tables are not read by code, as in pdftotext 004), a 项 figure in prose-only documents
  (``narrative_class_sum_items``).

The documents go to ``DIR/raw/`` (point ``BUDGET_RAW_DIR`` there), the ground truth to
``DIR/truth.jsonl``, one JSON object per document: file, template,
dialect, entity (name, province, city, county, adcode), fiscal_year, scale, the leaf figures
(every detail table cell with a classification code and every prose 项/类 figure: kind, code
or name, column, amount as printed) and the planted discrepancies (kind, line, printed before /
after, the rules expected to fail). The figures are the template's figures × k as the
extractor reads them in the template (the templates' reading is pinned by the golden files in
tests/fixtures/expected/). Same arguments → byte-identical files (``--seed`` and the document
number alone decide each document, so document i is the same for any N ≥ i).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..corpus import PROJECT_ROOT

HERE = Path(__file__).resolve().parent
TEMPLATE_DIR = PROJECT_ROOT / "raw"
YEARS = (2021, 2022, 2023, 2024, 2025)
SCALES = (2, 3, 4, 5, 6, 7, 8, 9)
PLANT = Decimal("1.00")


@dataclass(frozen=True)
class Template:
    stem: str
    dialect: str  # the sample dialect it stands for
    province: str
    city: str
    county: str
    year: int
    has_tables: bool
    entity_name: str


# the five sample documents (metadata as in tests/fixtures/expected/<stem>/narrative.json)
TEMPLATES = (
    Template("000_94a51bfa8bc2096e", "prose", "安徽省", "淮北市", "杜集区", 2025, False, "淮北市杜集区人民政府办公室"),
    Template("001_13025beda4217a55", "prose", "安徽省", "淮北市", "相山区", 2024, False, "淮北市相山区人民政府办公室"),
    Template("002_26df1c49268341e3", "docx_text", "河北省", "保定市", "莲池区", 2025, True, "保定市莲池区人民政府办公室"),
    Template("003_638e0d246034f851", "pdf_markdown", "安徽省", "宿州市", "埇桥区", 2023, True, "宿州市埇桥区人民政府办公室"),
    Template("004_648995029452fd0f", "pdftotext", "安徽省", "淮北市", "濉溪县", 2024, True, "濉溪县人民政府办公室"),
)


@lru_cache(maxsize=None)
def counties() -> dict[str, list[tuple[str, str, str, str]]]:
    """suffix (区/县) → [(adcode, province, city, county)], in file order; never a template's own
    county (a generated document must not be the same disclosure as a real sample)."""
    out: dict[str, list] = {"区": [], "县": []}
    own = {t.county for t in TEMPLATES}
    with open(HERE / "counties.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["county"] not in own:
                out[r["county"][-1]].append((r["adcode"], r["province"], r["city"], r["county"]))
    return out


# ---------------------------------------------------------------------------- rewriting
# a number not glued to other digits; thousands separators allowed
_NUM_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])")
_PCT_AFTER_RE = re.compile(r"\s*(?:%|％|‰|个百分点)")
_WAN_AFTER_RE = re.compile(r"\s*(?:万元|元|万\s*$)")  # 万 at a line end: 万 / 元 wrapped


def _fmt(value: Decimal, decimals: int, grouped: bool) -> str:
    q = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    v = value.quantize(q)
    return f"{v:,.{decimals}f}" if grouped else f"{v:.{decimals}f}"


def rewrite_line(line: str, k: int, dy: int) -> str:
    """Scale the amounts of one line by k and shift its years by dy."""
    def sub(m: re.Match) -> str:
        ip, dec = m.group(1), m.group(2)
        rest = line[m.end():]
        if dec is not None:
            if len(dec) > 2:
                # "3.2023 年" (a numbered heading glued to a year): shift the year only
                if len(dec) == 4 and dec.startswith("20") and 2000 <= int(dec) <= 2039:
                    return f"{ip}.{int(dec) + dy}"
                return m.group(0)
            if _PCT_AFTER_RE.match(rest):
                return m.group(0)
            value = Decimal(ip.replace(",", "") + "." + dec) * k
            return _fmt(value, len(dec), "," in ip)
        if len(ip) == 4 and "," not in ip and 2000 <= int(ip) <= 2039:
            return str(int(ip) + dy)
        if _WAN_AFTER_RE.match(rest) and not _PCT_AFTER_RE.match(rest):
            value = Decimal(ip.replace(",", "")) * k
            return _fmt(value, 0, "," in ip)
        return m.group(0)

    return _NUM_RE.sub(sub, line)


def _name_map(t: Template, place: tuple[str, str, str, str]) -> list[tuple[str, str]]:
    _, prov, city, county = place
    pairs = [(t.county, county), (t.city, city), (t.province, prov)]
    return [(a, b) for a, b in pairs if a != b]


def rewrite_text(text: str, t: Template, place, k: int, dy: int) -> list[str]:
    for a, b in _name_map(t, place):
        text = text.replace(a, b)
    return [rewrite_line(line, k, dy) for line in text.split("\n")]


# ---------------------------------------------------------------------------- template analysis
@lru_cache(maxsize=None)
def template_text(stem: str) -> str:
    return (TEMPLATE_DIR / f"{stem}.txt").read_bytes().decode("utf-8")


def leaf_figures(ex) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(leaf figures, 类 total cells, prose 项 figures, prose 类 figures) of one extraction.

    Leaf figures: every non-blank cell of a detail row with a classification code (tables that
    are not duplicate copies) and every prose 项/类 figure, as dicts comparable across documents
    (no line numbers). The others carry the line and printed amount, for planting."""
    tables = {t.table_id: t for t in ex.tables}
    rows = {(r.table_id, r.row_number): r for r in ex.table_rows}
    leaves, class_cells = [], []
    for a in ex.table_amounts:
        t, r = tables.get(a.table_id), rows.get((a.table_id, a.row_number))
        if t is None or r is None or a.amount is None or t.is_duplicate_copy:
            continue
        if r.code and r.row_kind == "detail":
            leaves.append({"kind": "table", "table_kind": t.table_kind, "code": r.code, "column": a.column_key,
                           "entity_code": a.entity_code, "amount": a.amount})
        if (r.code and len(r.code) == 3 and r.code_system == "functional" and a.column_key == "total"
                and a.amount > 0 and a.line_number):
            class_cells.append({"line": a.line_number, "amount": a.amount, "code": r.code,
                                "table_kind": t.table_kind, "table_id": t.table_id})
    prose_items, prose_classes = [], []
    for f in ex.narrative_figures:
        if f.amount is None or f.measure not in ("function_item", "function_class"):
            continue
        name = f.item_name if f.measure == "function_item" else f.class_name
        leaves.append({"kind": "narrative", "measure": f.measure, "name": name, "entity_code": f.entity_code,
                       "amount": f.amount})
        if f.amount > 0:
            (prose_items if f.measure == "function_item" else prose_classes).append(
                {"line": f.line_number, "amount": f.amount, "name": name, "measure": f.measure})
    return leaves, class_cells, prose_items, prose_classes


def hierarchy_differences(ex) -> dict[str, Decimal]:
    """Printed 类/款 subtotal − Σ its printed children, per functional table and column, where
    they differ: {"<table_id>|<column>|<code>": difference}. Empty for a consistent document."""
    rows = {(r.table_id, r.row_number): r for r in ex.table_rows}
    cells: dict[tuple, dict] = {}
    for a in ex.table_amounts:
        r = rows.get((a.table_id, a.row_number))
        if r and r.code and r.code_system == "functional" and a.amount is not None:
            cells.setdefault((a.table_id, a.column_key), {}).setdefault(r.code, a.amount)
    out = {}
    for (table, col), by_code in cells.items():
        for code, amount in by_code.items():
            if len(code) in (3, 5):
                kids = [v for c, v in by_code.items() if len(c) == len(code) + 2 and c.startswith(code)]
                if kids and sum(kids) != amount:
                    out[f"{table}|{col}|{code}"] = amount - sum(kids)
    return out


@lru_cache(maxsize=None)
def template_facts(stem: str) -> dict:
    """What the extractor reads in the template: leaf figures and the plantable figures
    (line number, printed amount) — computed once per process."""
    from ..pipeline import extract_document

    ex = extract_document(TEMPLATE_DIR / f"{stem}.txt", TEMPLATE_DIR)
    leaves, class_cells, prose_items, prose_classes = leaf_figures(ex)
    # plant 类 errors in the functional expenditure tables, where hierarchy rules look
    preferred = [c for c in class_cells if c["table_kind"] == "general_budget_expenditure"]
    return {"dialect": ex.document.dialect if ex.document else None, "leaves": leaves,
            "hierarchy_differences": hierarchy_differences(ex),
            "class_cells": preferred or class_cells, "prose_items": prose_items, "prose_classes": prose_classes}


# ---------------------------------------------------------------------------- planting
def _replace_amount(line: str, printed: str, new: str, need_wan: bool) -> Optional[str]:
    """Replace the first printed amount equal to `printed` on the line (as a whole number)."""
    pat = re.compile(r"(?<![\d.,])" + re.escape(printed) + r"(?![\d]|\.\d)" + (r"(?=\s*万?元)" if need_wan else ""))
    m = pat.search(line)
    if not m:
        return None
    return line[:m.start()] + new + line[m.end():]


def _printed(amount: Decimal, k: int, template_line: str) -> list[str]:
    """The ways the scaled amount may be printed on the rewritten line."""
    v = amount * k
    outs = []
    for dec in (2, 1, 0):
        s = _fmt(v, dec, False)
        if Decimal(s) == v:
            outs.append(s)
            outs.append(_fmt(v, dec, True))
    return list(dict.fromkeys(outs))


def plant(lines: list[str], t: Template, facts: dict, k: int, rng: random.Random) -> Optional[dict]:
    kinds = (["narrative_figure"] if facts["prose_items"] or facts["prose_classes"] else []) \
        + (["class_subtotal"] if facts["class_cells"] else [])
    if not kinds:
        return None
    kind = rng.choice(kinds)
    if kind == "class_subtotal":
        cands, rules, need_wan = facts["class_cells"], ["hierarchy_parent_sum", "table_total_sum_classes"], False
    elif t.has_tables and facts["prose_classes"]:
        cands, need_wan = facts["prose_classes"], True
        # a 类 figure restated elsewhere in the prose or printed with a share is caught there too
        rules = ["narrative_vs_table", "narrative_repeated_figure", "narrative_share_pct"]
    else:
        cands = facts["prose_items"] or facts["prose_classes"]
        rules, need_wan = ["narrative_class_sum_items", "narrative_total_sum_classes", "narrative_vs_table",
                           "narrative_repeated_figure", "narrative_share_pct"], True
    cands = list(cands)
    rng.shuffle(cands)
    for c in cands:
        idx = c["line"] - 1
        if idx >= len(lines):
            continue
        for printed in _printed(c["amount"], k, lines[idx]):
            dec = len(printed.split(".")[1]) if "." in printed else 0
            new_value = Decimal(printed.replace(",", "")) + PLANT
            new = _fmt(new_value, max(dec, 2), "," in printed)
            out = _replace_amount(lines[idx], printed, new, need_wan)
            if out is not None:
                lines[idx] = out
                d = {"kind": kind, "line": c["line"], "before": printed, "after": new,
                     "difference": str(PLANT), "expected_rules": rules}
                d.update({key: c[key] for key in ("code", "table_kind", "name", "measure") if key in c})
                return d
    return None


# ---------------------------------------------------------------------------- generation
def document_plan(seed: int, i: int, rate: float) -> dict:
    """Everything random about document i (independent of N)."""
    t = TEMPLATES[i % len(TEMPLATES)]
    rng = random.Random(f"{seed}:{i}")
    suffix = t.county[-1]
    pool = counties()[suffix]
    # document i takes the next county of its suffix in a seeded permutation: no two documents of
    # one corpus share an entity and year until the list is exhausted
    same_suffix_before = sum(1 for j in range(i) if TEMPLATES[j % len(TEMPLATES)].county[-1] == suffix) \
        if i < 50 else _count_suffix_before(i, suffix)
    perm = _permutation(seed, suffix)
    place = pool[perm[same_suffix_before % len(pool)]]
    # the year: a seeded offset per county plus the round through the list, so a county used
    # twice (N larger than the list) gets another year: (entity, year) stays unique up to 5 rounds
    base = random.Random(f"{seed}:year:{place[0]}").randrange(len(YEARS))
    year = YEARS[(base + same_suffix_before // len(pool)) % len(YEARS)]
    return {"template": t, "rng": rng, "place": place, "year": year, "k": rng.choice(SCALES),
            "dirty": rng.random() < rate}


def _count_suffix_before(i: int, suffix: str) -> int:
    per_cycle = sum(1 for t in TEMPLATES if t.county[-1] == suffix)
    full, rem = divmod(i, len(TEMPLATES))
    return full * per_cycle + sum(1 for t in TEMPLATES[:rem] if t.county[-1] == suffix)


@lru_cache(maxsize=None)
def _permutation(seed: int, suffix: str) -> list[int]:
    idx = list(range(len(counties()[suffix])))
    random.Random(f"{seed}:perm:{suffix}").shuffle(idx)
    return idx


def generate_document(seed: int, i: int, rate: float = 0.0) -> tuple[str, str, dict]:
    """(file name, text, truth record) of document i."""
    p = document_plan(seed, i, rate)
    t, place, year, k, rng = p["template"], p["place"], p["year"], p["k"], p["rng"]
    dy = year - t.year
    lines = rewrite_text(template_text(t.stem), t, place, k, dy)
    facts = template_facts(t.stem)
    planted = []
    if p["dirty"]:
        d = plant(lines, t, facts, k, rng)
        if d:
            planted.append(d)
    text = "\n".join(lines)
    adcode, prov, city, county = place
    name = f"{i:05d}_{t.dialect}_{adcode}_{year}.txt"
    entity_name = t.entity_name
    for a, b in _name_map(t, place):
        entity_name = entity_name.replace(a, b)
    truth = {
        "file": name, "template": t.stem, "dialect": t.dialect, "scale": k, "fiscal_year": year,
        "entity": {"province": prov, "city": city, "county": county, "adcode": adcode, "name": entity_name},
        "figures": [{**{key: v for key, v in f.items() if key != "amount"}, "amount": str(f["amount"] * k)}
                    for f in facts["leaves"]],
        "planted": planted,
        # real discrepancies of the template (× k), e.g. 003's 20805 款 ≠ Σ 项 by 0.01 万元
        "inherited_differences": {key: str(v * k) for key, v in sorted(facts["hierarchy_differences"].items())},
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    return name, text, truth


def generate(out: Path, n: int, seed: int, rate: float = 0.0, templates: bool = False,
             progress: bool = False) -> list[dict]:
    out = Path(out)
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    truths = []
    for i in range(n):
        name, text, truth = generate_document(seed, i, rate)
        (raw / name).write_bytes(text.encode("utf-8"))
        truths.append(truth)
        if progress and (i + 1) % 200 == 0:
            print(f"  synth {i + 1}/{n}", file=sys.stderr, flush=True)
    if templates:
        # the real samples, unchanged: their own (real) discrepancies are the baseline that
        # reconciliation findings on generated documents are compared against
        for t in TEMPLATES:
            name = f"template_{t.stem}.txt"
            (raw / name).write_bytes((TEMPLATE_DIR / f"{t.stem}.txt").read_bytes())
            truths.append({"file": name, "template": t.stem, "dialect": t.dialect, "scale": 1,
                           "fiscal_year": t.year, "is_template": True, "planted": [],
                           "entity": {"province": t.province, "city": t.city, "county": t.county}})
    with open(out / "truth.jsonl", "w", encoding="utf-8") as f:
        for tr in truths:
            f.write(json.dumps(tr, ensure_ascii=False, sort_keys=True) + "\n")
    return truths


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extractors.synth", description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="output directory (created)")
    ap.add_argument("--n", required=True, type=int, help="number of documents (round-robin over the 5 templates)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--discrepancy-rate", type=float, default=0.0, help="fraction of documents with a planted error")
    ap.add_argument("--templates", action="store_true", help="also copy the 5 real samples (template_*.txt)")
    a = ap.parse_args(argv)
    truths = generate(a.out, a.n, a.seed, a.discrepancy_rate, a.templates, progress=True)
    n_planted = sum(len(t["planted"]) for t in truths)
    print(f"wrote {a.n} documents ({n_planted} with a planted discrepancy) to {a.out / 'raw'}, "
          f"ground truth to {a.out / 'truth.jsonl'}")
    return 0
