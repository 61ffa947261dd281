"""A 绩效目标表 printing one line per indicator with the project named in a column of its own (北京 C009
预算12表, 长沙 C042, 长春 C065, 重庆 C021 表十二): projects and their indicators. Pure functions."""
from __future__ import annotations

import re
from typing import Optional

from ..blocks import Cell, squash
from ..records import PerformanceIndicator, Project
from .performance import carried_levels, placed_cells, column_target, parse_money, parse_target

# a 绩效目标表 printing one line per indicator under columns naming the project (北京 C009 预算12表:
# 项目名称 | 项目总额 | … | 一级指标 | 二级指标 | 三级指标 | 绩效指标性质 | 本年绩效指标值 | 绩效度量单位;
# 长沙 C042: 单位编码 | 单位（项目）名称 | 资金总额 | … | 三级指标 | 指标值 | … | 度量单位 | 指标值类型)
_LINE_HEADS = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "level3", "指标内容": "level3", "指标名称": "level3",
    "指标值": "value", "本年绩效指标值": "value", "年度指标值": "value", "目标值": "value",
    "绩效指标性质": "nature", "指标性质": "nature", "指标值类型": "nature",
    "绩效度量单位": "unit", "度量单位": "unit", "计量单位": "unit",
    "项目名称": "project", "单位（项目）名称": "project", "单位(项目)名称": "project", "项目（单位）名称": "project",
    "项目总额": "amount", "资金总额": "amount", "年度资金总额": "amount",
    "当年财政拨款预算金额": "amount", "预算金额": "amount",  # 重庆 C021 表十二
}


_UNIT_SUFFIX = re.compile(r"[（(][^（()）]*[)）]$")


LINE_HEAD_WORDS = frozenset(_LINE_HEADS)


def _line_columns(header_rows: list[list[str]]) -> Optional[dict[str, int]]:
    """The columns of a one-line-per-indicator table from its header rows (the first printed word
    of each role wins), or None when it names no project column or no indicator/value columns."""
    cols: dict[str, int] = {}
    for row in header_rows:
        for i, t in enumerate(row):
            # 年度资金总额(万元) (长春 C065 p16): the words before a trailing unit
            role = _LINE_HEADS.get(squash(t)) or _LINE_HEADS.get(_UNIT_SUFFIX.sub("", squash(t)))
            if role and role not in cols:
                cols[role] = i
    if not {"project", "level3", "value"} <= set(cols):
        return None
    return cols


def indicator_lines_table(rows: list[list[Cell]]) -> Optional[tuple[int, dict[str, int]]]:
    """(first data row, columns) of a 绩效目标表 printing one line per indicator with the project
    named in a column of its own, else None."""
    texts = [[c.text for c in r] for r in rows]
    for i, row in enumerate(texts[:4]):
        if any(_LINE_HEADS.get(squash(t)) == "level3" for t in row):
            cols = _line_columns(texts[:i + 1])
            if cols is None:
                return None
            start = i + 1
            while start < len(texts) and not any(
                    squash(texts[start][j]) for j in (cols["level3"], cols["value"]) if j < len(texts[start])) \
                    and not (cols["project"] < len(texts[start]) and squash(texts[start][cols["project"]])):
                start += 1  # a second header line (其中：财政资金 | 其他资金)
            return start, cols
    return None


def parse_indicator_lines(rows: list[list[Cell]], start: int, cols: dict[str, int], *, source_file: str,
                          table_id: int, unit: Optional[str], entity_code: Optional[str]
                          ) -> tuple[list[Project], list[PerformanceIndicator]]:
    """Projects and their indicators of a one-line-per-indicator 绩效目标表: a line printing a project
    name starts (or, printed again on a continued page, goes on with) that project; its merged
    一级 / 二级 cells hold for the lines under them. A named line printing no indicator (合计, a
    unit's line) is no project."""
    projects: dict[str, Project] = {}
    indicators: list[PerformanceIndicator] = []
    name = amount_text = None
    name_line = None
    level1 = level2 = None

    def at(cells: list[str], role: str) -> str:
        j = cols.get(role)
        return cells[j].strip() if j is not None and j < len(cells) else ""

    header = next((r for r in reversed(rows[:start]) if any(_LINE_HEADS.get(squash(c.text)) == "level3" for c in r)),
                  rows[start - 1] if start else [])
    boxes = [c.bbox for c in header]
    for r in rows[start:]:
        cells = [c.text for c in r]
        if len(cells) != len(boxes) and (placed := placed_cells(r, boxes)) is not None:
            # a continued page ruled without the first page's spacer column (C009 p38): by position
            cells = [c.text for c in placed]
        line_no = next((c.line_number for c in r if c.line_number), None)
        own = squash(at(cells, "project"))
        if own:
            if own != name:
                level1 = level2 = None
            name, amount_text, name_line = own, at(cells, "amount"), line_no
        level1, level2 = carried_levels(squash(at(cells, "level1")), squash(at(cells, "level2")), level1, level2)
        l3, val = at(cells, "level3"), at(cells, "value")
        if name is None or (not l3 and not val):
            continue
        if "nature" in cols or "unit" in cols:
            cmp_, value, tunit = column_target(val, at(cells, "nature"), at(cells, "unit")) if "nature" in cols \
                else parse_target(val + at(cells, "unit"))
        else:
            cmp_, value, tunit = parse_target(val)
        if name not in projects:
            amt, amt_unit = parse_money(amount_text or "", unit)
            projects[name] = Project(source_file=source_file, project_name=name, amount=amt, unit=amt_unit,
                                     source_kind="performance_table", line_number=name_line, raw_text=name,
                                     entity_code=entity_code, table_id=table_id)
        indicators.append(PerformanceIndicator(
            source_file=source_file, project_name=name, level1=level1, level2=level2, indicator=squash(l3),
            target_text=squash(val), comparator=cmp_, target_value=value, target_unit=tunit,
            line_number=line_no, table_id=table_id, entity_code=entity_code, raw_text=" | ".join(cells)))
    return list(projects.values()), indicators
