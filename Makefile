# The two quick-start commands. Both create .venv from the pinned requirements on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test golden schemas serve clean

$(BIN)/scorecard: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

site: $(BIN)/scorecard  ## build the site from data/ into site/
	$(BIN)/scorecard build

test: $(BIN)/scorecard  ## run the whole test suite (unit, site, browser)
	$(BIN)/python -m pytest -n 2

golden: $(BIN)/scorecard  ## rewrite every golden file in tests/golden/ (review the diff)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q -m golden

schemas: $(BIN)/scorecard  ## rewrite the editors' JSON Schemas in schema/ from the package
	$(BIN)/scorecard schemas

serve: $(BIN)/scorecard
	$(BIN)/scorecard serve

clean:
	rm -rf site .scorecard-build
