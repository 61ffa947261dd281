"""`budget-warehouse export` / `make export` on the sample warehouse `make test` builds."""
import csv
import io
from decimal import Decimal

import pytest


@pytest.fixture(scope="module")
def exported(test_warehouse, tmp_path_factory):
    from budget_warehouse.export import export

    out = tmp_path_factory.mktemp("export")
    return export(test_warehouse, out, log=lambda msg: None)


def test_default_folder_is_beside_the_warehouse(tmp_path):
    from budget_warehouse.export import default_out_dir

    assert default_out_dir(tmp_path / "w" / "budget.duckdb") == (tmp_path / "w" / "export").resolve()


def test_every_mart_is_exported(exported, wh):
    marts = [r[0] for r in wh.execute("select table_name from information_schema.tables "
                                      "where table_schema = 'marts' order by 1").fetchall()]
    assert "fct_function_expenditure_additive" in marts and "dim_label" in marts
    assert sorted(exported.marts) == marts
    for m in marts:
        assert (exported.out_dir / "parquet" / f"{m}.parquet").is_file(), m
        assert (exported.out_dir / "csv" / f"{m}.csv").is_file(), m


def test_csv_has_a_bom_and_the_chinese_name(exported):
    raw = (exported.out_dir / "csv" / "dim_budget_entity.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert "保定市莲池区人民政府办公室本级" in {r["entity_name"] for r in rows}
    # money printed exactly: 002's 201 row of 1080.62 is not a float
    facts = list(csv.DictReader(io.StringIO(
        (exported.out_dir / "csv" / "fct_three_public_expense.csv").read_text(encoding="utf-8-sig"))))
    assert {"vehicle_operation": "18.000000"}.items() <= {r["item"]: r["amount_wan"] for r in facts}.items()


def test_parquet_rows_and_decimal_types(exported, wh):
    import pyarrow.parquet as pq

    for m, n in exported.marts.items():
        assert pq.read_metadata(exported.out_dir / "parquet" / f"{m}.parquet").num_rows == n, m
    table = pq.read_table(exported.out_dir / "parquet" / "fct_function_expenditure.parquet")
    assert str(table.schema.field("amount_wan").type) == "decimal128(18, 6)"
    # 003: 2210202 提租补贴 20.51 (basic)
    amounts = {(r["functional_code"], r["expenditure_type"]): r["amount_wan"] for r in table.to_pylist()
               if r["source_ref"].startswith("003_")}
    assert amounts[("2210202", "basic")] == Decimal("20.51")


def test_xlsx_sheet_per_mart_with_labels(exported):
    import openpyxl

    wb = openpyxl.load_workbook(exported.out_dir / "marts.xlsx", read_only=True)
    contents = list(wb["contents"].iter_rows(min_row=2, values_only=True))
    sheets = {mart.removeprefix("marts."): sheet for mart, sheet, _rows, _note in contents}
    assert sorted(sheets) == sorted(exported.marts)
    assert set(wb.sheetnames) == {"contents", *sheets.values()}
    assert all(len(s) <= 31 for s in wb.sheetnames)
    rows = list(wb[sheets["fct_three_public_expense"]].iter_rows(values_only=True))
    header, data = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    assert header[:5] == ("entity_id", "entity_name", "item", "item_zh", "item_en")
    # 002 p.“三公”经费支出表: 公务用车运行维护费 18.00 (万元); 因公出国（境）费 0.00 from the prose
    dept = {r["item"]: r for r in data if r["entity_name"] == "保定市莲池区人民政府办公室"}
    assert dept["vehicle_operation"]["amount_wan"] == 18 and dept["vehicle_operation"]["item_zh"] == "公务用车运行维护费"
    assert dept["overseas_travel"]["amount_wan"] == 0 and dept["overseas_travel"]["evidence_zh"] == "文字说明"
    # cents survive: 003's 提租补贴 20.51
    fn = list(wb[sheets["fct_function_expenditure"]].iter_rows(values_only=True))
    fn = [dict(zip(fn[0], r)) for r in fn[1:]]
    row = next(r for r in fn if r["functional_code"] == "2210202" and r["source_ref"].startswith("003_"))
    assert Decimal(str(row["amount_wan"])) == Decimal("20.51") and row["functional_code_name"] == "提租补贴"
    assert row["fund_scope_en"] == "General public budget"


def test_sheet_names_are_short_and_unique():
    from budget_warehouse.export import sheet_names

    names = sheet_names(["fct_function_expenditure_additive", "fct_three_public_expense_additive",
                         "x" * 40, "x" * 41])
    assert names["fct_function_expenditure_additive"] == "fct_function_exp_additive"
    assert names["fct_three_public_expense_additive"] == "fct_three_public_exp_additive"
    assert len(set(names.values())) == 4 and all(len(n) <= 31 for n in names.values())


def test_missing_warehouse_is_named(tmp_path):
    from budget_warehouse.export import export

    with pytest.raises(FileNotFoundError, match="nothere.duckdb"):
        export(tmp_path / "nothere.duckdb", tmp_path / "out", log=lambda m: None)
