"""Typed records produced by the extractors.

Every record carries provenance: the source file (path relative to the raw dir), the
content hash of the file, the 1-based line number (text dialects) or page number (PDF)
where the figure was printed, and the raw text it came from.

Amounts are ``decimal.Decimal`` exactly as printed, in the unit the document states
(``unit`` is ``"万元"`` or ``"元"``); a blank cell is ``None``, never 0.

``entity_code`` on a record names the budget entity inside the document it belongs to
(``"434"`` department vs ``"434001"`` unit in a file that holds both). ``None`` means
"the document's primary entity" (see :class:`DocumentMeta`).

These dataclasses are the contract between the extractors and the warehouse loader
(``extractors.warehouse``): one staging table per record kind, one column per field.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Optional


@dataclass(frozen=True)
class DocumentMeta:
    """One row per source document (``staging.documents``)."""

    source_file: str
    content_hash: str
    dialect: str  # docx_text | markdown | pdftotext | prose | pdf | docx | xlsx
    n_lines: int
    entity_name: Optional[str] = None  # full name, e.g. 淮北市杜集区人民政府办公室
    entity_short_name: Optional[str] = None  # e.g. 杜集区政府办
    entity_code: Optional[str] = None  # e.g. 434, 003001
    fiscal_year: Optional[int] = None
    budget_kind: Optional[str] = None  # 部门预算 | 单位预算 | 部门决算 | 单位决算
    province: Optional[str] = None
    city: Optional[str] = None
    county: Optional[str] = None
    adcode: Optional[str] = None
    amount_unit: Optional[str] = None  # the unit most tables / prose use
    n_pages: Optional[int] = None
    # stable key of the disclosure the file belongs to: <canonical entity name>|<fiscal year>|<budget kind>
    # (two files of one disclosure — 情况说明 + 公开表 — share it); see narrative.metadata.document_group
    document_group: Optional[str] = None
    # PDF only: where each line is printed, JSON {"<line number>": [page, x0, top, x1, bottom]} in
    # PDF points from the page's top left (pdfplumber's coordinates), so a finding's source_ref
    # (file:p<page>:<line>) can be shown as a crop of the page (budget_warehouse.report)
    line_boxes: Optional[str] = None
    # PDF only: which reader read the pages — pdfium | pdfplumber | pdfium+pdfplumber (extractors.native.pagemodel)
    pdf_reader: Optional[str] = None


@dataclass(frozen=True)
class BudgetEntity:
    """A budget entity printed in a document (``staging.entities``).

    A document has one primary entity (``is_primary``); a department file that also
    publishes its units' budgets has one more row per unit, ``parent_entity_code`` pointing
    at the department.
    """

    source_file: str
    entity_code: Optional[str]
    entity_name: str
    scope: str  # department | unit
    is_primary: bool
    parent_entity_code: Optional[str] = None
    line_number: Optional[int] = None
    raw_text: Optional[str] = None


@dataclass(frozen=True)
class TableRecord:
    """A recognised (or unrecognised) table (``staging.tables``)."""

    source_file: str
    table_id: int  # sequence within the document, 1-based, in reading order
    table_kind: str  # see extractors.settings.TABLE_KINDS; 'unknown' when unclassified
    title: str  # the printed title
    entity_code: Optional[str]
    unit: Optional[str]  # 万元 | 元 | None when the header states none
    line_start: Optional[int]
    line_end: Optional[int]
    page: Optional[int] = None
    is_empty: bool = False  # printed with 本表无数据 / 空表列示 or no data rows
    note: Optional[str] = None  # e.g. 注：无政府性基金预算财政拨款预算，空表列示。
    n_rows: int = 0
    is_duplicate_copy: bool = False  # a second printed copy of a table already read
    duplicate_of_table_id: Optional[int] = None
    bbox: Optional[str] = None  # PDF only: "x0,top,x1,bottom"
    is_final_account: bool = False  # a 决算 table (actual figures of a closed year), same kinds as 预算 tables
    # the table's own arithmetic (extractors.tables.closure): closes | fails | unchecked, None for
    # tables without amounts; a reading is 'uncertain' when too many of its checksums fail
    closure_status: Optional[str] = None
    n_checks: Optional[int] = None
    n_check_failures: Optional[int] = None
    reading: Optional[str] = None  # certain | uncertain (None: no checksum to judge by)
    # the grid read two independent ways (extractors.tables.arbiter): agree | cells_close |
    # words_close | differ | single (one reading only: not a PDF grid); which one was kept
    # (cells | words), how many amount cells were compared and how many differ
    readings: Optional[str] = None
    chosen_reading: Optional[str] = None
    n_reading_cells: Optional[int] = None
    n_reading_differences: Optional[int] = None


@dataclass(frozen=True)
class TableRow:
    """One printed data row of a table (``staging.table_rows``).

    row_kind: ``detail`` (a leaf line), ``subtotal`` (类/款 level or a printed subtotal of
    its children), ``total`` (合计 / 总计 lines), ``repeated_subtotal`` (a subtotal printed
    a second time, kept as evidence, never a fact).
    """

    source_file: str
    table_id: int
    row_number: int  # 1-based data-row number within the table
    line_number: Optional[int]
    row_kind: str
    code: Optional[str]  # normalised classification code (no spaces), VARCHAR
    code_raw: Optional[str]
    name: Optional[str]
    raw_text: str  # the printed cells joined by ' | '
    entity_code: Optional[str] = None
    code_system: Optional[str] = None  # functional | economic | None
    page: Optional[int] = None
    label: Optional[str] = None  # row label for non-classification rows (收支总表 lines)
    # the row's other text cells (not its name), as a JSON object {printed column label: text} in
    # print order, blank cells left out: 采购物品名称, 计量单位, 变化原因 …; None when there are none
    text_cells: Optional[str] = None
    # a table printing its units one after the other (125001 西安市…局 | 208 … | 125002 …中心 | 208 …,
    # C056 p7): the unit code of the block the row is in (the unit's own line included), else None.
    # A 类 / 款 adds up within its block; the blocks add up to the table's 合计
    block_code: Optional[str] = None
    # the row_number of the printed line this row adds up into (the nearest line above whose code
    # its own extends, within its block; a 类 printed again with the same figures stands for the
    # first), None for a top-level or uncoded row
    parent_row: Optional[int] = None


@dataclass(frozen=True)
class TableAmount:
    """One amount cell of a table row (``staging.table_amounts``), long format.

    column_key is the meaning of the column (see extractors.settings.COLUMN_KEYS), e.g.
    ``total``, ``basic``, ``project``, ``personnel``, ``public``, ``general_budget``.
    """

    source_file: str
    table_id: int
    row_number: int
    column_key: str
    column_label: str  # the printed header text
    amount: Optional[Decimal]  # None for a blank cell
    amount_raw: str
    unit: Optional[str]
    entity_code: Optional[str] = None
    line_number: Optional[int] = None
    page: Optional[int] = None
    side: Optional[str] = None  # revenue | expenditure (two-sided 收支总表 rows)
    # the cell's column, counted from 0 across the printed grid (code and name columns too): the
    # order of the columns, e.g. which of two columns of one meaning is printed first
    column_index: Optional[int] = None


@dataclass(frozen=True)
class NarrativeFigure:
    """A figure stated in the prose (``staging.narrative_figures``).

    measure names what the figure is (see extractors.settings.NARRATIVE_MEASURES), e.g.
    ``total_budget``, ``expenditure_total``, ``basic``, ``project``, ``personnel``,
    ``public``, ``three_public_total``, ``function_class`` (类 amount, with share),
    ``function_item`` (项 amount with its 类/款/项 names).
    """

    source_file: str
    line_number: int
    sentence: str
    measure: str
    amount: Optional[Decimal]
    unit: Optional[str]
    entity_code: Optional[str] = None
    subject: Optional[str] = None  # free text of what is measured, e.g. 一般公共服务支出
    class_name: Optional[str] = None  # 类
    section_name: Optional[str] = None  # 款
    item_name: Optional[str] = None  # 项
    code_printed: Optional[str] = None  # a code printed in the sentence, if any
    share_pct: Optional[Decimal] = None  # 占80.89% → 80.89
    section: Optional[str] = None  # the heading the sentence sits under
    figure_seq: int = 0  # order of the figure within the sentence
    # digits printed after the decimal point (1234万元 → 0, 1,234.56 → 2): the figure carries half a
    # unit of its last printed digit (set from the amount as printed when not given)
    amount_decimals: Optional[int] = None

    share_pct_decimals: Optional[int] = None  # 1.9% → 1: the share carries half of 0.1 point

    def __post_init__(self):
        if self.amount_decimals is None and self.amount is not None and self.amount.is_finite():
            object.__setattr__(self, "amount_decimals", max(0, -self.amount.as_tuple().exponent))
        if self.share_pct_decimals is None and self.share_pct is not None and self.share_pct.is_finite():
            object.__setattr__(self, "share_pct_decimals", max(0, -self.share_pct.as_tuple().exponent))


@dataclass(frozen=True)
class YoyChange:
    """A 比20XX年预算增加/减少 X万元，增长/下降 Y% statement (``staging.yoy_changes``)."""

    source_file: str
    line_number: int
    sentence: str
    measure: str
    current_amount: Optional[Decimal]
    change_amount: Optional[Decimal]  # signed: negative for 减少
    direction: str  # increase | decrease | flat
    change_pct: Optional[Decimal]  # signed
    prior_year: Optional[int]
    implied_prior_amount: Optional[Decimal]  # current - change
    unit: Optional[str]
    entity_code: Optional[str] = None
    subject: Optional[str] = None
    reason: Optional[str] = None
    class_name: Optional[str] = None
    section_name: Optional[str] = None
    item_name: Optional[str] = None
    # digits printed after the decimal point of the change and of the current amount (减少277万元 →
    # 0): each carries half a unit of its last printed digit (set from the amounts when not given)
    change_decimals: Optional[int] = None
    current_decimals: Optional[int] = None

    def __post_init__(self):
        for amount, name in ((self.change_amount, "change_decimals"), (self.current_amount, "current_decimals")):
            if getattr(self, name) is None and amount is not None and amount.is_finite():
                object.__setattr__(self, name, max(0, -amount.as_tuple().exponent))


@dataclass(frozen=True)
class Project:
    """A project (``staging.projects``) from a project table, a 绩效目标表 or prose."""

    source_file: str
    project_name: str
    amount: Optional[Decimal]
    unit: Optional[str]
    source_kind: str  # table | performance_table | narrative
    line_number: Optional[int]
    raw_text: str
    entity_code: Optional[str] = None
    project_code: Optional[str] = None
    period: Optional[str] = None
    implementing_unit: Optional[str] = None
    department: Optional[str] = None
    page: Optional[int] = None
    table_id: Optional[int] = None


@dataclass(frozen=True)
class PerformanceIndicator:
    """One indicator line of a 项目支出绩效目标表 (``staging.performance_indicators``)."""

    source_file: str
    project_name: str
    level1: Optional[str]  # 一级指标, e.g. 产出指标
    level2: Optional[str]  # 二级指标, e.g. 数量指标
    indicator: str  # 三级指标
    target_text: str  # as printed: ≥50次
    comparator: Optional[str]  # >= | <= | = | > | < | None for qualitative targets
    target_value: Optional[Decimal]
    target_unit: Optional[str]
    line_number: Optional[int]
    table_id: Optional[int] = None
    entity_code: Optional[str] = None
    page: Optional[int] = None
    raw_text: Optional[str] = None


@dataclass(frozen=True)
class LoadError:
    """A problem with an input (``staging.load_errors``); the run goes on."""

    source_file: str
    stage: str  # read | blocks | classify | parse | normalise | load
    error: str
    severity: str = "error"  # error (document not loaded) | warning (loaded, with a problem)
    line_number: Optional[int] = None


@dataclass(frozen=True)
class ReadingDifference:
    """An amount cell two independent readings of a table's grid read differently
    (``staging.reading_differences``, extractors.tables.arbiter): the page, the row (its code or
    name), the column and what each reading took the cell to print. A finding resting on such a
    row is unverified: what is printed there is not known."""

    source_file: str
    table_id: int
    row_number: Optional[int]  # the kept reading's row (None: a row only the other reading prints)
    line_number: Optional[int]
    page: Optional[int]
    row_name: str  # the row's code, else its name
    column_key: str
    chosen_reading: str  # cells | words: the reading kept for the table
    chosen_raw: Optional[str]  # the cell as the kept reading reads it (None: blank there)
    other_raw: Optional[str]  # as the other reading reads it
    agreement: str  # the table's verdict: cells_close | words_close | differ


@dataclass
class DocumentExtraction:
    """Everything extracted from one document."""

    document: Optional[DocumentMeta]
    entities: list[BudgetEntity] = field(default_factory=list)
    tables: list[TableRecord] = field(default_factory=list)
    table_rows: list[TableRow] = field(default_factory=list)
    table_amounts: list[TableAmount] = field(default_factory=list)
    narrative_figures: list[NarrativeFigure] = field(default_factory=list)
    yoy_changes: list[YoyChange] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    performance_indicators: list[PerformanceIndicator] = field(default_factory=list)
    load_errors: list[LoadError] = field(default_factory=list)
    reading_differences: list[ReadingDifference] = field(default_factory=list)


# record kind -> (staging table name, dataclass)
RECORD_TABLES: dict[str, type] = {
    "documents": DocumentMeta,
    "entities": BudgetEntity,
    "tables": TableRecord,
    "table_rows": TableRow,
    "table_amounts": TableAmount,
    "narrative_figures": NarrativeFigure,
    "yoy_changes": YoyChange,
    "projects": Project,
    "performance_indicators": PerformanceIndicator,
    "load_errors": LoadError,
    "reading_differences": ReadingDifference,
}


def field_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]
