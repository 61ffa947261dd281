"""The classification seeds (dbt/seeds/*_classification.csv, *_name_aliases.csv) resolve every
classification name path and printed code of the five sample documents in raw/.

Stdlib + csv only: no dbt, no database.
"""
from __future__ import annotations

import csv
import filecmp
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "dbt" / "seeds"
RAW = ROOT / "raw"
SEED_FILES = [
    "functional_classification.csv",
    "economic_classification.csv",
    "functional_name_aliases.csv",
    "economic_name_aliases.csv",
]

DOC_YEAR = {"000": 2025, "001": 2024, "002": 2025, "003": 2023, "004": 2024}

# (document, 类, 款, 项) -> 项 code: every (类)(款)(项) name path in the documents' prose.
NAME_PATHS = [
    ("000", "一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行", "2010301"),
    ("000", "一般公共服务支出", "政府办公厅（室）及相关机构事务", "一般行政管理事务", "2010302"),
    ("000", "社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休", "2080501"),
    ("000", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "2080505"),
    ("000", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位职业年金缴费支出", "2080506"),
    ("000", "社会保障和就业支出", "行政事业单位养老支出", "其他行政事业单位养老支出", "2080599"),
    ("000", "社会保障和就业支出", "其他社会保障和就业支出", "其他社会保障和就业支出", "2089999"),
    ("000", "卫生健康支出", "行政事业单位医疗", "行政单位医疗", "2101101"),
    ("000", "卫生健康支出", "行政事业单位医疗", "公务员医疗补助", "2101103"),
    ("000", "住房保障支出", "住房改革支出", "住房公积金", "2210201"),
    ("000", "住房保障支出", "住房改革支出", "购房补贴", "2210203"),
    ("001", "一般公共服务支出", "人大事务", "行政运行", "2010101"),
    ("001", "一般公共服务支出", "政协事务", "行政运行", "2010201"),
    ("001", "一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行", "2010301"),
    ("001", "一般公共服务支出", "政府办公厅（室）及相关机构事务", "事业运行", "2010350"),
    ("001", "社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休", "2080501"),
    ("001", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "2080505"),
    ("001", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位职业年金缴费支出", "2080506"),
    ("001", "社会保障和就业支出", "其他社会保障和就业支出", "其他社会保障和就业支出", "2089999"),
    ("001", "卫生健康支出", "卫生健康管理事务", "行政运行", "2100101"),
    ("001", "卫生健康支出", "行政事业单位医疗", "公务员医疗补助", "2101103"),
    ("001", "住房保障支出", "住房改革支出", "住房公积金", "2210201"),
    ("001", "住房保障支出", "住房改革支出", "提租补贴", "2210202"),
    ("003", "一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行", "2010301"),
    ("003", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "2080505"),
    ("003", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位职业年金缴费支出", "2080506"),
    ("003", "卫生健康支出", "行政事业单位医疗", "行政单位医疗", "2101101"),
    ("003", "卫生健康支出", "行政事业单位医疗", "公务员医疗补助", "2101103"),
    ("003", "住房保障支出", "住房改革支出", "住房公积金", "2210201"),
    ("003", "住房保障支出", "住房改革支出", "提租补贴", "2210202"),
    ("004", "一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行", "2010301"),
    ("004", "社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休", "2080501"),
    ("004", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "2080505"),
    ("004", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位职业年金缴费支出", "2080506"),
    ("004", "社会保障和就业支出", "其他社会保障和就业支出", "其他社会保障和就业支出", "2089999"),
    ("004", "卫生健康支出", "行政事业单位医疗", "行政单位医疗", "2101101"),
    ("004", "卫生健康支出", "行政事业单位医疗", "公务员医疗补助", "2101103"),
    ("004", "住房保障支出", "住房改革支出", "住房公积金", "2210201"),
    ("004", "住房保障支出", "住房改革支出", "购房补贴", "2210203"),
]

# Every (code, name) printed in the tables of raw/002 (FY2025) and raw/003 (FY2023).
PRINTED = {
    ("002", "functional"): {
        "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
        "2010302": "一般行政管理事务", "2010305": "专项业务及机关事务管理",
        "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080501": "行政单位离退休",
        "2080505": "机关事业单位基本养老保险缴费支出", "20808": "抚恤", "2080801": "死亡抚恤",
        "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗",
        "2101102": "事业单位医疗", "2101103": "公务员医疗补助",
        "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
    },
    ("002", "economic"): {
        "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金",
        "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30110": "职工基本医疗保险缴费",
        "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费", "30113": "住房公积金",
        "302": "商品和服务支出", "30201": "办公费", "30207": "邮电费", "30228": "工会经费",
        "30229": "福利费", "30231": "公务用车运行维护费", "30239": "其他交通费用",
        "30299": "其他商品和服务支出", "303": "对个人和家庭的补助", "30302": "退休费", "30305": "生活补助",
    },
    ("003", "functional"): {
        "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
        "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
        "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
        "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗",
        "2101103": "公务员医疗补助", "221": "住房保障支出", "22102": "住房改革支出",
        "2210201": "住房公积金", "2210202": "提租补贴",
    },
    ("003", "economic"): {
        "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金",
        "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
        "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费",
        "30113": "住房公积金", "302": "商品和服务支出", "30201": "办公费", "30228": "工会经费",
        "30229": "福利费", "30239": "其他交通费用", "30299": "其他商品和服务支出",
        "303": "对个人和家庭的补助", "30301": "离休费", "30302": "退休费", "30307": "医疗费补助",
        "30399": "其他对个人和家庭的补助",
    },
}

CODE_RE = r"(?:2[0-3]\d(?:\d\d){0,2}|3[01]\d(?:\d\d)?|399(?:\d\d)?)"


def read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def doc_path(doc: str) -> Path:
    (path,) = RAW.glob(f"{doc}_*.txt")
    return path


class Catalog:
    def __init__(self, system: str):
        self.system = system
        key = "functional_code" if system == "functional" else "economic_code"
        self.rows = read_seed(f"{system}_classification.csv")
        for r in self.rows:
            r["code"] = r[key]
        self.aliases = read_seed(f"{system}_name_aliases.csv")

    def valid(self, row: dict, year: int) -> bool:
        to = int(row["valid_to_year"]) if row["valid_to_year"] else 9999
        return int(row["valid_from_year"]) <= year <= to

    def name_in_force(self, code: str, year: int) -> list[str]:
        return [r["name"] for r in self.rows if r["code"] == code and self.valid(r, year)]

    def resolve(self, name: str, parent: str, year: int) -> set[str]:
        """Codes under `parent` ('' for 类) that `name` denotes in `year` (canonical or alias)."""
        codes = {r["code"] for r in self.rows
                 if r["parent_code"] == parent and r["name"] == name and self.valid(r, year)}
        live = {r["code"] for r in self.rows if self.valid(r, year)}
        codes |= {a["code"] for a in self.aliases
                  if a["parent_code"] == parent and a["alias_name"] == name and a["code"] in live}
        return codes

    def resolve_path(self, names: tuple[str, ...], year: int) -> set[str]:
        parents = {""}
        for name in names:
            parents = set().union(*(self.resolve(name, p, year) for p in parents))
        return parents


FUNCTIONAL = Catalog("functional")
ECONOMIC = Catalog("economic")


def extract_name_paths() -> set[tuple[str, str, str, str]]:
    found = set()
    for doc in DOC_YEAR:
        text = doc_path(doc).read_text(encoding="utf-8")
        text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
        for m in re.finditer(r"([\u4e00-\u9fff（）、]+?)（类）([\u4e00-\u9fff（）、]+?)（款）"
                             r"([\u4e00-\u9fff（）、]+?)（项）", text):
            lei = re.sub(r"^.*?[、.]", "", m.group(1)) if "、" in m.group(1) else m.group(1)
            found.add((doc, lei, m.group(2), m.group(3)))
    return found


def extract_printed(doc: str) -> set[tuple[str, str]]:
    lines = [line.strip() for line in doc_path(doc).read_text(encoding="utf-8").splitlines()]
    pairs = set()
    for i, line in enumerate(lines):
        m = re.fullmatch(rf"({CODE_RE})(?:\t+(\S+).*)?", line)
        if not m:
            continue
        name = m.group(2)
        if name is None:  # raw/002: one cell per line, the name follows the code
            j = i + 1
            while j < len(lines) and not lines[j]:
                j += 1
            name = lines[j]
        pairs.add((m.group(1), name))
    return pairs


def test_name_path_list_covers_the_documents():
    listed = {(d, a, b, c) for d, a, b, c, _ in NAME_PATHS}
    assert extract_name_paths() == listed


@pytest.mark.parametrize("doc,lei,kuan,xiang,expected", NAME_PATHS)
def test_name_path_resolves_to_one_code(doc, lei, kuan, xiang, expected):
    year = DOC_YEAR[doc]
    assert FUNCTIONAL.resolve_path((lei,), year) == {expected[:3]}
    assert FUNCTIONAL.resolve_path((lei, kuan), year) == {expected[:5]}
    assert FUNCTIONAL.resolve_path((lei, kuan, xiang), year) == {expected}


def test_printed_code_list_covers_the_documents():
    for doc in ("002", "003"):
        listed = {(c, n) for system in ("functional", "economic") for c, n in PRINTED[(doc, system)].items()}
        assert extract_printed(doc) == listed


@pytest.mark.parametrize("doc,system", sorted(PRINTED))
def test_printed_codes_exist_with_matching_name(doc, system):
    catalog = FUNCTIONAL if system == "functional" else ECONOMIC
    year = DOC_YEAR[doc]
    for code, name in PRINTED[(doc, system)].items():
        names = catalog.name_in_force(code, year)
        assert names == [name], (code, name, names)
        parent = "" if len(code) == 3 else code[:-2]
        assert catalog.resolve(name, parent, year) == {code}


@pytest.mark.parametrize("catalog", [FUNCTIONAL, ECONOMIC], ids=["functional", "economic"])
def test_levels_parents_and_codes(catalog):
    levels = {3: "类", 5: "款", 7: "项"} if catalog.system == "functional" else {3: "类", 5: "款"}
    codes = {r["code"] for r in catalog.rows}
    for r in catalog.rows + catalog.aliases:
        code = r["code"]
        assert code.isdigit() and len(code) in levels, code
        assert r["level"] == levels[len(code)], code
        expected_parent = "" if len(code) == 3 else code[:-2]
        assert r["parent_code"] == expected_parent, code
        assert not expected_parent or expected_parent in codes, f"parent of {code} missing"
    keys = [(r["code"], r["valid_from_year"]) for r in catalog.rows]
    assert len(keys) == len(set(keys))
    for r in catalog.rows:
        assert r["is_current_name"] == ("true" if not r["valid_to_year"] else "false")
        assert r["source"] in ("national_supplement",) or re.fullmatch(
            r"observed:\d+ docs|document:raw/\S+\.txt", r["source"]), r["source"]


@pytest.mark.parametrize("catalog", [FUNCTIONAL, ECONOMIC], ids=["functional", "economic"])
def test_aliases_are_unambiguous(catalog):
    seen = {}
    for a in catalog.aliases:
        key = (a["parent_code"], a["alias_name"])
        assert seen.setdefault(key, a["code"]) == a["code"], key
        clash = {r["code"] for r in catalog.rows
                 if r["parent_code"] == a["parent_code"] and r["name"] == a["alias_name"]}
        assert clash <= {a["code"]}, (a["alias_name"], clash)


def test_codes_are_quoted_strings_in_the_csv():
    for name in SEED_FILES:
        for line in (SEEDS / name).read_text(encoding="utf-8").splitlines()[1:]:
            assert line.startswith('"'), line


def test_20805_has_two_editions():
    eds = sorted((r["valid_from_year"], r["valid_to_year"], r["name"])
                 for r in FUNCTIONAL.rows if r["code"] == "20805")
    assert eds == [("2007", "2019", "行政事业单位离退休"), ("2020", "", "行政事业单位养老支出")]
    assert FUNCTIONAL.resolve("行政事业单位离退休", "208", 2018) == {"20805"}
    assert FUNCTIONAL.resolve("行政事业单位离退休", "208", 2024) == set()


def test_pre_2018_economic_editions():
    def eds(code):
        return sorted((r["valid_from_year"], r["valid_to_year"], r["name"])
                      for r in ECONOMIC.rows if r["code"] == code)
    assert eds("30311") == [("2007", "2017", "住房公积金"), ("2018", "", "代缴社会保险费")]
    assert eds("30312") == [("2007", "2017", "提租补贴")]


def test_truncated_observed_names_are_aliases_not_names():
    names = {r["name"] for r in FUNCTIONAL.rows + ECONOMIC.rows}
    for broken in ("体育与传媒支", "信息网络及软件购置", "类类", "机关事业单位基本养老保"):
        assert broken not in names
    assert ("30203", "咨询费") in {(r["code"], r["name"]) for r in ECONOMIC.rows}
    assert "30210" not in {r["code"] for r in ECONOMIC.rows}


def test_build_is_deterministic_and_seeds_are_up_to_date(tmp_path):
    outputs = []
    for run in ("a", "b"):
        root = tmp_path / run
        (root / "scripts").mkdir(parents=True)
        shutil.copy(ROOT / "scripts" / "build_catalog_seeds.py", root / "scripts")
        shutil.copytree(ROOT / "data" / "catalogs", root / "data" / "catalogs")
        subprocess.run([sys.executable, str(root / "scripts" / "build_catalog_seeds.py")],
                       check=True, capture_output=True)
        outputs.append(root / "dbt" / "seeds")
    for name in SEED_FILES:
        assert filecmp.cmp(outputs[0] / name, outputs[1] / name, shallow=False), name
        assert filecmp.cmp(outputs[0] / name, SEEDS / name, shallow=False), f"{name} is stale: re-run the script"
