"""Stage 4 — parse: a table's grid rows → TableRow + TableAmount (long format).

Pure functions: :func:`parse_table` takes the rows of one table (header rows first), its
kind, unit and ids and returns (rows, amounts, problems). Column meaning comes from the
printed headers (→ settings.COLUMN_KEYS, unknown → 'other' with the label kept);
classification codes are normalised (``201 03 01`` → ``2010301``, 类/款/项 columns joined);
amounts are Decimal exactly as printed (thousands separators stripped, blank → None).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Optional

from ..blocks import Cell, squash
from ..errors import ExtractionError
from ..records import TableAmount, TableRow
from ..settings import ExtractSettings
from .align import align_rows, merge_sparse_columns, place_spanning_cells
from .groups import mark_group_lines
from .names import EconomicNames, FunctionalNames
from .sides import Line, is_carry, is_total, section_sums, squash_label

AMOUNT_RE = re.compile(r"^[-−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE_RE = re.compile(r"^\d{3}(?:\s*\d{2}){0,2}$")
# a trailing colon is the label's punctuation (总计：, C065 p8)
_TOTAL_RE = re.compile(r"^(?:合\s*计|总\s*计|收\s*入\s*总\s*计|支\s*出\s*总\s*计|本年收入合计|本年支出合计|.*(?:合计|总计))[:：]?$")
_SUBTOTAL_RE = re.compile(r"小计$")
_YEAR_COL = re.compile(r"((?:19|20)\d{2})年")

TWO_SIDED_KINDS = {"income_expenditure_summary", "fiscal_appropriation_summary"}
ECONOMIC_KINDS = {"general_budget_basic_expenditure"}
# kinds whose rows are functional classes when they print names and no code column
FUNCTIONAL_NAME_KINDS = {"expenditure_summary", "general_budget_expenditure", "gov_fund_expenditure",
                         "state_capital_expenditure"}

# (key, patterns) checked in order against the squashed column label
_KEY_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("other", ("非财政拨款",)),  # 使用非财政拨款结余 (C062 p21): not the 财政拨款 column
    # a figure net of something (项目支出 / 扣除基建项目后预算数, C009 p22) is never the total
    ("other", ("扣除",)),
    ("carryover", ("上年结转", "年初结转", "年初财政拨款结转", "结转结余", "上年结余")),  # 上年结余、结转 (深圳 C016 p26)
    ("current_year_revenue", ("本年收入",)),
    ("fiscal_appropriation", ("财政拨款收入",)),
    ("general_budget", ("一般公共预算", "公共预算拨款")),  # 公共预算拨款 / 小计 (西安 C056 p5)
    ("gov_fund", ("政府性基金", "基金预算")),
    ("state_capital", ("国有资本经营",)),
    ("fiscal_special_account", ("财政专户",)),
    ("business_income", ("事业收入",)),
    ("operating_expenditure", ("经营支出",)),
    ("operating_income", ("经营收入", "经营服务收入")),  # 事业单位经营服务收入 (长沙 C042 p13)
    ("superior_subsidy", ("上级补助",)),
    ("subsidiary_remittance", ("附属单位上缴",)),
    ("subsidy_to_subsidiary", ("对附属单位补助",)),
    ("remittance_to_superior", ("上解上级", "上缴上级")),
    ("other_income", ("其他收入", "其它收入")),
    ("unit_funds", ("单位资金",)),
    ("basic", ("基本支出",)),
    ("project", ("项目支出", "专项业务经费")),  # 专项业务经费支出 (西安, C054/C056): the project column
    ("personnel", ("人员经费", "人员支出", "人员类")),
    ("public", ("公用经费", "公用支出", "公用类")),
    ("reserve", ("预留机动", "机动经费")),
    ("overseas_travel", ("因公出国",)),
    ("vehicle_purchase", ("公务用车购置费", "公务用车购置经费")),  # 公务用车购置经费 (C064 p18)
    ("vehicle_operation", ("公务用车运行",)),
    ("vehicle_total", ("公务用车",)),
    ("official_reception", ("公务接待",)),
    ("meeting", ("会议费",)),
    ("training", ("培训费",)),
    ("operating_cost", ("机关运行经费",)),  # 机关运行经费预算数 beside the “三公” columns (Shanghai)
    ("change", ("增减",)),
    ("asset_value", ("价值",)),
    ("unit_price", ("单价",)),
    ("quantity", ("数量",)),
    ("fiscal_appropriation", ("财政拨款",)),
    ("total", ("合计", "预算数", "金额", "总计", "小计", "预算")),
]

# 公务用车购置, not 公务用车购置及运行费 (the two together)
_VEHICLE_PURCHASE = re.compile(r"公务用车购置(?![及和与])")
_CODE_IN_NAME = re.compile(r"^(?:[\[【［](\d{3}|\d{5}|\d{7})[\]】］]|(\d{3}|\d{5}|\d{7})\s*[-－—–])\s*(\S.*)$")
_PART_GROUP_KEYS = frozenset({"basic", "project", "carryover", "personnel", "public", "unit_funds"})
# “三公” items printed as a column group whose 小计 is the item (its other columns break it down)
_ITEM_GROUP_KEYS = frozenset({"overseas_travel", "official_reception", "meeting", "training"})
# the group over a revenue table's this-year columns, by the names provinces give it
_CURRENT_YEAR_GROUPS = ("本年收入", "编制预算", "本年预算", "当年预算")
# fund groups whose 小计 is the group's part when the table prints its own 合计 beside them
_FUND_GROUP_KEYS = frozenset({"fiscal_appropriation", "general_budget", "gov_fund", "state_capital"})
_SEQ_LABELS = ("序号", "栏次", "行次")  # a column numbering the rows, not an amount
_TRAILING_PAREN = re.compile(r"[（(][^（()）]*[)）]$")
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_CODE_LABELS = ("编码", "代码", "科目代码")
_NAME_LABELS = ("名称", "项目", "科目", "单位名称", "项目名称", "收入项目")


def parse_amount(text: str) -> tuple[Optional[Decimal], bool]:
    """→ (amount, ok). Blank → (None, True); not a number → (None, False)."""
    t = text.strip().replace(" ", "")
    if not t or t in ("-", "—", "--", "－"):
        return None, True
    t = t.replace("，", ",")
    if not AMOUNT_RE.match(t):
        return None, False
    t = t.replace(",", "").replace("−", "-").replace("–", "-")
    try:
        return Decimal(t), True
    except InvalidOperation:  # pragma: no cover - the regex guards this
        return None, False


def normalise_code(text: str) -> Optional[str]:
    t = text.strip()
    if not t:
        return None
    if _CODE_RE.match(t):
        return re.sub(r"\s+", "", t)
    return None


def is_unit_code(code: Optional[str]) -> bool:
    """A unit code printed on a table line (125001: department 125, unit 001): six digits, a length
    no functional (3/5/7) or economic (3/5/7) code has."""
    return bool(code) and code.isdigit() and len(code) == 6


def column_key(label: str, parent: str = "") -> str:
    """Map a printed column header (and its parent header) to a COLUMN_KEYS key."""
    lab = squash(label)
    par = squash(parent)
    if lab.startswith("其中"):
        # 其中：专项资金列入部门预算项目 (西安 C054 p31): a part of the column before it, never a total
        key = column_key(lab[2:].lstrip("：:")) if lab[2:].lstrip("：:") else "other"
        return "other" if key == "total" else key
    if _VEHICLE_PURCHASE.search(lab) and "运行" not in lab:
        return "vehicle_purchase"  # 公务用车购置 (西安 C054 p13), 其中：公务用车购置 (长沙 C042 p7)
    if "公务用车运行" in par + lab and "购置" not in lab and _rule_key(lab, None) is None:
        return "vehicle_operation"  # 公务用车运 / 行维护费: one label cut over two header lines (C085 p9)
    if lab in ("小计", "合计") and "本年收入" in par:
        return "current_year_revenue"
    if lab in ("合计", "小计") and "三公" in par:  # “三公”经费 / 小计 beside the table's 合计
        return "three_public_total"
    if lab in ("合计", "小计") and "公务用车" in par:  # 公务用车购置及运行维护费 / 小计
        return "vehicle_total"
    if "公务用车" in par and "购置" in lab:  # 公务用车购置及运行费 / 购置费 | 运行费 (C001 p19, C090 p31)
        return "vehicle_purchase"
    if "公务用车" in par and "运行" in lab:
        return "vehicle_operation"
    if lab in ("合计", "小计") and par:
        # 基本支出 / 小计 | 人员经费 | 公用经费, 上年结转 / 小计: the subtotal of a column group that is a
        # part of the table's total is that part (under a fund scope spanning the whole table,
        # 一般公共预算 / 小计, it stays the table's total)
        key = _rule_key(par)
        if key in _PART_GROUP_KEYS or key in _ITEM_GROUP_KEYS:
            # 因公出国（境）费 / 小计 | 因公出国（境）费 | 科研因公出国（境）费用 (长春 C065 p12): the item
            return key
    if lab in ("合计", "小计", "预算数", "决算数", "金额", "总计"):
        return "total"
    for text in (lab, par) if lab else (par,):
        if text and (key := _rule_key(text, None)):
            return key
    return "other"


def _rule_key(text: str, default: Optional[str] = "total") -> Optional[str]:
    """The key of the first _KEY_RULES entry with a pattern in ``text`` (squashed), else default."""
    return next((k for k, pats in _KEY_RULES if any(p in text for p in pats)), default)


@dataclass
class Column:
    index: int
    label: str  # printed header text, parent first, joined by '/'
    leaf: str  # the lowest printed header text
    role: str  # seq | code | name | amount | text
    key: str = "other"
    side: Optional[str] = None
    code_part: Optional[str] = None  # 类 | 款 | 项 for split code columns


def _align_upper(upper: list[str], lower: list[str]) -> list[str]:
    """Spread a header row printed with merged cells (fewer cells) over the lower row's
    columns: an upper cell above a blank lower cell spans down into it; an upper cell above
    printed lower cells spans across them (a group ends at a blank lower cell, at a label
    repeated inside the group, or after the code/name pair for 科目 headers)."""
    n = len(lower)
    out = [""] * n
    j = 0
    for ui, u in enumerate(upper):
        if j >= n:
            break
        remaining = len(upper) - ui - 1
        if not lower[j]:
            out[j] = u
            j += 1
            continue
        seen: set[str] = set()
        start = j
        is_subject = "科目" in u
        while j < n and lower[j] and lower[j] not in seen and (n - j - 1) >= 0:
            if is_subject and j > start and not re.search(r"编码|名称|代码|类|款|项", lower[j]):
                break
            if j > start and n - j <= remaining and remaining > 0:
                break
            seen.add(lower[j])
            out[j] = u
            j += 1
        if j == start:  # nothing consumed: map onto this column anyway
            out[j] = u
            j += 1
    return out


_PERIOD_RE = re.compile(
    r"(?P<y>上年|上一年|去年|当年|本年|(?P<year>20\d{2})年)(?:度)?(?:预算|决算|执行)?(?:数)?"
    r"|(?P<change>增减|增减变化|增减变化情况|增减情况|比上年增减|变动情况)")


def _period(label: str) -> Optional[tuple[str, Optional[int]]]:
    """('prior' | 'current' | 'change' | 'year', year) for a column-group header naming a period
    (上年 | 当年 | 增减变化情况; 2019年 | 2020年), else None (上年结转 is a revenue, not a period)."""
    m = _PERIOD_RE.fullmatch(squash(label))
    if not m:
        return None
    if m.group("change"):
        return ("change", None)
    if m.group("year"):
        return ("year", int(m.group("year")))
    return ("prior", None) if m.group("y") in ("上年", "上一年", "去年") else ("current", None)


_PRIOR_TOTAL_LEAVES = ("执行数", "决算数", "预算数", "合计", "小计", "金额")


def _budget_final_groups(spans: list[tuple], width: int) -> Optional[list[tuple]]:
    """A header row printing one 预算数 group and one 决算数 group, each over several columns (the
    same 合计 | 因公出国（境）费 | 公务用车 … under each: a 决算's “三公” table, C061 p21) → the two
    groups as period spans, the 决算数 one the year's ('current'), the 预算数 one 'budget'; None
    otherwise (a row of 预算数 | 决算数 leaf pairs is _pair_budget_final's)."""
    starts = [sp[0] for sp in spans] + [width]
    budget = [k for k, sp in enumerate(spans) if sp[1] in _BUDGET_LEAVES]
    final = [k for k, sp in enumerate(spans) if sp[1] in _FINAL_LEAVES]
    if len(budget) != 1 or len(final) != 1:
        return None
    if any(starts[k + 1] - starts[k] < 2 for k in budget + final):
        return None
    (b,), (f,) = budget, final
    return [(spans[b][0], spans[b][1], ("budget", None)), (spans[f][0], spans[f][1], ("current", None))]


def mark_period_groups(cols: list[Column], header_rows: list[list[str]]) -> None:
    """Columns printed in period groups (上年 | 当年 | 增减变化情况 over the same 合计 | “三公” … columns,
    C050 p43; 2019年 | 2020年 | 增减变化情况, C054 p49): only the budget year's group keeps its meaning;
    the prior year's own total is `prior_year` and the change's `change`, their other columns
    `other`, the label prefixed with the group (the figures stay in the staging tables, never in
    the year's facts). The budget year's group is
    当年 / 本年, else the latest year printed; nothing changes without one, or with fewer than two
    period groups in the header row. A 决算's 预算数 | 决算数 groups (:func:`_budget_final_groups`)
    are two such groups, the 决算数 the year's."""
    for row in header_rows:
        spans: list[tuple[int, str, tuple]] = []  # (first column, label, period) per non-empty cell
        for i, text in enumerate(row):
            if squash(text):
                spans.append((i, squash(text), _period(text)))
        periods = [sp for sp in spans if sp[2]]
        if len(periods) < 2:
            periods = _budget_final_groups(spans, width=len(row))
            if periods is None:
                continue
            spans = [next((p for p in periods if p[0] == sp[0]), sp) for sp in spans]
        years = [p[1] for _, _, p in periods if p[0] == "year"]
        latest = max(years) if years else None

        def is_current(p):
            return p[0] == "current" or (p[0] == "year" and p[1] == latest)
        if not any(is_current(p) for _, _, p in periods):
            continue
        prior_done: list = []
        for c in cols:
            # a column headed by a period itself (2024年度预算 | 2025年度预算 | 增减) is keyed by
            # header_columns (prior_year / total / change): only the columns under a group are here
            if c.role != "amount" or _period(c.leaf) or c.key in ("prior_year", "change"):
                continue
            owner = next((sp for sp in reversed(spans) if sp[0] <= c.index), None)
            if owner is None or owner[2] is None or is_current(owner[2]):
                continue
            # the prior year's own total (2025年执行数 / 执行数, 上年 / 合计: C036 p10) is its
            # prior_year figure; the group's other columns and the change's are `other`
            prior = owner[2][0] == "prior" or (owner[2][0] == "year" and owner[2][1] < latest)
            change = owner[2][0] == "change"
            if (prior or change) and owner not in prior_done and (c.key == "total" or c.leaf in _PRIOR_TOTAL_LEAVES):
                # the change's own total (增减变化情况 / 合计: C050 p43, C054 p49) is its change figure
                prior_done.append(owner)
                c.key = "prior_year" if prior else "change"
                continue
            c.key = "other"
            if not c.label.startswith(owner[1]):
                c.label = f"{owner[1]}/{c.label}"
        return


def header_columns(header_rows: list[list[str]], width: int, kind: str) -> list[Column]:
    """Build the column model from the printed header rows (top to bottom)."""
    levels: list[list[str]] = []
    rows = [[squash(c) for c in r] for r in header_rows if any(c.strip() for c in r)]
    rows = [r for r in rows if not (r and r[0] in _SEQ_LABELS[1:]) and not is_column_number_row(r)]
    # align every header row to the table width, bottom-up
    aligned: list[list[str]] = []
    below: Optional[list[str]] = None
    for r in reversed(rows):
        if len(r) < width:
            if below is not None and len(below) == width:
                r = _align_upper(r, below)
            else:
                r = [""] * (width - len(r)) + r if False else r + [""] * (width - len(r))
        elif len(r) > width:
            r = r[:width]
        aligned.append(r)
        below = r
    levels = list(reversed(aligned))
    cols: list[Column] = []
    for j in range(width):
        stack = []
        for lv in levels:
            t = lv[j] if j < len(lv) else ""
            if t and (not stack or stack[-1] != t):
                stack.append(t)
        leaf = stack[-1] if stack else ""
        parent = stack[-2] if len(stack) >= 2 else ""
        label = "/".join(stack)
        role = "amount"
        if leaf in _SEQ_LABELS or (not leaf and j == 0 and parent in _SEQ_LABELS):
            role = "seq"
        elif any(p in leaf for p in _CODE_LABELS) or leaf in ("类", "款", "项"):
            role = "code"
        elif (base := _TRAILING_PAREN.sub("", leaf)).endswith(("名称", "分类科目", "支出功能分类", "支出经济分类")) or (
                any(base.endswith(p) or base == p for p in _NAME_LABELS) and "预算" not in base):
            # 部门预算支出经济分类科目（按大类） (西安 C056 p3): the words before a trailing parenthetical
            # decide, and a classification's 科目 names the row, 预算 in it or not
            # 部门预算支出经济分类科目名称 (C062 p16) names the row, 预算 in it or not
            role = "name"
        col = Column(j, label, leaf, role)
        if leaf in ("类", "款", "项"):
            col.code_part = leaf
        if role == "amount":
            col.key = column_key(leaf, parent)
        cols.append(col)
    # two code groups side by side (部门预算支出经济分类 类 | 款 then 政府预算支出经济分类 类 | 款:
    # C062/C064 p21): the row's code is the first group's; a group restarting at a part already
    # seen is a second classification's code, kept as text (it made 10-digit codes 3010150101)
    seen_parts: set[str] = set()
    second_group = False
    for c in cols:
        if c.role == "code" and c.code_part:
            second_group = second_group or c.code_part in seen_parts
            seen_parts.add(c.code_part)
            if second_group:
                c.role, c.code_part = "text", None
    # two whole-code columns before the amounts (部门经济科目编码 | 名称 | 政府经济科目编码 | 名称: 西安
    # C054 p35, C050): each line is one pair of classifications; the row is keyed by the 部门 (支出经济
    # 分类) code, the other code and its name kept as text (they made codes 30101 50501 → 3010150501)
    first_amount = next((c.index for c in cols if c.role == "amount"), width)
    whole = [c for c in cols if c.role == "code" and not c.code_part and c.index < first_amount]
    if len(whole) >= 2:
        keep = next((c for c in whole if "部门" in c.label), whole[0])
        for c in whole:
            if c is not keep:
                c.role = "text"
                if c.index + 1 < len(cols) and cols[c.index + 1].role == "name":
                    cols[c.index + 1].role = "text"
    # 小计 under a fund group (财政拨款 / 小计 | 一般公共预算 | 政府性基金预算 …, 本级财政拨款 / 金额) beside
    # the table's own 合计 (C062 p8, p21; C044 p13): the group's subtotal, not a second table total; under a group spanning
    # every amount column (no 合计 outside it) it stays the total
    for c in cols:
        parts = c.label.split("/")
        if c.role != "amount" or c.key != "total" or c.leaf not in ("小计", "合计", "金额", "预算数") or len(parts) < 2:
            continue
        group = parts[-2]
        group_key = _rule_key(squash(group))
        if group_key not in _FUND_GROUP_KEYS:
            continue
        if any(o.role == "amount" and o.key == "total" and o.index != c.index and group not in o.label.split("/")
               for o in cols):
            c.key = group_key
    # year columns (2024年度预算 / 2025年度预算): the later year is the budget, the earlier the prior
    years = {c.index: int(m.group(1)) for c in cols if c.role == "amount" and (m := _YEAR_COL.search(c.leaf))}
    if len(years) >= 2:
        latest = max(years.values())
        for c in cols:
            if c.index in years:
                c.key = "total" if years[c.index] == latest else "prior_year"
    _pair_budget_final(cols)
    if kind == "revenue_summary":
        for c in cols:  # 编制预算 / 小计 (长春 C065 p7): the group of this year's revenue, by another name
            parts = c.label.split("/")
            if (c.role == "amount" and c.key == "total" and c.leaf in ("小计", "合计") and len(parts) >= 2
                    and any(g in parts[-2] for g in _CURRENT_YEAR_GROUPS)):
                c.key = "current_year_revenue"
    if not any(c.key == "total" for c in cols if c.role == "amount"):
        # a group over every amount column (2026年基本支出 over 合计 | 人员经费 | 公用经费: 国家信访局
        # C036 p12) is the whole table: its 合计 is the table's total, not a part of another one
        for c in cols:
            if c.role == "amount" and c.leaf in ("合计", "小计") and c.key in _PART_GROUP_KEYS:
                c.key = "total"
    if kind == "operating_cost":  # a 机关运行经费支出表's amount column is the table's own total
        for c in cols:
            if c.key == "operating_cost":
                c.key = "total"
    if kind in TWO_SIDED_KINDS:
        name_cols = [c.index for c in cols if c.role == "name"]
        split = name_cols[1] if len(name_cols) >= 2 else None
        for c in cols:
            if c.role in ("name", "amount"):
                c.side = "revenue" if split is None or c.index < split else "expenditure"
        for c in cols:  # the revenue side's 预算数/金额 and the expenditure side's 合计 are totals
            if c.role == "amount" and c.key in ("other",):
                c.key = "total"
    return cols


def two_sided_sections(cols: list["Column"]) -> list[tuple[str, list["Column"]]]:
    """The (side, columns) sections of a two-sided table, one row per section and printed line: the
    revenue side, then the expenditure side — cut at each of its name columns where it prints several
    name | amount sections side by side (支出功能分类科目 | 预算数 | 部门预算支出经济分类科目 | 预算数 | … in
    西安's 收支总表, C054 p29 / C056 p3: each section a list of its own, closing on its own 本年支出合计)."""
    out = []
    for side in ("revenue", "expenditure"):
        side_cols = [c for c in cols if c.side == side]
        names = [k for k, c in enumerate(side_cols) if c.role == "name"]
        cuts = [0] + names[1:] if side == "expenditure" and len(names) > 1 else [0]
        for a, b in zip(cuts, cuts[1:] + [len(side_cols)]):
            out.append((side, side_cols[a:b]))
    return out


def section_heading_row(texts: list[str]) -> bool:
    """A row printing only numbered section headings (一、部门预算 in every name column under the
    labels: 西安 C056 p3) is the table's first line, not a header row."""
    printed = [squash(t) for t in texts if t.strip()]
    return bool(printed) and all(_SECTION_HEADING.match(t) for t in printed)


# the keys of a “三公” table's columns: its totals, the items and 会议费 / 培训费 beside them
_THREE_PUBLIC_ITEMS = frozenset({"total", "three_public_total", "overseas_travel", "official_reception",
                                 "vehicle_total", "vehicle_purchase", "vehicle_operation", "meeting", "training"})


def three_public_keys(cols: list["Column"]) -> None:
    """Column meanings peculiar to a “三公”经费 table:
    - a column naming the “三公” total (“三公”经费合计, “三公”经费财政拨款预算总额: C033 p21, C012 p9) is
      that total, whatever else its words say;
    - the one 合计 of a table printing the “三公” items as columns and only them (no 会议费/培训费 beside
      them, no “三公” column of its own: C023 p17, C090 p31) is the “三公” total; beside 会议费/培训费 it is
      the grand total;
    - 购置费 | 运行费 printed without their group's words beside a 公务用车 小计 (C001 p19) are its parts;
    - under an item's group whose 小计 is the item (因公出国（境）费 / 小计 | 因公出国（境）费 | 科研因公出国（境）
      费用: C065 p12), the other columns break the item down and are not the item again."""
    for c in cols:  # 预算单位 | 年度 (深圳 C016 p46): the line's unit and year, not amounts
        if c.role == "amount" and (label := squash(c.label)) in ("预算单位", "年度"):
            c.role, c.key = ("name" if label == "预算单位" else "text"), "other"
    amount = [c for c in cols if c.role == "amount"]
    fund_split_items(amount)
    for c in amount:
        # an item's label cut over header lines, no piece of it a label of its own (因公出 / 国（境） / 费:
        # 江苏 C085 p9): the item its pieces spell
        parts = [squash(p) for p in c.label.split("/")]
        if c.key == "other" and len(parts) >= 2 and not any(_rule_key(p, None) for p in parts):
            key = _rule_key("".join(parts), None)
            if key in _THREE_PUBLIC_ITEMS:
                c.key = key
    for c in amount:
        if "三公" in squash(c.leaf) and c.key in ("total", "fiscal_appropriation", "other", "general_budget"):
            c.key = "three_public_total"
    if any(c.key == "vehicle_total" for c in amount):
        for c in amount:
            if c.key == "other" and squash(c.leaf) in ("购置费", "购置经费", "车辆购置费"):
                c.key = "vehicle_purchase"
            elif c.key == "other" and squash(c.leaf) in ("运行费", "运行维护费", "运行经费", "车辆运行费"):
                c.key = "vehicle_operation"
    items = _THREE_PUBLIC_ITEMS - {"total", "three_public_total", "meeting", "training"}  # the “三公” items
    # (a table printing the items as rows, under one 预算数/合计 column — C047 p18 — keeps its total)
    if any(c.key in items for c in amount) and not any(c.key in ("three_public_total", "meeting", "training")
                                                        for c in amount):
        totals = [c for c in amount if c.key == "total"]
        if len(totals) == 1:
            totals[0].key = "three_public_total"
    for k, sub in enumerate(amount):
        if sub.leaf not in ("小计", "合计") or "/" not in sub.label or sub.key not in _ITEM_GROUP_KEYS:
            continue
        for c in amount[k + 1:]:  # the group's columns follow its 小计
            if c.key != sub.key or c.leaf in ("小计", "合计"):
                break
            c.key = "other"


def fund_split_items(amount: list["Column"]) -> None:
    """A “三公” table printing each item as a group of fund columns (深圳 C016/C018/C020: 总计 | 因公出国
    (境)费 | 公务接待费 | 公务用车购置及运行维护费 / 小计 | 购置费 | 运行维护费, each over 一般公共预算 |
    政府性基金预算 | 国有资本经营预算): a fund column is its item's, by the words above the fund. The
    item's 一般公共预算 column is the item (the “三公” are paid from it); the other funds' columns that
    follow it are that item's other funds, kept as printed (key ``other``, their label naming the
    fund) rather than a second copy of the item."""
    item: Optional[str] = None
    for c in amount:
        parts = c.label.split("/")
        if c.key == "general_budget" and len(parts) >= 2:
            key = column_key(parts[-2], parts[-3] if len(parts) >= 3 else "")
            item = key if key in _THREE_PUBLIC_ITEMS else None
            if item:
                c.key = item
        elif c.key in ("gov_fund", "state_capital") and item:
            c.key = "other"
        else:
            item = None


_BUDGET_LEAVES = ("预算数", "年初预算数", "全年预算数", "预算")
_FINAL_LEAVES = ("决算数", "执行数", "实际支出数")


def _pair_key(parents: list[str]) -> str:
    """The meaning of a 决算数 column from the headers above it (合计 under “三公”经费 → the
    三公 total; 小计 under 公务用车购置及运行维护费 → vehicle_total)."""
    parent = parents[-1] if parents else ""
    grand = parents[-2] if len(parents) >= 2 else ""
    if parent in ("合计", "小计", "总计") and grand:
        if "三公" in grand:
            return "three_public_total"
        key = column_key(grand)
        return key if key != "other" else "total"
    if "三公" in parent and not grand:
        return "three_public_total"
    key = column_key(parent, grand) if parent else "total"
    return key if key != "other" else "total"


def _pair_budget_final(cols: list["Column"]) -> None:
    """预算数 | 决算数 column pairs (a 决算 table printing the budget beside the outcome,
    e.g. 财政拨款“三公”经费支出决算表): the merged header above the pair is printed once, over
    the 预算数 column; the 决算数 column is the item's figure, the 预算数 column is ``budget``."""
    for j in range(1, len(cols)):
        c, b = cols[j], cols[j - 1]
        if not (c.role == "amount" and b.role == "amount" and c.leaf in _FINAL_LEAVES
                and b.leaf in _BUDGET_LEAVES):
            continue
        parents = b.label.split("/")[:-1]
        c.label = "/".join(parents + [c.leaf])
        c.key = _pair_key(parents)
        b.key = "budget"


def _split_groups(cols: list["Column"], width: int) -> Optional[list[tuple[int, int]]]:
    """Column groups of a table printed as two (or more) tables side by side, each with its
    own code, name and amount columns (经济分类科目编码 | 科目名称 | 决算数 | 经济分类科目编码 |
    科目名称 | 决算数: 人员经费 on the left, 公用经费 on the right) → [(start, end), …]."""
    codes = [c.index for c in cols if c.role == "code" and not c.code_part]
    if len(codes) < 2 or any(c.code_part for c in cols):
        return None
    if any(c.role not in ("seq",) for c in cols[:codes[0]]):
        return None
    bounds = [(codes[k], codes[k + 1] if k + 1 < len(codes) else width) for k in range(len(codes))]
    for a, b in bounds:
        roles = [c.role for c in cols[a:b]]
        if "name" not in roles or "amount" not in roles:
            return None
    return bounds


def _row_kind_label(text: str) -> Optional[str]:
    t = squash(text)
    if not t:
        return None
    if _TOTAL_RE.match(t):
        return "total"
    if _SUBTOTAL_RE.search(t):
        return "subtotal"
    return "detail"


_COLUMN_NUMBER_LABELS = frozenset({"", "栏次", "行次", "序号", "*", "**", "***", "-", "—", "栏号", "列次"})


def is_column_number_row(texts: list[str]) -> bool:
    """A header row numbering the columns (栏次 | 1 | 2 | 3 …, or ** | 1 | 2 | 3 under the headers,
    repeated on every page of some layouts): labels blank or 栏次-like, and the other cells the
    integers k, k+1, k+2 … (at least two), or only star marks (** | ** | **). It is not a row of
    figures, nor a header's words."""
    nums: list[int] = []
    stars = 0
    for t in texts:
        s = squash(t)
        if s.isdigit() and len(s) <= 2:
            nums.append(int(s))
        elif s not in _COLUMN_NUMBER_LABELS:
            return False
        elif s and set(s) == {"*"}:
            stars += 1
    if not nums:  # ** | ** | ** | ** under the headers, numbering nothing (西安 C056 p25)
        return stars >= 2
    return len(nums) >= 2 and all(b == a + 1 for a, b in zip(nums, nums[1:]))


def is_data_row(texts: list[str]) -> bool:
    """A row below the header: it prints a number or a classification code (序号/栏次 aside)."""
    if not texts or is_column_number_row(texts):
        return False
    first = squash(texts[0])
    if first in _SEQ_LABELS:
        return False
    for t in texts[1:] if AMOUNT_RE.match(first or "x") and len(texts) > 2 else texts:
        s = t.strip()
        if s and (AMOUNT_RE.match(s.replace(" ", "")) or normalise_code(s)):
            return True
    return False


def first_data_row(texts: list[list[str]]) -> Optional[int]:
    """The index of the table's first data row (the rows above it are the header), None if none."""
    return next((i for i, r in enumerate(texts) if is_data_row(r)), None)


def text_table_first_row(texts: list[list[str]]) -> Optional[int]:
    """A table of words only (部门机构设置情况: 单位名称 | 单位性质 | 单位规格 | 经费保障形式) has no
    row printing a number or a code: its first printed row is the header, the rows below it data."""
    printed = [i for i, r in enumerate(texts) if any(c.strip() for c in r)]
    return printed[1] if len(printed) >= 2 else None


def mark_text_columns(cols: list["Column"], settings: ExtractSettings) -> None:
    """An amount column whose printed label names a text attribute (政府采购目录序号, 计量单位 …,
    settings.text_column_labels) is a text column even when every cell of it is blank."""
    for c in cols:
        if c.role == "amount" and c.leaf and any(p in c.leaf for p in settings.text_column_labels):
            c.role, c.key = "text", "other"


def primary_name_column(cols: list["Column"], data_texts: list[list[str]], prefer: Optional[str] = None
                        ) -> Optional[int]:
    """The column that names a row: of the name columns (else the text columns), the one printed
    in most data rows, the leftmost on a tie (项目名称 of a 政府采购 table, not 采购物品名称). With
    ``prefer``, of the columns whose label has that word when there are any (a project list's
    项目名称, not the 单位名称 printed on every line beside it: 杭州 C035 p32)."""
    for role in ("name", "text"):
        cands = [c.index for c in cols if c.role == role]
        if prefer and any(prefer in (c.label or "") for c in cols if c.index in cands):
            cands = [c.index for c in cols if c.index in cands and prefer in (c.label or "")]
        if cands:
            def filled(i: int) -> int:
                return sum(1 for r in data_texts if i < len(r) and r[i].strip())
            return max(cands, key=lambda i: (filled(i), -i))
    return None


def row_name_and_texts(cells: list[Cell], cols: list["Column"], primary: Optional[int]
                       ) -> tuple[Optional[str], Optional[str]]:
    """A row's name and its other text cells.

    The name is the primary name cell, with the cells of unlabelled word columns (a second label
    column: 一般公共预算资金 | 小计) joined to it; when the row prints none of them, its first
    printed attribute cell. The attributes are the other name columns and the labelled text
    columns (采购物品名称, 计量单位, 变化原因 …): a JSON object {column label: text} in print
    order, blank cells left out (None when the row prints none)."""
    name_cols = [c for c in cols if c.index == primary or (c.role == "text" and not c.label and not c.leaf)]
    attr_cols = [c for c in cols if c.role == "name" and c.index != primary] + \
        [c for c in cols if c.role == "text" and c not in name_cols]
    name_parts = [cells[c.index].text.strip() for c in name_cols if cells[c.index].text.strip()]
    attrs = [(c, cells[c.index].text.strip()) for c in attr_cols if cells[c.index].text.strip()]
    if not name_parts and attrs:
        name_parts = [attrs.pop(0)[1]]
    others: dict[str, str] = {}
    for c, t in sorted(attrs, key=lambda ct: ct[0].index):
        key = c.label or c.leaf
        while key in others:
            key += "'"
        others[key] = t
    return " ".join(name_parts) or None, (json.dumps(others, ensure_ascii=False) if others else None)


def frame_width(data_texts: list[list[str]]) -> int:
    """The table's number of columns: the width of the rows that print most of its cells. A row
    of another frame caught with the table (the next table's label 公开02表 in a 19-cell frame under
    a 4-column 收支总表, C040 p6→7) is placed by position, never the other way round."""
    printed: dict[int, int] = {}
    for r in data_texts:
        printed[len(r)] = printed.get(len(r), 0) + sum(1 for t in r if t.strip())
    if not printed:
        return 0
    return max(printed, key=lambda w: (printed[w], w))


def parse_table(rows: list[list[Cell]], *, source_file: str, table_id: int, kind: str,
                unit: Optional[str], entity_code: Optional[str],
                settings: ExtractSettings, codes_by_name: bool = True
                ) -> tuple[list[TableRow], list[TableAmount], list[str]]:
    """Parse one table's grid. Returns (table_rows, table_amounts, problems).

    Raises ExtractionError only for input that is not a grid at all.
    """
    if not isinstance(rows, list):
        raise ExtractionError(source_file, "parse", "table rows are not a list")
    problems: list[str] = []
    texts = [[c.text if isinstance(c, Cell) else str(c) for c in r] for r in rows]
    first_data = first_data_row(texts)
    if first_data is None and kind in settings.text_table_kinds:
        first_data = text_table_first_row(texts)
    if first_data is None:
        return [], [], problems
    while first_data > 1 and section_heading_row(texts[first_data - 1]):
        first_data -= 1
    width = frame_width(texts[first_data:])
    # rows printed in another frame than most of the table, header rows included (C009 p4: an
    # 11-cell first page with a spacer column over 10-cell continued pages), are placed by position
    aligned = align_rows(list(rows), width)
    moved = any(a is not b for a, b in zip(aligned, rows))
    rows = place_spanning_cells(aligned, first_data)
    moved = moved or any(a is not b for a, b in zip(rows, aligned))
    data = rows[first_data:]
    grid = merge_sparse_columns(rows, first_data)
    if grid is not None:
        data = grid[first_data:]
        width = len(grid[0])
        rows = grid
    if grid is not None or moved:  # cells moved: read the texts again
        texts = [[c.text if isinstance(c, Cell) else str(c) for c in r] for r in rows]
    header = texts[:first_data]
    cols = header_columns(header, width, kind)
    mark_period_groups(cols, header)
    if kind == "three_public_expenditure":
        three_public_keys(cols)  # after the period groups: only the budget year's 合计 is a total
    # no printed code/name header: guess from the data (first text column = name)
    if not any(c.role in ("name", "code") for c in cols):
        for c in cols:
            vals = [texts[first_data + k][c.index] for k in range(len(data)) if c.index < len(texts[first_data + k])]
            vals = [v for v in vals if v.strip()]
            # a column whose header names an amount (公务用车运行维护费, 培训费) is no code column,
            # even when its cells are whole numbers shaped like a code (237, 700: C083 p20)
            named_amount = c.role == "amount" and c.key != "other"
            if vals and not named_amount and all(normalise_code(v) for v in vals):
                c.role = "code"
            elif vals and not all(parse_amount(v)[1] for v in vals):
                c.role = "name" if not any(x.role == "name" for x in cols) else "text"
                if kind in TWO_SIDED_KINDS:
                    c.role = "name"
            if c.role != "amount":
                c.key = "other"
        if kind in TWO_SIDED_KINDS:
            names = [c.index for c in cols if c.role == "name"]
            split = names[1] if len(names) >= 2 else None
            for c in cols:
                if c.role in ("name", "amount"):
                    c.side = "revenue" if split is None or c.index < split else "expenditure"
    # an amount column whose cells are mostly words is a text column (采购物品名称, 计量单位 …)
    for c in cols:
        if c.role != "amount":
            continue
        vals = [texts[first_data + k][c.index].strip() for k in range(len(data))
                if c.index < len(texts[first_data + k]) and texts[first_data + k][c.index].strip()]
        bad = sum(1 for v in vals if not parse_amount(v)[1])
        if vals and bad * 2 > len(vals):
            c.role = "text"
    mark_text_columns(cols, settings)
    groups = _split_groups(cols, width)
    if groups:
        return _parse_groups(rows, groups, first_data, source_file=source_file, table_id=table_id, kind=kind,
                             unit=unit, entity_code=entity_code, settings=settings)
    primary = primary_name_column(cols, texts[first_data:], prefer="项目" if kind == "project_expenditure" else None)
    economic = kind in ECONOMIC_KINDS or any("经济分类" in c.label for c in cols)
    functional = any("功能分类" in c.label for c in cols)
    # the columns the row's code is printed in decide its system: a 支出总表 printing a line per
    # 支出功能分类科目 × 政府 × 部门经济分类科目 (2050101-行政运行 | 50101-… | 30101-…, C009 p4) is keyed
    # by the function code, the economic codes beside it are its attributes
    code_labels = [c.label for c in cols if c.role == "code" or c.index == primary]
    # (功能科目编码 | 功能科目名称 of 西安's 基本支出明细表（按支出功能分类科目）, C054 p38: 功能 without 分类)
    if any("功能" in lab for lab in code_labels) and not any("经济" in lab for lab in code_labels):
        economic, functional = False, True
    two_sided = kind in TWO_SIDED_KINDS and any(c.side == "expenditure" for c in cols)
    sections = two_sided_sections(cols) if two_sided else []

    out_rows: list[TableRow] = []
    out_amounts: list[TableAmount] = []
    row_no = 0

    def emit(line_no, row_kind, code, code_raw, name, label, raw, code_system, amounts, page=None, text_cells=None,
             block=None):
        nonlocal row_no
        row_no += 1
        out_rows.append(TableRow(source_file, table_id, row_no, line_no, row_kind, code, code_raw, name, raw,
                                 entity_code, code_system, page, label, text_cells, block))
        for col, amt, amt_raw, side, ln in amounts:
            out_amounts.append(TableAmount(source_file, table_id, row_no, col.key, col.label or col.leaf,
                                           amt, amt_raw, unit, entity_code, ln, page, side, col.index))
        return row_no

    pending: list[tuple[int, str]] = []  # (index into out_rows, code) for row_kind resolution
    split_ctx = ["", "", ""]  # the 类 / 款 printed last, for 类 | 款 | 项 columns printing only their own part
    class_ctx = ""  # the 类 printed last in a single code column, for 款 rows printing only their part
    # an economic table printing no code column (工资福利支出 / 基本工资 …, 深圳 C016 p32): codes
    # from the printed names (extractors.tables.names), the irregularity recorded once; such a
    # row is the only one with a code and no code_raw (every other code is read from its text)
    by_name = None
    if codes_by_name and not any(c.role == "code" for c in cols):
        if economic:
            by_name = EconomicNames()
        elif (functional or kind in FUNCTIONAL_NAME_KINDS) and settings.functional_codes_by_name:
            by_name = FunctionalNames()  # 功能分类科目名称 only (杭州 C035 p26)
    n_by_name = 0
    side_lines: dict[int, list[Line]] = {}  # a two-sided table's lines, per section, in print order
    last_line: dict[int, tuple] = {}  # section → (printed line index, row_number, Line) of its last line
    n_data = 0  # a two-sided table's printed lines read so far
    block: Optional[str] = None  # the unit code of the block of lines being read (see TableRow.block_code)
    for r in data:
        cells = list(r) + [Cell("", None)] * (width - len(r))
        raw = " | ".join(c.text for c in r)
        if not any(c.text.strip() for c in r):
            continue  # an empty printed row of an empty table
        if is_column_number_row([c.text for c in r]):
            continue  # 栏次 1 2 3 … (a header row, repeated on a continued page): not figures
        line_no = next((c.line_number for c in r if c.line_number), None)
        page = next((c.page for c in r if c.page), None)
        if two_sided:
            entries: list[tuple[str, str, list, int]] = []  # (side, label, amounts, section) per section
            for sec, (side, side_cols) in enumerate(sections):
                label_txt = " ".join(cells[c.index].text.strip() for c in side_cols if c.role == "name"
                                     and cells[c.index].text.strip())
                amts = []
                for c in side_cols:
                    if c.role != "amount":
                        continue
                    txt = cells[c.index].text.strip()
                    amt, ok = parse_amount(txt)
                    if not ok:
                        problems.append(f"line {line_no}: not an amount in column {c.label!r}: {txt!r}")
                    amts.append((c, amt, txt, side, cells[c.index].line_number or line_no))
                prev = entries[-1] if entries else None
                if (prev is not None and prev[0] == side and not label_txt and prev[1]
                        and (is_total(squash_label(prev[1])) or is_carry(squash_label(prev[1])))
                        and all(a[1] is None for a in prev[2]) and any(a[1] is not None for a in amts)):
                    # a total's label printed across the sections (当年支出小计 over 功能分类 and
                    # 支出用途, 江苏 C071 p1) with its figure in the last section's column: one line
                    keys = {a[0].key for a in amts}  # (one figure a column meaning: the section printing it)
                    entries[-1] = (side, prev[1], [a for a in prev[2] if a[0].key not in keys] + amts, prev[3])
                    continue
                entries.append((side, label_txt, amts, sec))
            for side, label_txt, amts, sec in entries:
                if not label_txt and all(a[1] is None for a in amts):
                    continue
                before = last_line.get(sec)
                if (not label_txt and before is not None and before[0] == n_data - 1 and not before[2].has_figure
                        and before[2].label):
                    # a figure printed beside a label wrapped over the lines around it (三、单位预留机动经 /
                    # 3,990.40 / 费, 江苏 C083 p14): the label's line, not a line of its own
                    blank = {(a.column_key, a.column_index): k for k, a in enumerate(out_amounts)
                             if a.row_number == before[2].row_number}
                    for col, amt, amt_raw, side_, ln in amts:
                        cell = TableAmount(source_file, table_id, before[2].row_number, col.key, col.label or col.leaf,
                                           amt, amt_raw, unit, entity_code, ln, page, side_, col.index)
                        if (col.key, col.index) in blank:  # the label's line printed this column blank
                            out_amounts[blank[(col.key, col.index)]] = cell
                        else:
                            out_amounts.append(cell)
                    lines = side_lines[sec]
                    lines[lines.index(before[2])] = done = Line(before[2].row_number, before[2].label, True)
                    last_line[sec] = (n_data, before[1], done)
                    continue
                rk = _row_kind_label(label_txt) or "detail"
                if rk == "subtotal":
                    rk = "detail"
                rn = emit(line_no, rk, None, None, label_txt or None, label_txt or None, raw, None, amts, page)
                line = Line(rn, squash_label(label_txt), any(a[1] is not None for a in amts))
                side_lines.setdefault(sec, []).append(line)
                last_line[sec] = (n_data, rn, line)
            n_data += 1
            continue
        code_parts = [cells[c.index].text.strip() for c in cols if c.role == "code"]
        code_raw = " ".join(p for p in code_parts if p) or None
        split = [c.code_part for c in cols if c.role == "code"]
        if len(code_parts) > 1 and any(len(p) == 1 and p.isdigit() for p in code_parts[1:]):
            # a 款 / 项 part is two digits: one printed as "2" under 301 (C090 p29 津贴补贴) lost its
            # leading zero — 30102, not 3012
            problems.append(f"line {line_no}: code part printed without its leading zero in {code_parts!r}")
            code_parts = [code_parts[0]] + [("0" + p if len(p) == 1 and p.isdigit() else p) for p in code_parts[1:]]
        if split == ["类", "款", "项"] and all(p.isdigit() or not p for p in code_parts):
            # 类 | 款 | 项 columns printing only the row's own part (款 row: | 03 |, under 205):
            # the blank leading parts are those of the rows above it
            if code_parts[0]:
                split_ctx[:] = [code_parts[0], code_parts[1] or "", ""]
            elif code_parts[1] and split_ctx[0]:
                code_parts = [split_ctx[0], code_parts[1], code_parts[2]]
                split_ctx[1] = code_parts[1]
            elif code_parts[2] and split_ctx[0] and split_ctx[1]:
                code_parts = [split_ctx[0], split_ctx[1], code_parts[2]]
        code = None
        if code_raw:
            code = normalise_code(code_raw) if len(code_parts) == 1 else (
                normalise_code("".join(p for p in code_parts if p)) if all(p.isdigit() for p in code_parts if p) else None)
            if code is None:
                digits = re.sub(r"\s+", "", code_raw)
                if digits.isdigit() and len(digits) == 2 and len(code_parts) == 1 and class_ctx:
                    # one code column printing a 款 row by its own part (208 | 05 | 2080505, C056 p7):
                    # the 款 is the part under the 类 printed last (20805), so the 类 is a subtotal
                    code = class_ctx + digits
                elif digits.isdigit():
                    code = digits
                    problems.append(f"line {line_no}: code {code_raw!r} has an unexpected length")
        if len(code_parts) == 1 and code and len(code) == 3:
            class_ctx = code
        name, text_cells = row_name_and_texts(cells, cols, primary)
        if code is None and name and (m := _CODE_IN_NAME.match(name.strip())):
            # the code printed inside the name cell: [2010501]行政运行 (Guangzhou), 2050101-行政运行 (Beijing)
            code = code_raw = m.group(1) or m.group(2)
            name = m.group(3).strip()
        if code is None and name is None and code_raw and not re.sub(r"\s+", "", code_raw).isdigit():
            name, code_raw = code_raw, None  # 合计 printed across the merged code columns
        if code is None and by_name is not None and (code := by_name.code_of(name)):
            n_by_name += 1
        amts = []
        for c in cols:
            if c.role != "amount":
                continue
            txt = cells[c.index].text.strip()
            amt, ok = parse_amount(txt)
            if not ok:
                problems.append(f"line {line_no}: not an amount in column {c.label!r}: {txt!r}")
            amts.append((c, amt, txt, None, cells[c.index].line_number or line_no))
        if code is None and name is None and code_raw is None and all(a[1] is None for a in amts):
            continue
        code_system = None
        if code:
            if economic:
                code_system = "economic"
            elif functional:
                code_system = "functional"
            elif code[0] == "3" and len(code) in settings.economic_code_lengths:
                code_system = "economic"
            elif code[0] == "2":
                code_system = "functional"
            lengths = settings.economic_code_lengths if code_system == "economic" else settings.functional_code_lengths
            if len(code) not in lengths:
                problems.append(f"line {line_no}: {code_system or 'classification'} code {code!r} "
                                f"has {len(code)} digits")
        if code and is_unit_code(code) and name:
            # a unit's own line heading its block of lines (125001 西安市安全生产监督管理局): the unit's
            # subtotal, no classification code
            block = code
            code_system = None
            problems = [p for p in problems if not p.startswith(f"line {line_no}: ") or code not in p]
            class_ctx = ""
        if code:
            rk = "detail"
        elif not name and row_no == 0:
            rk = "total"  # an unlabelled first line of amounts is the table's 合计 line
        else:
            rk = _row_kind_label(name or "") or "detail"
        label = None if code else name
        emit(line_no, rk, code, code_raw, name, label, raw, code_system, amts, page, text_cells, block)
        if code:
            pending.append((len(out_rows) - 1, code))
    if side_lines:  # a two-sided table: each line's parent is the line its labels say it adds up into
        parent_of = {c: s.parent for lines in side_lines.values() for s in section_sums(lines) for c in s.children}
        out_rows = [replace(r, parent_row=parent_of[r.row_number]) if r.row_number in parent_of else r
                    for r in out_rows]
    if n_by_name:
        system = "economic" if isinstance(by_name, EconomicNames) else "functional"
        problems.append(f"{n_by_name} {system} codes inferred from the printed names (no code column printed)")
    # row kinds and printed parents of code rows, in one pass over the lines as printed:
    # - a code row adds up into the nearest open line above it whose code its own extends (a stack
    #   of open 类 / 款); a unit's own line (block head) closes every open one and is a subtotal;
    # - a subtotal printed again with the same figures (a 类 line repeated on a continued page) is
    #   a repeated_subtotal and the lines under it add up into the first; printed again with other
    #   figures (301 under 政府 501 and 301 under 505: C062 p16) it is the subtotal of its own lines
    figures: dict[int, list] = {}
    for a in out_amounts:
        figures.setdefault(a.row_number, []).append((a.column_key, a.amount))
    first: dict[str, int] = {}  # code → index (into out_rows) of its first subtotal line
    stack: list[int] = []  # indexes of the open code lines
    for k, (idx, code) in enumerate(pending):
        nxt = pending[k + 1][1] if k + 1 < len(pending) else None
        row = out_rows[idx]
        if is_unit_code(code) and row.block_code == code:
            # a unit's line adds up into its department's line printed above the blocks (116 西安市
            # 财政局 over 116001 …, 116003 …: C050 p27), if there is one
            dept = next((out_rows[i].row_number for i, c in reversed(pending[:k])
                         if out_rows[i].block_code is None and len(c) < len(code) and code.startswith(c)), None)
            first, stack = {}, []
            out_rows[idx] = replace(row, row_kind="subtotal", parent_row=dept)
            continue
        while stack and not (len(code) > len(out_rows[stack[-1]].code) and code.startswith(out_rows[stack[-1]].code)):
            stack.pop()
        parent = out_rows[stack[-1]].row_number if stack else None
        has_children = nxt is not None and len(nxt) > len(code) and nxt.startswith(code)
        anchor = idx
        if code in first and figures.get(row.row_number) == figures.get(out_rows[first[code]].row_number):
            kind_, anchor = "repeated_subtotal", first[code]
        elif has_children:
            kind_ = "subtotal"
            first.setdefault(code, idx)
        else:
            kind_ = "detail"
        out_rows[idx] = replace(row, row_kind=kind_, parent_row=parent)
        stack.append(anchor)
    if kind == "project_expenditure":  # the lines grouping projects (a unit's line, 一级项目) are not projects
        out_rows = mark_group_lines(out_rows, out_amounts)
    return out_rows, out_amounts, problems


def _parse_groups(rows: list[list[Cell]], groups: list[tuple[int, int]], first_data: int, *, source_file: str,
                  table_id: int, kind: str, unit: Optional[str], entity_code: Optional[str],
                  settings: ExtractSettings) -> tuple[list[TableRow], list[TableAmount], list[str]]:
    """Parse each side-by-side column group as its own table (left group's rows first), one
    row numbering. A group's own printed total (人员经费合计 / 公用经费合计) is that group's
    part of the table: its amount is keyed personnel / public, not the table's 合计."""

    out_rows: list[TableRow] = []
    out_amounts: list[TableAmount] = []
    problems: list[str] = []
    for a, b in groups:
        sub = [list(r[a:b]) for r in rows]
        sub = [r for k, r in enumerate(sub) if k < first_data or any(c.text.strip() for c in r)]
        g_rows, g_amounts, g_problems = parse_table(sub, source_file=source_file, table_id=table_id, kind=kind,
                                                    unit=unit, entity_code=entity_code, settings=settings)
        offset = len(out_rows)
        part_key = {}
        for r in g_rows:
            if r.row_kind == "total" and r.code is None and r.name:
                n = squash(r.name)
                if "人员经费" in n:
                    part_key[r.row_number] = "personnel"
                elif "公用经费" in n:
                    part_key[r.row_number] = "public"
        out_rows.extend(replace(r, row_number=r.row_number + offset,
                                parent_row=r.parent_row + offset if r.parent_row is not None else None)
                        for r in g_rows)
        for am in g_amounts:
            key = part_key.get(am.row_number)
            am = replace(am, row_number=am.row_number + offset,  # columns counted across the whole grid
                         column_index=am.column_index + a if am.column_index is not None else None)
            if key and am.column_key == "total":
                am = replace(am, column_key=key)
            out_amounts.append(am)
        problems.extend(g_problems)
    return out_rows, out_amounts, problems
