# The README's commands. `make demo` serves the demo site; `make test` runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.db
export CARESCORE_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: demo test lint format bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	CARESCORE_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/carescore demo
	@echo "Carescore demo: http://127.0.0.1:8000"
	CARESCORE_DATABASE_URL=sqlite:///$(DEMO_DB) CARESCORE_WORKERS=2 $(BIN)/carescore serve

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# Each benchmark prints its figures and their ratio to a reference measured in the same run.
# Defaults sized for a 2-core machine (about 5 minutes in all); bench/scale.py is separate.
BENCHMARKS := scoring import rank api site

bench: $(VENV)/.installed-dev
	@for b in $(BENCHMARKS); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit 1; done

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
