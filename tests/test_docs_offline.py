"""`make docs` writes only pages that work offline: dbt docs as one static page and the findings
report; no Great Expectations Data Docs (their CSS and JavaScript came from CDNs, issue 15)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# an element that loads what it names (script, style sheet, image, frame …) from http(s) or //host
_TAG = re.compile(r"""<(?:script|link|img|iframe|frame|source|video|audio|embed|object|track|image|use)\b[^>]*?"""
                  r"""\s(?:src|href|data|srcset|poster|xlink:href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", re.I)
# CSS that loads from the web: url(http…), @import "http…"
_CSS = re.compile(r"""(?:url\(\s*["']?|@import\s+(?:url\(\s*)?["']?)\s*((?:https?:)?//[^"')\s]+)""", re.I)


def remote_assets(html: str) -> list[str]:
    """The http(s) (or protocol-relative) addresses a page loads its assets from."""
    return [m.group(1) for m in _TAG.finditer(html)] + [m.group(1) for m in _CSS.finditer(html)]


def test_remote_assets_finds_cdn_links():
    page = ('<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/b.css"><script src="//code.jquery.com/j.js">'
            '</script><style>@import "https://x/y.css"; .a { background: url(http://x/i.png) }</style>'
            '<a href="https://greatexpectations.io">a link is no asset</a><img src="crops/a.png">')
    assert remote_assets(page) == ["https://maxcdn.bootstrapcdn.com/b.css", "//code.jquery.com/j.js",
                                   "https://x/y.css", "http://x/i.png"]


def test_make_docs_writes_no_page_that_needs_the_internet(test_warehouse, tmp_path):
    # on a copy: dbt docs generate opens the warehouse to read its catalog
    shutil.copy(test_warehouse, tmp_path / "budget.duckdb")
    env = dict(os.environ, BUDGET_WAREHOUSE=str(tmp_path / "budget.duckdb"), DBT_DOCS_TARGET=str(tmp_path / "dbt"),
               REPORT_ARGS=f"--out {tmp_path / 'report'}")
    started = time.time()
    proc = subprocess.run(["make", "--no-print-directory", "docs"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    static = tmp_path / "dbt" / "static_index.html"
    assert static.is_file() and str(static) in proc.stdout
    pages = [p for p in tmp_path.rglob("*.html")]
    assert static in pages and tmp_path / "report" / "index.html" in pages
    for page in pages:
        assert remote_assets(page.read_text(encoding="utf-8", errors="replace")) == [], page
    # the static dbt page carries its manifest and catalog (no fetch of manifest.json from file://)
    assert "fct_reconciliation" in static.read_text(encoding="utf-8")
    # no Great Expectations Data Docs written by make docs
    data_docs = ROOT / "build" / "gx" / "gx" / "uncommitted" / "data_docs"
    assert not list(tmp_path.rglob("data_docs"))
    assert not any(p.stat().st_mtime >= started for p in data_docs.rglob("*.html")) if data_docs.exists() else True
