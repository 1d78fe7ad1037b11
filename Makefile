# DealerDesk: every command a developer or operator needs. `make demo` and `make test` work on
# a fresh machine: each creates .venv and installs what is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PRODUCTS ?= 20000
PYTEST_WORKERS ?= 2
BENCH_PRODUCTS ?= 1000000

export DJANGO_SETTINGS_MODULE := dealerdesk.settings
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo serve test lint typecheck pytest bench setup system-deps-demo system-deps-test \
        messages clean

$(BIN)/.installed: requirements.txt requirements-dev.txt build-constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.3"
	@# xstatic-bootstrap builds with a legacy setup.py that needs setuptools<81 (see docs).
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
	    --build-constraint build-constraints.txt -r requirements-dev.txt
	@touch $@

setup: $(BIN)/.installed

system-deps-demo:
	@scripts/system-deps.sh demo

system-deps-test:
	@scripts/system-deps.sh test

## demo: migrate the SQLite database, load demo data once, print the logins, serve on $(PORT)
demo: setup system-deps-demo
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python -m dealerdesk.demo --products $(DEMO_PRODUCTS)
	@echo "Serving DealerDesk on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	$(BIN)/gunicorn dealerdesk.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 \
	    --threads 4 --access-logfile - --log-level warning

## test: ruff, mypy and the whole pytest suite (browser tests included)
test: setup system-deps-test lint typecheck pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy dealerdesk bench e2e conftest.py manage.py

pytest: setup
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS)

## bench: build or reuse the 1,000,000-product data set and print BENCH lines
bench: setup system-deps-demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python -m bench --products $(BENCH_PRODUCTS)

## messages: refresh the Russian translation catalogue after changing texts
messages: setup
	cd dealerdesk && ../$(BIN)/django-admin makemessages -l ru --no-obsolete --no-location
	cd dealerdesk && ../$(BIN)/django-admin compilemessages -l ru

clean:
	rm -rf var/static var/artifacts .mypy_cache .ruff_cache
