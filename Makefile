# The two commands a newcomer needs:  make run  and  make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast bench snapshots clean record-schema lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq -e '.[test,spacy]'
	touch $@ $(VENV)/.installed

## make run: install, import the bundled corpus into an empty database, open the app
run: $(VENV)/.installed
	$(BIN)/annotator import sources --if-empty
	$(BIN)/annotator annotate

## make test: install with the test extras and run the whole suite
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 --dist loadfile -q -p no:cacheprovider

## make bench: the benchmarks in benchmarks/ (not part of the tests)
bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

## regenerate the screenshot snapshots after an intended change to the screens
snapshots: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests -k snapshot --snapshot-update -q

## regenerate schemas/annotation-record.schema.json after changing annotator/schemas/records.py
record-schema: $(VENV)/.installed
	$(BIN)/python -m annotator.schemas.records

clean:
	rm -rf $(VENV) .pytest_cache

## make lint: the formatter's check, ruff's rules, and mypy (strict on services/, store/, schemas/)
lint: $(VENV)/.installed-lint
	$(BIN)/ruff format --check annotator tests benchmarks
	$(BIN)/ruff check annotator tests benchmarks
	$(BIN)/mypy

$(VENV)/.installed-lint: pyproject.toml | $(VENV)/.installed-test
	$(BIN)/python -m pip install -qq -e '.[test,spacy,lint]'
	touch $@
