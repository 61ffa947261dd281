"""Stage 3 — classify: a printed table title → table_kind (see settings.TABLE_KINDS).

Titles vary: 部门/单位 prefixes, 表 numbers (表 1 / 附表3 / 1、), year prefixes (2023 年),
财政拨款 infixes (一般公共预算财政拨款支出表 vs 一般公共预算支出预算表), spaces inside words.
Pure; no I/O.
"""
from __future__ import annotations

import re
from typing import Optional

from ..blocks import squash

_PREFIX = re.compile(r"^(?:附?表\s*\d+(?:-\d+)?[、.．:：\s]*|\d+[、.．]\s*|[（(]?[一二三四五六七八九十]+[)）、.]\s*)")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年?度?")

# ordered: the first rule whose every pattern matches wins
_RULES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    # (kind, all-of patterns, none-of patterns)
    ("performance_targets", ("绩效目标",), ()),
    ("three_public_comparison", ("三公", "增减"), ()),
    ("three_public_expenditure", ("三公",), ()),
    ("fiscal_appropriation_summary", ("财政拨款收支",), ()),
    ("fiscal_appropriation_summary", ("财政拨款", "收支总"), ()),
    ("gov_fund_expenditure", ("政府性基金",), ()),
    ("state_capital_expenditure", ("国有资本经营",), ()),
    ("income_expenditure_summary", ("收支",), ("财政拨款",)),
    ("revenue_summary", ("收入总表",), ()),
    ("revenue_summary", ("收入预算表",), ()),
    ("revenue_summary", ("收入预算总表",), ()),
    ("expenditure_summary", ("支出总表",), ()),
    ("expenditure_summary", ("支出预算总表",), ()),
    ("general_budget_basic_expenditure", ("一般公共预算", "基本支出"), ()),
    ("general_budget_expenditure", ("一般公共预算", "支出"), ()),
    ("gov_fund_expenditure", ("政府性基金",), ()),
    ("state_capital_expenditure", ("国有资本经营",), ()),
    ("government_purchase_services", ("购买服务",), ()),
    ("government_procurement", ("政府采购",), ()),
    ("fixed_assets", ("固定资产",), ()),
    ("fixed_assets", ("资产占用",), ()),
    ("project_expenditure", ("项目支出",), ()),
    ("unit_composition", ("机构设置",), ()),
    ("unit_composition", ("单位构成",), ()),
]

# a line that may be a table title: short, names a table
_TITLE_HINT = re.compile(r"(表|部门政府采购预算|“三公”经费预算情况及增减变化原因|单位构成)$")
_NOT_TITLE = re.compile(r"(部分|说明|情况说明|公开|名词解释|详见|见附件|[。；，,])")


def normalise_title(title: str) -> str:
    t = squash(title)
    t = t.replace("(", "（").replace(")", "）").replace('"', "”")
    return t


def looks_like_title(text: str) -> bool:
    """Is this printed line a table title (as opposed to a heading or a prose line)?"""
    t = normalise_title(text)
    if not t or len(t) > 45 or len(t) < 4:
        return False
    if _NOT_TITLE.search(t):
        return False
    if t.startswith("注") or t.startswith("关于"):
        return False
    return bool(_TITLE_HINT.search(t))


def classify_title(title: Optional[str]) -> str:
    """Return the table_kind for a printed title, 'unknown' when no rule matches."""
    if not title:
        return "unknown"
    t = normalise_title(title)
    t = _PREFIX.sub("", t)
    t = _YEAR.sub("", t)
    for kind, need, avoid in _RULES:
        if all(p in t for p in need) and not any(p in t for p in avoid):
            return kind
    return "unknown"
