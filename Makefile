# Two commands for a fresh machine: `make run` and `make test`. Both build what they need.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
# pip reads the machine's pip.conf; keep its chatter out of the way.
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test lint typecheck unit bench doctor clean

# The stamps depend on pyproject.toml, so a dependency change reinstalls and nothing else does.
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.app-installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --upgrade pip setuptools
	$(PIP) install -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.app-installed
	$(PIP) install -e '.[dev]'
	touch $@

## Start the app on http://127.0.0.1:$(PORT) with the embedded model (no key, no network).
run: $(VENV)/.app-installed
	$(PY) -m debrief prepare
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

## Install the dev dependencies and run every check: ruff, mypy, pytest (unit + integration).
test: $(VENV)/.dev-installed lint typecheck
	$(PY) -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(PY) -m mypy

## Only the fast unit tests (no model, no server).
unit: $(VENV)/.dev-installed
	$(PY) -m pytest -m "not integration and not slow"

## Benchmarks print figures and update bench/results.md (they are not tests).
bench: $(VENV)/.dev-installed
	$(PY) -m bench.startup
	$(PY) -m bench.llm_overhead
	$(PY) -m bench.drafting
	$(PY) -m bench.notes_budget
	$(PY) -m bench.retrieval

doctor: $(VENV)/.app-installed
	$(PY) -m debrief doctor

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
