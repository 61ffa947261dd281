"""Regression tests for table classification found on the development PDFs."""
from extractors.tables.classify import classify_title


def test_regression_operating_cost_table_is_not_a_function_expenditure_table():
    # Jiangsu 2018: its rows are economic codes of 机关运行经费; as a function table it was counted twice
    assert classify_title("一般公共预算机关运行经费支出预算表") == "operating_cost"
    assert classify_title("2018年机关运行经费支出表") == "operating_cost"


def test_appropriation_and_general_budget_tables_keep_their_kinds():
    assert classify_title("财政拨款支出预算表") == "general_budget_expenditure"
    assert classify_title("一般公共预算支出预算表") == "general_budget_expenditure"
    assert classify_title("部门预算一般公共预算财政拨款基本支出表") == "general_budget_basic_expenditure"


def test_three_public_table_that_also_names_the_operating_cost_stays_three_public():
    assert classify_title("2025年财政拨款“三公”经费和机关运行经费预算表") == "three_public_expenditure"
