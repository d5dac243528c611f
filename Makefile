# The README's commands. `make demo` serves the demo site; `make test` runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.db
DEMO_BIND ?= 127.0.0.1:8000
export CARESCORE_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

# uv installs the same packages as pip from the same registry in a fraction of the time; it is
# itself a pip package. When it cannot be installed or fails (or INSTALLER=pip), pip does
# the whole install. Bytecode is compiled at install (pip does it by default, uv on request)
# and the project's own modules after it: where PYTHONDONTWRITEBYTECODE is set, every
# process, each gunicorn worker and test server among them, would otherwise compile every
# module again on start, seconds of CPU each time.
INSTALLER ?= uv
define install_into_venv
	@if [ "$(INSTALLER)" = uv ] \
		&& $(BIN)/python -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1 \
		&& $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e "$(1)"; then \
		echo "   installed with uv"; \
	else \
		echo "   uv unavailable, installing with pip"; \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check -e "$(1)"; \
	fi
	@$(BIN)/python -m compileall -q carescore website collectors templates bench tools >/dev/null
endef

.PHONY: demo test lint format bench install install-dev clean

$(BIN)/python:
	@echo "== creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "== installing Carescore and its dependencies into $(VENV)"
	$(call install_into_venv,.)
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@echo "== installing Carescore with the dev extra into $(VENV)"
	$(call install_into_venv,.[dev])
	@touch $(VENV)/.installed $@

WITH_BENCH := .[dev,bench]
$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	@echo "== installing Carescore with the dev and bench extras into $(VENV)"
	$(call install_into_venv,$(WITH_BENCH))
	@touch $(VENV)/.installed $(VENV)/.installed-dev $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Built once; `make clean` or deleting var/demo.db builds it again.
$(DEMO_DB): | $(VENV)/.installed
	@echo "== building the demo database $(DEMO_DB) (fictional brands, synthetic posts)"
	CARESCORE_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/carescore demo

demo: $(VENV)/.installed $(DEMO_DB)
	@echo "== serving the demo on http://$(DEMO_BIND) (Ctrl-C stops it)"
	@CARESCORE_DATABASE_URL=sqlite:///$(DEMO_DB) CARESCORE_BIND=$(DEMO_BIND) CARESCORE_WORKERS=2 \
		$(BIN)/carescore serve

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# Each benchmark prints its figures and their ratio to a reference measured in the same run.
# Defaults sized for a 2-core machine (about 5 minutes in all); bench/scale.py is separate.
BENCHMARKS := scoring import rank api site cli

bench: $(VENV)/.installed-bench
	@for b in $(BENCHMARKS); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit 1; done

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
