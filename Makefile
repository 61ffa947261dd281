# Two commands on a fresh machine with only python3 and make:
#   make run    venv + install + the whole pipeline on raw/ → warehouse/budget.duckdb
#   make test   the whole test suite (pytest, dbt build + tests, expectation suites)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

export BUDGET_RAW_DIR ?= $(CURDIR)/raw
export BUDGET_WAREHOUSE ?= $(CURDIR)/warehouse/budget.duckdb
export DAGSTER_HOME ?= $(CURDIR)/dagster_home
export DBT_PROFILES_DIR := $(CURDIR)/dbt
export DO_NOT_TRACK := 1
export DAGSTER_DISABLE_TELEMETRY := 1
export GX_ANALYTICS_ENABLED := False
export PYTHONDONTWRITEBYTECODE := 1

# the warehouse the test suite builds from raw/ (never the user's warehouse)
TEST_WAREHOUSE := $(CURDIR)/build/test/budget.duckdb
TEST_DAGSTER_HOME := $(CURDIR)/build/test/dagster_home
# accuracy threshold for `make bench-accuracy` (share of golden figures found exactly)
ACCURACY_MIN ?= 0.95
# where `make docs` writes dbt docs (relative to dbt/, or absolute)
DBT_DOCS_TARGET ?= target

.PHONY: help run test install dbt-parse ui docs docs-serve clean bench bench-accuracy bench-corpus bench-pdf export report run-distributed test-distributed

$(STAMP): pyproject.toml setup.py extractors/native/_pdfium_loops.c extractors/native/_text_loops.c
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,distributed]'
	@touch $@

install: $(STAMP)  ## the virtualenv .venv with the project and its dependencies

dbt/target/manifest.json: $(STAMP) $(shell find dbt/models dbt/seeds dbt/macros dbt/tests -type f 2>/dev/null) dbt/dbt_project.yml
	cd dbt && ../$(VENV)/bin/dbt parse --quiet --no-use-colors
	@touch $@

dbt-parse: dbt/target/manifest.json  ## parse the dbt project (the manifest Dagster loads)

run: dbt-parse  ## the whole pipeline on raw/ into warehouse/budget.duckdb, then a summary
	@mkdir -p $(dir $(BUDGET_WAREHOUSE)) $(DAGSTER_HOME)
	$(PY) -m dagster_project.run

test: dbt-parse  ## the whole test suite (two pipeline runs, GX suites, pytest)
	@rm -rf $(dir $(TEST_WAREHOUSE)) && mkdir -p $(TEST_DAGSTER_HOME) && cp dagster_home/dagster.yaml $(TEST_DAGSTER_HOME)/
	@echo "== pipeline on raw/ into $(TEST_WAREHOUSE) (first run; dbt unit tests included)"
	BUDGET_RAW_DIR=$(CURDIR)/raw BUDGET_WAREHOUSE=$(TEST_WAREHOUSE) DAGSTER_HOME=$(TEST_DAGSTER_HOME) BUDGET_DBT_UNIT_TESTS=1 \
		BUDGET_COUNTS_FILE=$(dir $(TEST_WAREHOUSE))counts_run1.json $(PY) -m dagster_project.run
	@echo "== second run, nothing new: mart row counts must not change"
	BUDGET_RAW_DIR=$(CURDIR)/raw BUDGET_WAREHOUSE=$(TEST_WAREHOUSE) DAGSTER_HOME=$(TEST_DAGSTER_HOME) BUDGET_DBT_UNIT_TESTS=1 \
		BUDGET_COUNTS_FILE=$(dir $(TEST_WAREHOUSE))counts_run2.json $(PY) -m dagster_project.run
	@echo "== Great Expectations suites"
	BUDGET_WAREHOUSE=$(TEST_WAREHOUSE) $(PY) -m expectations.suites
	@echo "== pytest"
	BUDGET_TEST_WAREHOUSE=$(TEST_WAREHOUSE) $(PY) -m pytest -q -p no:cacheprovider

# the pipeline on Celery workers into a DuckLake, on this machine: PostgreSQL (the lake's catalog,
# Dagster's storage) and Redis (the broker) on 127.0.0.1, BUDGET_CELERY_WORKERS workers (default 2);
# the lake stays in BUDGET_LAKE_HOME (default warehouse/lake); everything started is stopped at the end
run-distributed: dbt-parse  ## the pipeline on Celery workers into a DuckLake (warehouse/lake/)
	$(PY) -m dagster_project.distributed local

# the distributed run (two workers, one killed and replaced) against the embedded run on raw/ + 200
# generated documents: every mart equal row for row, an analyst reading the lake all along (~3 min)
test-distributed: dbt-parse  ## Celery + DuckLake run = the embedded run, mart for mart
	BUDGET_TEST_DISTRIBUTED=1 $(PY) -m pytest tests/test_distributed.py -q -p no:cacheprovider

# every mart as Parquet, CSV (UTF-8 with BOM) and one XLSX workbook into export/ beside the
# warehouse (EXPORT_ARGS="--out DIR" to change)
export: $(STAMP)  ## every mart as Parquet, CSV and XLSX into export/ beside the warehouse
	$(PY) -m budget_warehouse export $(EXPORT_ARGS)

# the HTML findings report (index + a page per document, offline) into report/ beside the warehouse;
# `make run` builds it too (REPORT_ARGS="--out DIR" to change)
report: $(STAMP)  ## the HTML findings report into report/ beside the warehouse
	$(PY) -m budget_warehouse report $(REPORT_ARGS)

help:  ## this list
	@awk -F':.*## ' '/^[a-z][a-zA-Z_-]*:.*## / { printf "  make %-15s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

# benchmarks (never part of `make test`): results in build/bench/ (BENCH_DIR), each run in its own
# warehouse and DAGSTER_HOME there. bench: 100 and 1,000 generated documents, ~10 min.
bench: dbt-parse  ## benchmarks on 100 and 1,000 generated documents (build/bench/)
	$(PY) -m bench.run $(BENCH_ARGS)

bench-accuracy: dbt-parse  ## share of golden figures found exactly (ACCURACY_MIN)
	$(PY) -m bench.accuracy --min $(ACCURACY_MIN)

# closure of every amount table the pipeline reads in a folder (no golden): report + CSVs in
# build/bench/corpus/. CORPUS defaults to ../shared/corpus (the development corpus).
CORPUS ?= $(abspath $(CURDIR)/../shared/corpus)
bench-corpus: dbt-parse  ## closure of every amount table in CORPUS (build/bench/corpus/)
	$(PY) -m bench.corpus --corpus $(CORPUS) $(BENCH_ARGS)

# pages/s of our PDF reading vs pdfplumber extract_text and the pypdfium2 floor, and the pipeline
# per PDF, on CORPUS and the development PDFs of tests/fixtures (one run, CPU seconds)
bench-pdf: $(STAMP)  ## PDF reading speed: ours vs pdfplumber vs pypdfium2 (CORPUS + dev PDFs)
	$(PY) scripts/bench_pdf.py --corpus $(CORPUS) $(BENCH_ARGS)

ui: dbt-parse  ## the Dagster UI on http://127.0.0.1:3000
	@mkdir -p $(DAGSTER_HOME)
	$(VENV)/bin/dagster dev -h 127.0.0.1 -p 3000 -m dagster_project.definitions

# dbt docs as one static page (works from the file system) and the findings report; Great
# Expectations Data Docs are not built: their pages load CSS and JavaScript from CDNs (issue 15)
docs: dbt-parse  ## dbt docs (one static page) and the findings report, both offline
	cd dbt && ../$(VENV)/bin/dbt docs generate --quiet --no-use-colors --target-path $(DBT_DOCS_TARGET) --static
	$(PY) -m budget_warehouse report $(REPORT_ARGS)
	@cd dbt && echo "dbt docs: $$(realpath -m $(DBT_DOCS_TARGET))/static_index.html   findings report: $(dir $(BUDGET_WAREHOUSE))report/index.html"

docs-serve: docs  ## serve the docs on 127.0.0.1:8080 and the report on :8081
	@echo "dbt docs on http://127.0.0.1:8080 , findings report on http://127.0.0.1:8081"
	( cd $(dir $(BUDGET_WAREHOUSE))report && $(CURDIR)/$(PY) -m http.server 8081 --bind 127.0.0.1 ) & \
	cd dbt && ../$(VENV)/bin/dbt docs serve --port 8080 --host 127.0.0.1 --no-browser

clean:  ## remove build/, warehouse/ and dbt's target and logs
	rm -rf build warehouse dbt/target dbt/logs
