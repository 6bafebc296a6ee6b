# Naloxone Academy. `make run` serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO := NALOXONE_DEMO=1
LANGS := fr ru uk es ar

.PHONY: install run test lint bench translations-extract translations-update translations-compile clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEMO) $(BIN)/flask --app app db upgrade
	$(DEMO) $(BIN)/flask --app app demo load
	$(DEMO) $(BIN)/flask --app app run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

# ruff must be clean; bandit fails on any high-severity finding; pip-audit checks installed packages against
# PyPI's advisories (where the network serves them).
lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -lll -r app.py training quizzes certificates
	$(BIN)/pip-audit --skip-editable --progress-spinner off

bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

translations-extract: install
	$(BIN)/pybabel extract -F pyproject.toml -k _l -k lazy_gettext -k Nn_:1,2 --no-location --sort-output \
		--project "Naloxone Academy" -o translations/messages.pot .

translations-update: translations-extract
	for lang in en $(LANGS); do \
		test -f translations/$$lang/LC_MESSAGES/messages.po \
			|| $(BIN)/pybabel init -i translations/messages.pot -d translations -l $$lang; \
	done
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

translations-compile: install
	$(BIN)/pybabel compile -d translations --statistics

clean:
	rm -rf $(VENV) .pytest_cache
