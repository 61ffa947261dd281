"""Document metadata: the budget entity (full and short name, printed code), fiscal year,
budget kind, place (province / city / county / adcode from the ``cpca`` gazetteer) and the
amount unit; plus the entities a document publishes (a department and its units).

The entity name is found where documents print it: before a year (``杜集区政府办2025年收支
总预算``), as a table cell (``434保定市莲池区人民政府办公室``, ``[103]淮北市…``,
``淮北市杜集区人民政府办公室003001``), after 实施主体 / 部门名称. The form the text uses most
is the short name; the full name is the longest printed form of which the short one is an
abbreviation (a character subsequence), prefixed with its city where the text prints that.
OCR variants (埭桥 for 埇桥) are folded onto the spelling the gazetteer knows.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..read import SourceDocument
from ..native.render import line_boxes_json
from ..records import BudgetEntity, DocumentMeta
from ..settings import ExtractSettings
from .sentences import Paragraph
from .text import CJK_RE, clean_line, compact, is_subsequence

ORG_SUFFIX = (
    "人民政府办公室", "办公室", "政府办", "委员会", "管委会", "办事处", "服务中心", "中心", "研究院", "事务所",
    "局", "委", "办", "院", "所", "站", "馆", "队", "处", "部", "厅", "署", "学校", "校", "园", "社",
    "协会", "联合会", "公司", "集团", "人民政府", "政府",
)
ORG_END_RE = re.compile("(?:" + "|".join(ORG_SUFFIX) + ")$")
LEADING_JUNK_RE = re.compile(r"^(?:现将|按照|根据|其中|截至|截止|从|由|经|对|在|为|是|和|及|与|我|本|该|全部|均)+")
YEAR_ANCHOR_RE = re.compile(r"([\u4e00-\u9fff]{2,40})(?=20\d{2}年)")
FIELD_RE = re.compile(r"(?:实施主体|实施单位|部门名称|单位名称|预算单位|主管部门)(?:及代码)?[。.:：]?\s*(\[?\d{0,9}\]?[\u4e00-\u9fff]{4,40}\d{0,9})")
CODE_CELL_RE = re.compile(r"^(?:\[(\d{2,9})\]|(\d{3,9}))([\u4e00-\u9fff][\u4e00-\u9fff（）()]{3,40})$|^([\u4e00-\u9fff]{4,40})(\d{3,9})$")
KIND_RE = re.compile(r"(?<!预算)(部门|单位)(?:（单位）|\(单位\))?(预算|决算)")  # not 各预算单位预算 (C009 line 2915)
YEAR_KIND_RE = re.compile(r"(20\d{2})年(?:度)?(?:部门|单位)(?:（单位）|\(单位\))?(?:预算|决算)|预算年度[:：](20\d{2})")
# a table header / cover line naming the entity: 部门:中共江苏省委办公厅, 编制单位：…
HEADER_FIELD_RE = re.compile(r"^(?:部门|单位|编制单位|编制部门|预算部门)[:：]([\u4e00-\u9fff（）()]{4,40})$")
# the Party prefix of a Party organ's name: 中共江苏省委办公厅 = 江苏省委办公厅
PARTY_PREFIX_RE = re.compile(r"^(?:中国共产党|中共)(?=[\u4e00-\u9fff]{2,})")
UNIT_PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分.{0,10}所属单位")
AMOUNT_UNIT_RE = re.compile(r"\d(万元|元)")
# compiled once: find_entities tries them on every short cell of a document (~1,300)
_CODE_AROUND_RE = re.compile(r"^\[?\d*\]?|\d+$")
_CJK_ONLY_RE = re.compile(r"[\u4e00-\u9fff]+")
_CJK_NAME_RE = re.compile(r"[\u4e00-\u9fff]{4,40}")


@dataclass
class EntityInfo:
    """What metadata found about the entities of a document."""

    name: Optional[str] = None  # full name
    short_name: Optional[str] = None
    code: Optional[str] = None
    name_line: Optional[int] = None
    name_raw: Optional[str] = None
    units: list[BudgetEntity] = field(default_factory=list)
    # (first line, entity_code) boundaries: a sentence on or after `first line` belongs to it
    spans: list[tuple[int, Optional[str]]] = field(default_factory=list)
    place: dict = field(default_factory=dict)


@lru_cache(maxsize=4096)
def _gazetteer(names: tuple[str, ...]) -> tuple[tuple, ...]:
    """cpca on a batch of strings → ((province, city, county, adcode, first_pos), …)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import cpca

        df = cpca.transform(list(names), pos_sensitive=True)
    out = []
    for row in df.itertuples(index=False):
        prov, city, county, _addr, adcode = row[0], row[1], row[2], row[3], row[4]
        poss = [int(p) for p in row[5:8] if _s(p) is not None and int(p) >= 0]
        out.append((_s(prov), _s(city), _s(county), _s(adcode), min(poss) if poss else -1))
    return tuple(out)


def _s(v) -> Optional[str]:
    if v is None:
        return None
    try:
        if v != v:  # NaN
            return None
    except Exception:
        return None
    s = str(v)
    return s or None


def gazetteer(names: list[str]) -> dict[str, tuple]:
    uniq = tuple(dict.fromkeys(n for n in names if n))
    if not uniq:
        return {}
    return dict(zip(uniq, _gazetteer(uniq)))


def _candidate_texts(doc: SourceDocument, paras: list[Paragraph]) -> list[tuple[int, str, str]]:
    """(line_number, text, source) to look for names in: prose paragraphs and short cells.

    Only short lines are split into cells: a name cell is short, and long lines are prose,
    already read as paragraphs.
    """
    out: list[tuple[int, str, str]] = [(p.line_number, p.text, "prose") for p in paras]
    for i, raw in enumerate(doc.lines):
        if len(raw) > 120 or not CJK_RE.search(raw):
            continue
        # cells are separated by runs of tabs / whitespace: str.split() gives the non-empty
        # pieces of re.split(r"\t+|\s+", line.strip()) (re's \s is str.isspace), without a regex
        for tok in clean_line(raw).split():
            if 4 <= len(tok) <= 50:
                out.append((i + 1, tok, "cell"))
    return out


def canonical_entity_name(name: Optional[str]) -> Optional[str]:
    """The canonical form of an entity name (the one ``DocumentMeta.entity_name`` carries).

    Rule: a Party organ is printed with or without its Party prefix — 中共江苏省委办公厅 on a
    table cover, 江苏省委办公厅 in the title of the same department's 情况说明 — so a leading
    ``中共`` / ``中国共产党`` is dropped: the canonical name starts at the place or body name.
    Whitespace is removed. No list of names is involved.
    """
    if not name:
        return name
    return PARTY_PREFIX_RE.sub("", compact(name))


def document_group(entity_name: Optional[str], fiscal_year: Optional[int], budget_kind: Optional[str]) -> Optional[str]:
    """Stable key of the disclosure a file belongs to: ``<canonical entity name>|<year>|<kind>``.

    Two files of one disclosure (Jiangsu prints the 情况说明 and the 公开表 as two PDFs) share
    it; None when any part is unknown (such a file is not grouped with anything).
    """
    name = canonical_entity_name(entity_name)
    if not name or not fiscal_year or not budget_kind:
        return None
    return f"{name}|{fiscal_year}|{budget_kind}"


def _trim(run: str, geo: dict[str, tuple]) -> str:
    g = geo.get(run)
    if g and g[4] > 0:
        return run[g[4]:]
    if not g or g[4] < 0:
        return LEADING_JUNK_RE.sub("", run)
    return run


@lru_cache(maxsize=16384)
def _cell_name(text: str) -> Optional[tuple[Optional[str], str]]:
    """(code, name) of a code + name cell (434保定市莲池区人民政府办公室), (None, name) of a name
    or header-field cell, None for any other cell.

    Pure, so memoised: the same labels repeat in every table of a document and across documents."""
    m = CODE_CELL_RE.match(text)
    if m:
        code = m.group(1) or m.group(2) or m.group(5)
        name = m.group(3) or m.group(4)
        return None if len(code) == 4 and code.startswith("20") else (code, name)  # 2023年… is a year
    if _CJK_NAME_RE.fullmatch(text) and ORG_END_RE.search(text):
        return None, text
    if (h := HEADER_FIELD_RE.match(text)):
        return None, h.group(1)
    return None


def find_entities(doc: SourceDocument, paras: list[Paragraph]) -> EntityInfo:
    texts = _candidate_texts(doc, paras)
    raw_runs: list[tuple[str, int, str, bool]] = []  # (run, line, raw text, in prose)
    codes: list[tuple[str, str, int, str]] = []  # (code, name, line, raw)
    for ln, text, source in texts:
        if source == "prose":
            for m in YEAR_ANCHOR_RE.finditer(text):
                run = m.group(1)
                # 北京市教育委员会部门 2026 年度部门预算 (北京 C006 / C008 covers): the name before 部门
                if run.endswith(("部门", "单位")) and ORG_END_RE.search(run[:-2]):
                    run = run[:-2]
                raw_runs.append((run, ln, text, True))
            for m in FIELD_RE.finditer(text):
                raw_runs.append((_CODE_AROUND_RE.sub("", m.group(1)), ln, text, True))
            body = text.rstrip("。.")
            if 4 <= len(body) <= 40 and _CJK_ONLY_RE.fullmatch(body):
                raw_runs.append((body, ln, text, True))
        else:
            hit = _cell_name(text)
            if hit is not None:
                code, name = hit
                if code is not None:
                    codes.append((code, name, ln, text))
                raw_runs.append((name, ln, text, False))
    runs = [r for r in raw_runs if ORG_END_RE.search(r[0])]
    code_names = [c[1] for c in codes]
    geo = gazetteer([r[0] for r in runs] + code_names)
    info = EntityInfo()
    counted: Counter = Counter()
    in_prose: Counter = Counter()
    first_seen: dict[str, tuple[int, str]] = {}
    for run, ln, raw, prose in runs:
        name = canonical_entity_name(_trim(run, geo))
        if len(name) < 3 or not ORG_END_RE.search(name):
            continue
        counted[name] += 1
        in_prose[name] += prose
        if name not in first_seen or ln < first_seen[name][0]:
            first_seen[name] = (ln, raw)
    if not counted:
        return info
    geo2 = gazetteer(list(counted))
    canon = _fold_ocr_variants(counted, geo2)
    merged: Counter = Counter()
    merged_prose: Counter = Counter()
    for name, n in counted.items():
        merged[canon.get(name, name)] += n
        merged_prose[canon.get(name, name)] += in_prose[name]
    for name in list(first_seen):
        c = canon.get(name, name)
        if c not in first_seen:
            first_seen[c] = first_seen[name]
    placed = [n for n in merged if geo2.get(n, (None,) * 5)[3] or (n in geo2 and geo2[n][2])]
    pool = placed or list(merged)
    # the form the prose uses most (cells repeat the full name in every table header)
    used = max(pool, key=lambda n: (merged_prose[n], merged[n], len(n)))
    # a fuller form of that name (the city prefixed, a word the prose leaves out), never a unit
    # under it: 西安市人力资源和社会保障局信息中心 is a unit of …社会保障局 (C054), not its full name
    full_candidates = [n for n in merged
                       if n == used or (is_subsequence(used, n) and (n[-1] == used[-1] or _same_place(n, used, geo2))
                                        and not _is_unit_of(n, used))]
    full = max(full_candidates, key=lambda n: (len(n), merged[n]))
    place = geo2.get(full) or geo2.get(used) or (None,) * 5
    # prefix the city (and province) when the text prints the longer form
    alltext = "\n".join(doc.lines)
    for prefix in filter(None, (place[1], (place[0] or "") + (place[1] or ""))):
        if not full.startswith(prefix) and (prefix + full) in alltext:
            full = prefix + full
    info.name = full
    info.short_name = used if used != full else None
    info.place = {"province": place[0], "city": place[1], "county": place[2], "adcode": place[3]}
    ln_raw = first_seen.get(full) or first_seen.get(used)
    if ln_raw:
        info.name_line, info.name_raw = ln_raw
    # printed codes
    code_counts: Counter = Counter()
    code_line: dict[str, tuple[int, str, str]] = {}
    for code, name, ln, raw in codes:
        cname = canon.get(name, name)
        code_counts[(code, cname)] += 1
        code_line.setdefault(code, (ln, raw, cname))
    primary_codes = [(c, n) for (c, n) in code_counts if n in (full, used) or full.endswith(n) or n.endswith(used)]
    if primary_codes:
        info.code = max(primary_codes, key=lambda cn: (code_counts[cn], -len(cn[0])))[0]
    if info.code:
        for (c, n) in code_counts:
            if c != info.code and c.startswith(info.code) and (c, n) not in [(u.entity_code, u.entity_name) for u in info.units]:
                ln, raw, _ = code_line[c]
                info.units.append(BudgetEntity(doc.source_file, c, n, "unit", False, info.code, ln, raw))
    info.spans = _entity_spans(doc, info)
    return info


def _is_unit_of(name: str, department: str) -> bool:
    """``name`` is a unit printed under ``department``: the department's name followed by a name
    of its own (…社会保障局信息中心, …局机关服务中心)."""
    return (len(name) > len(department) and name.startswith(department)
            and bool(ORG_END_RE.search(name[len(department):])))


def _same_place(a: str, b: str, geo: dict[str, tuple]) -> bool:
    ga, gb = geo.get(a), geo.get(b)
    return bool(ga and gb and ga[3] and ga[3] == gb[3])


def _fold_ocr_variants(counted: Counter, geo: dict[str, tuple]) -> dict[str, str]:
    """Map names that differ by one character from a gazetteer-known name onto it (埭桥→埇桥)."""
    known = [n for n in counted if geo.get(n, (None,) * 5)[3]]
    unknown = [n for n in counted if not geo.get(n, (None,) * 5)[3]]
    out: dict[str, str] = {}
    by_len: dict[int, list[str]] = {}
    for k in known:
        by_len.setdefault(len(k), []).append(k)
    for u in unknown:
        for k in by_len.get(len(u), []):
            if sum(1 for x, y in zip(u, k) if x != y) == 1:
                out[u] = k
                break
    return out


def _entity_spans(doc: SourceDocument, info: EntityInfo) -> list[tuple[int, Optional[str]]]:
    """Where in the document each entity's part begins (department first, then its units)."""
    spans: list[tuple[int, Optional[str]]] = [(1, None)]
    if not info.units:
        return spans
    in_units = False
    by_name = sorted(info.units, key=lambda u: -len(u.entity_name))
    current = None
    for i, raw in enumerate(doc.lines):
        if raw.startswith("\t"):
            continue
        s = compact(clean_line(raw))
        if not s:
            continue
        if not in_units and UNIT_PART_RE.match(s):
            in_units = True
            current = info.units[0].entity_code
            spans.append((i + 1, current))
            continue
        if in_units:
            for u in by_name:
                if u.entity_name in s and u.entity_code != current:
                    current = u.entity_code
                    spans.append((i + 1, current))
                    break
    return spans


def entity_code_at(spans: list[tuple[int, Optional[str]]], line_number: int) -> Optional[str]:
    code = None
    for start, c in spans:
        if start <= line_number:
            code = c
        else:
            break
    return code


_YEAR_LINE_RE = re.compile(r"^[（(]\s*(20\d{2})\s*年度?\s*[)）]$")


def fiscal_year_and_kind(paras: list[Paragraph], lines: list[str]) -> tuple[Optional[int], Optional[str]]:
    years: Counter = Counter()
    kind: Optional[str] = None
    texts = [p.text for p in paras] + [compact(ln) for ln in lines if ln.startswith("\t") and "预算年度" in ln]
    for t in texts:
        for m in YEAR_KIND_RE.finditer(t):
            years[int(m.group(1) or m.group(2))] += 1
    for t in (compact(clean_line(ln)) for ln in lines):
        m = KIND_RE.search(t)
        if m:
            kind = m.group(1) + m.group(2)
            break
    year = max(years, key=lambda y: (years[y], y)) if years else None
    if year is None:
        loose: Counter = Counter()
        for p in paras:
            for m in re.finditer(r"(20\d{2})年(?:度)?[\u4e00-\u9fff]{0,8}?预算", p.text):
                loose[int(m.group(1))] += 1
        if loose:
            year = max(loose, key=lambda y: (loose[y], y))
    if year is None:
        # a tables-only file (北京 预算01表 … 预算14表, C009): the year only under a table's
        # title, as a line of its own: （2026年度）
        own: Counter = Counter()
        for ln in lines:
            m = _YEAR_LINE_RE.match(compact(clean_line(ln)))
            if m:
                own[int(m.group(1))] += 1
        if own:
            year = max(own, key=lambda y: (own[y], y))
    return year, kind


def amount_unit(paras: list[Paragraph], default: str) -> str:
    c: Counter = Counter()
    for p in paras:
        for m in AMOUNT_UNIT_RE.finditer(p.text):
            c[m.group(1)] += 1
    if not c:
        return default
    return c.most_common(1)[0][0]


def build_meta(doc: SourceDocument, settings: ExtractSettings, paras: list[Paragraph],
               info: EntityInfo) -> DocumentMeta:
    year, kind = fiscal_year_and_kind(paras, doc.lines)
    return DocumentMeta(
        source_file=doc.source_file,
        content_hash=doc.content_hash,
        dialect=doc.dialect,
        n_lines=len(doc.lines),
        entity_name=info.name,
        entity_short_name=info.short_name,
        entity_code=info.code,
        fiscal_year=year,
        budget_kind=kind,
        province=info.place.get("province"),
        city=info.place.get("city"),
        county=info.place.get("county"),
        adcode=info.place.get("adcode"),
        amount_unit=amount_unit(paras, settings.narrative_unit),
        n_pages=getattr(doc, "n_pages", None),
        document_group=document_group(info.name, year, kind),
        line_boxes=line_boxes_json(getattr(doc, "line_pages", None)),
        pdf_reader=getattr(doc, "pdf_reader", None),
    )


def primary_entity(doc: SourceDocument, meta: DocumentMeta, info: EntityInfo) -> Optional[BudgetEntity]:
    if not meta.entity_name:
        return None
    scope = "unit" if (meta.budget_kind or "").startswith("单位") else "department"
    return BudgetEntity(doc.source_file, meta.entity_code, meta.entity_name, scope, True, None,
                        info.name_line, info.name_raw)
