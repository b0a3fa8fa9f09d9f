# Two commands do all set-up: `make run` and `make test`. Both create .venv if it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test test-slow lint clean bench bench-quick mutate mutate-sample mutate-estimate golden mutate-score

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m sinorus publish  # a package that does not validate stops here, with its problems
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest -m "not slow"

# Load and soak tests (minutes; CI runs them after `make test`).
test-slow: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m slow -s

# Benchmarks (bench/README.md): write bench/results.json and bench/results.md.
# BENCH_LABEL=after make bench-quick labels a run; earlier labels are kept side by side.
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

bench-quick: $(VENV)/.installed-test
	$(BIN)/python -m bench --quick

# Mutation testing (docs/mutation.md): mutmut on the modules in pyproject.toml's [tool.mutmut],
# each mutant against the tests that reach it; an hour or more on two cores, so neither
# `make test` nor CI runs it. Results are kept in mutants/: a second run tests only the mutants
# of changed functions. MUTANTS='sinorus.load.*' runs a subset; `make mutate-score` re-prints.
MUTANTS ?=
mutate: $(VENV)/.installed-test
	-$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/python tests/mutation_score.py

# A random sample of the mutants not checked yet (SAMPLE of each module's, 3% by default):
# an estimate of the score in under an hour, where the whole run takes a day.
# MODULES narrows it (a glob of module paths, e.g. 'sinorus/importers/*'); the sample is recorded
# in mutants/sample.json and `make mutate-estimate` estimates a whole run's score from it.
SAMPLE ?= 0.03
SEED ?= 0
MODULES ?= *
mutate-sample: $(VENV)/.installed-test
	-$(BIN)/mutmut run $$($(BIN)/python tests/mutation_score.py --sample $(SAMPLE) $(SEED) '$(MODULES)')
	$(BIN)/python tests/mutation_score.py --freeze
	$(BIN)/python tests/mutation_score.py --estimate

mutate-estimate:
	$(BIN)/python tests/mutation_score.py --estimate

# Write the golden outputs again (tests/golden/, tests/test_golden.py) after an intended change
# to what the app shows; review `git diff tests/golden` before committing it.
golden: $(VENV)/.installed-test
	SINORUS_GOLDEN=update $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_golden.py

mutate-score:
	$(BIN)/python tests/mutation_score.py

clean:
	rm -rf $(VENV) .pytest_cache mutants
