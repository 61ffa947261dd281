"""项目支出绩效目标表 → one Project + one PerformanceIndicator per 三级指标 line.

Two inputs: a cell grid (DOCX text / markdown: :func:`parse_performance_grid`) and raw
pdftotext lines where cells are wrapped line by line (:func:`parse_performance_lines`).
Pure functions; targets are parsed into comparator / Decimal value / unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Optional

from ..blocks import Cell, squash
from ..records import PerformanceIndicator, Project
from .align import nearest_column

_TARGET_RE = re.compile(
    r"^(?P<cmp>≥|>=|≧|≤|<=|≦|＝|=|>|<|＞|＜)?\s*(?P<num>[-]?\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s]{0,8})$")
_CMP = {"≥": ">=", ">=": ">=", "≧": ">=", "≤": "<=", "<=": "<=", "≦": "<=", "＝": "=", "=": "=",
        ">": ">", "<": "<", "＞": ">", "＜": "<"}
_YEAR_NUM_RE = re.compile(r"^(?:19|20)\d{2}$")
_UNIT_MAP = {"百分比": "%", "％": "%", "万": "万元"}
# a target's unit: 万 is a count's magnitude there (≥400万 visits, 广州 C029), not 万元
_TARGET_UNIT_MAP = {"百分比": "%", "％": "%"}
_MONEY_RE = re.compile(r"(-?\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|元|万)?")
_LEVEL2_TO_1 = {
    "数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
    "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标", "满意度指标": "满意度指标",
}
# the printed names of the 一级 and 二级 levels
LEVEL_WORDS = frozenset(_LEVEL2_TO_1) | frozenset(_LEVEL2_TO_1.values()) | {"成本指标", "经济成本指标", "社会成本指标",
                                                                       "生态环境成本指标"}
# every non-empty prefix of a level-2 name: `s in _LEVEL2_PREFIXES` is
# any(k.startswith(s) for k in _LEVEL2_TO_1) for a non-empty s, without the scan
_LEVEL2_PREFIXES = frozenset(k[:i] for k in _LEVEL2_TO_1 for i in range(1, len(k) + 1))


def parse_target(text: str) -> tuple[Optional[str], Optional[Decimal], Optional[str]]:
    """'≥50次' → ('>=', Decimal('50'), '次'); '较好' → (None, None, None).

    A calendar year is a date, not a quantity: '2023 年底前' → (None, None, None)."""
    t = squash(text or "")
    m = _TARGET_RE.match(t)
    if not m or _is_date_target(m.group("num"), m.group("unit")):
        return None, None, None
    try:
        value = Decimal(m.group("num"))
    except InvalidOperation:  # pragma: no cover
        return None, None, None
    cmp_ = _CMP.get(m.group("cmp") or "", "=")
    unit = m.group("unit") or None
    if unit:
        unit = _TARGET_UNIT_MAP.get(unit, unit)
    return cmp_, value, unit


def _is_date_target(num: str, unit: Optional[str]) -> bool:
    return bool(unit) and unit.startswith("年") and bool(_YEAR_NUM_RE.match(num))


def parse_money(text: str, default_unit: Optional[str]) -> tuple[Optional[Decimal], Optional[str]]:
    t = squash(text or "")
    m = _MONEY_RE.search(t)
    if not m:
        return None, default_unit
    try:
        amt = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:  # pragma: no cover
        return None, default_unit
    unit = m.group(2)
    unit = _UNIT_MAP.get(unit, unit) if unit else default_unit
    return amt, unit


_DEPT_CODE_RE = [re.compile(r"^\[(\d{2,12})\]\s*(.+)$"), re.compile(r"^(.+?)\s*[（(]?(\d{3,12})[)）]?$")]


def split_department(text: str) -> tuple[str, Optional[str]]:
    """'淮北市杜集区人民政府办公室003001' → (name, '003001'); '[103]名称' → (名称, '103')."""
    t = text.strip()
    m = _DEPT_CODE_RE[0].match(t)
    if m:
        return m.group(2).strip(), m.group(1)
    m = _DEPT_CODE_RE[1].match(t)
    if m and not m.group(1).isdigit():
        return m.group(1).strip(), m.group(2)
    return t, None


def _next_value(cells: list[str], i: int) -> Optional[str]:
    for t in cells[i + 1:]:
        if t.strip():
            return t.strip()
    return None


# ---------------------------------------------------------------------------------------
# a grid printing a mid-term copy and an annual copy of every indicator side by side
# (一级指标 | 二级指标 | 三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值, raw/003 lines 465–513).
# PDF→markdown drops empty cells, so a row's cells do not line up with the header: the two
# copies are told apart by their content, not by their column positions.
_LEVEL1_WORDS = ("产出指标", "效益指标", "满意度指标")
_IND_NUM_RE = re.compile(r"^指标\s*(\d+)")
_BARE_NUM_RE = re.compile(r"^指标\s*\d+\s*[：:]?$")
_SAME_TEXT_RATIO = 0.6  # two cells this alike are the two copies of one printed cell


# the words provinces print over the 三级指标 / 指标值 columns (西安 C054 p50: 指标内容; 泉州 C060: 目标值)
_HEADER_SYNONYMS = {"指标内容": "三级指标", "指标名称": "三级指标", "目标值": "指标值", "指标目标值": "指标值",
                    # the comparison and the unit printed in columns of their own (重庆 C021: 指标性质, 计量单位)
                    "指标性质": "nature", "绩效指标性质": "nature", "指标值类型": "nature",
                    "计量单位": "unit", "度量单位": "unit", "绩效度量单位": "unit"}


# the label of a 绩效目标 form's project name (专项（项目）名称: 西安 C054)
PROJECT_NAME_LABELS = frozenset({"项目名称", "专项（项目）名称", "专项(项目)名称", "专项名称"})
# the words beside 项目名称 in a list's header (单位名称 | 项目名称 | 金额 | 项目总体绩效目标, 浙江
# 表11 项目支出绩效表, C033 C035 C068 C070): a column's name, not the project's
_LIST_HEADER_WORDS = frozenset({"金额", "项目金额", "预算金额", "单位名称", "项目总体绩效目标", "绩效目标",
                                "年度绩效目标", "项目概况", "项目简介"})
_GENERIC_TITLE = re.compile(r"^(?:\d{4}年度?)|支出|部门|整体|专项资金|转移支付")


def _name_in_title(title: str) -> Optional[str]:
    """The project a form's title names (<项目名称>绩效目标表), or None for a table's generic title
    (2026年项目支出绩效目标表, 部门整体支出绩效目标表 …)."""
    t = squash(title or "")
    if not t.endswith("绩效目标表"):
        return None
    name = t[:-len("绩效目标表")].rstrip("的")
    return name if len(name) >= 4 and not _GENERIC_TITLE.search(name) else None


def placed_cells(row: list[Cell], header_boxes: list) -> Optional[list[Cell]]:
    """The cells of a native PDF line placed under the header cells their centres lie in (else the
    nearest; two in one column joined), or None when the line or the header carries no positions."""
    # a header cell covered by a merged one (no box) takes no cell
    ruled = {k: (b[0], b[2]) for k, b in enumerate(header_boxes) if b is not None}
    if not ruled or any(c.bbox is None for c in row if c.text.strip()):
        return None
    out: list[Cell] = [Cell("", None, None, None) for _ in header_boxes]
    for c in row:
        if not c.text.strip():
            continue
        j = nearest_column((c.bbox[0] + c.bbox[2]) / 2, ruled)
        prev = out[j]
        out[j] = Cell((prev.text + " " + c.text.strip()).strip() if prev.text else c.text.strip(),
                      c.line_number, c.page, prev.bbox or c.bbox)
    return out


def has_two_copies(header: list[str]) -> bool:
    """Does a 绩效指标 header row print the 三级指标 group twice (mid-term, then annual)?"""
    return sum(1 for k in header if squash(k) == "三级指标") >= 2


def is_level2_piece(text: str) -> bool:
    """A 二级指标 heading or a piece of one wrapped over two rows ('时效' / '指标', '可持续' / '影响指标')."""
    s = squash(text or "")
    if not s or len(s) > 9 or any(ch.isdigit() for ch in s):
        return False
    return any(k == s or k.startswith(s) or k.endswith(s) for k in _LEVEL2_TO_1)


def resolve_level2(text: str, current: Optional[str]) -> Optional[str]:
    """The 二级指标 a printed heading cell names: itself, the one it begins ('时效' → 时效指标), or
    the current one when it is the end of the current heading ('指标' after 时效)."""
    s = squash(text or "")
    if not s:
        return current
    if s in _LEVEL2_TO_1:
        return s
    if current and current.endswith(s) and current != s:
        return current
    starts = [k for k in _LEVEL2_TO_1 if k.startswith(s)]
    if len(starts) == 1:
        return starts[0]
    return s


def _alike(a: str, b: str) -> bool:
    from difflib import SequenceMatcher
    a, b = squash(a), squash(b)
    return a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= _SAME_TEXT_RATIO


def split_copies(cells: list[str]) -> tuple[Optional[str], list[str], list[str]]:
    """A row of a two-copy grid → (一级指标 printed in it, mid-term cells, annual cells).

    The annual copy starts at the second '指标 N' cell of the row's number (or at the
    二级指标 piece printed right before it); a row without two numbers (a sub-row, a text
    wrapped onto the next page) is split where its first cell is printed again, else in half.
    """
    ne = [c.strip() for c in cells if c and c.strip()]
    level1 = None
    if ne and squash(ne[0]) in _LEVEL1_WORDS and (
            squash(ne[0]) not in _LEVEL2_TO_1 or (len(ne) > 1 and is_level2_piece(ne[1]))):
        level1, ne = squash(ne[0]), ne[1:]
    if not ne:
        return level1, [], []
    nums = [(i, m.group(1)) for i, c in enumerate(ne) if (m := _IND_NUM_RE.match(squash(c)))]
    if len(nums) >= 2:
        first_i, first_n = nums[0]
        k = next((i for i, n in nums[1:] if n == first_n), nums[1][0])
        if k - 1 > first_i and is_level2_piece(ne[k - 1]):
            k -= 1
        return level1, ne[:k], ne[k:]
    k = next((j for j in range(1, len(ne)) if _alike(ne[j], ne[0])), len(ne) // 2)
    return level1, ne[:k], ne[k:]


def read_copy(cells: list[str]) -> tuple[Optional[str], Optional[str], Optional[str], bool]:
    """One copy's cells → (二级指标 piece, 三级指标 text, 指标值, numbered).

    A number printed in its own cell ('指标 1' | '网站全面测评') is joined to its text with a
    space; the cell after the indicator is its value (None when not printed)."""
    rest = list(cells)
    level2 = None
    if rest and is_level2_piece(rest[0]):
        level2, rest = rest[0], rest[1:]
    if not rest:
        return level2, None, None, False
    numbered = bool(_IND_NUM_RE.match(squash(rest[0])))
    if numbered and _BARE_NUM_RE.match(rest[0]) and len(rest) >= 2 and \
            (len(rest) >= 3 or parse_target(rest[1])[1] is None):
        indicator, tail = f"{rest[0]} {rest[1]}", rest[2:]
    else:
        indicator, tail = rest[0], rest[1:]
    value = " ".join(tail) if tail else None
    return level2, indicator, value, numbered


_COMBINED_NUM_RE = re.compile(r"^指标\s*\d+\s*[：:]")
_SENTENCE_END = ("。", "；", ";", "！", "？", ".")


def continues_previous(previous: Optional[str], level2: Optional[str], indicator: Optional[str],
                       value: Optional[str], numbered: bool, after_page_break: bool) -> bool:
    """Is this row's text the rest of the indicator above it (raw/003 lines 497/499)?

    Only unnumbered text with no value and no heading continues, and only an indicator printed
    as one '指标 N：…' cell whose sentence is cut (or which stands right before a page break);
    an unnumbered row under '指标 N' | text is a sub-indicator of its own (line 512)."""
    if not previous or not indicator or numbered or value is not None or level2 is not None:
        return False
    if not _COMBINED_NUM_RE.match(previous):
        return False
    return after_page_break or not previous.rstrip().endswith(_SENTENCE_END)


def _two_copy_indicators(rows: list[list[Cell]], *, source_file: str, project_name: str,
                         table_id: int, entity_code: Optional[str]) -> list[PerformanceIndicator]:
    """The annual copy of every indicator of a two-copy grid (rows below the header)."""
    from dataclasses import replace
    out: list[PerformanceIndicator] = []
    level1 = level2 = None
    prev_line: Optional[int] = None
    for r in rows:
        line_no = next((c.line_number for c in r if c.line_number), None)
        gap = prev_line is not None and line_no is not None and line_no - prev_line > 1
        prev_line = line_no if line_no is not None else prev_line
        printed_l1, _mid, annual = split_copies([c.text for c in r])
        l2, indicator, value, numbered = read_copy(annual)
        raw = " | ".join(c.text.strip() for c in r)
        if out and continues_previous(out[-1].indicator, l2, indicator, value, numbered, gap):
            last = out[-1]
            out[-1] = replace(last, indicator=last.indicator + indicator.strip(),
                              raw_text=f"{last.raw_text} / {raw}")
            continue
        if printed_l1:
            level1 = printed_l1
        if l2 is not None:
            new_l2 = resolve_level2(l2, level2)
            if new_l2 != level2 and not printed_l1:
                level1 = _LEVEL2_TO_1.get(new_l2 or "", level1)
            level2 = new_l2
        if not indicator:
            continue
        target = value or ""
        cmp_, tv, tu = parse_target(target)
        out.append(PerformanceIndicator(
            source_file=source_file, project_name=project_name, level1=level1, level2=level2,
            indicator=indicator.strip(), target_text=target, comparator=cmp_, target_value=tv,
            target_unit=tu, line_number=line_no, table_id=table_id, entity_code=entity_code,
            raw_text=raw))
    return out


_AMOUNT_HEADS = ("总计", "合计", "金额", "预算数", "财政拨款")


def carried_levels(l1: str, l2: str, level1: Optional[str], level2: Optional[str]
                   ) -> tuple[Optional[str], Optional[str]]:
    """The 一级 / 二级 of a line: its own where printed, else those of the merged cells above it (a
    二级 printed under no 一级 yet names its 一级: 数量指标 → 产出指标)."""
    if l1:
        level1 = l1
    if l2:
        level2 = l2
        if not l1 and level1 is None:
            level1 = _LEVEL2_TO_1.get(l2)
    return level1, level2


def lists_projects_by_row(texts: list[list[str]]) -> bool:
    """A 绩效目标表 printed as one line per project (项目名称 | 总计 | 财政拨款 | … | 绩效目标 |
    绩效指标, C029 广州), not one project's form (项目名称 | its name / 三级指标 | 指标值 lines): a
    header row opening with 项目名称 and naming an amount column, and a figure under that column
    on a line below."""
    for i, row in enumerate(texts[:3]):
        cells = [squash(t) for t in row]
        if not cells or not cells[0].startswith("项目名称"):
            continue
        cols = [k for k, c in enumerate(cells) if k and c in _AMOUNT_HEADS]
        return bool(cols) and any(
            k < len(r) and _MONEY_RE.fullmatch(squash(r[k]) or "x") for r in texts[i + 1:i + 4] for k in cols)
    return False


@dataclass
class _FormLine:
    """One line of a 绩效目标 form's indicator grid, with the boxes of its level and indicator cells
    (None where the line was not read in the header's cells)."""
    l1: Optional[str]
    l2: Optional[str]
    l3: str
    val: str
    line_no: Optional[int]
    raw: str
    box1: Optional[tuple] = None
    box2: Optional[tuple] = None
    box3: Optional[tuple] = None
    extra: list = field(default_factory=list)  # (level, y, text) of label lines printed inside it
    page: Optional[int] = None
    nature: Optional[str] = None  # the 指标性质 cell (≥ | ≤ | = | 定性) where the table prints one
    unit: Optional[str] = None  # the 计量单位 cell where the table prints one
    positioned: bool = False  # labelled by a line printed inside its cell
    consumed: bool = False  # a label line attached to the indicator line it is printed in

    def level_texts(self) -> tuple[str, str]:
        parts = {1: [], 2: []}
        for level, text, b in ((1, self.l1, self.box1), (2, self.l2, self.box2)):
            if text:
                parts[level].append((b[1] if b else -1.0, text))
        for level, y, text in self.extra:
            parts[level].append((y, text))
        return ("".join(t for _, t in sorted(parts[1], key=lambda p: p[0])),
                "".join(t for _, t in sorted(parts[2], key=lambda p: p[0])))


def _attach_centred_labels(lines: list[_FormLine]) -> list[_FormLine]:
    """A line printing only 一级 / 二级 words whose box lies inside an indicator line's cell (西安 C054
    p52: 数量指标 centred in the band of 物业管理面积；服务人次, 经济效益 / 指标 in two lines of one cell)
    labels that indicator line; it is marked consumed. Lines without boxes are kept as
    they are: their labels hold for the lines under them."""
    inds = [ln for ln in lines if (ln.l3 or ln.val) and ln.box3 is not None]
    for ln in lines:
        if ln.l3 or ln.val or not (ln.l1 or ln.l2):
            continue
        hits = []
        for level, text, b in ((1, ln.l1, ln.box1), (2, ln.l2, ln.box2)):
            if not text or b is None:
                continue
            y = (b[1] + b[3]) / 2
            owner = next((i for i in inds if i.page == ln.page and i.box3[1] <= y <= i.box3[3]), None)
            if owner is None:
                hits = []
                break
            hits.append((owner, level, y, text))
        if not hits:
            continue
        for owner, level, y, text in hits:
            owner.extra.append((level, y, text))
            owner.positioned = True
        ln.consumed = True
    return lines


def parse_performance_grid(rows: list[list[Cell]], *, source_file: str, table_id: int,
                           unit: Optional[str], entity_code: Optional[str], title_line: Optional[int],
                           title: str) -> tuple[Optional[Project], list[PerformanceIndicator], list[str]]:
    """Read the project fields and the indicator lines of one 绩效目标表 grid."""
    problems: list[str] = []
    fields: dict[str, Optional[str]] = {}
    amount: Optional[Decimal] = None
    amount_unit = unit
    dept_code: Optional[str] = None
    name_line: Optional[int] = None
    header_idx: Optional[dict[str, int]] = None
    header_width = 0
    header_boxes: list = []
    period_amount: Optional[tuple[Optional[Decimal], Optional[str]]] = None
    indicators: list[PerformanceIndicator] = []
    lines: list[_FormLine] = []
    level1 = level2 = None
    texts_rows = [[c.text for c in r] for r in rows]
    pending: Optional[list[str]] = None  # a row split by a stray blank line
    pending_line: Optional[int] = None
    for ri, r in enumerate(rows):
        line_no = next((c.line_number for c in r if c.line_number), None)
        if header_idx is None:
            keys = [squash(t) for t in texts_rows[ri]]
            for i, k in enumerate(keys):
                v = _next_value(texts_rows[ri], i)
                if k in PROJECT_NAME_LABELS and v and "name" not in fields and squash(v) not in _LIST_HEADER_WORDS:
                    fields["name"] = v
                    name_line = line_no
                elif k == "项目编码" and v:
                    fields["code"] = v
                elif k.startswith("主管部门") and v:
                    dept, dept_code = split_department(v)
                    fields["department"] = dept
                elif k.startswith("实施单位") and v and "unit" not in fields:
                    fields["unit"] = v
                elif (k in ("项目期", "项目起止时间", "起止时间")) and v and "period" not in fields:
                    fields["period"] = v
                elif k.startswith("年度资金总额") and amount is None:
                    amount, amount_unit = parse_money(v or "", unit)
                elif k in ("预算数", "当年预算") and amount is None and v:  # 当年预算: 重庆 C021
                    amount, amount_unit = parse_money(v, unit)
                elif "资金总额" in k and v and period_amount is None:
                    # 实施期资金总额：1000.00 (西安 C054 p50): the project's funds where no year's is printed
                    period_amount = parse_money(v, unit)
            # 指标名称 | 指标性质 | 指标值 | 计量单位 with no level columns (重庆 C021, C023): a header too
            levelless = "指标名称" in keys and "指标值" in keys and bool({"指标性质", "计量单位"} & set(keys))
            keys = [_HEADER_SYNONYMS.get(k, k) if "一级指标" in keys or levelless else k for k in keys]
            if "三级指标" in keys and has_two_copies(keys):
                indicators = _two_copy_indicators(
                    rows[ri + 1:], source_file=source_file, project_name=fields.get("name") or title,
                    table_id=table_id, entity_code=entity_code)
                break
            if "三级指标" in keys:
                # the last 一级/二级/三级/指标值 group is the annual one (mid-term is printed first)
                header_idx = {}
                for i, k in enumerate(keys):
                    for label in ("一级指标", "二级指标", "三级指标", "指标值", "nature", "unit"):
                        if k == label:
                            header_idx[label] = i
                header_width = len(keys)
                header_boxes = [c.bbox for c in r]
            continue
        words = [squash(t) for t in texts_rows[ri]]
        if any(w in ("一级指标", "二级指标") for w in words) and not any(
                w and w not in ("一级指标", "二级指标") for w in words):
            # the header's 一级 / 二级 words on a line of their own, under 三级指标 | 指标值 (C054 p53)
            for i, w in enumerate(words):
                if w in ("一级指标", "二级指标") and w not in header_idx:
                    header_idx[w] = i
            continue
        raw_cells = [t.strip() for t in texts_rows[ri]]
        cells_row = r
        if len(raw_cells) != header_width and (placed := placed_cells(r, header_boxes)) is not None:
            # a line ruled in other cells than the header (西安 C054 p51: the 成本指标 lines of a form
            # continued on the next page, four cells under a five-cell header): by position
            raw_cells, cells_row = [c.text for c in placed], placed
        if pending is not None:
            raw_cells = pending + raw_cells
            line_no = pending_line
            pending = None
        if len(raw_cells) < header_width and ri + 1 < len(rows) and \
                len(raw_cells) + len(rows[ri + 1]) == header_width:
            pending, pending_line = raw_cells, line_no
            continue

        def at(label: str) -> str:
            i = header_idx.get(label)
            return raw_cells[i].strip() if i is not None and i < len(raw_cells) else ""

        def box(label: str):
            i = header_idx.get(label)
            return cells_row[i].bbox if in_cells and i is not None and i < len(cells_row) else None

        in_cells = len(cells_row) == header_width and len(raw_cells) == header_width  # not a joined split row
        lines.append(_FormLine(squash(at("一级指标")), squash(at("二级指标")), at("三级指标"), at("指标值"), line_no,
                               " | ".join(raw_cells), box("一级指标"), box("二级指标"),
                               box("三级指标") or box("指标值"),
                               page=next((c.page for c in cells_row if c.page is not None), None),
                               nature=at("nature") if "nature" in header_idx else None,
                               unit=at("unit") if "unit" in header_idx else None))
    level1 = level2 = None
    for ln in _attach_centred_labels(lines):
        if ln.consumed:
            continue
        own1, own2 = ln.level_texts()
        level1, level2 = carried_levels(own1, own2, level1, level2)
        if ln.positioned and own2 and not own1 and _LEVEL2_TO_1.get(own2) not in (None, level1) \
                and own2 != "成本指标":
            # a 二级 whose 一级 label is printed lower in its merged cell (效益指标 under 经济效益指标,
            # C054 p52): the 二级 names its 一级 (成本指标 belongs to 产出指标 or stands alone: kept)
            level1 = _LEVEL2_TO_1[own2]
        if not ln.l3 and not ln.val:
            continue
        if ln.nature is not None:
            cmp_, value, tunit = column_target(ln.val, ln.nature, ln.unit or "")
        elif ln.unit:
            cmp_, value, tunit = parse_target(ln.val + ln.unit)
        else:
            cmp_, value, tunit = parse_target(ln.val)
        indicators.append(PerformanceIndicator(
            source_file=source_file, project_name=fields.get("name") or title, level1=level1, level2=level2,
            indicator=ln.l3, target_text=ln.val, comparator=cmp_, target_value=value, target_unit=tunit,
            line_number=ln.line_no, table_id=table_id, entity_code=entity_code, raw_text=ln.raw))
    if amount is None and period_amount is not None:
        amount, amount_unit = period_amount
    if "name" not in fields and (own := _name_in_title(title)):
        # 市级机关保留公务用车委托管理费项目绩效目标表 (泉州 C060 p29): a form printing no 项目名称 is
        # named by its title
        fields["name"] = own
    if "name" not in fields:
        problems.append(f"performance table {title!r}: no 项目名称 found")
        return None, indicators, problems
    project = Project(source_file=source_file, project_name=fields["name"], amount=amount, unit=amount_unit,
                      source_kind="performance_table", line_number=name_line or title_line,
                      raw_text=fields["name"], entity_code=entity_code, project_code=fields.get("code"),
                      period=fields.get("period"), implementing_unit=fields.get("unit"),
                      department=fields.get("department"), table_id=table_id)
    if dept_code:
        project = _with_code(project, dept_code)
        indicators = [_ind_with_code(i, dept_code) for i in indicators]
    return project, indicators, problems


def department_code_of(project: Project) -> Optional[str]:
    return project.entity_code


def _with_code(p: Project, code: str) -> Project:
    from dataclasses import replace
    return replace(p, entity_code=p.entity_code or code)


def _ind_with_code(i: PerformanceIndicator, code: str) -> PerformanceIndicator:
    from dataclasses import replace
    return replace(i, entity_code=i.entity_code or code)


# ---------------------------------------------------------------------------------------
# pdftotext: cells wrapped line by line, mid-term and annual columns interleaved
_IND_START = re.compile(r"^指标\s*(\d+)\s*[：:]")
_LEVEL2_WORDS = ("数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响",
                 "服务对象满意度", "满意度")


_VERTICAL_WORDS = {"产出指标", "效益指标", "满意度指标", "绩效", "绩效指标", "总体目标", "指标", "满意度指标"}


def _drop_vertical(texts: list[tuple[int, str]]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    k, n = 0, len(texts)
    while k < n:
        if len(squash(texts[k][1])) == 1:
            j = k
            word = ""
            while j < n and len(squash(texts[j][1])) == 1 and len(word) < 5:
                word += squash(texts[j][1])
                j += 1
            if j - k >= 2 and word in _VERTICAL_WORDS:
                k = j
                continue
        out.append(texts[k])
        k += 1
    return out


def _square_split(tokens: list[str]) -> Optional[int]:
    """Index k such that ''.join(tokens[:k]) == ''.join(tokens[k:]) (value printed twice)."""
    s = "".join(tokens)
    if not s or len(s) % 2:
        return None
    half = len(s) // 2
    if s[:half] != s[half:]:
        return None
    acc = 0
    for k, t in enumerate(tokens):
        if acc == half:
            return k
        acc += len(t)
    return None


def _split_name_value(lines: list[str]) -> tuple[str, Optional[str]]:
    """lines after '指标 N：' (the first included): → (indicator text, target text)."""
    # tokens keep their line index so the value starts at a line or a space boundary
    toks: list[tuple[int, str]] = []
    for li, ln in enumerate(lines):
        for t in ln.split():
            toks.append((li, t))
    # the value printed twice (mid-term | annual), else its second copy clipped by its cell
    # ('影响程度显著' + '影响程度显')
    for split in (_square_split, _clipped_split):
        for start in range(1, len(toks)):
            rest = [t for _, t in toks[start:]]
            k = split(rest)
            if k:
                return _name_of(toks[:start]), "".join(rest[:k])
    return _name_of(toks), None


def _name_of(toks: list[tuple[int, str]]) -> str:
    """The indicator text: its first printed line's words with spaces, the wrapped rest glued on."""
    return " ".join(t for li, t in toks if li == 0) + "".join(t for li, t in toks if li > 0)


def _clipped_split(tokens: list[str]) -> Optional[int]:
    """Index k such that ''.join(tokens[k:]) is ''.join(tokens[:k]) missing its last 1-2 characters."""
    for k in range(1, len(tokens)):
        a, b = "".join(tokens[:k]), "".join(tokens[k:])
        if len(b) >= 2 and 1 <= len(a) - len(b) <= 2 and a.startswith(b):
            return k
    return None


def _resolve_overflow(mid_lines: list[str], ann_lines: list[str], overflow: list[str]
                      ) -> Optional[tuple[str, str]]:
    """The mid-term copy of an indicator whose cells continue below the annual copy's first lines.

    pdftotext prints the rest of the mid-term cells (indicator text, then the two value cells)
    on lines starting with a space, followed by the rest of the annual cells.  The tokens are
    split so that both copies read the same indicator text (and the same value when the value
    cells continue too); returns the mid-term (indicator, value), or None when no split fits.
    """
    mname, mval = _split_name_value(mid_lines)
    aname, aval = _split_name_value(ann_lines)
    if mval is None or aval is None:
        return None
    toks = [t for ln in overflow for t in ln.split()]
    n = len(toks)
    for a in range(1, n + 1):
        mn = mname + "".join(toks[:a])
        variants = [(a, "")]
        if a + 1 < n and toks[a] == toks[a + 1]:
            variants.insert(0, (a + 2, toks[a]))
        for b, mcont in variants:
            for c in range(b + 1, n + 1):
                if squash(mn) != squash(aname + "".join(toks[b:c])):
                    continue
                tail = toks[c:]
                if tail:
                    k = _square_split(tail)
                    if not k:
                        continue
                    acont = "".join(tail[:k])
                else:
                    acont = ""
                if squash(mval + mcont) == squash(aval + acont):
                    return mn, mval + mcont
    return None


def _split_combined(groups: list[list]) -> list[list]:
    """'指标 3：对促进 较高 较高 指标 3：对促 较高 较高': both copies start on one printed line."""
    out: list[list] = []
    for g in groups:
        first = g[2][0]
        m = re.compile(r"\s指标\s*" + re.escape(g[1]) + r"\s*[：:]").search(first)
        if m and len(g[2]) > 1:
            out.append([g[0], g[1], [first[:m.start()].strip()], g[3], None])
            out.append([g[0], g[1], [first[m.start():].strip()] + g[2][1:], g[3], g[4]])
        else:
            out.append(g)
    return out


def parse_performance_lines(items, *, source_file: str, table_id: int, unit: Optional[str],
                            entity_code: Optional[str], title: str
                            ) -> tuple[Optional[Project], list[PerformanceIndicator], list[str]]:
    """Parse a pdftotext 绩效目标表 from its prose items (one item per printed line)."""
    problems: list[str] = []
    name = impl = None
    name_line = None
    amount = None
    amount_unit = unit or "万元"
    texts = [(it.line_number, it.text or " ".join(it.nonempty()), getattr(it, "indented", False))
             for it in items]
    for ln, t, _ in texts:
        s = t.strip()
        if s.startswith("项目名称") and name is None:
            name = s[len("项目名称"):].strip() or None
            name_line = ln
        elif s.startswith("实施单位") and impl is None:
            impl = s[len("实施单位"):].strip() or None
        elif "年度资金总额" in s and amount is None:
            after = s.split("年度资金总额", 1)[1].lstrip("：: ")
            amount, amount_unit = parse_money(after, amount_unit)
    # drop vertical headings printed one character per line (产/出/指/标, 效/益/指/标 …)
    texts = _drop_vertical(texts)
    # indicator groups
    groups: list[list] = []  # [line, number, lines, level2]
    level2 = None
    buf = ""
    cur: Optional[list] = None
    for ln, t, indented in texts:
        s = t.strip()
        m = _IND_START.match(s)
        if m:
            if buf and cur is not None:
                cur[2].append(buf)
            # [line, number, lines, level2, index of the first indented (overflow) line]
            cur = [ln, m.group(1), [s], level2, None]
            groups.append(cur)
            buf = ""
            continue
        sq = squash(s)
        # level-2 headings print wrapped: '数量' + '指标', '经济效' + '益指标', '经济' + '效益' + '指标'
        if sq and len(sq) <= 6 and not any(ch.isdigit() for ch in sq):
            hit = False
            for cand in (buf + sq, sq) if buf else (sq,):
                if cand in _LEVEL2_TO_1:
                    if cand == sq and buf and cur is not None:
                        cur[2].append(buf)
                    level2, buf, cur = cand, "", None
                    hit = True
                    break
                if cand in _LEVEL2_PREFIXES:  # cand is never empty (sq is not)
                    if cand == sq and buf and cur is not None:
                        cur[2].append(buf)
                    buf = cand
                    hit = True
                    break
            if hit:
                continue
        if buf and cur is not None:
            cur[2].append(buf)
        buf = ""
        if cur is not None:
            if indented and cur[4] is None:
                cur[4] = len(cur[2])
            cur[2].append(s)
    groups = _split_combined(groups)
    resolved: dict[int, tuple[str, str]] = {}
    for g, h in zip(groups, groups[1:]):
        if g[1] == h[1] and g[3] == h[3] and g[4] is None and h[4]:
            r = _resolve_overflow(g[2], h[2][:h[4]], h[2][h[4]:])
            if r is not None:
                resolved[id(g)] = r
    indicators: list[PerformanceIndicator] = []
    # the mid-term and the annual copy of each indicator alternate inside a level-2 section:
    # read pairs (the first copy), or match by number when a section has an odd count
    sections: list[list[list]] = []
    for g in groups:
        if sections and sections[-1][0][3] == g[3]:
            sections[-1].append(g)
        else:
            sections.append([g])
    chosen: list[list] = []
    for sec in sections:
        if len(sec) % 2 == 0:
            chosen.extend(sec[0::2])
        else:
            k = 0
            while k < len(sec):
                chosen.append(sec[k])
                k += 2 if k + 1 < len(sec) and sec[k + 1][1] == sec[k][1] else 1
    for g in chosen:
        ln, num, glines, l2 = g[:4]
        text, value = resolved.get(id(g)) or _split_name_value(glines)
        if value is None:
            problems.append(f"line {ln}: cannot separate the indicator from its target in {text!r}")
            value = ""
        cmp_, tv, tu = parse_target(value)
        indicators.append(PerformanceIndicator(
            source_file=source_file, project_name=name or title, level1=_LEVEL2_TO_1.get(l2 or ""),
            level2=l2, indicator=text, target_text=value, comparator=cmp_, target_value=tv,
            target_unit=tu, line_number=ln, table_id=table_id, entity_code=entity_code,
            raw_text=" / ".join(glines)))
    if name is None:
        problems.append(f"performance table {title!r}: no 项目名称 found")
        return None, indicators, problems
    project = Project(source_file=source_file, project_name=name, amount=amount, unit=amount_unit,
                      source_kind="performance_table", line_number=name_line, raw_text=name,
                      entity_code=entity_code, implementing_unit=impl, table_id=table_id)
    return project, indicators, problems


def column_target(value: str, nature: str, unit: str) -> tuple[Optional[str], Optional[Decimal], Optional[str]]:
    """A target printed in three columns (≥ | 95 | %): the nature's comparison, the value, the unit;
    定性 (or a nature that is no comparison) → none."""
    cmp_ = _CMP.get(squash(nature))
    if cmp_ is None:
        return None, None, None
    _, num, own_unit = parse_target(value)
    if num is None:
        return None, None, None
    u = squash(unit) or own_unit
    return cmp_, num, _TARGET_UNIT_MAP.get(u, u) if u else None
