# `make site` builds the demo portal and serves it; `make test` runs every check.
# Both set up everything on a fresh machine (Debian packages as root, a virtual environment).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
CHROMIUM := /usr/bin/chromium

.PHONY: setup site build test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Browser tests use Debian's Chromium (Playwright's own browser download does not work here)
# and Noto CJK fonts so that screenshots show Chinese text.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk

build: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/gongkai build .

site: build
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr $(HOST)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/actionlint .github/workflows/*.yml
	$(BIN)/zizmor --offline --no-progress .github/workflows/
	$(BIN)/gongkai codeowners --check .

test: lint $(CHROMIUM)
	$(BIN)/gongkai validate .
	$(BIN)/pytest -q
	$(BIN)/pytest -q -m fuzz  # property tests at 10,000 examples (tests/test_fuzz.py)

# Benchmarks (minutes to hours; figures go to docs/benchmarks.md). Hugo is the lower bound.
# Bureaus and sites in /dev/shm (memory) when writable, for less disk noise in the figures, else
# /tmp; the 100,000-item run needs about 7 GB there.
BENCH_DIR ?= $(shell test -w /dev/shm && echo /dev/shm || echo /tmp)

bench: setup $(CHROMIUM)
	command -v hugo >/dev/null || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq hugo
	$(BIN)/python -m bench.search_recall
	TMPDIR=$(BENCH_DIR) $(BIN)/python -m bench.screening
	TMPDIR=$(BENCH_DIR) $(BIN)/python -m bench.markup
	TMPDIR=$(BENCH_DIR) $(BIN)/python -m bench.search_scale 1000 10000
	$(BIN)/python -m bench.scale 1000 10000 100000 --work $(BENCH_DIR)
	TMPDIR=$(BENCH_DIR) $(BIN)/python -m bench.serve 10000
	$(BIN)/python -m bench.gate 10000 100000 --work $(BENCH_DIR)
	TMPDIR=$(BENCH_DIR) $(BIN)/python -m bench.manifest 1000 10000

clean:
	rm -rf $(VENV) site
