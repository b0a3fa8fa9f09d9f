# Two commands do all set-up: `make run` and `make test-all` (what CI runs). Both create .venv
# if it is missing and install into it exactly what requirements.lock names, hashes checked.
# `make test` is the fast loop while working (under two minutes on two cores).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLOORS := .venv-floors
PORT ?= 8501
# pytest keeps the test modules it rewrites (for its assert messages) as bytecode; where
# PYTHONDONTWRITEBYTECODE is set, every run rewrites them again (about 30 s for the suite).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: messages fonts run test test-all test-slow test-floors lock lint clean bench bench-quick mutate mutate-sample mutate-estimate golden mutate-score

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The lock holds the app's dependencies and the test extras, every file by its sha256: a fresh
# clone installs what the tests last passed with, not whatever PyPI holds that day.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	touch $@

# Write requirements.lock again from pyproject.toml (after changing a dependency or a floor);
# review the diff and run `make test-all` before committing it.
lock: $(VENV)/.installed-test
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --universal \
		--python-version 3.11 --quiet -o requirements.lock

run: $(VENV)/.installed
	$(BIN)/python -m sinorus publish  # a package that does not validate stops here, with its problems
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The fast loop: ruff and every test but the browser (and axe) tests, the slow load and soak
# tests and the `full` ones (Hypothesis' long runs, the bench smoke, the costliest cases).
# On JOBS processes (pytest-xdist; each builds its own session fixtures): 2 halves it on two cores.
JOBS ?= 2
test: lint
	$(BIN)/python -m pytest -n $(JOBS) -m "not slow and not browser and not full"

# Everything (CI): the fast loop's tests and the browser, axe, slow and full ones. pytest's exit
# code 5 (no test collected) is a failure here, said in words.
test-all: lint
	$(BIN)/python -m pytest || { status=$$?; \
		[ $$status -ne 5 ] || echo "make test-all: pytest collected no tests" >&2; exit $$status; }

# Load and soak tests alone (minutes; part of `make test-all`).
test-slow: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m slow -s

# The declared floors hold: a venv of its own with every direct dependency at the lowest
# version pyproject.toml allows (uv's lowest-direct resolution), then the fast loop's tests.
# A floor that lies fails here; raise it in pyproject.toml and run `make lock`.
test-floors: $(VENV)/.installed-test
	rm -rf $(FLOORS)
	$(PYTHON) -m venv $(FLOORS)
	$(BIN)/uv pip install --quiet --python $(FLOORS)/bin/python --resolution lowest-direct -e '.[test]'
	$(FLOORS)/bin/python -m pytest -p no:cacheprovider -n $(JOBS) -m "not slow and not browser and not full"

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
# to what the app shows, and the problem lines of the broken inputs (tests/golden/problems/,
# tests/test_problem_lines.py) after an intended change of wording; review `git diff tests/golden`
# before committing it.
golden: $(VENV)/.installed-test
	SINORUS_GOLDEN=update $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_golden.py tests/test_problem_lines.py

mutate-score:
	$(BIN)/python tests/mutation_score.py

clean:
	rm -rf $(VENV) $(FLOORS) .pytest_cache mutants

# The page's languages (sinorus/i18n.py): extract every message of the code and every label of
# the data package into sinorus/locale/sinorus.pot, and merge it into each language's catalog
# (sinorus/locale/LANG/LC_MESSAGES/sinorus.po: translate the new entries, review the diff).
# Catalogs are compiled in memory when a page first asks for the language.
LOCALES := zh ru
messages: $(VENV)/.installed-test
	$(BIN)/pybabel -q extract -F sinorus/locale/babel.cfg -k N_ --no-location --sort-output \
		--project sinorus --copyright-holder "sinorus contributors" -o sinorus/locale/sinorus.pot .
	for lang in $(LOCALES); do \
		if [ -f sinorus/locale/$$lang/LC_MESSAGES/sinorus.po ]; then \
			$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete --width 100 -D sinorus \
				-i sinorus/locale/sinorus.pot -d sinorus/locale -l $$lang; \
		else \
			$(BIN)/pybabel -q init -D sinorus -i sinorus/locale/sinorus.pot -d sinorus/locale -l $$lang; \
		fi; \
	done

# Fonts for Chinese and Russian in the pictures the server draws (PNG/SVG, kaleido's Chromium):
# Debian's fonts-noto-cjk (Noto Sans CJK; DejaVu, already there, has Cyrillic). Needs root.
fonts:
	@fc-list :lang=zh | grep -q . || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }
