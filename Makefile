# The two commands a newcomer runs first: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint format build clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## demo: set up, then build, simulate a cohort, autograde it, grade its written answers (a simulated trainer), write feedback and report, certify who passes
demo: $(STAMP)
	$(BIN)/grader demo

## test: set up, lint, then run the whole test suite (browser tests included)
test: $(STAMP)
	$(BIN)/ruff check grader tests benchmarks
	$(BIN)/ruff format --check grader tests benchmarks
	$(BIN)/pytest

## test-fast: the tests that need neither nbgrader runs nor a browser
test-fast: $(STAMP)
	$(BIN)/pytest -m "not nbgrader and not browser"

## build: regenerate solutions/<assessment>/ and exercises/ from the item bank
build: $(STAMP)
	$(BIN)/grader build

lint: $(STAMP)
	$(BIN)/ruff check grader tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format grader tests benchmarks

clean:
	rm -rf $(VENV) demo-course gradebook.db .pytest_cache .ruff_cache *.egg-info
