# counterclaim: the two quick-start commands are `make demo` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
DB      ?= sqlite:///counterclaim.db
STAMP   := $(VENV)/.installed

.PHONY: install demo test test-fast eval system-deps docs clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[test,spark]'
	@touch $(STAMP)

install: $(STAMP)

## The main job: ingest the bundled sample corpus, extract claims, print the ledger.
demo: install
	@$(BIN)/counterclaim demo --db $(DB)

## System packages the full test suite needs (Chromium for browser tests, PostgreSQL, Java for Spark).
system-deps:
	@bash .ci/system-deps.sh

## The whole test suite (browser, PostgreSQL and Spark tests included).
test: install system-deps
	@$(BIN)/python -m pytest

## Fast tests only (no browser, PostgreSQL, Spark or slow subprocess tests).
test-fast: install
	@$(BIN)/python -m pytest -m "not slow and not browser and not postgres and not spark"

## Quality gate on the project's own gold corpus.
eval: install
	@$(BIN)/counterclaim eval examples/gold.jsonl --docs examples/corpus --min-numbers-f1 0.90 --min-all-f1 0.85

docs: install
	@$(BIN)/counterclaim settings --markdown > docs/settings.md
	@$(BIN)/counterclaim cli-docs > docs/cli.md

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
