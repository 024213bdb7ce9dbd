# The two commands of the README. Both set up .venv first (once; again when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup bench clean

demo: $(STAMP)
	$(BIN)/storydiff compare examples/halvern-bridge -o storydiff-report.html

test: $(STAMP)
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench,spark]'
	touch $(STAMP)

bench: $(STAMP)
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/similarity_semeval.py
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/alignment.py
	$(BIN)/python benchmarks/quotes.py
	$(BIN)/python benchmarks/conflicts.py
	@echo "benchmarks/bias_babe.py needs the train extra (pip install -e '.[train]'); run it by hand"

clean:
	rm -rf $(VENV) storydiff-report.html
