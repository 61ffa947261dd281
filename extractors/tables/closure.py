"""A table's own arithmetic: the checksums every budget table carries.

Pure functions over one parsed table (its rows and amounts): each table's reading is judged by
them (``staging.tables.reading``), and they measure reading on any folder of documents with no
golden (``make bench-corpus``):

* **hierarchy** — a printed 类 (3 digits) or 款 (5) equals the sum of the rows under it;
* **total** — the 合计 line equals the sum of the top-level rows (or of every row when the
  table prints no hierarchy);
* **parts** — in a row, 基本 + 项目 (+ 预留机动经费) = 合计, 人员 + 公用 = 合计 (or = 基本); in a
  收入总表's row, 合计 = Σ its sources (+ 上年结转), or 本年收入 = Σ sources and 合计 = 本年收入 +
  上年结转 where it prints a 本年收入 小计 (:func:`revenue_identities`).

Tolerance comes from the print: each figure carries half a unit of its last printed digit
(``1,234.5`` → 0.05, ``1234`` → 0.5), a sum of n figures n of them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Optional

from .sides import is_total, squash_label

# amount columns whose rows add up (a 上年 / 增减 column adds up too, but is not this year's)
ADDITIVE_KEYS = frozenset({
    "total", "basic", "project", "personnel", "public", "reserve", "fiscal_appropriation", "general_budget",
    "gov_fund", "state_capital", "fiscal_special_account", "business_income", "operating_income",
    "superior_subsidy", "subsidiary_remittance", "other_income", "unit_funds", "carryover",
    "current_year_revenue", "operating_expenditure", "subsidy_to_subsidiary", "remittance_to_superior",
    "operating_cost", "prior_year"})
# (whole, parts, unless): the row-level identities; a row is checked against each whose columns
# the table prints (and whose ``unless`` column it does not print); the first matching of the
# two 合计 = 基本 + 项目 forms only
ROW_IDENTITIES = (
    ("total", ("basic", "project", "reserve"), ()),
    ("total", ("basic", "project"), ("reserve",)),
    ("basic", ("personnel", "public"), ()),
    ("total", ("personnel", "public", "project"), ("basic",)),  # 基本支出 printed as 人员 | 公用 only
    ("total", ("personnel", "public"), ("basic", "project")),
)
# a 收入总表's sources of this year's revenue: the three funds (or their 财政拨款 小计), then the rest
REVENUE_FUNDS = ("general_budget", "gov_fund", "state_capital")
REVENUE_OTHER_SOURCES = ("fiscal_special_account", "business_income", "operating_income", "superior_subsidy",
                         "subsidiary_remittance", "other_income")
_REVENUE_ONLY = frozenset({"current_year_revenue", "fiscal_special_account", "business_income", "operating_income",
                           "superior_subsidy", "subsidiary_remittance", "other_income"})
_REVENUE_KEYS = frozenset({"total", "current_year_revenue", "fiscal_appropriation", "carryover", "unit_funds",
                           *REVENUE_FUNDS, *REVENUE_OTHER_SOURCES})
CLOSING_KINDS = frozenset({
    "income_expenditure_summary", "fiscal_appropriation_summary",  # two-sided: check_two_sided
    "expenditure_summary", "general_budget_expenditure", "general_budget_basic_expenditure",
    "gov_fund_expenditure", "state_capital_expenditure", "operating_cost", "revenue_summary"})


def half_unit(raw: Optional[str]) -> Decimal:
    """Half a unit of the last printed digit of an amount as printed (``"1,234.56"`` → 0.005)."""
    # an amount wrapped in a narrow cell is read with a space where it broke (370,219.2 5)
    t = "".join((raw or "").split()).replace(",", "").replace("，", "")
    if "." in t:
        return Decimal(5) / Decimal(10) ** (len(t.split(".", 1)[1]) + 1)
    return Decimal("0.5")


@dataclass(frozen=True)
class Fig:
    amount: Decimal
    tol: Decimal  # half a unit of its last printed digit


@dataclass
class Row:
    row_number: int
    row_kind: str
    code: Optional[str]
    name: Optional[str]
    figs: dict = field(default_factory=dict)  # column_key → Fig (the key's first column; none when blank)
    block: Optional[str] = None  # the unit block the row is in (TableRow.block_code)
    parent: Optional[int] = None  # the row it adds up into (TableRow.parent_row)
    positional: bool = False  # parent known from the print (parent None: a top-level row)
    printed: list = field(default_factory=list)  # every amount cell's column key, blank and 'other' too, in order


@dataclass(frozen=True)
class Failure:
    check: str  # hierarchy | total | parts | sides
    row_number: int
    column: str
    printed: Decimal
    computed: Decimal
    tolerance: Decimal
    detail: str

    @property
    def difference(self) -> Decimal:
        return self.printed - self.computed


@dataclass
class Closure:
    n_checks: int = 0
    failures: list = field(default_factory=list)

    @property
    def closes(self) -> bool:
        return self.n_checks > 0 and not self.failures

    @property
    def checked(self) -> bool:
        return self.n_checks > 0

    @property
    def status(self) -> str:
        """closes | fails | unchecked (no checksum printed)."""
        return "closes" if self.closes else "fails" if self.failures else "unchecked"


def build_rows(rows: Iterable, amounts: Iterable) -> list[Row]:
    """rows: (row_number, row_kind, code, name[, block_code, parent_row]); amounts: (row_number,
    column_key, amount, amount_raw, side). Two-sided rows (side set) are left out: a 收支总表 has its
    own identities (not checked here). Without parent_row a row's parent is found by its code."""
    out: dict[int, Row] = {}
    for rn, kind, code, name, *more in rows:
        out[rn] = Row(rn, kind, code, name, block=more[0] if more else None,
                      parent=more[1] if len(more) > 1 else None, positional=len(more) > 1)
    for rn, key, amt, raw, side in amounts:
        if side or rn not in out:
            continue
        row = out[rn]
        first = key not in row.printed  # a column key printed again (a 上年结转 group's own 一般公共预算 …)
        row.printed.append(key)         # is not the first's: a blank first stays blank, not the later figure
        if first and amt is not None and key in ADDITIVE_KEYS:
            row.figs[key] = Fig(Decimal(amt), half_unit(raw))
    return [out[k] for k in sorted(out)]


def revenue_identities(columns: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(whole, parts) that a 收入总表's rows satisfy, from its amount columns' keys in print order:
    财政拨款 小计 = Σ the funds under it; 合计 = Σ the sources (+ 上年结转) when the sources are printed
    once and flat; 本年收入 小计 = Σ the sources printed before the 上年结转 group, and 合计 = 本年收入 +
    上年结转, when the table prints that 小计 (the 上年结转 group may repeat the fund columns under it,
    C009 p3). Nothing when a column is not a revenue source the rule knows ('other': 其中 or a part,
    the print does not say; a second 合计), or its place is ambiguous (单位资金 beside flat sources)."""
    keys = set(columns)
    if not keys & _REVENUE_ONLY or keys - _REVENUE_KEYS or columns.count("total") > 1:
        return []
    out: list[tuple[str, tuple[str, ...]]] = []
    funds = tuple(k for k in REVENUE_FUNDS if k in keys)
    top_funds = funds
    if "fiscal_appropriation" in keys:
        if columns.count("fiscal_appropriation") > 1:
            return []
        if funds:
            out.append(("fiscal_appropriation", funds))
        top_funds = ("fiscal_appropriation",)
    sources = top_funds + tuple(k for k in REVENUE_OTHER_SOURCES if k in keys)
    if not sources:
        return out
    repeated = any(columns.count(k) > 1 for k in keys)
    if "current_year_revenue" in keys:
        first = columns.index("current_year_revenue")
        if columns.count("current_year_revenue") > 1 or any(columns.index(k) < first for k in sources):
            return out
        if repeated and "carryover" in keys and columns.index("carryover") < max(columns.index(k) for k in sources):
            return out  # the 上年结转 group before the year's sources: which repeat is whose is not known
        out.append(("current_year_revenue", sources))
        if "carryover" in keys and columns.count("carryover") == 1:
            out.append(("total", ("current_year_revenue", "carryover")))
        return out
    if repeated or "unit_funds" in keys or "total" not in keys:
        return out
    return out + [("total", sources + (("carryover",) if "carryover" in keys else ()))]


def _sum(figs: list[Fig]) -> tuple[Decimal, Decimal]:
    return sum((f.amount for f in figs), Decimal(0)), sum((f.tol for f in figs), Decimal(0))


def check_table(rows: list[Row]) -> Closure:
    """Every checksum the table prints, and the ones that fail beyond the printed tolerance."""
    res = Closure()

    def compare(check, row, col, printed: Fig, parts: list[Fig], detail):
        total, tol = _sum(parts)
        tol += printed.tol
        res.n_checks += 1
        if abs(printed.amount - total) > tol:
            res.failures.append(Failure(check, row.row_number, col, printed.amount, total, tol, detail))

    # a unit's own line heading its block (TableRow.block_code): its block's top-level rows are its
    # parts, the unit lines are the table's top level
    heads = {r.row_number: r for r in rows if r.block and r.code == r.block}
    coded = [r for r in rows if r.code and r.code.isdigit() and r.row_number not in heads]
    codes = {(r.block, r.code) for r in coded}
    # ---- hierarchy: a code row equals the sum of its nearest printed descendants (in its block)
    children: dict[int, list[Row]] = defaultdict(list)
    top: list[Row] = []
    by_code_first: dict[tuple, Row] = {}
    for r in coded:
        by_code_first.setdefault((r.block, r.code), r)
    by_number = {r.row_number: r for r in coded}
    for r in coded:
        if r.positional:  # the line it adds up into, as printed (TableRow.parent_row)
            parent = by_number.get(r.parent) if r.parent is not None else None
        else:  # the nearest printed ancestor: the longest proper prefix of the code printed in the table
            parent = next((by_code_first[(r.block, r.code[:n])] for n in range(len(r.code) - 1, 2, -1)
                           if (r.block, r.code[:n]) in codes), None)
        if parent is None:
            top.append(r)
        else:
            children[parent.row_number].append(r)
    for head in heads.values():
        children[head.row_number] = [r for r in top if r.block == head.block]
    if heads:
        top = [r for r in top if r.block is None]
        for head in heads.values():  # under its department's line (116 over 116001 …), else top-level
            if head.positional and head.parent in by_number:
                children[head.parent].append(head)
            else:
                top.append(head)
    for r in list(heads.values()) + coded:
        kids = children.get(r.row_number)
        if not kids or (r.row_number not in heads and not r.positional and r is not by_code_first[(r.block, r.code)]):
            continue
        for col, fig in r.figs.items():
            parts = [k.figs[col] for k in kids if col in k.figs]
            if parts or any(k.figs for k in kids):
                compare("hierarchy", r, col, fig, parts, f"{r.code} = Σ {len(kids)} rows under it")
    # ---- total: the 合计 line equals the sum of the top-level rows
    totals = [r for r in rows if r.row_kind == "total" and not r.code]
    # a side-by-side half's own total (人员经费合计 | 公用经费合计 of a 决算 基本支出表 printing 301/303
    # on the left, 302/310 on the right, C061 p17–20; keyed personnel / public): the sum of the
    # top-level rows of its half, the rows printed since the total before it
    halves = [t for t in totals if t.figs and set(t.figs) <= {"personnel", "public"}]
    if halves and coded:
        start = 0
        top_ids = {id(r) for r in top}
        for t in halves:
            k = next(i for i, r in enumerate(rows) if r is t)
            group = [r for r in rows[start:k] if id(r) in top_ids]
            for col, fig in t.figs.items():
                parts = [r.figs["total"] for r in group if "total" in r.figs]
                if parts:
                    compare("total", t, col, fig, parts, f"{t.name} = Σ {len(group)} top-level rows of its half")
            start = k + 1
        half_ids = {id(h) for h in halves}
        totals = [t for t in totals if id(t) not in half_ids]
    if totals and coded:
        t = totals[0]
        for col, fig in t.figs.items():
            parts = [r.figs[col] for r in top if col in r.figs]
            if parts or any(r.figs for r in top):
                compare("total", t, col, fig, parts, f"合计 = Σ {len(top)} top-level rows")
    # ---- a table without codes that groups its lines under 小计 lines (a Jiangsu 收入预算总表 printed
    # down the page, C071 p2): each 小计 = Σ the lines after it up to the next 小计 (a 其中 line is
    # not a part), the 合计 = Σ the 小计 when every line is under one
    if not any(r.code for r in rows) and any(r.row_kind == "subtotal" for r in rows):
        groups: list[tuple[Row, list[Row]]] = []
        loose = False
        for r in rows:
            if r.row_kind == "subtotal":
                groups.append((r, []))
            elif r.row_kind == "detail":
                if groups:
                    if not (r.name or "").lstrip().startswith("其中"):
                        groups[-1][1].append(r)
                else:
                    loose = True
        for sub, kids in groups:
            for col, fig in sub.figs.items() if kids else ():
                compare("hierarchy", sub, col, fig, [k.figs[col] for k in kids if col in k.figs],
                        f"{sub.name} = Σ {len(kids)} lines under it")
        totals_plain = [r for r in rows if r.row_kind == "total"]
        if totals_plain and not loose:
            t = totals_plain[0]
            for col, fig in t.figs.items():
                compare("total", t, col, fig, [g.figs[col] for g, _ in groups if col in g.figs],
                        f"合计 = Σ {len(groups)} 小计 lines")
    # ---- parts of a row: a column the table prints but this row leaves blank counts as 0. The
    # identities whose columns the table prints, then a 收入总表's (from its columns in print order)
    table_cols = {k for r in rows for k in r.figs}
    columns = max((r.printed for r in rows), key=len, default=[])
    identities = [(whole, parts_keys) for whole, parts_keys, unless in ROW_IDENTITIES
                  if all(k in table_cols for k in parts_keys) and not table_cols & set(unless)]
    if all(r.printed == columns for r in rows if r.printed):
        identities += revenue_identities(columns)
    for r in rows:
        for whole, parts_keys in identities:
            present = [k for k in parts_keys if k in r.figs]
            if whole in r.figs and present:
                compare("parts", r, whole, r.figs[whole], [r.figs[k] for k in present],
                        f"{whole} = " + " + ".join(parts_keys))
    return res


def reading_of(c: Closure) -> Optional[str]:
    """'certain' when the table's checksums vouch for the reading: all close, or the few that fail
    are isolated (at most 3, or 10% of them: a printed error breaks one or a few sums,
    a misread column or row breaks many); 'uncertain' otherwise; None without a checksum."""
    if not c.checked:
        return None
    n = len(c.failures)
    return "certain" if n <= max(3, 0.1 * c.n_checks) else "uncertain"


def check_two_sided(rows, amounts) -> Closure:
    """A two-sided summary's sums (extractors.tables.sides, recorded as each line's parent_row):
    each line = Σ the lines that add up into it, per amount column the line prints (a line printed
    blank is not compared; a part printed blank counts as 0, except a total: a blank 本年收入合计
    under a 收入总计 leaves that sum unknown). rows: (row_number, row_kind, code, name, block_code,
    parent_row); amounts: (row_number, column_key, amount, amount_raw, side)."""
    res = Closure()
    # a column key printed twice on a line (本年预算 | 编制预算, both totals: C065 p6) is two columns,
    # each adding up with the same column of the lines under it: (key, nth printed of the key)
    figs: dict[int, dict[tuple, Fig]] = defaultdict(dict)
    seen: dict[tuple, int] = defaultdict(int)
    for rn, key, amt, raw, side in amounts:
        if not side:
            continue
        seen[(rn, key)] += 1
        if amt is not None and key in ADDITIVE_KEYS:
            figs[rn][(key, seen[(rn, key)])] = Fig(Decimal(amt), half_unit(raw))
    children: dict[int, list] = defaultdict(list)
    names = {}
    for rn, kind, _code, name, _block, parent in rows:
        names[rn] = name
        if parent is not None:
            children[parent].append((rn, "total" if is_total(squash_label(name)) else kind))
    for parent_rn, kids in children.items():
        for col, fig in figs.get(parent_rn, {}).items():
            if any(kind == "total" and col not in figs.get(rn, {}) for rn, kind in kids):
                continue
            parts = [figs[rn][col] for rn, _ in kids if col in figs.get(rn, {})]
            total, tol = _sum(parts)
            tol += fig.tol
            res.n_checks += 1
            if abs(fig.amount - total) > tol:
                res.failures.append(Failure("sides", parent_rn, col[0], fig.amount, total, tol,
                                            f"{names.get(parent_rn) or ''} = Σ {len(kids)} lines under it"))
    return res


def closure_of(rows, amounts) -> Closure:
    """rows: (row_number, row_kind, code, name, block_code, parent_row); amounts: (row_number,
    column_key, amount, amount_raw, side). A two-sided summary (amounts with a side) by its labels'
    sums, any other table by its codes, totals and columns."""
    if any(a[4] for a in amounts):
        return check_two_sided(rows, amounts)
    return check_table(build_rows(rows, amounts))


def table_closure(rows, amounts) -> Closure:
    """Closure of one parsed table from its TableRow / TableAmount records."""
    return closure_of([(r.row_number, r.row_kind, r.code, r.name, r.block_code, r.parent_row) for r in rows],
                      [(a.row_number, a.column_key, a.amount, a.amount_raw, a.side) for a in amounts])
