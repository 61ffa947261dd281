"""Table extraction: blocks → segment → classify → parse (→ performance) → records.

``extract_tables(doc, settings)`` reads the document's text dialect into an item stream
(:mod:`extractors.blocks`), cuts it into tables at printed titles (:func:`segment`), assigns
each a kind (:mod:`.classify`), parses its rows (:mod:`.parse`) or its project and indicators
(:mod:`.performance`), and tags every record with the entity whose header it was printed
under. Problems become LoadError rows; nothing is dropped silently. Linear in the lines.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Optional

from ..blocks import Item, items_for, squash
from ..errors import ExtractionError
from ..read import SourceDocument
from ..records import BudgetEntity, DocumentExtraction, LoadError, Project, TableRecord
from ..settings import AMOUNT_UNITS, ExtractSettings
from .classify import classify_title, is_final_account_title, looks_like_title
from .closure import CLOSING_KINDS, reading_of
from .readings import differences_of, read_twice
from .continued import join_broken_rows, merge_continued
from .names import partly_coded_by_name
from .parse import FUNCTIONAL_NAME_KINDS, _period, parse_table
from .performance import LEVEL_WORDS, PROJECT_NAME_LABELS, is_level2_piece, lists_projects_by_row, parse_performance_grid, parse_performance_lines, split_department
from .performance_lines import LINE_HEAD_WORDS, indicator_lines_table, parse_indicator_lines
from .performance_packed import row_indicators

__all__ = ["extract_tables", "segment", "RawTable"]

_ENTITY_HEADER = re.compile(r"^(\d{3,12})\s*([\u4e00-\u9fff][^\d：:]{3,60})$")
_UNIT_RE = re.compile(r"(?:单位|金额单位)\s*[：:]\s*(万元|元)")
_META_RE = re.compile(r"^(?:预算年度|部门名称|单位名称|截止时间|编制单位|编制部门|部门\s*[：:]|单位\s*[：:]|金额单位|[（(]\s*(?:19|20)\d{2}\s*年度?\s*[)）]$|(?:公开|预算|附)?表\s*[\d一二三四五六七八九十]+(?:[-－]\d+)?$|附表|资金主管部门\s*[：:]|\d{3,12}\s*[-－—]\s*[\u4e00-\u9fff][^：:。，,]*?(?:单位\s*[：:]\s*)?(?:万元|元)?$)")
_HEADING_RE = re.compile(r"^\s*(?:\d+(?:[.．](?!\d)|、)|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_MAX_TEXT_COPY_LINES = 400
_AMOUNT_CELL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$|^-?\d{1,3}(?:,\d{3})+$")


@dataclass
class RawTable:
    title: str
    title_line: int
    items: list[Item] = field(default_factory=list)  # grid rows of the table
    text_items: list[Item] = field(default_factory=list)  # prose body (pdftotext / text copies)
    unit: Optional[str] = None
    entity_code: Optional[str] = None
    note: Optional[str] = None
    note_line: Optional[int] = None
    last_line: int = 0
    titled: bool = True
    starts_form: bool = False  # a 绩效目标 form of its own under the previous form's title: no continuation

    @property
    def rows(self):
        return [it.cells for it in self.items]


# a line of two or more short words (收入 支出, 项目 金额): column headings, not a sentence or a title
_HEADER_WORDS_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{1,8}(?:[ \t\u3000]+[\u4e00-\u9fff（）()]{1,8})+$")


# a targets form of a department or of its special funds as a whole, not of one project
_WHOLE_TARGETS = re.compile(r"整体|总体")

def _entity_header(text: str):
    """An entity code + name header cell (101001 某某局), not a year heading read as one
    (2025年预算数: 2025 + 年预算数)."""
    m = _ENTITY_HEADER.match(text)
    return m if m and "预算" not in m.group(2) and not m.group(2).startswith("年") else None


def _single_text(it: Item, nonempty: list[str]) -> Optional[str]:
    """The text of a prose line, or of a row with one non-empty cell (``nonempty`` = it.nonempty())."""
    if not it.is_row:
        return it.text
    return nonempty[0] if len(nonempty) == 1 else None


def _unit_of(squashed: list[str]) -> Optional[str]:
    """The unit printed by the first cell naming one (单位：万元), else None.

    Fast path: _UNIT_RE needs a literal 单位, so a cell without it cannot match (exact)."""
    return next((u.group(1) for t in squashed if "单位" in t and (u := _UNIT_RE.search(t))), None)


def segment(items: list[Item], settings: ExtractSettings, dialect: str = "docx_text") -> tuple[list[RawTable], list[tuple[str, int, str]]]:
    """Cut an item stream into tables. Returns (tables, entity headers (code, line, name))."""
    tables: list[RawTable] = []
    entities: list[tuple[str, int, str]] = []
    cur: Optional[RawTable] = None
    entity: Optional[str] = None
    last_prose: Optional[tuple[int, str]] = None
    in_note = False

    def close():
        nonlocal cur, in_note
        if cur is not None:
            tables.append(cur)
        cur = None
        in_note = False

    contents_page: Optional[int] = None  # the page of a 目录: the titles it lists head no table
    for it in items:
        texts = it.nonempty()
        single = _single_text(it, texts)
        if single is not None and it.page is not None and not it.is_row and _is_contents_heading(single):
            contents_page = it.page
        if single is not None and looks_like_title(single) and not (it.page is not None and it.page == contents_page):
            close()
            cur = RawTable(title=single, title_line=it.line_number, entity_code=entity, last_line=it.line_number)
            continue
        # header meta lines: entity code + name, unit, year (one cell each, or one row)
        squashed = [squash(t) for t in texts]  # once per item: the checks below all read it
        ent_hits = []
        if cur is not None and not cur.items and it.is_row:
            ent_hits = [m for t in squashed if (m := _entity_header(t))]
            for m in ent_hits:
                entity = m.group(1)
                entities.append((entity, it.line_number, m.group(2)))
                cur.entity_code = entity
        unit_hit = _unit_of(squashed)
        # in a row, an entity header cell, not a column group naming a year (2024年“三公”经费预算数 |
        # 2024年机关运行经费预算数 over C090 p31's columns: 2024 + 年…, was skipped and the groups' words
        # lost); a prose line of the kind between a title and its grid (2026年预算数, C036 p16) stays meta
        entity_cell = _entity_header if it.is_row else _ENTITY_HEADER.match
        is_meta = all(_META_RE.match(t) or entity_cell(t) for t in squashed) if squashed else False
        if is_meta and it.is_row and len(squashed) >= 2 and all(_period(t) for t in squashed):
            # 2025年预算数 | 2026年预算数 over a table's column groups (C064 p18): a header row of
            # periods, not entity header lines (2025 + 年预算数) to skip
            is_meta = False
        if ent_hits and is_meta:
            if unit_hit and cur.unit is None:
                cur.unit = unit_hit
            cur.last_line = it.line_number
            continue
        if cur is not None and (unit_hit or is_meta) and not cur.note:
            if unit_hit and cur.unit is None:
                cur.unit = unit_hit
            cur.last_line = it.line_number
            if not it.is_row or is_meta:
                continue
        if it.is_row:
            if not texts and cur is None:
                continue
            if cur is not None and cur.items and _starts_form(squashed) \
                    and classify_title(cur.title) == "performance_targets" \
                    and any(squash(t) in ("一级指标", "三级指标", "指标名称") for r in cur.items for t in r.nonempty()):
                # the next project's form under the same title (西安 C054 p52: 专项（项目）名称 社保大厦物业费
                # after the first form's indicator lines): a table of its own
                title = cur.title
                close()
                cur = RawTable(title=title, title_line=it.line_number, entity_code=entity, starts_form=True)
            if cur is None or cur.note is not None:
                close()
                title = last_prose[1] if last_prose and it.line_number - last_prose[0] <= settings.max_title_distance_lines else ""
                cur = RawTable(title=title, title_line=it.line_number, entity_code=entity, titled=False)
            cur.items.append(it)
            cur.last_line = it.line_number
            in_note = False
            if len(cur.items) == 1 and _starts_form(squashed) and classify_title(cur.title) == "performance_targets":
                # a form under a title printed again over each project (重庆 C021 pp31-33: 2026 年市级重点专项
                # 资金绩效目标表（一级项目）, 项目名称 | 重庆市水利专项资金 …): a table of its own, no continuation
                cur.starts_form = True
            continue
        # prose
        text = it.text or ""
        if cur is not None:
            st = squash(text)
            if st.startswith("注") and (cur.items or cur.note is None):
                cur.note = (cur.note + text) if cur.note else text
                cur.note_line = cur.note_line or it.line_number
                cur.last_line = it.line_number
                in_note = True
                continue
            if in_note and not it.blank_before and not _HEADING_RE.match(text) and not looks_like_title(text):
                cur.note += text
                cur.last_line = it.line_number
                continue
            if not cur.items and (dialect == "pdftotext" or classify_title(cur.title) == "performance_targets") \
                    and len(cur.text_items) < (_MAX_TEXT_COPY_LINES * 10 if dialect == "pdftotext" else _MAX_TEXT_COPY_LINES) \
                    and not _HEADING_RE.match(text):
                cur.text_items.append(it)
                cur.last_line = it.line_number
                continue
            if cur.items and (_VERTICAL_LETTERS.fullmatch(st) or st in LEVEL_WORDS or is_level2_piece(st)) \
                    and classify_title(cur.title) == "performance_targets":
                # 绩/效/指/标 printed one letter a line down a form's side (西安 C054 pp50-53), a level's
                # words left outside the grid's cells by a page break (质量指标 / 产出指标, C056 p34): no
                # prose between two tables (nor a piece of one wrapped: 社会效益 / 指标, C056 p36), and the
                # last one (标) no title of the grid under it
                cur.last_line = it.line_number
                continue
            if not cur.items and cur.titled and _HEADER_WORDS_LINE.match(text.strip()) \
                    and not _HEADING_RE.match(text) and not looks_like_title(text):
                # 收入 | 支出, the top row of a header printed as a line of words between the title
                # and a grid that starts on the next page (江苏 C085 p10–11): the title's table
                # goes on, the line is not the next grid's title
                cur.last_line = it.line_number
                continue
            close()
        if _META_RE.match(squash(text)) or _unit_of([squash(text)]):
            # 资金主管部门：重庆市气象局 单位：万元 between a title and its grid is no title (C023 p22)
            continue
        last_prose = (it.line_number, text)
    close()
    return tables, entities


def _starts_form(squashed: list[str]) -> bool:
    """Is this line a 绩效目标 form's first line (项目名称 | <its name> …), not a header row naming the
    project column (项目名称 | 项目总额 | …, 北京 C009)?"""
    return len(squashed) >= 2 and squashed[0] in PROJECT_NAME_LABELS and squashed[1] not in LINE_HEAD_WORDS


_VERTICAL_LETTERS = re.compile(r"[\u4e00-\u9fff]{1,2}")


def _is_contents_heading(text: str) -> bool:
    """The heading of a table of contents (目录 / 目  录), whose lines name tables printed later."""
    return squash(text or "") == "目录"


def _is_caption(text: str) -> bool:
    """Can this prose line caption an untitled grid (部门机构设置情况), or is it a sentence?"""
    t = squash(text or "")
    return bool(t) and len(t) <= 30 and not re.search(r"[。；;，,：:]", t)


def _has_amounts(rt: RawTable) -> bool:
    """Does any cell after a row's first one print an amount (1,623.35 / 0.39 / 615)?"""
    return any(_AMOUNT_CELL.match(squash(c)) for it in rt.items for c in it.nonempty()[1:])


def _with_entity(rec, entity: Optional[str]):
    """A frozen record (Project, PerformanceIndicator) carrying ``entity_code=entity``.

    Fast path (exact): the parsers already tag nearly every record with the entity, and a
    frozen record equal in every field is the same value, so it is returned as is instead
    of being copied by dataclasses.replace (~100 indicators a document)."""
    return rec if rec.entity_code == entity else replace(rec, entity_code=entity)


def _signature(rt: RawTable) -> str:
    h = hashlib.sha1()
    for it in rt.items:
        h.update(it.raw().encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _page_bbox(rt: RawTable) -> tuple[Optional[int], Optional[str]]:
    """First page of a table and the bbox of its cells on that page (native PDF items only)."""
    cells = [c for it in rt.items for c in (it.cells or []) if c.page is not None]
    if not cells:
        return None, None
    page = cells[0].page
    boxes = [c.bbox for c in cells if c.page == page and c.bbox]
    if not boxes:
        return page, None
    x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return page, f"{x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}"


def _reading(closure, readings: Optional[str]) -> Optional[str]:
    """certain | uncertain: by the table's own checksums, and uncertain whenever its two readings
    differ and neither closes (extractors.tables.arbiter)."""
    if readings == "differ":
        return "uncertain"
    return None if closure is None else reading_of(closure)


def extract_tables(doc: SourceDocument, settings: ExtractSettings) -> DocumentExtraction:
    out = _extract_tables(doc, settings)
    if settings.functional_codes_by_name and partly_coded_by_name(out.table_rows, out.tables, FUNCTIONAL_NAME_KINDS):
        out = _extract_tables(doc, replace(settings, functional_codes_by_name=False))
    return out


def _extract_tables(doc: SourceDocument, settings: ExtractSettings) -> DocumentExtraction:
    src = doc.source_file
    out = DocumentExtraction(document=None)
    try:
        # native readers (extractors.native) hand over pre-built items carrying page/bbox
        items = getattr(doc, "items", None)
        if items is None:
            items = items_for(doc.dialect, doc.lines)
    except ExtractionError:
        raise
    except (ValueError, TypeError, IndexError) as exc:  # pragma: no cover - defensive
        raise ExtractionError(src, "blocks", f"cannot split the text into blocks: {exc}") from exc
    raw_tables, headers = segment(items, settings, doc.dialect)
    raw_tables = join_broken_rows(merge_continued(raw_tables))

    # entities printed in table headers: the first code is the department, longer codes
    # extending it are its units
    seen_codes: dict[str, BudgetEntity] = {}
    primary: Optional[str] = None
    for code, line, name in headers:
        if code in seen_codes:
            continue
        parent = next((c for c in seen_codes if code.startswith(c) and len(code) > len(c)), None)
        if primary is None:
            primary = code
            ent = BudgetEntity(src, code, name, "department", True, None, line, f"{code}{name}")
        else:
            ent = BudgetEntity(src, code, name, "unit" if parent else "department", False, parent, line,
                               f"{code}{name}")
        seen_codes[code] = ent

    perf_by_name: dict[tuple, int] = {}
    sig_by_key: dict[tuple, int] = {}
    table_id = 0
    for rt in raw_tables:
        table_id += 1
        kind = classify_title(rt.title)
        if not rt.items and not rt.text_items and not rt.note:
            table_id -= 1  # a title-like line with no grid under it is a heading, not a table
            continue
        if kind == "unknown" and not rt.titled and not _is_caption(rt.title) and not _has_amounts(rt):
            # a grid printed in the prose under no title (the line above it is a sentence:
            # 纳入…编制范围的单位包括：) holding no amount: a list, not a budget table
            table_id -= 1
            continue
        unit = rt.unit
        parsed = None
        verdict = None  # the arbiter's, for a parsed grid (extractors.tables.readings)
        n_rows = 0
        is_empty = False
        dup_of: Optional[int] = None
        entity = rt.entity_code
        line_start = rt.title_line
        line_end = rt.last_line
        if kind == "unknown":
            out.load_errors.append(LoadError(
                src, "classify", f"table {rt.title!r} (line {rt.title_line}) not recognised; kept as 'unknown'",
                "warning", rt.title_line))
        by_row = kind == "performance_targets" and bool(rt.items) and \
            lists_projects_by_row([[c.text for c in r] for r in rt.rows])
        by_line = kind == "performance_targets" and bool(rt.items) and not by_row and \
            indicator_lines_table(rt.rows)
        if by_line:
            # one line per indicator, the project named in a column (北京 C009 预算12表, 长沙 C042)
            line_projects, inds = parse_indicator_lines(
                rt.rows, *by_line, source_file=src, table_id=table_id, unit=unit or settings.default_unit,
                entity_code=entity)
            known = {p.project_name for p in line_projects if (entity, p.project_name) in perf_by_name}
            for p in line_projects:
                if p.project_name not in known:
                    perf_by_name[(entity, p.project_name)] = table_id
                    out.projects.append(_with_entity(p, entity))
            out.performance_indicators.extend(_with_entity(i, entity) for i in inds if i.project_name not in known)
        elif kind == "performance_targets" and not by_row:
            if rt.items:
                project, inds, problems = parse_performance_grid(
                    rt.rows, source_file=src, table_id=table_id, unit=unit or settings.default_unit,
                    entity_code=entity, title_line=rt.title_line, title=rt.title)
            else:
                project, inds, problems = parse_performance_lines(
                    rt.text_items, source_file=src, table_id=table_id, unit=unit or settings.default_unit,
                    entity_code=entity, title=rt.title)
            if project is None:
                # a second printed copy whose cells cannot be read: match an earlier project
                # by its name printed on a line of the copy
                lines = {squash(it.text or "") for it in rt.text_items} | {
                    squash(t) for it in rt.items for t in it.nonempty()}
                for (ent_key, pname), tid in perf_by_name.items():
                    if (entity is None or ent_key == entity) and squash(pname) in lines:
                        dup_of = tid
                        entity = ent_key
                        problems = []
                        break
            else:
                dept_code = project.entity_code
                if dept_code and entity is None:
                    entity = dept_code
                    if dept_code not in seen_codes:
                        seen_codes[dept_code] = BudgetEntity(
                            src, dept_code, project.department or project.implementing_unit or "",
                            "department", primary is None, None, project.line_number,
                            project.department)
                        primary = primary or dept_code
                key = (entity, project.project_name)
                if key in perf_by_name:
                    dup_of = perf_by_name[key]
                else:
                    perf_by_name[key] = table_id
            if dup_of is None:
                # a department's or its special funds' targets as a whole (部门整体支出绩效目标表,
                # 专项资金整体 / 总体绩效目标表) are its indicators, not a project's: the name the form
                # prints is the department's (C056 p39), its amount the department's total
                if project is not None and not _WHOLE_TARGETS.search(squash(rt.title or "")):
                    out.projects.append(_with_entity(project, entity))
                out.performance_indicators.extend(_with_entity(i, entity) for i in inds)
                for p in problems:
                    out.load_errors.append(LoadError(src, "parse", p, "warning", rt.title_line))
            n_rows = len(inds)
            is_empty = project is None and not inds and dup_of is None
            unit = unit or (project.unit if project else None)
        elif rt.items:
            verdict = read_twice(rt.rows, getattr(doc, "page_chars", None), source_file=src, table_id=table_id,
                                 kind=kind, unit=unit or settings.default_unit, entity_code=entity,
                                 settings=settings)
            rows, amounts, problems = verdict.chosen.rows, verdict.chosen.amounts, verdict.chosen.problems
            parsed = (rows, amounts)
            key = (kind, entity, squash(rt.title), _signature(rt))
            if rows and key in sig_by_key:
                dup_of = sig_by_key[key]
            else:
                sig_by_key[key] = table_id
            if dup_of is None:
                out.table_rows.extend(rows)
                out.table_amounts.extend(amounts)
                out.reading_differences.extend(differences_of(verdict, src, table_id))
                for p in problems:
                    out.load_errors.append(LoadError(src, "parse", p, "warning", rt.title_line))
                if kind == "project_expenditure" or by_row:
                    with_figures = {a.row_number for a in amounts if a.amount is not None}
                    for r in rows:
                        # a 绩效目标表 line is a project where it prints its targets (not 合计, not a
                        # unit's subtotal line); a line of a 项目支出 table by economic class
                        # ([30201]办公费) is a class, not a project; a project table's line printing
                        # no figure is not one either (a unit's name wrapped over the page break,
                        # …（水上 / 治安分局）, C035 p33)
                        if (r.row_kind == "detail" and r.name and (not by_row or r.text_cells)
                                and r.code_system != "economic"
                                and (by_row or r.row_number in with_figures)):
                            amt = next((a for a in amounts if a.row_number == r.row_number and a.column_key == "total"), None)
                            out.projects.append(Project(src, r.name, amt.amount if amt else None, unit or settings.default_unit,
                                                        "performance_table" if by_row else "table",
                                                        r.line_number, r.raw_text, entity, r.code,
                                                        table_id=table_id))
                            if by_row:
                                out.performance_indicators.extend(
                                    row_indicators(r, source_file=src, table_id=table_id, entity_code=entity))
            n_rows = len(rows)
            is_empty = not rows or (kind not in settings.text_table_kinds and all(a.amount is None for a in amounts))
        else:
            is_empty = True
        if rt.note and any(m in rt.note for m in settings.empty_table_markers) and n_rows and not is_empty:
            out.load_errors.append(LoadError(
                src, "parse", f"table {rt.title!r}: note says empty ({rt.note.strip()[:40]}) but {n_rows} rows "
                f"are printed; rows kept", "warning", rt.note_line))
        if unit is None and doc.dialect != "pdftotext" and kind not in ("performance_targets", "unit_composition"):
            unit = None
        page, bbox = _page_bbox(rt)
        closure = None
        if kind in CLOSING_KINDS and parsed is not None and not is_empty and dup_of is None:
            closure = verdict.chosen.closure  # computed by read_twice for every closing kind with rows
        readings = verdict.agreement if parsed is not None and dup_of is None and not is_empty else None
        out.tables.append(TableRecord(
            source_file=src, table_id=table_id, table_kind=kind, title=rt.title, entity_code=entity,
            unit=unit if unit in AMOUNT_UNITS else None, line_start=line_start, line_end=line_end,
            page=page, is_empty=is_empty, note=rt.note, n_rows=n_rows, is_duplicate_copy=dup_of is not None,
            duplicate_of_table_id=dup_of, bbox=bbox, is_final_account=is_final_account_title(rt.title),
            closure_status=None if closure is None else closure.status,
            n_checks=None if closure is None else closure.n_checks,
            n_check_failures=None if closure is None else len(closure.failures),
            reading=_reading(closure, readings),
            readings=readings, chosen_reading=verdict.chosen.name if readings else None,
            n_reading_cells=verdict.n_compared if readings else None,
            n_reading_differences=len(verdict.differences) if readings else None))
    out.entities.extend(seen_codes.values())
    return out
