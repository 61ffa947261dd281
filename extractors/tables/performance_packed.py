"""Indicators packed into one cell of a 绩效目标表 printing one line per project (广州 C029: 项目名称 | 总计 |
… | 绩效目标 | 绩效指标, the last cell “1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；
年度指标值:每年≥20场。2、…”). Pure functions."""
from __future__ import annotations

import json
import re
from typing import Optional

from ..blocks import squash
from ..records import PerformanceIndicator
from .performance import parse_target

# one indicator of a cell holding all of a project's indicators (广州 C029: “1、1-产出指标；11-数量指标；
# 会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。2、…”)
_PACKED_ENTRY_RE = re.compile(r"(?:^|(?<=。))(\d{1,3})、")
_PACKED_LEVEL_RE = re.compile(r"^\d{1,2}-")
_PACKED_TARGET_RE = re.compile(r"^(?P<which>实施周期|年度)(?:指标值|目标值)[:：]?(?P<value>.*)$")


def packed_indicators(text: str) -> list[tuple[Optional[str], Optional[str], str, str]]:
    """(一级, 二级, 三级, target) of each numbered entry of a packed 绩效指标 cell; the 年度指标值 is
    the target (the 实施周期 one where no annual value is printed). Entries not shaped
    一级；二级；三级；…指标值 are skipped (the caller keeps the cell's text)."""
    t = squash(text or "")
    starts = [m for m in _PACKED_ENTRY_RE.finditer(t)]
    out = []
    last = 0
    for k, m in enumerate(starts):
        if int(m.group(1)) != last + 1:  # not the next number: a figure inside an entry's words
            continue
        last += 1
        seg = t[m.end():starts[k + 1].start() if k + 1 < len(starts) else len(t)].rstrip("。.；;")
        parts = [p for p in re.split(r"[；;]", seg)]
        targets = {}
        rest = []
        for p in parts:
            tm = _PACKED_TARGET_RE.match(p)
            if tm:
                targets[tm.group("which")] = tm.group("value").rstrip("。.")
            else:
                rest.append(p)
        if len(rest) < 3 or not targets or not _PACKED_LEVEL_RE.match(rest[0]):
            continue
        level1 = _PACKED_LEVEL_RE.sub("", rest[0])
        level2 = _PACKED_LEVEL_RE.sub("", rest[1])
        out.append((level1 or None, level2 or None, "；".join(rest[2:]), targets.get("年度", targets.get("实施周期", ""))))
    return out


def row_indicators(row, *, source_file: str, table_id: int, entity_code: Optional[str]) -> list[PerformanceIndicator]:
    """The indicators a 绩效目标表 line printing one project per line packs into its 绩效指标 cell
    (``row``: a parsed TableRow whose text_cells hold the cell)."""
    out = []
    cells = json.loads(row.text_cells) if row.text_cells else {}
    for label, text in cells.items():
        if "指标" not in squash(label):
            continue
        for level1, level2, indicator, target in packed_indicators(text):
            cmp_, value, tunit = parse_target(target)
            out.append(PerformanceIndicator(
                source_file=source_file, project_name=row.name, level1=level1, level2=level2,
                indicator=indicator, target_text=target, comparator=cmp_, target_value=value, target_unit=tunit,
                line_number=row.line_number, table_id=table_id, entity_code=entity_code, page=row.page,
                raw_text=text))
    return out
