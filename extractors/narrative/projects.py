"""Projects described in prose (项目及绩效目标情况):

    1、“调研活动经费”项目。
    （3）实施主体。淮北市杜集区人民政府办公室。
    （4）起止时间。2025年1月1日至12月31日。
    （6）年度预算安排。52.5万元。            ← or “…。25万” / “…。财政预算拨款 87 万元。”

A field's value is the rest of its paragraph or, when that is empty, the next paragraph.
When 年度预算安排 states no amount (``常年安排项目``, or a sentence of text), the amount is
read from the 年度资金总额 line of the project's own 绩效目标表 (inside the project's block, or
the table whose 项目名称 is the project), and raw_text says so.
"""
from __future__ import annotations

import re
from typing import Optional

from ..read import SourceDocument
from ..records import Project
from .sentences import Paragraph
from .text import AMOUNT_RE, NUMBER, clean_line, compact, is_threshold, normalise_unit, parse_decimal

PROJECT_HEAD_RE = re.compile(
    r"^(?:\d{1,3}[、.．]|[（(]\d{1,3}[）)])\s*"
    r"(?:[“\"「『](?P<q>[^”\"」』]{1,80})[”\"」』](?:项目)?|(?P<plain>[^。，,；;：:“”\"]{2,60}?)项目)[。.]?$"
)
HIGHER_HEADING_RE = re.compile(r"^(?:第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[）)])")
FIELD_RE = re.compile(
    r"^[（(]\d{1,2}[）)]\s*(?P<field>项目概述|项目概况|立项依据|实施主体|实施单位|起止时间|实施期限|项目期限|项目内容|"
    r"年度预算安排|预算安排|资金安排|绩效目标)[。.:：]?(?P<value>.*)$"
)
ANNUAL_TOTAL_RE = re.compile(rf"年度资金总额[:：]?(?P<n>{NUMBER})?(?P<u>万元|万|元)?")
LEADING_NUMBER_RE = re.compile(rf"^(?P<n>{NUMBER})(?P<u>万元|万|元)?$")


def _is_project_section(text: Optional[str]) -> bool:
    return bool(text) and "项目" in text


def project_heads(paras: list[Paragraph]) -> list[tuple[int, str]]:
    """(paragraph index, project name) of every project heading."""
    out = []
    section: Optional[str] = None
    for i, p in enumerate(paras):
        m = PROJECT_HEAD_RE.match(p.text)
        if m and not FIELD_RE.match(p.text):
            if m.group("q"):
                out.append((i, m.group("q").strip()))
                continue
            if _is_project_section(section) and "绩效目标表" not in p.text:
                out.append((i, m.group("plain").strip()))
                continue
        if p.is_heading and HIGHER_HEADING_RE.match(p.text):
            section = p.text
    return out


def _annual_total(lines: list[str], start: int, end: int, default_unit: str) -> Optional[tuple]:
    """The first 年度资金总额 of lines[start:end] (0-based): (amount, unit, line number, text)."""
    for i in range(start, min(end, len(lines))):
        s = compact(clean_line(lines[i]))
        if "年度资金总额" not in s:
            continue
        m = ANNUAL_TOTAL_RE.search(s)
        n, u, ln, text = (m.group("n"), m.group("u"), i + 1, s) if m else (None, None, i + 1, s)
        if n is None:  # the value sits in the next cell
            for j in range(i + 1, min(i + 4, len(lines))):
                t = compact(clean_line(lines[j]))
                if not t:
                    continue
                mm = LEADING_NUMBER_RE.match(t)
                if mm:
                    n, u, ln, text = mm.group("n"), mm.group("u"), j + 1, s + t
                break
        if n is None:
            continue
        if u is None:
            context = "".join(compact(x) for x in lines[max(0, i - 8):i + 1])
            u = "万元" if ("万元" in context or default_unit == "万元") else default_unit
        return parse_decimal(n), normalise_unit(u), ln, text
    return None


def _table_for(lines: list[str], name: str) -> Optional[int]:
    """0-based line of a 项目名称 cell naming the project (its 绩效目标表)."""
    key = compact(name)
    for i, raw in enumerate(lines):
        if "项目名称" not in raw:
            continue
        s = compact(raw)
        if key in s:
            return i
        for j in range(i + 1, min(i + 4, len(lines))):
            t = compact(lines[j])
            if t:
                if t == key:
                    return i
                break
    return None


def find_projects(doc: SourceDocument, paras: list[Paragraph], entity_code_at, default_unit: str
                  ) -> tuple[list[Project], set[int]]:
    """Projects of the prose and the paragraph indices their blocks cover."""
    heads = project_heads(paras)
    covered: set[int] = set()
    out: list[Project] = []
    for k, (pi, name) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(paras)
        for j in range(pi + 1, end):
            if HIGHER_HEADING_RE.match(paras[j].text) and not FIELD_RE.match(paras[j].text):
                end = j
                break
        covered.update(range(pi, end))
        fields: dict[str, tuple[str, int]] = {}
        j = pi + 1
        while j < end:
            m = FIELD_RE.match(paras[j].text)
            if m:
                value = m.group("value").strip()
                if not value and j + 1 < end and not FIELD_RE.match(paras[j + 1].text):
                    value = paras[j + 1].text
                fields.setdefault(_field_key(m.group("field")), (value.rstrip("。."), paras[j].line_number))
            j += 1
        head = paras[pi]
        raw_text = head.text
        amount = unit = None
        budget = fields.get("budget")
        if budget:
            raw_text += f" 年度预算安排：{budget[0]}"
            for am in AMOUNT_RE.finditer(budget[0]):
                if not is_threshold(budget[0], am.start(), am.end()):
                    amount, unit = parse_decimal(am.group(1), doc.source_file, budget[1]), normalise_unit(am.group(2))
                    break
        if amount is None:
            next_line = paras[end].line_number - 1 if end < len(paras) else len(doc.lines)
            found = _annual_total(doc.lines, head.line_number - 1, next_line, default_unit)
            if found is None:
                t = _table_for(doc.lines, name)
                if t is not None:
                    found = _annual_total(doc.lines, t, t + 40, default_unit)
            if found is not None:
                amount, unit, ln, text = found
                raw_text += f" [绩效目标表 第{ln}行：{text}]"
        out.append(Project(
            source_file=doc.source_file,
            project_name=name,
            amount=amount,
            unit=unit,
            source_kind="narrative",
            line_number=head.line_number,
            raw_text=raw_text,
            entity_code=entity_code_at(head.line_number),
            period=(fields.get("period") or (None,))[0] or None,
            implementing_unit=(fields.get("unit") or (None,))[0] or None,
        ))
    return out, covered


def _field_key(label: str) -> str:
    if label in ("实施主体", "实施单位"):
        return "unit"
    if label in ("起止时间", "实施期限", "项目期限"):
        return "period"
    if label in ("年度预算安排", "预算安排", "资金安排"):
        return "budget"
    return label
