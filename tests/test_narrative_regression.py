"""One regression test per narrative-extractor bug found while writing the goldens, plus the
wrapping guarantees of the brief (pdftotext breaks must not change any figure)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from extractors.narrative import extract_narrative
from extractors.narrative.figures import SentenceContext, clean_label, parse_sentence
from extractors.narrative.sentences import Sentence, paragraphs, sentences_of
from extractors.read import SourceDocument, detect_dialect
from extractors.settings import DEFAULT_SETTINGS


def make_doc(lines: list[str], dialect: str | None = None, name: str = "t.txt") -> SourceDocument:
    text = "\n".join(lines)
    return SourceDocument(source_file=name, path=Path(name), content_hash="h" + str(hash(text)), data=text.encode(),
                          text=text, lines=list(lines), dialect=dialect or detect_dialect(lines))


def figures_of(text: str, fiscal_year: int = 2025, section: str | None = None):
    return parse_sentence(Sentence(text, 1, section), SentenceContext("t.txt", fiscal_year))


def test_regression_reason_read_after_comparison():
    # REASON_RE was anchored with ^, which never matches at a match(pos) offset: reasons were lost
    _, yoys = figures_of("杜集区政府办2025年支出预算551.53万元，比2024年预算减少60.89万元，下降9.94%，原因主要是厉行节约。")
    assert len(yoys) == 1
    y = yoys[0]
    assert y.reason == "厉行节约"
    assert y.change_amount == Decimal("-60.89") and y.change_pct == Decimal("-9.94")
    assert y.implied_prior_amount == Decimal("612.42") and y.prior_year == 2024


def test_regression_reason_spans_semicolon_parts_but_not_next_figure():
    _, yoys = figures_of("本年收入1623.35万元，全部为一般公共预算拨款收入1623.35万元，占100%，比2022年预算增加317.35万元，"
                         "增长24.30%，增长主要原因：一是人员增加；二是人员工资调整。")
    assert yoys[0].reason == "一是人员增加；二是人员工资调整"
    _, yoys = figures_of("一般公共预算拨款收入551.53万元，占100%，比2024年预算减少60.89万元，下降9.94%，原因主要是厉行节约；"
                         "政府性基金预算拨款收入0万元，占0%，比2024年预算增加0万元，增长0%，原因主要是没有政府性基金预算拨款收入。")
    assert [y.reason for y in yoys] == ["厉行节约", "没有政府性基金预算拨款收入"]
    assert [y.measure for y in yoys] == ["revenue_general_budget", "revenue_gov_fund"]
    assert yoys[1].direction == "flat"


def test_regression_unit_funds_label_not_stripped():
    # LEAD_RE used to strip a leading 单位 / 部门: 单位资金收入 became 资金收入 → measure other
    figs, _ = figures_of("2025年预算收入为1331.05万元，其中：一般公共预算收入1331.05万元，单位资金收入0.00万元，上年结转结余0.00万元。")
    assert [f.measure for f in figs] == ["revenue_total", "revenue_general_budget", "revenue_unit_funds",
                                         "revenue_carryover"]


def test_regression_enumerator_fully_stripped_from_subject():
    # （一）人员经费 used to leave 一）人员经费 as the subject
    assert clean_label("（一）人员经费") == "人员经费"
    figs, _ = figures_of("（二）公用经费40.99万元，主要包括：办公费、邮电费。")
    assert figs[0].measure == "public" and figs[0].subject == "公用经费"


def test_regression_semicolon_at_line_end_does_not_end_wrapped_paragraph():
    # pdftotext: a list of 类 figures wrapped after “；” was cut in two paragraphs
    lines = [
        "支出按功能分类分为：一般公共服务支出 882.61",
        "",
        "万元，占 75.20%；社会保障和就业支出 158.32 万元，占 13.49%；",
        "",
        "卫生健康支出 43.12 万元，占 3.68%；住房保障支出 89.56 万元，",
        "",
        "占 7.63%。",
    ]
    paras = paragraphs(lines, "pdftotext")
    assert len(paras) == 1 and paras[0].line_number == 1
    assert "882.61万元" in paras[0].text


def test_regression_short_heading_line_not_glued_to_next_paragraph():
    # a 43-wide heading in a 57-wide pdftotext page was joined to the following paragraph
    body = "濉溪县人民政府办公室 2024 年一般公共预算基本支出 874.86 万元，其"
    lines = ["五、关于 2024年一般公共预算支出表的说明", "",
             "濉溪县人民政府办公室 2024 年一般公共预算支出 1173.61 万元，比 2023",
             "", "年预算增加 195.96 万元，增长 20%，原因主要是营商环境工作增加。", "",
             "六、关于 2024年一般公共预算基本支出表的说明", "", body, "",
             "中，人员经费 762.94 万元，公用经费 111.91 万元。"]
    sents = sentences_of(lines, "pdftotext")
    heads = [s.text for s in sents if s.is_heading]
    assert "六、关于2024年一般公共预算基本支出表的说明" in heads
    doc = make_doc(lines, "pdftotext")
    ext = extract_narrative(doc, DEFAULT_SETTINGS)
    basic = [f for f in ext.narrative_figures if f.measure == "basic"]
    assert basic and basic[0].amount == Decimal("874.86") and basic[0].line_number == 9


def test_pdftotext_wrapping_keeps_figures_and_first_line():
    lines = [
        "1.一般公共服务支出（类）政府办公厅（室）及相关机构事",
        "",
        "务（款）行政运行（项）2024 年预算 882.61",
        "",
        "万元，比 2023 年预算增加 142.17 万元，增长 19.2%，增长原因主要是营商环境",
        "\f工作增加。",
    ]
    doc = make_doc(lines, "pdftotext")
    ext = extract_narrative(doc, DEFAULT_SETTINGS)
    items = [f for f in ext.narrative_figures if f.measure == "function_item"]
    assert len(items) == 1
    f = items[0]
    assert (f.class_name, f.section_name, f.item_name) == ("一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行")
    assert f.amount == Decimal("882.61") and f.unit == "万元" and f.line_number == 1
    y = ext.yoy_changes[0]
    assert y.change_amount == Decimal("142.17") and y.reason == "营商环境工作增加"


def test_regression_short_name_comes_from_prose_not_table_cells():
    # the full name repeated in every 绩效目标表 cell outnumbered the prose form: short name was None
    cells = ["\t实施单位", "\t淮北市杜集区人民政府办公室", ""] * 5
    lines = ["从预算单位构成看，杜集区政府办2025年度部门预算仅包括局本级预算。",
             "杜集区政府办2025年收支总预算551.53万元。", "杜集区政府办2025年支出预算551.53万元。", ""] + cells
    from extractors.narrative import extract_metadata
    meta = extract_metadata(make_doc(lines, "docx_text"), DEFAULT_SETTINGS)
    assert meta.entity_name == "淮北市杜集区人民政府办公室"
    assert meta.entity_short_name == "杜集区政府办"
    assert (meta.province, meta.city, meta.county, meta.adcode) == ("安徽省", "淮北市", "杜集区", "340602")


def test_regression_threshold_amounts_are_not_figures():
    figs, _ = figures_of("截至2024年12月31日，杜集区政府办共有车辆2辆。单价50万元以上的通用设备0台（套），单价100万元以上的专用设备0台（套）。")
    assert [(f.measure, f.amount) for f in figs] == [("vehicles_held", Decimal("2"))]


def test_unparsed_name_path_is_kept_raw():
    figs, _ = figures_of("3、行政事业单位养老支出（款）行政单位离退休（项）2025年预算17.31万元。")
    assert len(figs) == 1
    f = figs[0]
    assert f.measure == "function_item" and f.class_name is None
    assert f.section_name == "行政事业单位养老支出" and f.item_name == "行政单位离退休"
    assert f.subject == "行政事业单位养老支出（款）行政单位离退休（项）"  # not clean: the raw path


def test_code_printed_in_sentence_is_kept_not_resolved():
    figs, _ = figures_of("1、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）2010301，2025年预算229.37万元。")
    assert figs[0].code_printed == "2010301"
    figs, _ = figures_of("1、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）2025年预算229.37万元。")
    assert figs[0].code_printed is None


def test_regression_flat_statement_in_its_own_sentence_links_to_previous_figure():
    lines = ["2025年我部门财政拨款“三公”经费预算安排21.00万元，其中因公出国（境）费0.00万元；公务用车购置及运维费18.00万元"
             "（其中：公务用车购置费为0.00万元，公务用车运维费18.00万元）；公务接待费3.00万元。与2024年一致。"]
    ext = extract_narrative(make_doc(lines, "docx_text"), DEFAULT_SETTINGS)
    measures = [f.measure for f in ext.narrative_figures]
    assert measures == ["three_public_total", "overseas_travel", "vehicle_total", "vehicle_purchase",
                        "vehicle_operation", "official_reception"]
    (y,) = ext.yoy_changes
    assert y.measure == "three_public_total" and y.direction == "flat" and y.prior_year == 2024
    assert y.implied_prior_amount == Decimal("21.00")


def test_regression_bare_change_links_to_earlier_figure_of_same_measure():
    lines = ["2025年支出预算1331.05万元，其中基本支出863.75万元；项目支出467.30万元。",
             "（三）比上年增减情况",
             "本年度预算收支安排1331.05万元，较上年增加277.42万元。其中:基本支出增加204.12万元，主要原因是机构改革增加了人员；"
             "项目支出增加73.3万元，主要原因是机构改革增加新的项目。"]
    ext = extract_narrative(make_doc(lines, "docx_text"), DEFAULT_SETTINGS)
    by = {y.measure: y for y in ext.yoy_changes}
    assert by["basic"].implied_prior_amount == Decimal("659.63")
    assert by["project"].current_amount == Decimal("467.30") and by["project"].reason == "机构改革增加新的项目"
    assert by["total_budget"].prior_year == 2024 and by["total_budget"].change_pct is None


def test_project_amount_variants_and_quotes():
    lines = ["（一）项目及绩效目标情况。", "1、“调研活动经费”项目。", "（3）实施主体。", "淮北市杜集区人民政府办公室。",
             "（4）起止时间。", "2025年1月1日至12月31日。", "（6）年度预算安排。", "52.5万元。",
             "2、“政务网络及新媒体项目”项目。", "（6）年度预算安排。25万", "3、日常办公经费项目。", "（6）年度预算安排。6.27万",
             "（二）机关运行经费。", "杜集区政府办2025年机关运行经费财政拨款预算40.99万元。"]
    ext = extract_narrative(make_doc(lines, "docx_text"), DEFAULT_SETTINGS)
    got = [(p.project_name, p.amount, p.unit) for p in ext.projects]
    assert got == [("调研活动经费", Decimal("52.5"), "万元"), ("政务网络及新媒体项目", Decimal("25"), "万元"),
                   ("日常办公经费", Decimal("6.27"), "万元")]
    assert ext.projects[0].period == "2025年1月1日至12月31日"
    assert ext.projects[0].implementing_unit == "淮北市杜集区人民政府办公室"
    assert ext.projects[0].line_number == 2
    # the project block's amounts are projects, not figures; the next subsection is read again
    assert [f.measure for f in ext.narrative_figures] == ["operating_cost"]


def test_regression_prose_directly_under_a_docx_cell_is_prose():
    # every non-blank line under a cell used to count as the cell's continuation, so a
    # paragraph printed right after a table (no blank line) was dropped
    lines = ["\t434保定市莲池区人民政府办公室", "2025年我单位机关运行经费安排93.28万元，主要用于日常维修。",
             "\t项目资金", "（万元）", "\t年度资金总额："]
    ext = extract_narrative(make_doc(lines, "docx_text"), DEFAULT_SETTINGS)
    assert [(f.measure, f.amount) for f in ext.narrative_figures] == [("operating_cost", Decimal("93.28"))]


def test_regression_share_of_a_quoted_base():
    # 省人大 2018 p27 / 委办 p11: “占“三公”经费的26.69%” — the quotes of the base's name stopped the
    # share pattern, so the three “三公” items came without their shares
    figs, _ = figures_of("江苏省人大常委会办公厅部门2018年度一般公共预算拨款安排的“三公”经费预算支出中，"
                         "因公出国（境）费支出222.5万元，占“三公”经费的26.69%；公务用车购置及运行费支出183.6万元，"
                         "占“三公”经费的22.03%；公务接待费支出427.5万元，占“三公”经费的51.28%。", fiscal_year=2018)
    got = [(f.measure, f.amount, f.share_pct) for f in figs]
    assert got == [("overseas_travel", Decimal("222.5"), Decimal("26.69")),
                   ("vehicle_total", Decimal("183.6"), Decimal("22.03")),
                   ("official_reception", Decimal("427.5"), Decimal("51.28"))]


def test_regression_year_end_carryover_is_not_the_prior_years_carryover():
    # C008 p9: （三）年终结转结余资金560823.20万元 is carried into next year (a part of the 支出 side),
    # was read as revenue_carryover (上年结转), beside the sentence's real 上年结转结余 1,140,406.84
    figs, _ = figures_of("（三）年终结转结余资金560823.20万元。")
    assert [(f.measure, f.amount) for f in figs] == [("expenditure_carryover", Decimal("560823.20"))]
    figs, _ = figures_of("上年结转结余1140406.84万元。")
    assert [f.measure for f in figs] == ["revenue_carryover"]


def test_regression_measures_named_in_other_words():
    # the prose's headline figures in the words other provinces use (page-read stated totals of the
    # corpus goldens, `make bench-accuracy` "stated totals"): 人员支出 / 日常公用支出 (杭州 C033 p7-8),
    # 财政拨款运行经费 (重庆 C023 p2), 财政拨款收入合计 / 支出合计 (佛山 C061 p25-26), 本部门财政拨款收入预算
    # 总计 (西安 C054 p12): each was `other`, `revenue_general_budget`, `revenue_current_year` or all
    # funds' `revenue_total`
    def measures(text):
        return [(f.measure, f.amount) for f in figures_of(text, 2026)[0]]

    assert measures("其中：人员支出2,906.80万元，日常公用支出838.27万元。") == [
        ("personnel", Decimal("2906.80")), ("public", Decimal("838.27"))]
    assert measures("2026年一般公共预算财政拨款运行经费137.15万元。")[0] == ("operating_cost", Decimal("137.15"))
    assert measures("佛山市轨道交通局2019年度财政拨款收入合计1668.14万元。")[0] == (
        "fiscal_appropriation_total", Decimal("1668.14"))
    assert measures("本部门财政拨款收入预算总计181807.13万元，全部为一般公共预算拨款。")[0] == (
        "fiscal_appropriation_total", Decimal("181807.13"))
