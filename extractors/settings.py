"""All extractor settings in one place (one dataclass, plus the vocabularies it refers to)."""
from __future__ import annotations

from dataclasses import dataclass, field

# Table kinds the classifier assigns (staging.tables.table_kind).
TABLE_KINDS: dict[str, str] = {
    "income_expenditure_summary": "收支总表",
    "revenue_summary": "收入总表",
    "expenditure_summary": "支出总表",
    "fiscal_appropriation_summary": "财政拨款收支总表",
    "general_budget_expenditure": "一般公共预算（财政拨款）支出表",
    "general_budget_basic_expenditure": "一般公共预算（财政拨款）基本支出表",
    "gov_fund_expenditure": "政府性基金预算（财政拨款）支出表",
    "state_capital_expenditure": "国有资本经营预算（财政拨款）支出表",
    "three_public_expenditure": "“三公”经费支出表",
    "project_expenditure": "项目支出表",
    "government_procurement": "政府采购（支出）表",
    "government_purchase_services": "政府购买服务支出表",
    "fixed_assets": "固定资产占用情况表",
    "performance_targets": "项目支出绩效目标表",
    "operating_cost": "机关运行经费（支出）表",
    "unit_composition": "单位构成表",
    "three_public_comparison": "“三公”经费预算情况及增减变化（两年对比）表",
    "meeting_training_detail": "会议费 / 培训费明细表",
    "unknown": "未识别表格",
}

# Meanings of amount columns (staging.table_amounts.column_key).
COLUMN_KEYS: dict[str, str] = {
    "total": "合计 / 预算数 / 总计",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "current_year_revenue": "本年收入（小计）",
    "fiscal_appropriation": "财政拨款（收入）",
    "general_budget": "一般公共预算（拨款）",
    "gov_fund": "政府性基金预算（拨款）",
    "state_capital": "国有资本经营预算（拨款）",
    "fiscal_special_account": "财政专户管理资金（收入）",
    "business_income": "事业收入",
    "operating_income": "经营收入 / 事业单位经营收入",
    "superior_subsidy": "上级补助收入",
    "subsidiary_remittance": "附属单位上缴收入",
    "other_income": "其他收入",
    "unit_funds": "单位资金",
    "carryover": "上年结转（结余）",
    "operating_expenditure": "事业单位经营支出",
    "subsidy_to_subsidiary": "对附属单位补助支出",
    "remittance_to_superior": "上缴上级支出",
    "overseas_travel": "因公出国（境）费",
    "vehicle_total": "公务用车购置及运行费（小计）",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "official_reception": "公务接待费",
    "three_public_total": "“三公”经费合计",
    "meeting": "会议费",
    "training": "培训费",
    "operating_cost": "机关运行经费",
    "prior_year": "上年预算数",
    "quantity": "数量",
    "asset_value": "价值（固定资产）",
    "change": "增减金额",
    "unit_price": "单价",
    "other": "其他（未识别的列，见 column_label）",
}

# Narrative measures (staging.narrative_figures.measure).
NARRATIVE_MEASURES: dict[str, str] = {
    "total_budget": "收支总预算",
    "revenue_total": "收入预算（合计）",
    "revenue_current_year": "本年收入",
    "revenue_general_budget": "一般公共预算拨款收入",
    "revenue_gov_fund": "政府性基金预算拨款收入",
    "revenue_state_capital": "国有资本经营预算拨款收入",
    "revenue_fiscal_special_account": "财政专户管理资金收入",
    "revenue_unit_funds": "单位资金收入",
    "revenue_carryover": "上年结转",
    "expenditure_carryover": "年终结转结余（支出方，结转下年）",
    "revenue_other_funds": "其他资金收入",
    "expenditure_total": "支出预算（合计）",
    "fiscal_appropriation_total": "财政拨款收支预算",
    "general_budget_expenditure": "一般公共预算支出",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "operating_cost": "机关运行经费",
    "procurement_total": "政府采购预算",
    "purchase_services_total": "政府购买服务预算",
    "three_public_total": "“三公”经费合计",
    "overseas_travel": "因公出国（境）费",
    "vehicle_total": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "official_reception": "公务接待费",
    "meeting": "会议费",
    "training": "培训费",
    "function_class": "功能分类 类 金额（及占比）",
    "function_section": "功能分类 款 金额",
    "function_item": "功能分类 项 金额（类/款/项路径）",
    "vehicles_held": "车辆数（辆）",
    "fixed_assets_total": "固定资产（万元）",
    "project_count": "项目个数",
    # added by the narrative extractor
    "revenue_fiscal_current_year": "本年财政拨款收入（财政拨款收支总表说明：按资金年度）",
    "project_funding_source": "项目支出资金来源（本年财政拨款安排 / 一般公共预算拨款安排 …，见 subject）",
    "procurement_goods": "政府采购货物预算",
    "procurement_works": "政府采购工程预算",
    "procurement_services": "政府采购服务预算",
    "fixed_assets_purchase": "本年度拟购置固定资产（万元）",
    "performance_target_funds": "实行绩效目标管理的资金（涉及…当年财政拨款，见 subject）",
    "performance_evaluated_funds": "绩效评价 / 绩效自评涉及的资金（涉及一般公共预算支出…万元，见 subject）",
    "vehicles_purchase_planned": "预算安排购置公务用车（辆）",
    "other": "其他金额（未归类，见 subject）",
}

AMOUNT_UNITS = ("万元", "元")


@dataclass(frozen=True)
class ExtractSettings:
    """Knobs of the extractors. One instance is passed through every stage."""

    # read
    max_bytes: int = 50 * 1024 * 1024
    encodings: tuple[str, ...] = ("utf-8-sig", "gb18030")
    binary_control_ratio: float = 0.02  # share of control bytes above which a file is binary
    # blocks / classify
    default_unit: str = "万元"
    max_title_distance_lines: int = 6  # how far above a grid a title may stand
    empty_table_markers: tuple[str, ...] = ("本表无数据", "空表列示", "无数据", "本表为空")
    # parse
    functional_code_lengths: tuple[int, ...] = (3, 5, 7)
    economic_code_lengths: tuple[int, ...] = (3, 5, 7)  # 7: a 款’s local items (3021101 差旅费 under 30211, 北京 / 重庆 / 广东)
    # functional tables printed by name only get their codes from the catalog (extractors.tables.
    # names); the document is read again without when some of its tables could not be coded
    functional_codes_by_name: bool = True
    # a column whose printed label names one of these holds text, not amounts, even when all its
    # cells are blank (政府采购目录序号, 计量单位, 采购方式 …): its cells go to TableRow.text_cells
    # a head count (会议费明细表 人数) or a score (绩效自评 自评分数 / 得分) is a figure, not money
    text_column_labels: tuple[str, ...] = ("计量单位", "目录序号", "变化原因", "采购方式", "组织形式", "采购品目",
                                           "人数", "分数", "得分")
    # table kinds printing words only (no amount, no code): every row under the header is a data row
    text_table_kinds: tuple[str, ...] = ("unit_composition",)
    # narrative
    narrative_unit: str = "万元"
    # pdf
    pdf_min_chars_per_page: int = 20  # fewer means no text layer (scanned)
    # PDF page reader: "pdfium" (extractors.native.pagemodel, pdfplumber for the pages it does not
    # read: a warning row names each) or "pdfplumber" (every page). Both give the same records on the
    # corpus and the dev PDFs but for boxes within 0.1 pt (pdfium computes in float32; a few
    # glyphs, page numbers mostly, have another advance width in pdfium: their x1 only).
    pdf_reader: str = "pdfium"
    extra: dict = field(default_factory=dict)


DEFAULT_SETTINGS = ExtractSettings()
