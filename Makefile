# detector — set-up, demo and tests. `make demo` on a fresh machine; `make test` for the suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install languagetool lint benchmark evaluate clean

$(STAMP): pyproject.toml setup.py detector/families/_kernels.pyx
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Obtain the pinned LanguageTool (Maven Central where mvn is available), checksum verified.
languagetool: $(STAMP)
	$(BIN)/detector languagetool install

demo: install languagetool
	$(BIN)/detector score data/examples/ --format text
	$(BIN)/detector check data/examples/ --exit-zero  # check exits 1 on warnings, like ruff

# DETECTOR_REQUIRE_LT=1: LanguageTool tests fail (not skip) if LanguageTool is missing.
test: install languagetool
	DETECTOR_REQUIRE_LT=1 $(BIN)/python -m pytest -q -ra

lint: install
	$(BIN)/ruff check detector tests scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
