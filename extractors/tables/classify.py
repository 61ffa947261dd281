"""Stage 3 — classify: a printed table title → table_kind (see settings.TABLE_KINDS).

Titles vary: 部门/单位 prefixes, 表 numbers (表 1 / 附表3 / 1、), year prefixes (2023 年),
财政拨款 infixes (一般公共预算财政拨款支出表 vs 一般公共预算支出预算表), spaces inside words.
A 决算 title is classified as its 预算 counterpart (``is_final_account_title`` tells them apart).
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
    ("performance_targets", ("支出绩效表",), ()),  # 项目支出绩效表 (Huzhou): projects with their targets
    ("three_public_comparison", ("三公", "增减"), ()),
    ("three_public_expenditure", ("三公",), ()),  # 三公经费和机关运行经费表 (Shanghai) is a 三公 table
    # 会议费明细表 / 培训费明细表 (西安, C050 p19): a line per meeting or training course (人数, 金额),
    # the detail of the 会议费 / 培训费 the 三公 table and the prose state; not a 三公 table
    ("meeting_training_detail", ("会议", "明细"), ()),
    ("meeting_training_detail", ("培训", "明细"), ()),
    # 一般公共预算机关运行经费支出表: economic codes of the operating cost, not a function table
    ("operating_cost", ("机关运行经费",), ()),
    ("fiscal_appropriation_summary", ("财政拨款收支",), ("政府性基金", "国有资本经营")),
    ("fiscal_appropriation_summary", ("财政拨款", "收支总"), ("政府性基金", "国有资本经营")),
    ("gov_fund_expenditure", ("政府性基金",), ()),
    ("state_capital_expenditure", ("国有资本经营",), ()),
    # 财政拨款支出（预算）表 / 财政拨款基本支出（预算）表 (Jiangsu): the appropriation tables
    # by functional / economic code, the same kinds as the 一般公共预算 ones
    ("general_budget_basic_expenditure", ("财政拨款", "基本支出"), ("收支",)),
    ("general_budget_expenditure", ("财政拨款", "支出"), ("收支",)),
    ("income_expenditure_summary", ("收支",), ("财政拨款",)),
    # 基本支出总表 / 项目支出总表 (Shenzhen): basic expenditure by economic class, the project
    # list — not the 支出总表 (all expenditure by function) their titles contain
    ("general_budget_basic_expenditure", ("基本支出总表",), ()),
    ("project_expenditure", ("项目支出总表",), ()),
    ("general_budget_basic_expenditure", ("基本支出预算情况表",), ()),
    ("general_budget_basic_expenditure", ("部门预算基本支出预算表",), ()),
    # 部门预算基本支出预算表 (C027 p20) reads 预算基本支出预算表 once 部门 is dropped
    ("general_budget_basic_expenditure", ("基本支出预算表",), ("项目",)),
    ("project_expenditure", ("专项业务经费支出表",), ()),
    ("revenue_summary", ("收入总表",), ()),
    ("revenue_summary", ("收入总体情况表",), ()),
    ("expenditure_summary", ("支出总体情况表",), ()),
    ("revenue_summary", ("收入预算表",), ()),
    ("revenue_summary", ("收入预算总表",), ()),
    ("expenditure_summary", ("支出总表",), ()),
    ("expenditure_summary", ("支出预算总表",), ()),
    ("expenditure_summary", ("^支出预算表",), ()),  # 支出决算表 (决算: all funds by function)
    ("general_budget_basic_expenditure", ("一般公共预算", "基本支出"), ()),
    # 一般公共预算项目支出情况表（按经济分类科目） (C027 p16): the project expenditure, by economic code
    ("project_expenditure", ("一般公共预算", "项目支出"), ()),
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
# (a Jiangsu title may end in its classification: 财政拨款支出预算表（功能科目）)
_TITLE_HINT = re.compile(r"(表|表（(?:功能|经济)(?:科目|分类)）|表（按[^（）]{2,12}）|表（[^（）]{2,12}）|表（(?:预算|公开|附)?表\s*[\d一二三四五六七八九十]+(?:-\d+)?）|部门政府采购预算|“三公”经费预算情况及增减变化原因|单位构成)$")
_NOT_TITLE = re.compile(r"(部分|说明|情况说明|公开|名词解释|详见|见附件|[。；，,])")


def normalise_title(title: str) -> str:
    t = squash(title)
    t = t.replace("(", "（").replace(")", "）").replace('"', "”")
    return t


# the last character of a line _TITLE_HINT can match: each of its alternatives ends in one of
# 表 ） 算 因 成 (")" normalises to "）"), and "$" also matches before a final newline
_TITLE_END_CHARS = frozenset("表）)算因成\n")


def looks_like_title(text: str) -> bool:
    """Is this printed line a table title (as opposed to a heading or a prose line)?"""
    # fast path (exact): most lines and cells end in another character; normalise_title only
    # drops the spaces squash() removes, so the last such non-space character decides
    if text.rstrip(" \u3000\u00a0")[-1:] not in _TITLE_END_CHARS:
        return False
    t = normalise_title(text)
    if not t or len(t) > 45 or len(t) < 4:
        return False
    if _NOT_TITLE.search(t):
        return False
    if t.startswith("注") or t.startswith("关于"):
        return False
    return bool(_TITLE_HINT.search(t))


def _has(pattern: str, t: str) -> bool:
    return t.startswith(pattern[1:]) if pattern.startswith("^") else pattern in t


def _matching_form(title: str) -> str:
    """The title as the rules read it: prefixes, years and 部门/单位 dropped; a 决算 table is
    the same kind of table as its 预算 counterpart (收入支出决算总表 = 收支预算总表)."""
    t = normalise_title(title)
    t = _PREFIX.sub("", t)
    t = _YEAR.sub("", t)
    t = t.replace("决算", "预算").replace("收入支出", "收支")
    return re.sub(r"^(?:部门|单位)", "", t)


def is_final_account_title(title: Optional[str]) -> bool:
    """A 决算 table (actual figures of a closed year) rather than a 预算 one."""
    return bool(title) and "决算" in normalise_title(title)


def classify_title(title: Optional[str]) -> str:
    """Return the table_kind for a printed title, 'unknown' when no rule matches."""
    if not title:
        return "unknown"
    t = _matching_form(title)
    for kind, need, avoid in _RULES:
        if all(_has(p, t) for p in need) and not any(_has(p, t) for p in avoid):
            return kind
    return "unknown"
