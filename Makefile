# Lianxin: `make demo` runs it, `make test` checks it. `make help` lists the rest.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
MANAGE := $(PY) manage.py
VENDOR := lianxin/static/vendor
# Settings keep the database and collected static files here (LIANXIN_VAR_DIR overrides).
VAR_DIR := $(or $(LIANXIN_VAR_DIR),var)
LOCALE_IGNORE := --ignore .venv --ignore node_modules

# The demo behaves like production for errors (custom 404/500 pages, no debug pages) while
# whitenoise serves the collected static files; dev settings read DEBUG from the environment.
DEMO_ENV := DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=0

# Debian packages: what the demo needs, and what the tests need on top of it.
# "package:command" is satisfied by the command however it was installed (scripts/apt-ensure.sh).
DEMO_APT := gettext:msgfmt npm:npm
TEST_APT := $(DEMO_APT) chromium fonts-noto-cjk poppler-utils postgresql-15

.PHONY: help demo test lint fmt messages compilemessages assets system-demo system-test clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

demo: system-demo $(VENV)/.base-installed assets compilemessages ## Install, load demo data, run on http://127.0.0.1:8000 (PORT=...)
	mkdir -p $(VAR_DIR)
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) demo_load | tee $(VAR_DIR)/demo-logins.txt
	$(DEMO_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(DEMO_ENV) PORT=$(PORT) LOGINS_FILE=$(VAR_DIR)/demo-logins.txt scripts/demo.sh

test: system-test $(VENV)/.test-installed assets ## Lint, then the whole suite on SQLite and on PostgreSQL 15
	$(RUFF) check .
	$(RUFF) format --check .
	$(MANAGE) compilemessages $(LOCALE_IGNORE) --verbosity 0
	scripts/test.sh

lint: $(VENV)/.test-installed ## ruff check and ruff format --check
	$(RUFF) check .
	$(RUFF) format --check .

fmt: $(VENV)/.test-installed ## Fix what ruff can and format the code
	$(RUFF) check --fix .
	$(RUFF) format .

messages: $(VENV)/.base-installed ## Extract the Chinese catalogue (locale/zh_Hans) and compile it
	$(MANAGE) makemessages -l zh_Hans --no-obsolete $(LOCALE_IGNORE)
	$(MANAGE) compilemessages $(LOCALE_IGNORE)

compilemessages: $(VENV)/.base-installed
	$(MANAGE) compilemessages $(LOCALE_IGNORE) --verbosity 0

system-demo:
	scripts/apt-ensure.sh $(DEMO_APT)

system-test:
	scripts/apt-ensure.sh $(TEST_APT)

# The virtualenv, reinstalled only when a requirements file changes. Debian's python3 can
# only make a venv with python3-venv installed (it ships ensurepip).
$(PY):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Lianxin needs Python 3.11 or newer (set PYTHON=...)" >&2; exit 1; }
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || scripts/apt-ensure.sh python3-venv
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.test-installed: requirements/base.txt requirements/test.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.base-installed

# Browser libraries: exact versions in package.json, no lock file (.npmrc).
assets: $(VENDOR)/echarts.min.js $(VENDOR)/htmx.min.js ## Install ECharts and htmx into lianxin/static/vendor

node_modules/.installed: package.json .npmrc
	npm install --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/echarts.min.js: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $@

$(VENDOR)/htmx.min.js: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

clean: ## Remove what the build made (keeps the demo database in var/)
	rm -rf $(VENV) node_modules $(VENDOR) artifacts var/staticfiles test-results
	find locale lianxin -name '*.mo' -delete
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
