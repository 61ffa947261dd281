"""The findings report: a static HTML site a person can check the warehouse's findings with.

    <warehouse dir>/report/index.html        every document, its findings by status, every finding
                                             to check (fail, unverified, incomplete, rounding) linked
                                             to its place on the document's page
    <warehouse dir>/report/<document>.html   per document: its entities, year, totals, a chart of
                                             spending by 类 (inline SVG), every finding with its rule
                                             in Chinese and English, the two figures and the evidence
    <warehouse dir>/report/crops/*.png       the printed lines of a PDF finding, cut from the page

The evidence of a finding is its source_ref (``file[:p<page>]:<line>``; a message naming
``(line N)`` adds that line): for a PDF the printed lines rendered from the page (pypdfium2) and
cut by the box staging.documents.line_boxes records for the line, the line highlighted, with one
line above and below; for a text, DOCX or XLSX document the lines themselves, read again from
the raw dir (a table row of one-cell-per-line text runs to the next row). A file that is gone or
whose bytes changed since it was loaded gets a note instead. No JavaScript, no web fonts, no
CDN: the pages work from the file system, offline. Built by ``make report`` /
``budget-warehouse report`` and at the end of every ``make run`` (dagster_project/run.py).
"""
from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import quote

# statuses shown with their evidence, in this order; pass and not_applicable are listed in a table
CHECK_STATUSES = ("fail", "unverified", "incomplete", "rounding")
LISTED_STATUSES = ("pass", "not_applicable")


@dataclass(frozen=True)
class ReportSettings:
    crop_scale: float = 2.0  # pixels per PDF point of a crop (144 dpi)
    crop_pad_pt: float = 4.0  # around the lines of a crop
    context_lines: int = 1  # lines shown above and below the evidence line
    max_row_lines: int = 12  # a table row of one-cell-per-line text shows at most this many lines
    max_listed: int = 2000  # pass / not_applicable findings listed per document page


DEFAULT_SETTINGS = ReportSettings()


@dataclass
class Evidence:
    source_file: str
    line: int
    page: Optional[int] = None
    lines: list = field(default_factory=list)  # (line number, text, is the evidence line)
    crop: Optional[str] = None  # path relative to the report folder
    note: Optional[str] = None


@dataclass
class ReportResult:
    out_dir: Path
    index: Path
    pages: dict  # page source_file → Path
    n_findings: int
    n_crops: int


def default_out_dir(warehouse: Path) -> Path:
    return Path(warehouse).resolve().parent / "report"


# ---------------------------------------------------------------------------------------- pure

_REF = re.compile(r"^(?P<file>.+?)(?::p(?P<page>\d+))?:(?P<line>\d+)$")
_MESSAGE_LINE = re.compile(r"\(line (\d+)\)")


def parse_ref(ref: Optional[str]) -> Optional[tuple[str, Optional[int], int]]:
    """'file:p7:83' → ('file', 7, 83); 'file:61' → ('file', None, 61); anything else → None."""
    m = _REF.match(ref or "")
    if not m:
        return None
    return m["file"], int(m["page"]) if m["page"] else None, int(m["line"])


def message_lines(message: Optional[str]) -> list[int]:
    """Other lines a message names: '… (line 140)' → [140]."""
    return [int(x) for x in _MESSAGE_LINE.findall(message or "")]


def fmt_amount(v) -> str:
    """A figure in 万元 as a reader writes it: thousands separated, two decimals, more only where
    the figure has them (87.3617 from a document in 元); '—' for none."""
    if v is None:
        return "—"
    d = Decimal(str(v))
    frac = format(d.normalize(), "f").partition(".")[2]
    return f"{d:,.{max(2, len(frac))}f}"


def page_name(source_file: str) -> str:
    """The page of a document: its name with anything but letters, digits, '.', '-' and '_'
    replaced, and a short hash so two names never meet."""
    import hashlib

    stem = re.sub(r"[^\w-]+", "_", source_file).strip("_")[:80] or "document"
    return f"{stem}-{hashlib.md5(source_file.encode()).hexdigest()[:6]}.html"


def row_extents(row_lines: list[tuple[int, int]], max_lines: int) -> dict[int, int]:
    """(table_id, line) of every table row of a document → {row's first line: its last line}: a row
    runs to the line before the next row of its table (one-cell-per-line text prints a row over
    several lines), at most max_lines."""
    by_table: dict[int, list[int]] = defaultdict(list)
    for table_id, ln in row_lines:
        by_table[table_id].append(ln)
    out: dict[int, int] = {}
    for lines in by_table.values():
        lines = sorted(set(lines))
        for a, b in zip(lines, lines[1:] + [None]):
            out[a] = a if b is None else min(b - 1, a + max_lines - 1)
    return out


def on_page(box: tuple[float, float, float, float], page_w: float, page_h: float) -> bool:
    """Whether a line's box lies on the visible page (a PDF may place text off the page)."""
    x0, top, x1, bottom = box
    return x0 >= -1 and top >= -1 and x1 <= page_w + 1 and bottom <= page_h + 1 and x1 > x0 and bottom > top


def crop_box(boxes: list[tuple[float, float, float, float]], page_w: float, page_h: float,
             pad: float) -> Optional[tuple[float, float, float, float]]:
    """The union of the boxes (x0, top, x1, bottom), padded, within the page; None when a box is
    not on the visible page."""
    if not boxes or not all(on_page(b, page_w, page_h) for b in boxes):
        return None
    x0 = max(0.0, min(b[0] for b in boxes) - pad)
    top = max(0.0, min(b[1] for b in boxes) - pad)
    x1 = min(page_w, max(b[2] for b in boxes) + pad)
    bottom = min(page_h, max(b[3] for b in boxes) + pad)
    if x1 - x0 < 2 or bottom - top < 2:
        return None
    return x0, top, x1, bottom


def drawn(image, min_dark: int = 20) -> bool:
    """Whether anything is printed in the image: at least min_dark pixels darker than light grey."""
    return sum(image.convert("L").histogram()[:160]) >= min_dark


def bar_chart_svg(rows: list[tuple[str, str, Decimal]], title: str) -> str:
    """Horizontal bars, one per (code, name, amount), as inline SVG (no script, no library)."""
    if not rows:
        return '<p class="muted">没有功能分类支出 / no functional expenditure facts</p>'
    top = max((a for _, _, a in rows if a is not None), default=Decimal(0)) or Decimal(1)
    label_w, bar_w, value_w, row_h = 300, 380, 110, 24
    width, height = label_w + bar_w + value_w, row_h * len(rows) + 8
    parts = [f'<svg class="chart" role="img" aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">', f"<title>{html.escape(title)}</title>"]
    for i, (code, name, amount) in enumerate(rows):
        y = 4 + i * row_h
        w = 0 if amount is None or amount <= 0 else max(1.0, float(amount / top) * bar_w)
        label = f"{code} {name or ''}".strip()
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" class="lbl">{html.escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" class="bar"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="val">{html.escape(fmt_amount(amount))}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ------------------------------------------------------------------------------------ the data

def _rows(con, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _has_column(con, schema: str, table: str, column: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.columns where table_schema = ? and "
                            "table_name = ? and column_name = ?", [schema, table, column]).fetchone()[0])


def load(con) -> dict:
    """Everything the report shows, read from the warehouse (read-only connection)."""
    data: dict = {}
    data["entities"] = _rows(con, """
        select e.entity_id, e.source_file, e.source_files, e.entity_code, e.entity_name, e.scope, e.fiscal_year,
               e.budget_kind, e.province, e.city, e.county, e.amount_unit, e.is_primary, e.is_additive,
               d.entity_name as department_name,
               s.total_wan, s.basic_wan, s.project_wan, s.personnel_wan, s.public_wan, s.three_public_wan,
               s.revenue_wan, s.general_budget_wan, s.function_facts_wan, s.n_function_facts
        from marts.dim_budget_entity e
        left join marts.rpt_entity_summary s using (entity_id)
        left join marts.dim_budget_entity d on d.entity_id = e.department_entity_id and d.entity_id <> e.entity_id
        order by e.source_file, not e.is_primary, e.entity_code nulls first, e.entity_name""")
    data["classes"] = _rows(con, """
        select f.entity_id, left(f.functional_code, 3) as class_code, c.name, sum(f.amount_wan) as amount_wan
        from marts.fct_function_expenditure f
        left join marts.dim_functional_classification c on c.functional_code = left(f.functional_code, 3)
        group by all order by f.entity_id, class_code""")
    data["findings"] = _rows(con, """
        select r.finding_id, r.entity_id, r.rule_id, r.subject, r.expected_wan, r.actual_wan, r.difference_wan,
               r.tolerance_wan, r.status, r.message, r.severity, r.source_ref,
               lr.label_zh as rule_zh, lr.label_en as rule_en, ls.label_zh as status_zh, ls.label_en as status_en
        from marts.fct_reconciliation r
        left join marts.dim_label lr on lr.kind = 'rule_id' and lr.code = r.rule_id
        left join marts.dim_label ls on ls.kind = 'status' and ls.code = r.status
        order by r.source_ref, r.rule_id, r.subject, r.finding_id""")
    boxes = "line_boxes" if _has_column(con, "staging", "documents", "line_boxes") else "null as line_boxes"
    data["documents"] = {r["source_file"]: r for r in _rows(
        con, f"select source_file, content_hash, dialect, n_pages, {boxes} from staging.documents")}
    rows = _rows(con, "select source_file, table_id, line_number, raw_text from staging.table_rows "
                      "where line_number is not null")
    data["row_lines"] = defaultdict(list)
    data["printed"] = {}  # (file, line) → the printed text staging keeps for it
    for r in rows:
        data["row_lines"][r["source_file"]].append((r["table_id"], r["line_number"]))
        data["printed"].setdefault((r["source_file"], r["line_number"]), r["raw_text"])
    for table in ("narrative_figures", "yoy_changes"):
        for r in _rows(con, f"select source_file, line_number, sentence from staging.{table}"):
            data["printed"].setdefault((r["source_file"], r["line_number"]), r["sentence"])
    data["unread"] = _rows(con, """
        select m.source_file, m.status, string_agg(e.error, '; ' order by e.error) as errors
        from staging.file_manifest m left join staging.load_errors e
          on e.source_file = m.source_file and e.severity = 'error'
        where m.status in ('failed', 'not_budget')
           or m.source_file not in (select source_file from staging.documents)
        group by all order by 1""")
    return data


# ------------------------------------------------------------------------------------ evidence

class EvidenceReader:
    """The lines and crops of the evidence, reading each raw file at most once."""

    def __init__(self, data: dict, raw_dir: Path, out_dir: Path, settings: ReportSettings):
        self.data, self.raw_dir, self.out_dir, self.s = data, Path(raw_dir), out_dir, settings
        self._lines: dict[str, tuple[Optional[list[str]], Optional[str]]] = {}
        self._pdfs: dict = {}
        self._pages: dict = {}
        self._extents: dict[str, dict[int, int]] = {}
        self.crops: set[str] = set()

    def close(self) -> None:
        for pdf in self._pdfs.values():
            if pdf is not None:
                pdf.close()

    def _extent(self, source_file: str, line: int) -> int:
        if source_file not in self._extents:
            self._extents[source_file] = row_extents(self.data["row_lines"].get(source_file, []), self.s.max_row_lines)
        return self._extents[source_file].get(line, line)

    def _check_file(self, source_file: str) -> tuple[Optional[Path], Optional[str]]:
        from extractors.read import content_hash

        path = self.raw_dir / source_file
        doc = self.data["documents"].get(source_file)
        if not path.is_file():
            return None, f"{source_file} is not in the raw dir {self.raw_dir} any more"
        if doc and doc["content_hash"] and content_hash(path.read_bytes()) != doc["content_hash"]:
            return None, f"{source_file} has changed since it was loaded (run make run again)"
        return path, None

    def text_lines(self, source_file: str) -> tuple[Optional[list[str]], Optional[str]]:
        """The document's lines as the pipeline numbered them (text dialects, DOCX, XLSX)."""
        if source_file not in self._lines:
            path, note = self._check_file(source_file)
            lines = None
            if path is not None:
                try:
                    from extractors.read import NATIVE_SUFFIXES, read_document
                    if path.suffix.lower() in NATIVE_SUFFIXES:
                        from extractors.native import read_native
                        lines = read_native(path, self.raw_dir).lines
                    else:
                        lines = read_document(path, self.raw_dir).lines
                except Exception as exc:  # noqa: BLE001 - an unreadable file is a note, not a failed report
                    note = f"{source_file} cannot be read again: {exc}"
            self._lines[source_file] = (lines, note)
        return self._lines[source_file]

    def _pdf(self, source_file: str):
        if source_file not in self._pdfs:
            path, note = self._check_file(source_file)
            pdf = None
            if path is not None:
                import pypdfium2 as pdfium
                try:
                    pdf = pdfium.PdfDocument(str(path))
                except Exception as exc:  # noqa: BLE001
                    note = f"{source_file} cannot be rendered: {exc}"
            self._pdfs[source_file] = pdf
            self._pdf_notes = getattr(self, "_pdf_notes", {})
            self._pdf_notes[source_file] = note
        return self._pdfs[source_file], self._pdf_notes.get(source_file)

    def _page_size(self, source_file: str, page_no: int) -> tuple[float, float]:
        pdf, _ = self._pdf(source_file)
        page = pdf[page_no - 1]
        try:
            return page.get_size()
        finally:
            page.close()

    def _page_image(self, source_file: str, page_no: int):
        key = (source_file, page_no)
        if key not in self._pages:
            pdf, _ = self._pdf(source_file)
            page = pdf[page_no - 1]
            img = page.render(scale=self.s.crop_scale).to_pil().convert("RGB")
            page.close()
            self._pages = {k: v for k, v in self._pages.items() if k[0] == source_file}  # keep one document's
            self._pages[key] = img
        return self._pages[key]

    def evidence(self, source_file: str, page: Optional[int], line: int) -> Evidence:
        ev = Evidence(source_file, line, page)
        doc = self.data["documents"].get(source_file)
        last = self._extent(source_file, line)
        ctx = self.s.context_lines
        if doc and doc.get("line_boxes"):
            return self._pdf_evidence(ev, doc, line, last)
        lines, note = self.text_lines(source_file)
        if lines is None:
            ev.note = note
            printed = self.data["printed"].get((source_file, line))
            if printed:
                ev.lines = [(line, printed, True)]
            return ev
        lo, hi = max(1, line - ctx), min(len(lines), last + ctx)
        ev.lines = [(n, lines[n - 1], line <= n <= last) for n in range(lo, hi + 1)]
        if not line <= len(lines):
            ev.note = f"{source_file} has {len(lines)} lines, not {line}"
        return ev

    def _pdf_evidence(self, ev: Evidence, doc: dict, line: int, last: int) -> Evidence:
        boxes = json.loads(doc["line_boxes"])
        printed = self.data["printed"].get((ev.source_file, line))
        if printed:
            ev.lines = [(line, printed, True)]
        here = boxes.get(str(line))
        if not here:
            ev.note = f"no printed position is recorded for line {line}"
            return ev
        page_no = here[0]
        ev.page = ev.page or page_no
        pdf, note = self._pdf(ev.source_file)
        if pdf is None:
            ev.note = note
            return ev
        ctx = self.s.context_lines
        own = [tuple(boxes[str(n)][1:]) for n in range(line, last + 1) if boxes.get(str(n), [None])[0] == page_no]
        around = [tuple(boxes[str(n)][1:]) for n in (*range(line - ctx, line), *range(last + 1, last + ctx + 1))
                  if boxes.get(str(n), [None])[0] == page_no]
        w, h = self._page_size(ev.source_file, page_no)
        box = crop_box(own + [b for b in around if on_page(b, w, h)], w, h, self.s.crop_pad_pt)
        mark = crop_box(own, w, h, 1.0)
        hidden = (f"line {line} is in the PDF's text layer but nothing is drawn there on page {page_no} (text "
                  "placed off the page or hidden): nothing printed to show / 该行文字在页面上不可见")
        if box is None or mark is None:
            ev.note = hidden
            return ev
        name = f"crops/{page_name(ev.source_file)[:-5]}-{(doc['content_hash'] or '')[:8]}-p{page_no}-l{line}.png"
        target = self.out_dir / name
        if not target.exists():  # the same bytes, page and line: the same picture
            from PIL import ImageDraw

            img = self._page_image(ev.source_file, page_no)
            sc = self.s.crop_scale
            if not drawn(img.crop(tuple(int(round(v * sc)) for v in mark))):
                ev.note = hidden
                return ev
            piece = img.crop(tuple(int(round(v * sc)) for v in box)).convert("RGBA")
            overlay = ImageDraw.Draw(piece, "RGBA")
            overlay.rectangle([(mark[0] - box[0]) * sc, (mark[1] - box[1]) * sc,
                               (mark[2] - box[0]) * sc, (mark[3] - box[1]) * sc],
                              fill=(255, 214, 0, 60), outline=(214, 120, 0, 255), width=2)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            piece.convert("RGB").save(tmp, "PNG", optimize=True)
            tmp.replace(target)
        self.crops.add(name)
        ev.crop = name
        return ev


# ---------------------------------------------------------------------------------------- html

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
       "PingFang SC", "Microsoft YaHei", "Hiragino Sans GB", sans-serif; margin: 1.5em auto; max-width: 1100px;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 2em; }
h3 { font-size: 1.05em; margin-bottom: .3em; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ddd; padding: 3px 8px;
vertical-align: top; } th { background: #f4f4f4; text-align: left; } td.num { text-align: right;
font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: #777; } .en { color: #555; font-size: .92em; }
.status { display: inline-block; padding: 0 .5em; border-radius: 3px; font-size: .9em; white-space: nowrap; }
.s-fail { background: #fbd5d5; color: #8a1010; } .s-unverified { background: #fde8c8; color: #7a4a00; }
.s-incomplete { background: #e6e0f5; color: #3d2a7a; } .s-rounding { background: #e0eef9; color: #134a78; }
.s-pass { background: #dff3e0; color: #1d5e22; } .s-not_applicable { background: #eee; color: #555; }
.finding { border: 1px solid #ddd; border-left: 5px solid #aaa; padding: .5em 1em; margin: 1em 0; }
.finding.fail { border-left-color: #c62828; } .finding.unverified { border-left-color: #ef8f00; }
.finding.incomplete { border-left-color: #5e35b1; } .finding.rounding { border-left-color: #1e70b8; }
.figures td { min-width: 7em; } pre.lines { background: #fafafa; border: 1px solid #eee; padding: .4em;
white-space: pre-wrap; font-family: inherit; font-size: .92em; margin: .3em 0; }
pre.lines .hit { background: #fff3b0; } pre.lines .ln { color: #999; display: inline-block; min-width: 3.5em; }
img.crop { max-width: 100%; border: 1px solid #ccc; display: block; margin: .3em 0; }
svg.chart .bar { fill: #3f7fbf; } svg.chart text { font-size: 13px; font-family: inherit; }
svg.chart .val { fill: #333; } svg.chart .lbl { fill: #222; }
nav a { margin-right: 1em; }
"""


def _e(v) -> str:
    return html.escape("" if v is None else str(v))


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>\n{body}\n</body></html>\n")


def _status(f: dict) -> str:
    return (f'<span class="status s-{_e(f["status"])}" title="{_e(f["status_en"])}">'
            f'{_e(f["status_zh"] or f["status"])} · {_e(f["status"])}</span>')


def _evidence_html(ev: Evidence) -> str:
    where = f"{ev.source_file}" + (f" 第 {ev.page} 页 / page {ev.page}" if ev.page else "") + f" · 行 / line {ev.line}"
    out = [f'<div class="evidence"><div class="muted">出处 / evidence: {_e(where)}</div>']
    if ev.crop:
        out.append(f'<img class="crop" src="{quote(ev.crop)}" alt="{_e(where)}">')
    if ev.lines:
        rows = "".join(f'<span class="{"hit" if hit else ""}"><span class="ln">{n}</span>{_e(t.replace(chr(9), "  │  "))}</span>\n'
                       for n, t, hit in ev.lines)
        out.append(f'<pre class="lines">{rows}</pre>')
    if ev.note:
        out.append(f'<div class="muted">{_e(ev.note)}</div>')
    out.append("</div>")
    return "".join(out)


def _finding_html(f: dict, evidence: list[Evidence]) -> str:
    return (f'<div class="finding {_e(f["status"])}" id="f-{_e(f["finding_id"])}">'
            f'<h3>{_status(f)} {_e(f["rule_zh"] or f["rule_id"])} <span class="en">{_e(f["rule_en"])}</span></h3>'
            f'<div class="muted">规则 / rule <code>{_e(f["rule_id"])}</code> · 对象 / subject {_e(f["subject"])}</div>'
            '<table class="figures"><tr><th>应为 / expected（万元）</th><th>实际 / actual（万元）</th>'
            '<th>差额 / difference</th><th>容差 / tolerance</th></tr>'
            f'<tr><td class="num">{fmt_amount(f["expected_wan"])}</td><td class="num">{fmt_amount(f["actual_wan"])}</td>'
            f'<td class="num">{fmt_amount(f["difference_wan"])}</td><td class="num">{fmt_amount(f["tolerance_wan"])}</td></tr>'
            '</table>'
            f'<p>{_e(f["message"])}</p>' + "".join(_evidence_html(ev) for ev in evidence) + "</div>")


_TOTALS = [("total_wan", "支出合计", "Total expenditure"), ("general_budget_wan", "一般公共预算", "General public budget"),
           ("basic_wan", "基本支出", "Basic"), ("project_wan", "项目支出", "Project"),
           ("personnel_wan", "人员经费", "Personnel"), ("public_wan", "公用经费", "Public (operating)"),
           ("three_public_wan", "“三公”经费", "Three public expenses"), ("revenue_wan", "收入合计", "Revenue"),
           ("function_facts_wan", "功能分类事实合计", "Σ functional facts")]


def _entity_html(e: dict, classes: list[dict], findings: list[dict], evidence: dict) -> str:
    place = " ".join(x for x in (e["province"], e["city"], e["county"]) if x)
    scope = "部门 / department" if e["scope"] == "department" else "单位 / unit"
    head = (f'<h2 id="e-{_e(e["entity_id"])}">{_e(e["entity_name"])}</h2>'
            f'<p>{_e(e["fiscal_year"])} 年度 · {_e(e["budget_kind"])} · {scope}'
            + (f" · 编码 / code {_e(e['entity_code'])}" if e["entity_code"] else "")
            + (f" · {_e(place)}" if place else "")
            + (f" · 属于 / part of {_e(e['department_name'])}" if e.get("department_name") else "")
            + (" · 汇总时不重复计算 / additive" if e["is_additive"] else " · 汇总时已含于部门 / counted in its department")
            + "</p>")
    totals = "".join(f'<tr><th>{zh} <span class="en">{en}</span></th><td class="num">{fmt_amount(e[k])}</td></tr>'
                     for k, zh, en in _TOTALS if e.get(k) is not None)
    chart_rows = [(c["class_code"], c["name"], c["amount_wan"]) for c in classes]
    chart = bar_chart_svg(chart_rows, f"{e['entity_name']} 按功能分类（类）的支出 / spending by class")
    counts = defaultdict(int)
    for f in findings:
        counts[f["status"]] += 1
    summary = " ".join(f'{_status(next(f for f in findings if f["status"] == s))} {counts[s]}'
                       for s in (*CHECK_STATUSES, *LISTED_STATUSES) if counts[s])
    checked = [f for f in findings if f["status"] in CHECK_STATUSES]
    checked.sort(key=lambda f: (CHECK_STATUSES.index(f["status"]), f["source_ref"] or "", f["rule_id"]))
    listed = [f for f in findings if f["status"] not in CHECK_STATUSES]
    body = [head, f'<table class="totals"><tr><th colspan="2">金额（万元） / amounts (10,000 yuan)</th></tr>{totals}</table>',
            "<h3>按功能分类（类）的支出 <span class=\"en\">Spending by functional class (类), 万元</span></h3>", chart,
            f"<h3>对账结果 <span class=\"en\">Findings</span></h3><p>{summary or '无 / none'}</p>"]
    body += [_finding_html(f, evidence[f["finding_id"]]) for f in checked]
    if listed:
        rows = "".join(
            f'<tr id="f-{_e(f["finding_id"])}"><td>{_status(f)}</td><td>{_e(f["rule_zh"])}<br><span class="en">{_e(f["rule_en"])}</span></td>'
            f'<td>{_e(f["subject"])}</td><td class="num">{fmt_amount(f["expected_wan"])}</td>'
            f'<td class="num">{fmt_amount(f["actual_wan"])}</td><td>{_e(f["source_ref"])}</td></tr>'
            for f in listed[:DEFAULT_SETTINGS.max_listed])
        more = (f'<p class="muted">… {len(listed) - DEFAULT_SETTINGS.max_listed} more in marts.fct_reconciliation</p>'
                if len(listed) > DEFAULT_SETTINGS.max_listed else "")
        body.append(f'<details><summary>通过或不适用的 {len(listed)} 项 / {len(listed)} findings that pass or do '
                    f'not apply</summary><table><tr><th>状态 / status</th><th>规则 / rule</th><th>对象 / subject</th>'
                    f'<th>应为 / expected</th><th>实际 / actual</th><th>出处 / evidence</th></tr>{rows}</table>{more}</details>')
    return "".join(body)


def _counts_html(findings: list[dict], labels: dict) -> str:
    counts = defaultdict(int)
    for f in findings:
        counts[f["status"]] += 1
    return " ".join(f'<span class="status s-{s}" title="{_e(labels.get(s, ("", ""))[1])}">'
                    f'{_e(labels.get(s, (s, ""))[0])} {counts[s]}</span>'
                    for s in (*CHECK_STATUSES, *LISTED_STATUSES) if counts[s]) or "—"


def _checks_html(warehouse: Path) -> str:
    from dagster_project.run import read_state, state_path

    state = read_state(state_path(Path(warehouse)))
    if not state:
        return ""
    failed = state.get("failed_checks") or []
    if not failed:
        return "<p>dbt 数据测试与 Great Expectations 检查全部通过 / dbt data tests and Great Expectations checks: all passed</p>"
    return ("<p>未通过的检查 / failed checks: " + ", ".join(f"<code>{_e(c)}</code>" for c in failed) + "</p>")


# ---------------------------------------------------------------------------------------- build

def files_of(ents: list[dict]) -> list[str]:
    """The files of the entities of a page: dim_budget_entity.source_files lists a disclosure's
    files joined by ';' (C008.pdf;C009.pdf, 北京 附件1 + 附件2)."""
    return sorted({x.strip() for e in ents for x in re.split(r"[;,]", e["source_files"] or e["source_file"])
                   if x.strip()})


def build_report(warehouse: Path, raw_dir: Path, out_dir: Optional[Path] = None,
                 settings: ReportSettings = DEFAULT_SETTINGS,
                 log: Callable[[str], None] = lambda m: None) -> ReportResult:
    """Write the report of the warehouse (opened read-only) into out_dir (default: report/ beside
    the warehouse); the raw dir is where the documents are read again for their evidence."""
    import duckdb

    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse} (run make run first)")
    out = Path(out_dir) if out_dir else default_out_dir(warehouse)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        data = load(con)
    finally:
        con.close()

    by_file: dict[str, list[dict]] = defaultdict(list)
    for e in data["entities"]:
        by_file[e["source_file"]].append(e)
    entity_file = {e["entity_id"]: e["source_file"] for e in data["entities"]}
    findings_of: dict[str, list[dict]] = defaultdict(list)
    for f in data["findings"]:
        findings_of[f["entity_id"]].append(f)
    classes_of: dict[str, list[dict]] = defaultdict(list)
    for c in data["classes"]:
        classes_of[c["entity_id"]].append(c)
    labels = {}
    for f in data["findings"]:
        labels.setdefault(f["status"], (f["status_zh"] or f["status"], f["status_en"] or ""))

    reader = EvidenceReader(data, raw_dir, out, settings)
    evidence: dict[str, list[Evidence]] = {}
    try:
        for f in data["findings"]:
            if f["status"] not in CHECK_STATUSES:
                continue
            ref = parse_ref(f["source_ref"])
            evs = []
            if ref:
                evs.append(reader.evidence(*ref))
                for ln in message_lines(f["message"]):
                    if ln != ref[2]:
                        evs.append(reader.evidence(ref[0], None, ln))
            evidence[f["finding_id"]] = evs
    finally:
        reader.close()

    pages: dict[str, Path] = {}
    for source_file, ents in by_file.items():
        name = page_name(source_file)
        files = files_of(ents)
        body = [f'<nav><a href="index.html">← 目录 / index</a></nav>',
                f"<h1>{_e(ents[0]['entity_name'])} <span class=\"en\">{_e(ents[0]['fiscal_year'])} "
                f"{_e(ents[0]['budget_kind'])}</span></h1>",
                "<p class=\"muted\">文件 / document: " + ", ".join(f"<code>{_e(x.strip())}</code>" for x in files) + "</p>"]
        for e in ents:
            body.append(_entity_html(e, classes_of[e["entity_id"]], findings_of[e["entity_id"]], evidence))
        path = out / name
        path.write_text(_page(f"{ents[0]['entity_name']} · 对账报告", "".join(body)), encoding="utf-8")
        pages[source_file] = path

    # the index: documents, then every finding to check, linked to its place
    doc_rows = []
    for source_file, ents in by_file.items():
        fs = [f for e in ents for f in findings_of[e["entity_id"]]]
        names = "<br>".join(_e(e["entity_name"]) + (' <span class="muted">(单位 / unit)</span>' if e["scope"] == "unit" else "")
                            for e in ents)
        doc_rows.append(f'<tr><td><a href="{quote(page_name(source_file))}">{names}</a></td>'
                        f'<td>{_e(ents[0]["fiscal_year"])}</td><td>{_e(ents[0]["budget_kind"])}</td>'
                        f'<td class="num">{fmt_amount(ents[0]["total_wan"])}</td>'
                        f'<td>{_counts_html(fs, labels)}</td><td><code>{_e(source_file)}</code></td></tr>')
    check_rows = []
    to_check = [f for f in data["findings"] if f["status"] in CHECK_STATUSES]
    to_check.sort(key=lambda f: (CHECK_STATUSES.index(f["status"]), entity_file.get(f["entity_id"], ""),
                                 f["source_ref"] or ""))
    ent_name = {e["entity_id"]: e["entity_name"] for e in data["entities"]}
    for f in to_check:
        href = f'{quote(page_name(entity_file[f["entity_id"]]))}#f-{f["finding_id"]}'
        check_rows.append(f'<tr><td>{_status(f)}</td><td>{_e(ent_name.get(f["entity_id"]))}</td>'
                          f'<td><a class="finding-link" href="{href}">{_e(f["rule_zh"] or f["rule_id"])}</a>'
                          f'<br><span class="en">{_e(f["rule_en"])}</span></td><td>{_e(f["subject"])}</td>'
                          f'<td class="num">{fmt_amount(f["expected_wan"])}</td><td class="num">{fmt_amount(f["actual_wan"])}</td>'
                          f'<td>{_e(f["source_ref"])}</td></tr>')
    unread = "".join(f"<tr><td><code>{_e(u['source_file'])}</code></td><td>{_e(u['status'])}</td><td>{_e(u['errors'])}</td></tr>"
                     for u in data["unread"])
    body = ["<h1>预算公开文件对账报告 <span class=\"en\">Findings report</span></h1>",
            f'<p class="muted">{len(by_file)} 份文件 / documents · {len(data["entities"])} 个预算单位 / budget entities · '
            f'{len(data["findings"])} 项对账 / findings · 金额单位：万元 / amounts in 10,000 yuan · '
            f'warehouse <code>{_e(warehouse.name)}</code></p>', _checks_html(warehouse),
            "<h2>文件 <span class=\"en\">Documents</span></h2>",
            "<table><tr><th>预算单位 / entity</th><th>年度 / year</th><th>类型 / kind</th><th>支出合计 / total</th>"
            f"<th>对账结果 / findings</th><th>文件 / file</th></tr>{''.join(doc_rows)}</table>",
            f"<h2>需核对的结果 <span class=\"en\">Findings to check</span> ({len(to_check)})</h2>",
            "<p class=\"muted\">不符、未能核实、数据不全与舍入差异；每项链接到文件页上的出处 / fail, unverified, incomplete and "
            "rounding findings, each linked to its evidence on the document's page</p>",
            "<table><tr><th>状态 / status</th><th>预算单位 / entity</th><th>规则 / rule</th><th>对象 / subject</th>"
            f"<th>应为 / expected</th><th>实际 / actual</th><th>出处 / evidence</th></tr>{''.join(check_rows)}</table>"]
    if unread:
        body.append("<h2>未读入的文件 <span class=\"en\">Files not read</span></h2><table><tr><th>文件 / file</th>"
                    f"<th>状态 / status</th><th>原因 / reason</th></tr>{unread}</table>")
    index = out / "index.html"
    index.write_text(_page("预算公开文件对账报告 / findings report", "".join(body)), encoding="utf-8")

    # what an earlier build wrote and this one did not: pages of removed documents, old crops
    keep = {index, *pages.values(), *(out / c for c in reader.crops)}
    for p in [*out.glob("*.html"), *(out / "crops").glob("*.png")]:
        if p not in keep:
            p.unlink()
    log(f"report: {index} ({len(pages)} documents, {len(to_check)} findings to check, {len(reader.crops)} crops)")
    return ReportResult(out, index, pages, len(data["findings"]), len(reader.crops))
