.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DJANGO_DEBUG=1
TEST_ENV := DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/housing_aid} REDIS_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## Create the virtual environment and install everything (dev tools included)
	@bash scripts/system-deps.sh

messages: install ## Compile the translations (ru, kk)
	@$(DEV_ENV) $(PY) manage.py compilemessages -v 0 --ignore=.venv

run: messages ## Migrate, load demo data and serve on http://127.0.0.1:8000 (SQLite and eager tasks unless DATABASE_URL / REDIS_URL are set)
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v 0
	$(DEV_ENV) $(PY) manage.py seed_demo
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

services: ## Start PostgreSQL and Redis on 127.0.0.1 if they are not running (installs them as root when missing)
	@bash scripts/services.sh

test: install services messages ## Run the whole suite on PostgreSQL and Redis, browser tests included
	@bash scripts/system-deps.sh test
	$(TEST_ENV) $(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-fast: install services messages ## The suite without browser tests
	$(TEST_ENV) $(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

lint: install ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install ## Fail when models and migrations disagree
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

deploy-check: install ## manage.py check --deploy with production settings
	DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=housing.example.kz \
	  $(PY) manage.py check --deploy --fail-level WARNING

bench: install services ## National-scale pages at two sizes (BENCH_N=100000,1000000; default 20000,200000)
	$(TEST_ENV) $(PY) bench/national.py

load: install services ## Case page vs login page throughput on 2 sync gunicorn workers, with wrk (LOAD_SECONDS, LOAD_CONNECTIONS)
	@bash scripts/system-deps.sh load
	$(TEST_ENV) $(PY) bench/load.py

bench-micro: install services ## Micro-benchmarks: calendar, SLA sweep over 100,000 open cases
	$(TEST_ENV) $(PY) -m pytest bench -p no:xdist --benchmark-only --benchmark-columns=min,mean,median,ops,rounds $(PYTEST_ARGS)

worker: install ## A Celery worker (needs REDIS_URL)
	$(PY) -m celery -A housing_aid worker -l info

beat: install ## The one Celery beat (needs REDIS_URL)
	$(PY) -m celery -A housing_aid beat -l info

.PHONY: help install messages run services test test-fast lint format migrations-check deploy-check bench load bench-micro worker beat
