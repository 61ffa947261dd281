"""A table's own arithmetic: the checksums every budget table carries.

Pure functions over one parsed table (its rows and amounts): each table's reading is judged by
them (``staging.tables.reading``), and they measure reading on any folder of documents with no
golden (``make bench-corpus``):

* **hierarchy** — a printed 类 (3 digits) or 款 (5) equals the sum of the rows under it;
* **total** — the 合计 line equals the sum of the top-level rows (or of every row when the
  table prints no hierarchy);
* **parts** — in a row, 基本 + 项目 (+ 预留机动经费) = 合计, 人员 + 公用 = 合计 (or = 基本).

Tolerance comes from the print: each figure carries half a unit of its last printed digit
(``1,234.5`` → 0.05, ``1234`` → 0.5), a sum of n figures n of them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Optional

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
CLOSING_KINDS = frozenset({
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
    figs: dict = field(default_factory=dict)  # column_key → Fig (first printed of that key)
    block: Optional[str] = None  # the unit block the row is in (TableRow.block_code)
    parent: Optional[int] = None  # the row it adds up into (TableRow.parent_row)
    positional: bool = False  # parent known from the print (parent None: a top-level row)


@dataclass(frozen=True)
class Failure:
    check: str  # hierarchy | total | parts
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
        if side or amt is None or key not in ADDITIVE_KEYS or rn not in out:
            continue
        out[rn].figs.setdefault(key, Fig(Decimal(amt), half_unit(raw)))
    return [out[k] for k in sorted(out)]


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
    # ---- parts of a row: a column the table prints but this row leaves blank counts as 0
    table_cols = {k for r in rows for k in r.figs}
    for r in rows:
        for whole, parts_keys, unless in ROW_IDENTITIES:
            if whole in r.figs and all(k in table_cols for k in parts_keys) and not table_cols & set(unless):
                present = [k for k in parts_keys if k in r.figs]
                if present:
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


def table_closure(rows, amounts) -> Closure:
    """Closure of one parsed table from its TableRow / TableAmount records."""
    return check_table(build_rows(
        [(r.row_number, r.row_kind, r.code, r.name, r.block_code, r.parent_row) for r in rows],
        [(a.row_number, a.column_key, a.amount, a.amount_raw, a.side) for a in amounts]))
