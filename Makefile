# `make site` builds the demo portal and serves it; `make test` runs every check.
# Both set up everything on a fresh machine (Debian packages as root, a virtual environment).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: setup site build test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/gongkai build .

site: build
	$(BIN)/mkdocs serve --dev-addr $(HOST)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/gongkai validate .
	$(BIN)/pytest

clean:
	rm -rf $(VENV) site
