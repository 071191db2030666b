# Every target sets itself up: a virtualenv in .venv with the project and its tools.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
STORE ?= newslens-store

.PHONY: install bytecode run analyze test check format bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: bytecode

# The package's modules compiled ahead, as pip does for a regular install: an editable install
# otherwise compiles them at every start where Python may not write bytecode
# (PYTHONDONTWRITEBYTECODE), about 0.3 s a process. Only changed files are compiled again.
bytecode: $(STAMP)
	$(PY) -m compileall -q analysis dashboard

run: bytecode  ## open the dashboard on the bundled seeds, on this machine only (ADDRESS=0.0.0.0 shares it, with a password)
	$(VENV)/bin/newslens dashboard --address $(or $(ADDRESS),127.0.0.1) --port $(or $(PORT),8501)

analyze: bytecode  ## analyse seeds/ into $(STORE)
	$(VENV)/bin/newslens analyze seeds --out $(STORE)

test: $(STAMP)  ## the whole test suite
	$(PY) -m pytest

check: $(STAMP)  ## lint, format check and strict types
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: bytecode  ## benchmarks, each a ratio against a baseline in the same run
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache newslens-store
