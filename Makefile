# Two commands for a new user:  `make run`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

.PHONY: install run test lint
install: $(VENV)/.installed

## Run the platform on the embedded SQLite file with demo data: http://127.0.0.1:8000
run: $(VENV)/.installed
	$(VENV)/bin/hromada serve --demo

## Run the tests (SQLite by default; set HROMADA_TEST_DATABASE_URL for PostgreSQL,
## HROMADA_TEST_NOW=2026-12-31T23:30:00+02:00 to run them at another moment)
PYTEST_ARGS ?=
test: $(VENV)/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check core plugins tests $(wildcard benchmarks) examples
	$(VENV)/bin/ruff format --check core plugins tests $(wildcard benchmarks) examples
	$(VENV)/bin/mypy
