"""Every amount table read two independent ways, and the arbiter's verdict.

:func:`read_twice` parses the grid as the first reading gives it (cells from the ruling lines, or
from the gaps between words: extractors.native.pdf), reads its data rows again from the page's
characters (:mod:`.reading_words`), parses that too, and hands both to the arbiter
(:mod:`.arbiter`). A grid with no page words (DOCX, XLSX, text documents: their cells are given,
not inferred) has one reading.
"""
from __future__ import annotations

from typing import Optional

from ..records import ReadingDifference
from ..settings import ExtractSettings
from .arbiter import Reading, Verdict, arbitrate
from .closure import CLOSING_KINDS, table_closure
from .names import names_something
from .parse import parse_table
from .reading_words import read_by_words


def _parsed(rows, kind: str, **kw):
    t_rows, amounts, problems = parse_table(rows, kind=kind, **kw)
    closure = table_closure(t_rows, amounts) if kind in CLOSING_KINDS and t_rows else None
    return t_rows, amounts, problems, closure


def _inferred_stand(t_rows, closure) -> bool:
    """Do the codes inferred from the printed names (extractors.tables.names: a code and no
    code_raw) stand? Only where the table's arithmetic holds with them: a 类 = Σ 款 that fails
    says a name was placed under the wrong 类 (a unit's line, 工资和福利支出 not in the catalog:
    C066 p21). Functional codes only where every named line got one: a table's facts are its
    coded lines, so a line left uncoded would drop its figure from them (the prose's 类 stand in
    for an uncoded table)."""
    inferred = [r for r in t_rows if r.code and r.code_raw is None]
    if not inferred:
        return True
    if closure is not None and not closure.closes:
        return False
    if any(r.code_system == "functional" for r in inferred):
        return all(r.code for r in t_rows if r.row_kind != "total" and names_something(r.name))
    return True


def _reading(name: str, rows, kind: str, **kw) -> Reading:
    t_rows, amounts, problems, closure = _parsed(rows, kind, **kw)
    if not _inferred_stand(t_rows, closure):  # then as printed
        t_rows, amounts, problems, closure = _parsed(rows, kind, codes_by_name=False, **kw)
    return Reading(name, t_rows, amounts, problems, closure)


def read_twice(rows, page_chars: Optional[dict], *, source_file: str, table_id: int, kind: str,
               unit: Optional[str], entity_code: Optional[str], settings: ExtractSettings) -> Verdict:
    kw = dict(source_file=source_file, table_id=table_id, unit=unit, entity_code=entity_code, settings=settings)
    cells = _reading("cells", rows, kind, **kw)
    words = None
    # an unrecognised table (kind unknown) has no figure a fact or a rule takes: read once
    if page_chars and cells.amounts and kind != "unknown" and kind not in settings.text_table_kinds:
        again = read_by_words(rows, page_chars)
        if again is not None:
            words = _reading("words", again, kind, **kw)
    return arbitrate(cells, words)


def differences_of(verdict: Verdict, source_file: str, table_id: int) -> list[ReadingDifference]:
    return [ReadingDifference(source_file, table_id, d.row_number, d.line_number, d.page, d.name, d.column_key,
                              verdict.chosen.name, d.chosen_raw, d.other_raw, verdict.agreement)
            for d in verdict.differences]
