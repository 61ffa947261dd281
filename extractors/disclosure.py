"""Is a document a budget disclosure at all?

A file in the raw dir that reads fine may be no budget: a notice, minutes, a manual. Loaded as one
it became an entity named after the file, with no year. A document is taken for a budget
disclosure when it shows any one sign of one:

* a budget title anywhere in its text: 部门预算, 单位（部门）决算, 预算公开, 收支总表, 一般公共预算,
  “三公”经费, 项目支出绩效目标表 …, or a term only budgets print in their tables: 财政拨款, 基本支出,
  项目支出, 绩效指标, 功能分类科目 … (``BUDGET_TITLE_RE``);
* a budget year (``DocumentMeta.fiscal_year``: 2025年部门预算, 预算年度：2025);
* a table of a budget kind (any kind but ``unknown``), or a figure of a budget in its prose (a
  stated total, a year-on-year change, a project amount, a performance target).

The signs are loose on purpose: a real disclosure without any of them is not known (the 52
development PDFs — tables-only and narrative-only companion files included — all show several), and
what has none is certainly not one. A document whose extraction failed somewhere (an error row) is
never judged: what is missing may be what failed.
"""
from __future__ import annotations

import re
from typing import Optional

from .read import SourceDocument
from .records import DocumentExtraction

BUDGET_TITLE_RE = re.compile(
    r"(?:部门|单位)(?:[（(](?:单位|部门)[）)])?(?:综合)?(?:预算|决算)"
    r"|(?:预算|决算)(?:公开|报表|说明|情况说明)"
    r"|收支(?:总表|总预算|预算|决算)"
    r"|财政拨款(?:收支|收入|支出)"
    r"|一般公共预算|政府性基金预算|国有资本经营预算"
    r"|三公.{0,2}经费"
    r"|绩效目标表"
    r"|(?:项目|基本)支出(?:预算|决算)?表"
    # the budget's own column and row words: a table printed without its title (a 绩效目标 sheet
    # whose header reads 项目名称 | 总计 | 财政拨款 | 财政专户拨款 | 绩效目标 | 绩效指标) still says them
    r"|财政拨款|财政专户|绩效目标|绩效指标|产出指标|支出功能分类|功能分类科目|经济分类科目|基本支出|项目支出"
    r"|人员经费|公用经费")


def budget_title(doc: SourceDocument) -> Optional[str]:
    """The first budget title word printed in the document (spaces removed), else None."""
    m = BUDGET_TITLE_RE.search("".join("".join(ln.split()) for ln in doc.lines))
    return m.group(0) if m else None


def not_budget_reason(doc: SourceDocument, ex: DocumentExtraction) -> Optional[str]:
    """Why the document is not a budget disclosure, or None when it shows a sign of one (or when
    its extraction failed somewhere, and so cannot be judged)."""
    if any(e.severity == "error" for e in ex.load_errors):
        return None
    if ex.document is not None and ex.document.fiscal_year is not None:
        return None
    budget_tables = [t for t in ex.tables if t.table_kind != "unknown"]
    figures = len(ex.narrative_figures) + len(ex.yoy_changes) + len(ex.performance_indicators) \
        + sum(1 for p in ex.projects if p.amount is not None)
    if budget_tables or figures or budget_title(doc):
        return None
    tables = f"{len(ex.tables)} table{'s' if len(ex.tables) != 1 else ''}, none of a budget kind" if ex.tables \
        else "it prints none"
    return (f"not a budget disclosure: no budget title or term (部门预算, 单位决算, 预算公开, 收支总表, 财政拨款 …) "
            f"in its {len(doc.lines)} lines, no budget year, no budget table ({tables}) and no budget figure; "
            "nothing loaded, no entity made")
