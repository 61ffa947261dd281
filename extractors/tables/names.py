"""Economic and functional codes of rows printed by name only.

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

Functional tables printed by name only (杭州 C033 / C035: 功能分类科目名称, the hierarchy shown by
indentation alone) are read the same way one level deeper: a 类 name is unique (公共安全支出 → 204),
a 款 name unique within its 类 (公安 → 20402), a 项 name within its 款 (行政运行 → 2040201 under
公安, 2010101 under 人大事务), so a row's code follows from its name and the 类 and 款 rows above
it; a name that is both its 款's name and a 项 under it (其他一般公共服务支出 20199 > 2019999) is the
款 the first time and the 项 after it.

Pure apart from reading the catalog once.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..blocks import squash

SEEDS = Path(__file__).resolve().parents[2] / "dbt" / "seeds"
SEED_FILES = ("economic_classification.csv", "economic_name_aliases.csv", "functional_classification.csv",
              "functional_name_aliases.csv")
_WORDS = re.compile(r"[\u4e00-\u9fff]")


def _norm(name: str) -> str:
    return squash(name).replace("(", "（").replace(")", "）").strip("：:")


def _unique(found: dict, current: dict) -> dict:
    """{key: code} for the keys naming one code, or one code whose name is current."""
    out = {}
    for key, codes in found.items():
        if len(codes) == 1:
            out[key] = next(iter(codes))
        elif len(current.get(key, ())) == 1:
            out[key] = next(iter(current[key]))
    return out


def _catalog(system: str, levels: tuple, alias_levels: tuple) -> tuple[dict, ...]:
    """One dict per level of the ``system`` catalog (dbt/seeds/<system>_classification.csv and its
    aliases): the top level {name: code}, each lower one {(parent code, name): code}; a name two
    codes share under one parent is kept for the one whose name is current only, else dropped.
    Aliases count at ``alias_levels``. Empty dicts where the seeds are not there."""
    found: dict[str, dict] = {lv: {} for lv in levels}
    current: dict[str, dict] = {lv: {} for lv in levels}
    try:
        with open(SEEDS / f"{system}_classification.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        with open(SEEDS / f"{system}_name_aliases.csv", encoding="utf-8") as fh:
            aliases = list(csv.DictReader(fh))
    except OSError:
        return tuple({} for _ in levels)
    top = levels[0]

    def key(level: str, parent: str, name: str):
        return _norm(name) if level == top else (parent, _norm(name))
    for r in rows:
        level = r["level"]
        if level not in found or (level != top and not r["parent_code"]):
            continue
        k = key(level, r["parent_code"], r["name"])
        found[level].setdefault(k, set()).add(r[f"{system}_code"])
        if r.get("is_current_name") == "true" and not r.get("valid_to_year"):
            current[level].setdefault(k, set()).add(r[f"{system}_code"])
    for a in aliases:
        level = a["level"]
        if level in alias_levels and (level == top or a["parent_code"]):
            found[level].setdefault(key(level, a["parent_code"], a["alias_name"]), set()).add(a["code"])
    return tuple(_unique(found[lv], current[lv]) for lv in levels)


@lru_cache(maxsize=1)
def economic_names() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """({类 name: code}, {(类 code, 款 name): code}): names in force and 款 aliases; a name given to
    two codes under one parent (an edition's renumbering: 其他社会保障缴费 30104 / 30112) is
    kept for the code whose name is current only, else dropped."""
    return _catalog("economic", ("类", "款"), ("款",))


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


@lru_cache(maxsize=1)
def functional_names() -> tuple[dict[str, str], dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """({类 name: code}, {(类 code, 款 name): code}, {(款 code, 项 name): code}) from the functional
    catalog and its aliases, as :func:`economic_names`."""
    return _catalog("functional", ("类", "款", "项"), ("类", "款", "项"))


class FunctionalNames:
    """Codes for a functional table's rows read one after the other (see the module's comment):
    a 类 name sets the 类, a 款 name of that 类 the 款, a 项 name of that 款 is the 项; a name the
    catalog does not place under them gives no code and forgets the 款 (the rows below it are not
    known to be under it)."""

    def __init__(self) -> None:
        self.classes, self.kuan, self.xiang = functional_names()
        self.cls: Optional[str] = None
        self.k: Optional[str] = None

    def code_of(self, name: Optional[str]) -> Optional[str]:
        if not name:
            return None
        n = _norm(name)
        if n in self.classes:
            self.cls, self.k = self.classes[n], None
            return self.cls
        if self.k is not None and (code := self.xiang.get((self.k, n))):
            return code
        if self.cls is not None and (code := self.kuan.get((self.cls, n))):
            self.k = code
            return code
        self.k = None
        return None


def names_something(name: Optional[str]) -> bool:
    """A line's name that names a class (words, not a column-number row's ** of an empty table:
    C033 p23)."""
    return bool(name and _WORDS.search(name))


def partly_coded_by_name(rows, tables, kinds) -> bool:
    """Do a document's functional tables printed by name only (no printed code on any line) get
    codes from their names in some tables and none in others (a name the catalog does not know
    left one uncoded: C035's 支出总表 prints 城市基础设施配套费安排的支出)? Then the document is read
    without them: its facts combine the all-funds table with the fund tables, and half of them
    coded would drop the other half's figures (the prose's 类 stand in for uncoded tables)."""
    by_table: dict = {}
    for r in rows:
        by_table.setdefault(r.table_id, []).append(r)
    coded = uncoded = False
    for t in tables:
        lines = [r for r in by_table.get(t.table_id, ()) if r.row_kind != "total" and names_something(r.name)]
        if t.table_kind not in kinds or t.is_duplicate_copy or not lines or any(r.code_raw for r in lines):
            continue
        if any(r.code and r.code_system == "functional" for r in lines):
            coded = True
        else:
            uncoded = True
    return coded and uncoded
