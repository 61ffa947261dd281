"""Headline figures, functional-classification figures and their year-on-year changes, read
sentence by sentence.

Every amount of a sentence (``551.53万元``, ``25万``) is a figure unless it is part of a
comparison (``比2024年预算减少60.89万元`` → a YoyChange) or a bound (``单价50万元以上``,
``≤385万元``). What a figure measures comes from its label: the words between the previous
clause break (，；：、 or the previous amount) and the number, read by ordered keyword rules
(``MEASURE_RULES``). A 类/款/项 name path (``一般公共服务支出（类）政府办公厅（室）及相关机构
事务（款）行政运行（项）2025年预算229.37万元``) gives the first amount after it its names; codes
are not resolved here (only a code printed in the sentence is kept).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..records import NarrativeFigure, YoyChange
from .sentences import PATH_MARK_RE, Sentence
from .text import AMOUNT_RE, is_threshold, normalise_unit, parse_decimal, strip_enum
from .yoy import COMPARE_CONTEXT_RE, DIRECTION_WORDS, YoyMatch, bare_change, find_yoy

FUNCTION_CLASSES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "文化体育与传媒支出", "社会保障和就业支出", "社会保险基金支出", "卫生健康支出",
    "医疗卫生与计划生育支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
    "资源勘探工业信息等支出", "资源勘探信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出",
    "自然资源海洋气象等支出", "国土海洋气象等支出", "住房保障支出", "粮油物资储备支出", "国有资本经营预算支出",
    "灾害防治及应急管理支出", "预备费", "其他支出", "转移性支出", "债务还本支出", "债务付息支出",
    "债务发行费用支出", "抗疫特别国债安排的支出",
)

# the budget a 决算 is compared with (年初预算为2.85万元，支出决算为0.39万元)
INITIAL_RE = re.compile(r"年初预算|调整预算|全年预算数")
BARE_INITIAL_RE = re.compile(r"年初预算数?")

# (pattern on the cleaned label, measure); first match wins. ``None`` pattern: see classify().
MEASURE_RULES: list[tuple[str, str]] = [
    # 年初预算为10210.34万元，支出决算为9746.50万元: the budget a 决算 is compared with is not
    # the figure itself (the amount after it, 支出决算, takes the measure of the subject)
    (INITIAL_RE.pattern, "initial_budget"),
    (r"三公", "three_public_total"),
    (r"因公出国", "overseas_travel"),
    (r"公务用车购置(?:及|和|与)(?:运|维)", "vehicle_total"),
    (r"公务用车购置|购置公务用车", "vehicle_purchase"),
    (r"公务用车运|公务用车维", "vehicle_operation"),
    (r"公务接待", "official_reception"),
    (r"会议费", "meeting"),
    (r"培训费", "training"),
    # 一般公共预算财政拨款运行经费137.15万元 (重庆 C023 p2): the 机关运行经费 in other words
    (r"机关运行经费|^(?:一般公共预算)?(?:财政拨款)?运行经费", "operating_cost"),
    (r"政府采购.*货物", "procurement_goods"),
    (r"政府采购.*工程", "procurement_works"),
    (r"政府采购.*服务", "procurement_services"),
    (r"政府采购", "procurement_total"),
    (r"政府购买服务", "purchase_services_total"),
    (r"购置.*固定资产|固定资产.*购置", "fixed_assets_purchase"),
    (r"固定资产", "fixed_assets_total"),
    (r"财政拨款收支|财政拨款收入?[、和及与]?支出?总", "fiscal_appropriation_total"),
    (r"收支|收入[、和及与]?支出总", "total_budget"),
    # 人员支出 / 日常公用支出 (杭州 C033 p7, C035 p11): 基本支出's two parts in other words
    (r"人员经费|^人员支出", "personnel"),
    (r"公用经费|^(?:日常)?公用支出", "public"),
    (r"基本支出", "basic"),
    (r"项目支出", "project"),
    (r"预留机动经费", "reserve"),
    # 年终结转结余资金560823.20万元 (C008 p9): what is carried into next year, a part of the 支出
    # side (收支总表), not the 上年结转 revenue
    (r"年终结转|年末结转|结转下年", "expenditure_carryover"),
    (r"一般公共预算(?:财政)?(?:拨款)?支出", "general_budget_expenditure"),
    # 2026年一般公共预算当年拨款5,753.07万元 (浙江 C033, C035, C070: the heading of the 一般公共预算
    # 支出表's section, followed by its 类 structure); 一般公共预算当年拨款收入 stays the revenue
    (r"一般公共预算当年(?:财政)?拨款$", "general_budget_expenditure"),
    (r"政府性基金(?:预算)?(?:财政)?(?:拨款)?支出", "gov_fund_expenditure"),
    (r"国有资本经营预算(?:财政)?(?:拨款)?支出", "state_capital_expenditure"),
    (r"^财政拨款(?:预算)?支出预算|^财政拨款预算支出$", "fiscal_appropriation_total"),
    # 财政拨款收入合计1668.14万元 / 财政拨款支出合计 (佛山 C061 p25), 财政拨款收入预算总计 (西安 C054
    # p12), 当年财政拨款收入30,331.26万元 (C050 p10): the 财政拨款 total, not all funds' revenue
    # (the cleaned label: 合计 / 总额 / 计 stripped, 总计 → 总)
    (r"^(?:本部门|本单位|我部门|我单位)?(?:当年)?财政拨款(?:收入|支出)(?:预算)?总?$",
     "fiscal_appropriation_total"),
    (r"支出预算|支出总预算|本年支出|支出合计|支出总计|预算支出|总支出", "expenditure_total"),
    (r"本年财政拨款收入", "revenue_fiscal_current_year"),
]
# sources of revenue: read only when the label speaks of 收入 / 拨款 / 资金 / 结转
REVENUE_RULES: list[tuple[str, str]] = [
    (r"一般公共预算", "revenue_general_budget"),
    (r"政府性基金|基金预算", "revenue_gov_fund"),
    (r"国有资本经营", "revenue_state_capital"),
    (r"财政专户", "revenue_fiscal_special_account"),
    (r"单位资金", "revenue_unit_funds"),
    (r"^其他资金", "revenue_other_funds"),  # 其他资金收入预算总计0万元 (Jiangsu: 事业/经营/其他收入)
    (r"上年结转|结转结余|结余结转", "revenue_carryover"),
    (r"本年收入", "revenue_current_year"),
    (r"收入预算|预算收入|收入合计|收入总计|总收入|收入总预算", "revenue_total"),
]
_MEASURE_RES = [(re.compile(p), m) for p, m in MEASURE_RULES]
_REVENUE_RES = [(re.compile(p), m) for p, m in REVENUE_RULES]

DELIMS = "，,；;。：:、"
CONNECTIVE_RE = re.compile(r"(?:全部是|全部为|主要包括|包括|分别为|分别是|其中|主要为|主要是)")
LEAD_RE = re.compile(
    r"^(?:(?:预算)?共?安排(?=.)|其中|主要包括|包括|全部是|全部为|全部|分别为|分别是|主要为|主要是|主要|即|和|及|与|以及|涉及|合计|共计|共|"
    r"另外|此外|为|是|我部门|我单位|本部门|本单位|当年)+"
)
TRAIL_RE = re.compile(r"(?:为|是|共计|合计|计|达|约|总额为|总额|的)+$")
YEAR_PREFIX_RE = re.compile(r"^.*?20\d{2}年(?:度)?(?:(?:部门|单位)(?:[（(]单位[）)])?)?")
SHARE_RE = re.compile(r"[，,]?占(?:比)?(?:为)?(?:[\u4e00-\u9fff“”‘’\x22]{0,8}?的)?(?P<n>\d+(?:\.\d+)?)(?:%|％)?")
FUNC_CODE_RE = re.compile(r"(?<![\d.])(2\d{2}(?:\d{2}){0,2})(?![\d.%％])")
PATH_PART_RE = re.compile(
    r"((?:[^，,。；;：:、（(）)\s]|[（(][^类款项（(）)，,。；;][^（(）)，,。；;]{0,5}[）)]){1,60}?)[（(]([类款项])[）)]"
)
COMPARED_WITH_RE = re.compile(
    r"^(?:与|同|和)?(?:20\d{2}年(?:度)?|上年(?:度)?|上一年(?:度)?|去年)?(?:预算|决算)?(?:数)?相比$")
DECIDED_RE = re.compile(r"(?:支出)?决算(?:数)?")
# an amount whose own label says it is a change (增加基本支出844.15万元, 本年数小于上年预算数403.75万元,
# 从会议费预算中调减403.75万元), or an amount in the clause that explains a change (原因是…): the
# change, not the measure's amount
CHANGE_LABEL_RE = re.compile(
    rf"{DIRECTION_WORDS}|调减|调增|压减|压缩|核减|核增|节约|节省|小于|大于|多于|少于")
EVALUATION_RE = re.compile(r"绩效自评|开展(?:了)?(?:重点)?绩效评价")
REASON_RE = re.compile(r"原因(?:是|为|在于|主要是|：|:)?")
COUNT_RULES: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"共有(?:公务用?)?车辆?(\d+)辆"), "vehicles_held", "辆"),
    (re.compile(r"购置公务用车(\d+)辆"), "vehicles_purchase_planned", "辆"),
    (re.compile(r"(\d+)个项目(?:实行了?|纳入|开展了?|编制了?)"), "project_count", "个"),
]
_LEVEL_FIELD = {"类": "class_name", "款": "section_name", "项": "item_name"}
_LEVEL_MEASURE = {"类": "function_class", "款": "function_section", "项": "function_item"}


@dataclass
class Path:
    start: int
    end: int
    names: dict  # level → name
    raw: str
    clean: bool  # 类 → 款 → 项 in order, nothing missing in between


@dataclass
class SentenceContext:
    source_file: str
    fiscal_year: Optional[int] = None
    entity_code: Optional[str] = None
    default_unit: str = "万元"
    prev_head: Optional[NarrativeFigure] = None  # first figure of the previous sentence (same paragraph)
    recent: list = field(default_factory=list)  # figures of the last sentences (same entity)
    class_heading: Optional[str] = None  # the 类 a heading line names (（一）一般公共服务（类）)


def clean_label(label: str) -> str:
    for marker in ("（其中", "(其中"):
        if marker in label:
            label = label.rsplit(marker, 1)[1]
    label = strip_enum(label.lstrip("，,；;：: "))
    label = label.lstrip("）) ")
    cut = YEAR_PREFIX_RE.sub("", label, count=1)
    if cut:
        label = cut
    parts = CONNECTIVE_RE.split(label)
    if len(parts) > 1 and parts[-1]:
        label = parts[-1]
    label = LEAD_RE.sub("", label)
    label = TRAIL_RE.sub("", label)
    return label.lstrip("）) ").rstrip("（( ")


def classify(label: str, share: bool, in_project_section: bool, performance) -> str:
    if performance:
        # 实行绩效目标管理的资金, or the funds a 绩效评价 / 绩效自评 covers (涉及一般公共预算支出0万元):
        # never the 一般公共预算 expenditure itself
        return "performance_evaluated_funds" if performance == "evaluation" else "performance_target_funds"
    for rx, measure in _MEASURE_RES:
        if rx.search(label):
            return measure
    if label.endswith("安排"):
        return "project_funding_source" if in_project_section else "other"
    if re.search(r"收入|拨款|资金|结转|结余", label):
        for rx, measure in _REVENUE_RES:
            if rx.search(label):
                return measure
    if label in FUNCTION_CLASSES:
        return "function_class"
    return "other"


def class_only_path(text: str) -> Optional[str]:
    """The 类 name of a heading that is nothing but a 类 (（一）一般公共服务（类）), else None."""
    paths = find_paths(text)
    if len(paths) != 1 or set(paths[0].names) != {"类"}:
        return None
    rest = (text[:paths[0].start] + text[paths[0].end:]).strip()
    if strip_enum(rest).strip("：: "):
        return None
    return strip_enum(paths[0].names["类"]) or None


def find_paths(text: str) -> list[Path]:
    """类/款/项 name paths of a sentence, in order."""
    if not PATH_MARK_RE.search(text):  # no （类）/(款)/… marker: no path (one regex pass)
        return []
    paths: list[Path] = []
    cur: Optional[Path] = None
    levels: list[str] = []
    for m in PATH_PART_RE.finditer(text):
        name, level = m.group(1), m.group(2)
        if cur is not None and m.start() == cur.end and level not in cur.names:
            cur.names[level] = name
            cur.end = m.end()
            levels.append(level)
        else:
            if cur is not None:
                cur.clean = _clean_levels(levels)
                cur.raw = text[cur.start:cur.end]
            name = LEAD_RE.sub("", strip_enum(name)) or name
            cur = Path(m.start(), m.end(), {level: name}, "", False)
            levels = [level]
            paths.append(cur)
    if cur is not None:
        cur.clean = _clean_levels(levels)
        cur.raw = text[cur.start:cur.end]
    return paths


def _clean_levels(levels: list[str]) -> bool:
    order = "类款项"
    idx = [order.index(lv) for lv in levels]
    return idx == list(range(idx[0], idx[0] + len(idx))) and idx[0] == 0


def _last_delim(text: str, pos: int, floor: int) -> int:
    i = pos - 1
    while i >= floor:
        if text[i] in DELIMS:
            return i
        i -= 1
    return floor - 1


def _code_in(text: str) -> Optional[str]:
    m = FUNC_CODE_RE.search(text)
    return m.group(1) if m else None


def parse_sentence(sent: Sentence, ctx: SentenceContext) -> tuple[list[NarrativeFigure], list[YoyChange]]:
    s = sent.text
    if not s or (not any(ch.isdigit() for ch in s) and "一致" not in s and "持平" not in s):
        return [], []
    yoys = find_yoy(s, ctx.fiscal_year)
    paths = find_paths(s)
    section = sent.section or ""
    in_project_section = "项目支出" in section or "项目支出" in s[:40]
    performance = "target" if "绩效目标管理" in s else ("evaluation" if EVALUATION_RE.search(s) else False)
    compare = bool(COMPARE_CONTEXT_RE.search(s) or COMPARE_CONTEXT_RE.search(section))
    compare_year = next((y.prior_year for y in yoys if y.prior_year), None)
    if compare_year is None and ctx.fiscal_year:
        compare_year = ctx.fiscal_year - 1

    events: list[tuple[int, str, object]] = []
    for y in yoys:
        events.append((y.start, "yoy", y))
    for m in AMOUNT_RE.finditer(s):
        if any(y.start <= m.start() < y.end for y in yoys):
            continue
        if is_threshold(s, m.start(), m.end()):
            continue
        events.append((m.start(), "amount", m))
    for rx, measure, unit in COUNT_RULES:
        for m in rx.finditer(s):
            events.append((m.start(), "count", (m, measure, unit)))
    events.sort(key=lambda e: (e[0], e[1] != "count"))

    placed: list[tuple[int, NarrativeFigure]] = []
    yoy_out: list[YoyChange] = []
    last_fig: Optional[NarrativeFigure] = None
    cursor = 0
    path_i = 0
    for pos, kind, obj in events:
        if pos < cursor and kind != "count":
            continue
        if kind == "yoy":
            y: YoyMatch = obj  # type: ignore[assignment]
            target = last_fig
            if target is None and y.direction == "flat" and y.change == 0 and y.unit is None:
                target = ctx.prev_head
            label = None if target else clean_label(s[_last_delim(s, y.start, cursor) + 1:y.start])
            yoy_out.append(_yoy_record(sent, ctx, y, target, label))
            cursor = y.end
            continue
        if kind == "count":
            m, measure, unit = obj  # type: ignore[misc]
            fig = NarrativeFigure(ctx.source_file, sent.line_number, s, measure, parse_decimal(m.group(1)), unit,
                                  ctx.entity_code, m.group(0), section=sent.section)
            placed.append((pos, fig))
            continue
        m = obj  # type: ignore[assignment]
        start = _last_delim(s, m.start(), cursor) + 1
        raw_label = s[start:m.start()]
        unit = normalise_unit(m.group(2))
        amount = parse_decimal(m.group(1), ctx.source_file, sent.line_number)
        # a bare change after a label: 基本支出增加204.12万元 (in a comparing sentence / section)
        if compare and raw_label.endswith(("增加", "减少")):
            bare = bare_change(s, m.start() - 2, ctx.fiscal_year, compare_year)
            if bare is not None:
                subject = clean_label(raw_label[:-2])
                if last_fig is not None and not COMPARED_WITH_RE.sub("", subject):
                    # …支出8072.29万元，与上年相比增加1965.30万元: the change of the figure before it
                    yoy_out.append(_yoy_record(sent, ctx, bare, last_fig, None))
                    cursor = bare.end
                    continue
                measure = classify(subject, False, in_project_section, performance)
                current = _recent(ctx, measure, subject)
                yoy_out.append(_yoy_record(sent, ctx, bare, current, subject, measure_if_none=measure))
                cursor = bare.end
                continue
        # the name path the amount belongs to
        path = None
        while path_i < len(paths) and paths[path_i].end <= m.start():
            if paths[path_i].start >= cursor or path is None:
                path = paths[path_i]
            path_i += 1
        if path is not None and path.start < cursor and last_fig is not None:
            path = None
        share_m = SHARE_RE.match(s, m.end())
        share = parse_decimal(share_m.group("n")) if share_m else None
        if path is not None:
            lowest = max(path.names, key="类款项".index)
            measure = _LEVEL_MEASURE[lowest]
            names = {_LEVEL_FIELD[lv]: n for lv, n in path.names.items()}
            if "类" not in path.names and "款" in path.names and ctx.class_heading:
                # 1．党委办公厅（室）及相关机构事务（款）行政运行（项）支出… under the heading
                # （一）一般公共服务（类）: the 类 is printed once, on the heading line
                names["class_name"] = ctx.class_heading
            elif set(path.names) == {"类", "项"} and ctx.class_heading and _mislabelled_section(
                    path.names["类"], ctx.class_heading):
                # 1．行政事业单位离退休（类）未归口管理的行政单位离退休支出（项） under the heading
                # （二）社会保障和就业（类）: the 款 is printed with the label （类）
                names = {"class_name": ctx.class_heading, "section_name": path.names["类"],
                         "item_name": path.names["项"]}
            subject = path.names[lowest] if path.clean else path.raw
            code = _code_in(s[path.start:m.start()])
            fig = NarrativeFigure(ctx.source_file, sent.line_number, s, measure, amount, unit, ctx.entity_code,
                                  subject, names.get("class_name"), names.get("section_name"),
                                  names.get("item_name"), code, share, sent.section)
        else:
            label = clean_label(raw_label)
            if label in ("购置费", "购置经费", "费用") or (len(label) <= 1):
                prev_start = _last_delim(s, start - 1, 0) + 1
                label = clean_label(s[prev_start:start - 1]) + label if start > 0 else label
            measure = classify(label, share is not None, in_project_section, performance)
            if (measure == "other" and last_fig is not None and last_fig.measure == "initial_budget"
                    and DECIDED_RE.fullmatch(label)):
                # 年初预算为2.85万元，支出决算为0.39万元: the 决算 is the subject's own figure
                base = INITIAL_RE.split(last_fig.subject or "", maxsplit=1)[0]
                if base:
                    measure = classify(base, share is not None, in_project_section, performance)
                    label = base + label
            if measure == "initial_budget" and BARE_INITIAL_RE.fullmatch(label) and start > 0 and s[start - 1] in "：:":
                # (一)收入预算:2026年年初预算数14,770.62万元 (重庆 C023 p1): a budget's own figure under
                # the heading before the colon, not the budget a 决算 is compared with
                head = clean_label(s[_last_delim(s, start - 2, 0) + 1:start - 1])
                head_measure = classify(head, share is not None, in_project_section, performance)
                if head.endswith("预算") and head_measure not in ("other", "initial_budget"):
                    measure, label = head_measure, head
            if measure == "other" and share is not None and label.endswith("支出") and (
                    "功能分类" in s or "支出结构" in section):
                measure = "function_class"
            if measure != "other" and (CHANGE_LABEL_RE.search(raw_label) or REASON_RE.search(raw_label)):
                measure = "other"
            class_name = label if measure == "function_class" else None
            code = _code_in(raw_label) if measure == "function_class" else None
            fig = NarrativeFigure(ctx.source_file, sent.line_number, s, measure, amount, unit, ctx.entity_code,
                                  label or None, class_name, None, None, code, share, sent.section)
        placed.append((pos, fig))
        last_fig = fig
        cursor = share_m.end() if share_m else m.end()
    placed.sort(key=lambda pf: pf[0])
    figures = []
    for seq, (_, fig) in enumerate(placed):
        figures.append(_with_seq(fig, seq))
    return figures, yoy_out


def _class_key(name: str) -> str:
    name = strip_enum(name).strip()
    return name if name.endswith("支出") else name + "支出"


def _mislabelled_section(name: str, heading: str) -> bool:
    """A name labelled （类） under a 类 heading that is not that 类 and names no 类 at all."""
    return _class_key(name) != _class_key(heading) and _class_key(name) not in FUNCTION_CLASSES


def _with_seq(fig: NarrativeFigure, seq: int) -> NarrativeFigure:
    from dataclasses import replace

    return replace(fig, figure_seq=seq)


def _recent(ctx: SentenceContext, measure: str, subject: str) -> Optional[NarrativeFigure]:
    if measure == "other":
        return None
    for fig in reversed(ctx.recent):
        if fig.measure == measure and fig.entity_code == ctx.entity_code:
            return fig
    return None


def _yoy_record(sent: Sentence, ctx: SentenceContext, y: YoyMatch, target: Optional[NarrativeFigure],
                label: Optional[str], measure_if_none: str = "other") -> YoyChange:
    current = target.amount if target is not None else None
    unit = y.unit or (target.unit if target is not None else None)
    implied = None
    if current is not None and y.change is not None and (y.unit is None or target is None or y.unit == target.unit):
        implied = current - y.change
    return YoyChange(
        source_file=ctx.source_file,
        line_number=sent.line_number,
        sentence=sent.text,
        measure=target.measure if target is not None else measure_if_none,
        current_amount=current,
        change_amount=y.change,
        direction=y.direction,
        change_pct=y.pct,
        prior_year=y.prior_year,
        implied_prior_amount=implied,
        unit=unit,
        entity_code=ctx.entity_code,
        subject=(target.subject if target is not None else label) or label,
        reason=y.reason,
        class_name=target.class_name if target is not None else None,
        section_name=target.section_name if target is not None else None,
        item_name=target.item_name if target is not None else None,
    )


__all__ = ["parse_sentence", "SentenceContext", "classify", "find_paths", "class_only_path", "clean_label",
           "FUNCTION_CLASSES"]
