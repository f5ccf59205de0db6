# Everything a newcomer needs: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-load lint format run bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The locked versions (with hashes) first, then the project itself without resolving again.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
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
	$(BIN)/python -m benchmarks.speed

eval: $(STAMP)
	$(BIN)/python -m bot eval eval/dev.yaml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
