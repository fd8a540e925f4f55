# The two README commands: `make run` (app + scheduler on SQLite with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := coordinator

.PHONY: run test setup setup-test lint catalogs translations

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/flask

setup: $(BIN)/flask catalogs

setup-test: setup

catalogs: $(BIN)/flask
	@if ls coordinator/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d coordinator/translations; fi

# A local secret for this checkout, so CLI commands and restarts work without FLASK_DEBUG.
instance/config.py:
	@mkdir -p instance
	@$(PYTHON) -c "import secrets; print('# Local settings (not in git). See README: Configuration.'); print('SECRET_KEY = ' + repr(secrets.token_urlsafe(48)))" > $@
	@echo "wrote $@ with a new SECRET_KEY"

run: setup instance/config.py
	FLASK_DEBUG=1 $(BIN)/flask db upgrade
	FLASK_DEBUG=1 $(BIN)/flask seed-demo
	@# The scheduler (mail delivery, jobs) runs in the background and stops with the web app.
	FLASK_DEBUG=1 $(BIN)/flask scheduler & scheduler=$$!; \
	trap 'kill -TERM $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	FLASK_DEBUG=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

lint: $(BIN)/flask
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup lint
	$(BIN)/pytest

# Developers: refresh the English catalog after adding or changing Dutch source strings.
translations: $(BIN)/flask
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project Matchtafel --ignore-dirs='.venv .git instance node_modules' -o messages.pot .
	$(BIN)/pybabel update -i messages.pot -d coordinator/translations --no-fuzzy-matching -w 100
	rm messages.pot
