"""The findings report (budget_warehouse/report.py) on the samples and the development PDFs, read
in a real headless Chromium (Debian's package, installed by scripts/install_test_browser.sh when
missing): the pages load, the Chinese is drawn with a Chinese font, every finding on the index
links to its place on an existing page, the PDF crops exist and load, the figures are the
documents'."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser import Browser, chromium

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
PDFS = ROOT / "tests" / "fixtures" / "pdf"
CZJ = "sh_putuo_czj_2025_dept_budget.pdf"


@pytest.fixture(scope="module")
def site(test_warehouse, tmp_path_factory):
    from budget_warehouse.report import build_report

    return build_report(test_warehouse, RAW, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def pdf_site(dev_pdfs_warehouse, tmp_path_factory):
    from budget_warehouse.report import build_report

    return build_report(dev_pdfs_warehouse, PDFS, tmp_path_factory.mktemp("pdf_report"))


@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    if not exe:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing and could not be installed (scripts/install_test_browser.sh)")
        pytest.skip("chromium is missing (run scripts/install_test_browser.sh as root)")
    with Browser.start(exe) as b:
        yield b


def _finding(con, source_prefix: str, rule: str, status: str = "fail"):
    return con.execute("""select r.finding_id, r.expected_wan, r.actual_wan from marts.fct_reconciliation r
                          join marts.dim_budget_entity e using (entity_id)
                          where e.source_file like ? and r.rule_id = ? and r.status = ? order by r.source_ref""",
                       [source_prefix + "%", rule, status]).fetchall()


# ------------------------------------------------------------------------------ without a browser

def test_make_run_writes_the_report_beside_the_warehouse(test_warehouse):
    # `make test`'s pipeline runs end by building it (dagster_project/run.py findings_report)
    index = test_warehouse.parent / "report" / "index.html"
    assert index.is_file()
    assert "宿州市埇桥区人民政府办公室" in index.read_text(encoding="utf-8")


def test_one_page_per_document(site, wh):
    files = {r[0] for r in wh.execute("select distinct source_file from marts.dim_budget_entity").fetchall()}
    assert set(site.pages) == files and len(files) == 5
    assert all(p.is_file() and p.parent == site.out_dir for p in site.pages.values())


def test_no_page_needs_the_internet(site, pdf_site):
    from test_docs_offline import remote_assets

    for out in (site.out_dir, pdf_site.out_dir):
        for page in out.glob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert remote_assets(text) == [], page
            assert "<script" not in text, page


def test_pure_helpers():
    from decimal import Decimal

    from budget_warehouse.report import crop_box, fmt_amount, message_lines, parse_ref, row_extents

    assert parse_ref("a/b.pdf:p7:87") == ("a/b.pdf", 7, 87) and parse_ref("x.txt:61") == ("x.txt", None, 61)
    assert parse_ref(None) is None
    assert message_lines("… of fiscal_appropriation_total 1173.61 (line 140)") == [140]
    assert fmt_amount(Decimal("1080.620000")) == "1,080.62" and fmt_amount(Decimal("87.361700")) == "87.3617"
    assert fmt_amount(Decimal("-0.110000")) == "-0.11" and fmt_amount(None) == "—"
    # one-cell-per-line text: a row runs to the next row of its table
    assert row_extents([(1, 10), (1, 14), (2, 20)], 12) == {10: 13, 14: 14, 20: 20}
    assert crop_box([(10, 100, 300, 112)], 595, 842, 4) == (6, 96, 304, 116)
    assert crop_box([(10, -60, 300, -50)], 595, 842, 4) is None  # above the page
    assert crop_box([(10, -6, 300, 8)], 595, 842, 4) is None  # partly above it


# --------------------------------------------------------------------------------- in Chromium

def _url(path: Path, anchor: str = "") -> str:
    return path.resolve().as_uri() + (f"#{anchor}" if anchor else "")


def test_index_loads_and_every_finding_links_to_its_page(site, browser, wh):
    browser.open(_url(site.index))
    assert browser.eval("document.title").startswith("预算公开文件对账报告")
    links = browser.eval("[...document.querySelectorAll('a.finding-link')].map(a => a.href)")
    n_check = wh.execute("select count(*) from marts.fct_reconciliation "
                         "where status in ('fail', 'unverified', 'incomplete', 'rounding')").fetchone()[0]
    assert len(links) == n_check and n_check >= 100
    by_page: dict[Path, set[str]] = {}
    for href in links:
        u = urlsplit(href)
        assert u.scheme == "file" and u.fragment.startswith("f-"), href
        by_page.setdefault(Path(unquote(u.path)), set()).add(u.fragment)
    assert set(by_page) <= set(site.pages.values())
    for page, anchors in by_page.items():
        browser.open(_url(page))
        missing = browser.eval(f"{sorted(anchors)!r}.filter(id => !document.getElementById(id))")
        assert missing == [], page
    # the document links of the index
    browser.open(_url(site.index))
    docs = browser.eval("[...document.querySelectorAll('table a:not(.finding-link)')].map(a => a.href)")
    assert {Path(unquote(urlsplit(h).path)) for h in docs} == set(site.pages.values())


def test_the_chinese_is_drawn_with_a_chinese_font(site, browser):
    page = site.pages["003_638e0d246034f851.txt"]
    browser.open(_url(page))
    title = browser.eval("document.querySelector('h1').firstChild.textContent.trim()")
    assert title == "宿州市埇桥区人民政府办公室"
    fonts = browser.platform_fonts("h1")
    cjk = [f for f in fonts if re.search(r"CJK|WenQuanYi|Hei|Song|Ming|Han Sans|Han Serif|Fallback", f["familyName"])]
    assert sum(f["glyphCount"] for f in cjk) >= len(title), fonts
    # the page is drawn, not blank: many dark pixels in the screenshot
    from PIL import Image

    img = Image.open(io.BytesIO(browser.screenshot())).convert("L")
    dark = sum(img.histogram()[:128])
    assert img.size[0] >= 1000 and dark > 5000, (img.size, dark)


def test_a_finding_shows_its_rule_figures_and_source_lines(site, browser, wh):
    # 003 p.一般公共预算基本支出表: 类 302 商品和服务支出 prints 149.72, its 款 add up to 149.61
    [(fid, expected, actual)] = _finding(wh, "003_", "hierarchy_parent_sum")
    assert (str(expected), str(actual)) == ("149.720000", "149.610000")
    browser.open(_url(site.pages["003_638e0d246034f851.txt"], f"f-{fid}"))
    text = browser.eval(f"document.getElementById('f-{fid}').innerText")
    assert "每个类 = 所属款之和" in text and "Each printed 类 = Σ its 款" in text
    assert "149.72" in text and "149.61" in text and "-0.11" in text
    # the printed line itself (text document): 302 商品和服务支出 149.72 on line 199
    hit = browser.eval(f"document.getElementById('f-{fid}').querySelector('pre.lines .hit').innerText")
    assert "199" in hit and "商品和服务支出" in hit and "149.72" in hit


def test_entity_totals_and_chart_by_class(site, browser):
    # 002: the department and its only unit (…本级) print the same 201 一般公共服务支出 1,080.62
    browser.open(_url(site.pages["002_26df1c49268341e3.txt"]))
    names = browser.eval("[...document.querySelectorAll('h2')].map(h => h.innerText)")
    assert names == ["保定市莲池区人民政府办公室", "保定市莲池区人民政府办公室本级"]
    charts = browser.eval("[...document.querySelectorAll('svg.chart')].map(s => s.textContent)")
    assert len(charts) == 2 and all("201 一般公共服务支出" in c and "1,080.62" in c for c in charts)
    heights = browser.eval("[...document.querySelectorAll('svg.chart rect')].map(r => r.getBBox().width)")
    assert len(heights) == 8 and max(heights) > 300  # 201 is the longest bar
    totals = browser.eval("document.querySelector('table.totals').innerText")
    assert "支出合计" in totals and "1,331.05" in totals


def test_pdf_findings_show_a_crop_of_the_page(pdf_site, dev_pdfs_warehouse, browser):
    import duckdb

    con = duckdb.connect(str(dev_pdfs_warehouse), read_only=True)
    try:
        # p7: 职业年金缴费支出 printed as 887.36 万元 in the prose, 873,617 元 in the p15 table
        [(fid, expected, actual)] = con.execute(
            "select finding_id, expected_wan, actual_wan from marts.fct_reconciliation "
            "where rule_id = 'narrative_vs_table' and subject = 'function_item:2080506 @ 87#0'").fetchall()
    finally:
        con.close()
    assert (str(expected), str(actual)) == ("87.361700", "887.360000")
    assert pdf_site.n_crops >= 10
    page = pdf_site.pages[CZJ]
    browser.open(_url(page, f"f-{fid}"))
    text = browser.eval(f"document.getElementById('f-{fid}').innerText")
    assert "87.3617" in text and "887.36" in text and "第 7 页" in text
    src = browser.eval(f"document.getElementById('f-{fid}').querySelector('img.crop').getAttribute('src')")
    crop = pdf_site.out_dir / unquote(src)
    assert crop.is_file() and crop.parent.name == "crops"
    from PIL import Image

    img = Image.open(crop).convert("L")
    # a line of 700 pt at 2 px/pt, three lines high; printed text on it
    assert img.size[0] > 1000 and 40 < img.size[1] < 200, img.size
    assert sum(img.histogram()[:100]) > 500
    # every image of the page loaded in the browser
    # sh_putuo_czj p8's text layer repeats p7's sentence where it is not all drawn (887.36万 runs past
    # the page's right edge; its copy of items 1-6, above the page, is not read at all): a note, no crop
    [(fid_hidden,)] = duckdb.connect(str(dev_pdfs_warehouse), read_only=True).execute(
        "select finding_id from marts.fct_reconciliation where rule_id = 'narrative_vs_table' "
        "and subject = 'function_item:2080506 @ 97#0'").fetchall()
    hidden = browser.eval(f"document.getElementById('f-{fid_hidden}').innerText")
    assert "nothing is drawn there on page 8" in hidden
    assert browser.eval(f"document.getElementById('f-{fid_hidden}').querySelectorAll('img').length") == 0
    broken = browser.eval("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
    assert broken == [] and browser.eval("document.images.length") >= 10


def test_a_disclosure_of_two_files_names_both():
    # C008 + C009 (北京市教育委员会 附件1 情况说明 + 附件2 报表) are one entity: source_files
    # 'C008.pdf;C009.pdf'; the page listed it as one file name with a ';' in it
    from budget_warehouse.report import files_of
    assert files_of([{"source_files": "C008.pdf;C009.pdf", "source_file": "C008.pdf"}]) == ["C008.pdf", "C009.pdf"]
    assert files_of([{"source_files": None, "source_file": "a.pdf"}]) == ["a.pdf"]
