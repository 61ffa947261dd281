"""Narrative extraction: the prose of 情况说明 → figures, year-on-year changes, projects,
entities, and the document metadata.

Modules (all pure):

* ``text``       — compaction, amounts, heading markers
* ``sentences``  — prose lines → paragraphs (wrapped PDF lines joined) → sentences with line numbers
* ``metadata``   — entity names / codes, fiscal year, budget kind, place (cpca), amount unit
* ``figures``    — headline and functional-classification figures of a sentence
* ``yoy``        — 比20XX年预算增加/减少 … statements
* ``projects``   — 1、“…”项目 blocks
"""
from __future__ import annotations

from ..read import SourceDocument
from ..records import DocumentExtraction, DocumentMeta, NarrativeFigure
from ..settings import ExtractSettings
from .figures import SentenceContext, class_only_path, parse_sentence
from .metadata import EntityInfo, build_meta, entity_code_at, find_entities, primary_entity
from .projects import find_projects
from .sentences import Paragraph, Sentence, paragraphs, split_sentences, table_lines_of

__all__ = ["extract_narrative", "extract_metadata", "analyse"]

_RECENT_WINDOW = 40
_cache: dict = {}


class Analysis:
    __slots__ = ("paras", "sentences", "info", "meta")

    def __init__(self, paras: list[Paragraph], sentences: list[Sentence], info: EntityInfo, meta: DocumentMeta):
        self.paras, self.sentences, self.info, self.meta = paras, sentences, info, meta


def analyse(doc: SourceDocument, settings: ExtractSettings) -> Analysis:
    """Paragraphs, sentences, entities and metadata of a document (memoised for the last document)."""
    key = (id(doc), doc.source_file, doc.content_hash, len(doc.lines), doc.dialect, id(settings))
    hit = _cache.get("last")
    if hit is not None and hit[0] == key:
        return hit[1]
    paras = paragraphs(doc.lines, doc.dialect, table_lines=table_lines_of(doc))
    sents = split_sentences(paras)
    info = find_entities(doc, paras)
    meta = build_meta(doc, settings, paras, info)
    result = Analysis(paras, sents, info, meta)
    _cache["last"] = (key, result)
    return result


def extract_metadata(doc: SourceDocument, settings: ExtractSettings) -> DocumentMeta:
    return analyse(doc, settings).meta


def extract_narrative(doc: SourceDocument, settings: ExtractSettings) -> DocumentExtraction:
    a = analyse(doc, settings)
    meta, info = a.meta, a.info

    def code_at(line_number: int):
        return entity_code_at(info.spans, line_number)

    projects, project_paras = find_projects(doc, a.paras, code_at, settings.narrative_unit)
    figures: list[NarrativeFigure] = []
    yoys = []
    recent: list[NarrativeFigure] = []
    prev_head = None
    prev_para = -1
    class_heading = None  # （一）一般公共服务（类）: the 类 of the 款/项 lines under it
    class_section = None
    for s in a.sentences:
        if s.paragraph_index != prev_para:
            prev_head = None
            prev_para = s.paragraph_index
        heading_class = class_only_path(s.text)
        if heading_class or s.is_heading or (class_heading and s.section != class_section):
            class_heading, class_section = heading_class, s.section
        if s.is_heading or s.paragraph_index in project_paras:
            continue
        if (s.part and "名词解释" in s.part) or (s.section and "名词解释" in s.section):
            continue
        ctx = SentenceContext(doc.source_file, meta.fiscal_year, code_at(s.line_number), settings.narrative_unit,
                              prev_head, recent, class_heading)
        figs, ys = parse_sentence(s, ctx)
        figures.extend(figs)
        yoys.extend(ys)
        if figs:
            prev_head = figs[0]
            recent.extend(figs)
            if len(recent) > _RECENT_WINDOW:
                del recent[:-_RECENT_WINDOW]
    entities = []
    primary = primary_entity(doc, meta, info)
    if primary is not None:
        entities.append(primary)
    entities.extend(info.units)
    return DocumentExtraction(document=None, entities=entities, narrative_figures=figures, yoy_changes=yoys,
                              projects=projects)
