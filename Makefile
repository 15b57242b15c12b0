# mentorlab: two commands do everything.
#   make demo   set up .venv if needed, then run the main job on the embedded synthetic data
#   make test   set up .venv if needed, then ruff, pytest (with doctests) and nbval on every notebook
# Re-running is quick: the install step only repeats when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EXTRAS := test,dist
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: demo test install lint unit nbval notebooks bench clean

demo: $(STAMP)
	$(BIN)/mentorlab demo --cohort data/synthetic

test: $(STAMP) lint unit nbval

install: $(STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "mentorlab needs Python 3.10 or newer; set PYTHON=/path/to/python3.x")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[$(EXTRAS)]"
	@touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q --doctest-modules mentorlab tests

nbval: $(STAMP)
	$(BIN)/python -m pytest -q --nbval-lax --nbval-current-env $(NOTEBOOKS)

# Re-execute every notebook in place so that the stored outputs nbval compares are current.
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py $(NOTEBOOKS)

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info
