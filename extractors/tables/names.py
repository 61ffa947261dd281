"""Economic codes of rows printed by name only.

Some 基本支出表 print no 科目编码 column: 工资福利支出 | 8,305.83, then 基本工资 | 1,636.40 … under it
(深圳 C016 p32, 广州 C025 p25: the 部门预算支出经济分类 by name). Their rows would carry no code, so
no economic fact, no 类 = Σ 款 check. The names are those of the national classification: a 类
name is unique (工资福利支出 → 301), a 款 name is unique within its 类 (办公设备购置 is 31002 under
资本性支出, 30902 under 基本建设支出), so a row's code follows from its name and the 类 row above it.

The names come from the classification catalog the dbt project seeds (dbt/seeds/
economic_classification.csv and economic_name_aliases.csv, built by scripts/build_catalog_seeds.py):
one source for both. A name the catalog does not know, or knows under two codes of one 类, gives
no code; the row stays uncoded, as printed. Where the catalog files are not there (the package
installed without the repository), nothing is inferred.

Pure apart from reading the catalog once.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..blocks import squash

SEEDS = Path(__file__).resolve().parents[2] / "dbt" / "seeds"


def _norm(name: str) -> str:
    return squash(name).replace("(", "（").replace(")", "）").strip("：:")


@lru_cache(maxsize=1)
def economic_names() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """({类 name: code}, {(类 code, 款 name): code}): names in force and aliases; a name given to
    two codes under one parent (an edition's renumbering: 其他社会保障缴费 30104 / 30112) is
    kept for the code whose name is current only, else dropped."""
    classes: dict[str, set] = {}
    items: dict[tuple[str, str], set] = {}
    current: dict[tuple[str, str], set] = {}
    try:
        with open(SEEDS / "economic_classification.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        with open(SEEDS / "economic_name_aliases.csv", encoding="utf-8") as fh:
            aliases = list(csv.DictReader(fh))
    except OSError:
        return {}, {}
    for r in rows:
        code, name, level = r["economic_code"], _norm(r["name"]), r["level"]
        if level == "类":
            classes.setdefault(name, set()).add(code)
        elif level == "款" and r["parent_code"]:
            key = (r["parent_code"], name)
            items.setdefault(key, set()).add(code)
            if r.get("is_current_name") == "true" and not r.get("valid_to_year"):
                current.setdefault(key, set()).add(code)
    for a in aliases:
        if a["level"] == "款" and a["parent_code"]:
            items.setdefault((a["parent_code"], _norm(a["alias_name"])), set()).add(a["code"])
    cls = {n: next(iter(c)) for n, c in classes.items() if len(c) == 1}
    out: dict[tuple[str, str], str] = {}
    for key, codes in items.items():
        if len(codes) == 1:
            out[key] = next(iter(codes))
        elif len(current.get(key, ())) == 1:
            out[key] = next(iter(current[key]))
    return cls, out


class EconomicNames:
    """Codes for a table's rows read one after the other: a 类 name sets the 类 the 款 names
    below it are looked up in, until a name the catalog does not place."""

    def __init__(self) -> None:
        self.classes, self.items = economic_names()
        self.current: Optional[str] = None

    def code_of(self, name: Optional[str]) -> Optional[str]:
        if not name:
            return None
        n = _norm(name)
        if n in self.classes:
            self.current = self.classes[n]
            return self.current
        code = self.items.get((self.current, n)) if self.current is not None else None
        if code is None:
            # a name the catalog does not place (工资和福利支出, a unit's line 珠海市贸易服务中心):
            # the rows below it are not known to be under the 类 above it
            self.current = None
        return code
