# Everything a newcomer needs: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-load lint format run bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m bot ask "when should I fine-tune"

test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not load"

test-load: $(STAMP)
	$(BIN)/python -m pytest -q -m load

lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

format: $(STAMP)
	$(BIN)/python -m ruff format .
	$(BIN)/python -m ruff check --fix .

run: $(STAMP)
	$(BIN)/python -m bot run

bench: $(STAMP)
	$(BIN)/python -m bot bench

eval: $(STAMP)
	$(BIN)/python -m bot eval ../shared/eval/dev.yaml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
