# Liuhen — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
PIP       := $(PY) -m pip
LIUHEN    := $(VENV)/bin/liuhen
PYTEST    := $(VENV)/bin/pytest
LOCK      := requirements/lock.txt
export LIUHEN_DATA_DIR ?= $(CURDIR)/var
PORT      ?= 8000
# pytest workers: both cores by default
TEST_WORKERS ?= 2

.PHONY: help run test install install-test lint check bench fmt clean-venv

help:
	@echo "make run    install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install test dependencies and run the whole suite on SQLite and PostgreSQL"
	@echo "make bench  run the benchmarks and write docs/benchmarks.md"

$(PY):
	./scripts/ensure-system-packages.sh run
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed-run: $(PY) pyproject.toml $(LOCK)
	$(PIP) install -q -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	./scripts/ensure-system-packages.sh test
	$(PIP) install -q -c $(LOCK) -e ".[test]"
	touch $@

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

run: install
	$(LIUHEN) migrate --noinput -v 0
	$(LIUHEN) demo
	$(LIUHEN) serve --port $(PORT)

lint: install-test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

check: install-test
	$(LIUHEN) check --fail-level WARNING
	$(LIUHEN) makemigrations --check --dry-run
	$(VENV)/bin/mypy src

test: install-test lint check
	@echo "== test suite on SQLite =="
	$(PYTEST) -n $(TEST_WORKERS) -q
	@echo "== test suite on PostgreSQL (throwaway cluster) =="
	./scripts/with-postgres.sh $(PYTEST) -n $(TEST_WORKERS) -q -m "not browser"

bench: install-test
	$(PY) -m bench

fmt: install-test
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench
