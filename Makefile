# The two commands of the quick start: `make run` and `make test`. Both work on a fresh machine
# with only Python 3.11+ and pip: they make the virtual environment they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The independent Node verifier of issued credentials (tests only), installed from its lock file.
NODE_VERIFIER := tests/verifiers/node
NODE_MODULES := $(NODE_VERIFIER)/node_modules/.package-lock.json
# axe-core, injected into pages by the browser tests (tests only), installed from its lock file.
BROWSER_JS := tests/browser
AXE := $(BROWSER_JS)/node_modules/.package-lock.json

.PHONY: run test lint format bench conformance clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed-run

## make run: set up, initialize the instance (SQLite by default), add the demo the first time
## (`tessera demo --if-empty`) and serve on 127.0.0.1:8000 with a delivery worker. It is for
## trying Tessera on one machine: private URLs are allowed (unless TESSERA_ALLOW_PRIVATE_URLS
## says otherwise) so the worker can deliver to the demo gradebook on this same server.
run: $(VENV)/.installed-run
	$(BIN)/tessera init
	$(BIN)/tessera demo --if-empty
	TESSERA_ALLOW_PRIVATE_URLS=$${TESSERA_ALLOW_PRIVATE_URLS:-1} exec $(BIN)/tessera run --with-worker

$(NODE_MODULES): $(NODE_VERIFIER)/package-lock.json
	cd $(NODE_VERIFIER) && npm ci --no-audit --no-fund

$(AXE): $(BROWSER_JS)/package-lock.json
	cd $(BROWSER_JS) && npm ci --no-audit --no-fund

## make test: set up, lint, type-check and run the whole test suite
test: lint $(NODE_MODULES) $(AXE) browser
	$(BIN)/pytest

## Chromium for the browser tests (tests/e2e/test_*browser*.py, driven by Playwright): the Debian
## package, installed when missing and this runs as root with apt-get; otherwise those tests skip
## and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    apt-get update -qq >/dev/null 2>&1 && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; } || \
	  echo "chromium could not be installed: the browser test will be skipped" >&2

lint: $(VENV)/.installed-test
	$(BIN)/ruff check gateway adapters tests bench wsgi.py
	$(BIN)/ruff format --check gateway adapters tests bench wsgi.py
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format gateway adapters tests bench wsgi.py
	$(BIN)/ruff check --fix gateway adapters tests bench wsgi.py

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

## make conformance: the ADL LRS conformance suite (needs node and npm) against a fresh Tessera,
## xAPI 2.0.0 and 1.0.3; summaries in .conformance/summary-VERSION.txt. Not part of `make test`.
conformance: $(VENV)/.installed-test
	tests/conformance/run_adl_suite.sh

clean:
	rm -rf $(VENV) .venv-ralph instance .pytest_cache .mypy_cache .ruff_cache .conformance .artifacts $(NODE_VERIFIER)/node_modules $(BROWSER_JS)/node_modules
