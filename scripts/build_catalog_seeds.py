#!/usr/bin/env python3
"""Build the classification-catalog dbt seeds from data/catalogs/*.csv.

Inputs (all committed in the repository, nothing is read from ../shared):

* data/catalogs/observed_function_codes.csv, observed_econ_codes.csv
    every (code, name) pair printed in 37 real disclosures (the original
    shared/catalogs/ copies) and in the 52-PDF development corpus, with name
    variants ``name(n_docs)|...``, the years seen and a conflict flag (see
    data/catalogs/README.md).
* data/catalogs/observed_curation.csv
    hand-made decisions about observed names that are not simply "the
    canonical name, in force since the start of the system": edition year
    ranges, accepted aliases, rejected variants (shifted local tables, broken
    cells, ambiguous fragments) and dropped non-national codes.
* data/catalogs/national_supplement.csv
    hand-curated entries from the national catalog (财政部《政府收支分类科目》)
    or from the sample documents, for codes/editions the observed catalog
    lacks; each row cites its source and says what is unverified.

Outputs (dbt/seeds/):

* functional_classification.csv, economic_classification.csv
    one row per (code, edition): the name in force from valid_from_year to
    valid_to_year (empty = still in force).
* functional_name_aliases.csv, economic_name_aliases.csv
    name variants (short forms, truncations at cell edges, OCR / wording
    variants, former names whose edition is not modelled) a name-path resolver
    may accept for a code. An alias never maps to two codes under one parent.

Conventions:

* valid_from_year = OPEN_START (2007, the first year of the current
  政府收支分类 system) means "no earlier edition is modelled"; it is a floor, not
  a verified introduction year.
* Observed variants that are neither curated nor a proper, unambiguous prefix
  of the code's name (= a cell-edge truncation) stop the build: every name
  must be decided explicitly.

The script is deterministic (sorted output, no timestamps) and uses the
standard library only. Run from anywhere: ``python scripts/build_catalog_seeds.py``.
"""
from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "data" / "catalogs"
SEEDS = ROOT / "dbt" / "seeds"

OPEN_START = 2007

OBSERVED = {
    "functional": CATALOGS / "observed_function_codes.csv",
    "economic": CATALOGS / "observed_econ_codes.csv",
}
CURATION = CATALOGS / "observed_curation.csv"
SUPPLEMENT = CATALOGS / "national_supplement.csv"

LEVELS = {
    "functional": {3: "类", 5: "款", 7: "项"},
    "economic": {3: "类", 5: "款"},
}
CODE_COLUMN = {"functional": "functional_code", "economic": "economic_code"}
CLASS_FILE = {
    "functional": "functional_classification.csv",
    "economic": "economic_classification.csv",
}
ALIAS_FILE = {
    "functional": "functional_name_aliases.csv",
    "economic": "economic_name_aliases.csv",
}
ALIAS_COLUMNS = ["alias_name", "code", "level", "parent_code", "alias_kind", "source", "note"]
VARIANT_RE = re.compile(r"^(.*)\((\d+)\)$")


class CatalogError(Exception):
    pass


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def level_of(classification: str, code: str) -> str:
    if not code.isdigit() or len(code) not in LEVELS[classification]:
        raise CatalogError(f"{classification} code {code!r}: not a 3/5/7-digit code")
    return LEVELS[classification][len(code)]


def parent_of(code: str) -> str:
    return "" if len(code) == 3 else code[: len(code) - 2]


def parse_variants(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for piece in text.split("|"):
        m = VARIANT_RE.match(piece.strip())
        if not m:
            raise CatalogError(f"cannot parse name variant {piece!r}")
        out[m.group(1)] = int(m.group(2))
    return out


def opt_int(text: str) -> int | None:
    return int(text) if text else None


def build(classification: str, curation: list[dict], supplement: list[dict]):
    entries: list[dict] = []
    aliases: list[dict] = []
    pending: list[tuple[str, str, int]] = []  # (code, name, n_docs) awaiting auto decision
    rejected: dict[str, list[str]] = defaultdict(list)
    cur = {(r["code"], r["name"]): r for r in curation if r["classification"] == classification}
    used_cur: set[tuple[str, str]] = set()

    for row in read_csv(OBSERVED[classification]):
        code = row["code"]
        lvl = level_of(classification, code)
        if int(row["level"]) != len(code) or row["parent_code"] != parent_of(code):
            raise CatalogError(f"{code}: level/parent_code inconsistent with the code")
        variants = parse_variants(row["name_variants(n_docs)"])
        if row["name"] not in variants:
            raise CatalogError(f"{code}: canonical name missing from its variants")
        years = row["years_seen"]
        drop = [r for (c, _), r in cur.items() if c == code and r["action"] == "drop_code"]
        if drop:
            used_cur.add((code, drop[0]["name"]))
            continue
        for name, n in variants.items():
            c = cur.get((code, name))
            if c is not None:
                used_cur.add((code, name))
            action = c["action"] if c else ("canonical" if name == row["name"] else "auto")
            source = f"observed:{n} docs"
            if action in ("canonical", "edition"):
                entries.append({
                    "code": code, "name": name, "level": lvl, "parent_code": parent_of(code),
                    "valid_from_year": opt_int(c["valid_from_year"]) if c else OPEN_START,
                    "valid_to_year": opt_int(c["valid_to_year"]) if c else None,
                    "source": source,
                    "notes": ([c["note"]] if c and c["note"] else []) + [f"Code observed in FY {years}."],
                })
                if entries[-1]["valid_from_year"] is None:
                    raise CatalogError(f"{code} {name}: edition without valid_from_year")
            elif action == "alias":
                aliases.append({
                    "alias_name": name, "code": code, "level": lvl, "parent_code": parent_of(code),
                    "alias_kind": c["alias_kind"], "source": c["source"] or source, "note": c["note"],
                })
            elif action == "reject":
                rejected[code].append(f"{name} ({n} doc{'s' if n != 1 else ''}): {c['note']}")
            elif action == "auto":
                pending.append((code, name, n))
            else:
                raise CatalogError(f"{code} {name}: unknown action {action!r}")

    # curated aliases that do not come from an observed variant (e.g. document labels)
    for (code, name), c in sorted(cur.items()):
        if (code, name) in used_cur:
            continue
        if c["action"] != "alias" or not c["source"]:
            raise CatalogError(f"curation row {code} {name} matches no observed variant "
                               "(only sourced aliases may stand alone)")
        aliases.append({
            "alias_name": name, "code": code, "level": level_of(classification, code),
            "parent_code": parent_of(code), "alias_kind": c["alias_kind"],
            "source": c["source"], "note": c["note"],
        })

    observed_keys = {(e["code"], e["name"]) for e in entries}
    for s in supplement:
        if s["classification"] != classification:
            continue
        code = s["code"]
        lvl = level_of(classification, code)
        if s["level"] != lvl or s["parent_code"] != parent_of(code):
            raise CatalogError(f"supplement {code}: level/parent_code inconsistent with the code")
        if (code, s["name"]) in observed_keys:
            raise CatalogError(f"supplement {code} {s['name']} duplicates an observed entry")
        seed_source = s["source"] if s["source"].startswith("document:") else "national_supplement"
        notes = [s["note"]]
        if seed_source == "national_supplement":
            notes.append(f"Source: {s['source']}.")
        if s["evidence"]:
            notes.append(f"Evidence: {s['evidence']}.")
        entries.append({
            "code": code, "name": s["name"], "level": lvl, "parent_code": parent_of(code),
            "valid_from_year": int(s["valid_from_year"]), "valid_to_year": opt_int(s["valid_to_year"]),
            "source": seed_source, "notes": notes,
        })

    by_code: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        by_code[e["code"]].append(e)
    for code, eds in by_code.items():
        eds.sort(key=lambda e: e["valid_from_year"])
        for a, b in zip(eds, eds[1:]):
            if a["valid_to_year"] is None or a["valid_to_year"] >= b["valid_from_year"]:
                raise CatalogError(f"{code}: overlapping editions {a['name']} / {b['name']}")
        for e in eds:
            if e["valid_to_year"] is not None and e["valid_to_year"] < e["valid_from_year"]:
                raise CatalogError(f"{code} {e['name']}: valid_to_year before valid_from_year")
    for code in rejected:
        if code not in by_code:
            raise CatalogError(f"{code}: every observed name rejected and no supplement entry")
    for e in entries:
        if e["parent_code"] and e["parent_code"] not in by_code:
            raise CatalogError(f"{e['code']}: parent {e['parent_code']} missing")

    siblings: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        siblings[e["parent_code"]].append(e)

    # auto decision: a proper prefix of the code's own name(s) that is not a prefix
    # of any sibling's name is a truncation at a cell edge -> alias.
    for code, name, n in pending:
        own = [e["name"] for e in by_code.get(code, [])]
        sib = [e["name"] for e in siblings[parent_of(code)] if e["code"] != code]
        if len(name) >= 2 and any(o.startswith(name) and o != name for o in own) \
                and not any(s.startswith(name) for s in sib):
            full = next(o for o in own if o.startswith(name))
            aliases.append({
                "alias_name": name, "code": code, "level": level_of(classification, code),
                "parent_code": parent_of(code), "alias_kind": "truncated",
                "source": f"observed:{n} docs",
                "note": f"Truncated at a cell edge (prefix of {full}); never the canonical name.",
            })
        else:
            raise CatalogError(f"{classification} {code}: observed variant {name!r} is not curated "
                               "and is not an unambiguous truncation - add it to observed_curation.csv")

    # alias sanity: one code per (parent, alias); an alias must not be another code's name
    # under the same parent; aliases equal to the code's own name are redundant.
    seen: dict[tuple[str, str], str] = {}
    kept = []
    for a in aliases:
        if a["code"] not in by_code:
            raise CatalogError(f"alias {a['alias_name']} -> unknown code {a['code']}")
        if a["alias_name"] in {e["name"] for e in by_code[a["code"]]}:
            raise CatalogError(f"alias {a['alias_name']} repeats a name of {a['code']}")
        key = (a["parent_code"], a["alias_name"])
        if seen.setdefault(key, a["code"]) != a["code"]:
            raise CatalogError(f"alias {a['alias_name']} maps to two codes under {a['parent_code']!r}")
        clash = [e["code"] for e in siblings[a["parent_code"]]
                 if e["name"] == a["alias_name"] and e["code"] != a["code"]]
        if clash:
            raise CatalogError(f"alias {a['alias_name']} of {a['code']} is the name of {clash}")
        kept.append(a)

    # canonical names must be unique among siblings in every year
    for parent, eds in siblings.items():
        for i, a in enumerate(eds):
            for b in eds[i + 1:]:
                if a["code"] != b["code"] and a["name"] == b["name"]:
                    a_to = a["valid_to_year"] or 9999
                    b_to = b["valid_to_year"] or 9999
                    if a["valid_from_year"] <= b_to and b["valid_from_year"] <= a_to:
                        raise CatalogError(f"{a['code']} and {b['code']} share the name {a['name']}")

    rows = []
    for e in sorted(entries, key=lambda e: (e["code"], e["valid_from_year"])):
        notes = list(e["notes"])
        if rejected.get(e["code"]) and e["valid_to_year"] is None:
            notes.append("Rejected observed variants: " + "; ".join(rejected[e["code"]]))
        rows.append({
            CODE_COLUMN[classification]: e["code"],
            "name": e["name"],
            "level": e["level"],
            "parent_code": e["parent_code"],
            "valid_from_year": e["valid_from_year"],
            "valid_to_year": e["valid_to_year"],
            "is_current_name": "true" if e["valid_to_year"] is None else "false",
            "source": e["source"],
            "note": " ".join(n for n in notes if n),
        })
    kept.sort(key=lambda a: (a["code"], a["alias_name"]))
    return rows, kept


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """Strings (codes included) are quoted, integers are not: codes stay VARCHAR."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r[c] is None else r[c] for c in columns])


def main() -> int:
    curation = read_csv(CURATION)
    supplement = read_csv(SUPPLEMENT)
    for r in curation + supplement:
        if r["classification"] not in OBSERVED:
            raise CatalogError(f"unknown classification {r['classification']!r}")
    for classification in ("functional", "economic"):
        rows, aliases = build(classification, curation, supplement)
        columns = [CODE_COLUMN[classification], "name", "level", "parent_code", "valid_from_year",
                   "valid_to_year", "is_current_name", "source", "note"]
        write_csv(SEEDS / CLASS_FILE[classification], columns, rows)
        write_csv(SEEDS / ALIAS_FILE[classification], ALIAS_COLUMNS, aliases)
        print(f"{classification}: {len(rows)} classification rows, {len(aliases)} aliases")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CatalogError as exc:
        print(f"catalog error: {exc}", file=sys.stderr)
        sys.exit(1)
