"""Metadata extraction on small synthetic documents: names, codes, year, kind, place."""
from __future__ import annotations

from pathlib import Path

from extractors.narrative import extract_metadata, extract_narrative
from extractors.read import SourceDocument
from extractors.settings import DEFAULT_SETTINGS


def _meta(lines: list[str], dialect: str = "docx_text"):
    text = "\n".join(lines)
    doc = SourceDocument(source_file="m.txt", path=Path("m.txt"), content_hash=str(hash(text)), data=text.encode(),
                         text=text, lines=lines, dialect=dialect)
    return extract_metadata(doc, DEFAULT_SETTINGS), extract_narrative(doc, DEFAULT_SETTINGS)


def test_province_comes_from_the_gazetteer_when_not_written():
    meta, ext = _meta(["濉溪县人民政府办公室 2024 年部门预算", "濉溪县人民政府办公室2024年收支总预算1173.61万元。"], "prose")
    assert (meta.province, meta.city, meta.county, meta.adcode) == ("安徽省", "淮北市", "濉溪县", "340621")
    assert meta.fiscal_year == 2024 and meta.budget_kind == "部门预算" and meta.amount_unit == "万元"
    assert ext.entities[0].is_primary and ext.entities[0].scope == "department"


def test_ocr_variant_folds_onto_the_gazetteer_spelling():
    lines = ["埭桥区人民政府办公室 2023 年部门预算", "埭桥区人民政府办公室2023年收支总预算1623.35万元。",
             "埭桥区人民政府办公室2023年支出预算1623.35万元。", "部门名称：埇桥区人民政府办公室"]
    meta, _ = _meta(lines, "prose")
    assert meta.entity_name == "埇桥区人民政府办公室"
    assert (meta.city, meta.county, meta.adcode) == ("宿州市", "埇桥区", "341302")


def test_printed_codes_prefix_suffix_and_bracketed():
    meta, _ = _meta(["\t434保定市莲池区人民政府办公室", "\t预算年度：2025", "", "部门预算收支总表"])
    assert meta.entity_code == "434" and meta.fiscal_year == 2025
    meta, _ = _meta(["\t主管部门及代码", "\t淮北市杜集区人民政府办公室003001", "",
                     "淮北市杜集区人民政府办公室2025年收支总预算551.53万元。"])
    assert meta.entity_code == "003001"
    meta, _ = _meta(["\t\t主管部门及代码\t\t[103]淮北市相山区人民政府办公室\t\t实施单位\t\t淮北市相山区人民政府办公室",
                     "", "淮北市相山区人民政府办公室2024年收支总预算657.88万元。"], "markdown")
    assert meta.entity_code == "103"


def test_year_never_read_as_a_code():
    meta, _ = _meta(["保定市莲池区人民政府办公室2025年部门预算", "\t2025保定市莲池区人民政府办公室"])
    assert meta.entity_code is None and meta.fiscal_year == 2025


def test_department_with_units_and_unit_part_scoping():
    lines = ["\t434保定市莲池区人民政府办公室", "第一部分  保定市莲池区人民政府办公室2025年部门预算信息公开情况说明",
             "2025年我单位机关运行经费安排93.28万元。", "第二部分  部门所属单位预算",
             "一、保定市莲池区人民政府办公室本级收支预算", "\t434001保定市莲池区人民政府办公室本级", "",
             "2025年，我单位机关运行经费安排90.00万元。"]
    meta, ext = _meta(lines)
    assert meta.entity_code == "434" and meta.budget_kind == "部门预算"
    ents = {e.entity_code: e for e in ext.entities}
    assert ents["434"].is_primary and ents["434"].scope == "department"
    unit = ents["434001"]
    assert (unit.scope, unit.parent_entity_code, unit.entity_name, unit.line_number) == (
        "unit", "434", "保定市莲池区人民政府办公室本级", 6)
    op = [(f.entity_code, str(f.amount)) for f in ext.narrative_figures if f.measure == "operating_cost"]
    assert op == [(None, "93.28"), ("434001", "90.00")]


def test_unit_budget_kind_and_scope():
    meta, ext = _meta(["淮北市相山区财政局2024年单位预算", "淮北市相山区财政局2024年收支总预算100.00万元。"], "prose")
    assert meta.budget_kind == "单位预算"
    assert ext.entities[0].scope == "unit"


def test_amount_unit_yuan():
    meta, _ = _meta(["淮北市相山区财政局2024年部门预算", "淮北市相山区财政局2024年收支总预算1000000.00元，支出预算1000000.00元。"],
                    "prose")
    assert meta.amount_unit == "元"


def test_document_without_any_name_still_gets_metadata():
    meta, ext = _meta(["没有名字的文本。"], "prose")
    assert meta.entity_name is None and meta.fiscal_year is None
    assert ext.entities == []


def test_a_unit_named_after_its_department_is_not_the_departments_full_name():
    # C054 (西安): the department prints its units under its own name (…社会保障局信息中心); the
    # longest name containing the prose's 西安市人力资源和社会保障局 was taken as its full name
    lines = ["西安市人力资源和社会保障局", "2020年部门预算",
             "西安市人力资源和社会保障局2020年收支总预算182157.13万元。",
             "西安市人力资源和社会保障局共设置18个处（室）。",
             "序号\t单位名称", "1\t西安市人力资源和社会保障局（机关）", "8\t西安市人力资源和社会保障局信息中心"]
    meta, _ = _meta(lines, "prose")
    assert meta.entity_name == "西安市人力资源和社会保障局"
