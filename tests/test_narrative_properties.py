"""Property tests: random text into the sentence parsers gives records or ExtractionError,
never another exception; and the extractor stays linear in the document size."""
from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.errors import ExtractionError
from extractors.narrative import extract_metadata, extract_narrative
from extractors.narrative.figures import SentenceContext, find_paths, parse_sentence
from extractors.narrative.sentences import Sentence, paragraphs, split_sentences
from extractors.narrative.yoy import find_yoy
from extractors.read import SourceDocument, read_document
from extractors.records import DocumentExtraction, DocumentMeta, NarrativeFigure, YoyChange

TOKENS = ["比2024年预算", "较上年", "增加", "减少", "增长", "下降", "万元", "元", "万", "%", "占", "，", "；", "。", "：",
          "（类）", "（款）", "（项）", "(类)", "（", "）", "1、", "（一）", "一般公共服务支出", "行政运行", "基本支出",
          "项目支出", "三公", "人员经费", "原因主要是", "共有车辆", "辆", "个项目实行了绩效目标管理", "“", "”", "项目",
          "年度预算安排", "年度资金总额：", "\t", " ", "\n", "\f", "2025年", "第二部分部门所属单位预算", "434", "与2024年一致"]
numbers = st.one_of(st.integers(0, 99999).map(str), st.decimals(0, 9999, places=2).map(str), st.just("1,623.35"))
pieces = st.one_of(st.sampled_from(TOKENS), numbers, st.text(max_size=6))
budgetish = st.lists(pieces, max_size=60).map("".join)


def _doc(text: str, dialect: str) -> SourceDocument:
    lines = text.split("\n")
    return SourceDocument(source_file="h.txt", path=Path("h.txt"), content_hash="h", data=text.encode("utf-8", "replace"),
                          text=text, lines=lines, dialect=dialect)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budgetish, st.one_of(st.none(), st.integers(1990, 2100)))
def test_sentence_parser_returns_records_or_extraction_error(text, year):
    try:
        figs, yoys = parse_sentence(Sentence(text, 1, None), SentenceContext("h.txt", year))
    except ExtractionError:
        return
    assert all(isinstance(f, NarrativeFigure) and isinstance(f.amount, Decimal) for f in figs)
    assert all(isinstance(y, YoyChange) for y in yoys)
    find_paths(text)
    find_yoy(text, year)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budgetish, st.sampled_from(["docx_text", "markdown", "pdftotext", "prose"]))
def test_document_extraction_returns_records_or_extraction_error(text, dialect):
    doc = _doc(text, dialect)
    try:
        ext = extract_narrative(doc, _settings())
        meta = extract_metadata(doc, _settings())
    except ExtractionError:
        return
    assert isinstance(ext, DocumentExtraction) and isinstance(meta, DocumentMeta)
    for f in ext.narrative_figures:
        assert 1 <= f.line_number <= max(1, len(doc.lines))
    sents = split_sentences(paragraphs(doc.lines, dialect))
    assert all(s.line_number >= 1 for s in sents)


def _settings():
    from extractors.settings import DEFAULT_SETTINGS
    return DEFAULT_SETTINGS


def test_linear_time_on_a_large_document():
    """1,000 documents must extract in well under a minute: one big document (the five samples
    concatenated 8 times, ~110k lines) must take about as long as its parts."""
    root = Path(__file__).resolve().parents[1] / "raw"
    lines: list[str] = []
    for p in sorted(root.glob("*.txt")):
        lines.extend(read_document(p, root).lines)
    big = _doc("\n".join(lines * 8), "pdftotext")
    start = time.perf_counter()
    extract_narrative(big, _settings())
    elapsed = time.perf_counter() - start
    assert elapsed < 15, f"{elapsed:.1f}s for {len(big.lines)} lines"


def test_thousand_documents_well_under_a_minute():
    root = Path(__file__).resolve().parents[1] / "raw"
    docs = [read_document(p, root) for p in sorted(root.glob("*.txt"))]
    start = time.perf_counter()
    for i in range(40):  # 200 documents
        for d in docs:
            extract_narrative(d, _settings())
            extract_metadata(d, _settings())
            d.content_hash = d.content_hash[:64] + str(i)  # defeat the per-document memo
    elapsed = time.perf_counter() - start
    assert elapsed < 12, f"{elapsed:.1f}s for 200 documents (1,000 would take {elapsed * 5:.0f}s)"
