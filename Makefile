# The README's two commands: `make dev` (the local stack with demo data) and `make test` (every test).
# Both install what they need first; re-running them skips what is already installed.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Node 24 (LTS; the CDK no longer supports Node 20) from npm, whose node-linux-* packages ship its binary:
# every recipe (CDK synth, the SPA's tools, AWS's front-end clients, the tests that run them) finds it first.
NODE_VERSION := 24.22.3
NODE_PACKAGE := node-linux-$(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x64)
NODE_HOME := $(CURDIR)/.tools/node/node_modules/$(NODE_PACKAGE)
export PATH := $(NODE_HOME)/bin:$(PATH)

.PHONY: dev test lint typecheck typecheck-spa install install-runtime node node-clients java chromium bench synth screenshots

# `make dev ARGS="--port 4400"` passes ARGS to `gather dev` (see `gather dev --help`).
dev: install-runtime java
	$(BIN)/gather dev $(ARGS)

test: install node-clients java chromium lint typecheck
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install typecheck-spa
	$(BIN)/mypy .

# The SPA against the schema (spa_types/typecheck says how). Its types are derived there, never committed; nothing
# is built for serving.
typecheck-spa: install
	spa_types/typecheck

bench: install java chromium
	$(BIN)/python -m benchmarks

# The README's pictures (docs/screenshots/), desktop and phone, taken from the test session's local stack with its
# demo data by the same browser test that `make test` runs (which writes them to test-artifacts/ only).
screenshots: install java chromium
	GATHER_UPDATE_DOCS_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser/test_cold_load_and_screenshots.py -k screenshots_of_main -q

synth: install
	PATH="$(CURDIR)/$(BIN):$$PATH" npx cdk synth

install: $(VENV)/.installed node_modules/.installed

# The local stack needs only the package's own dependencies; tests, CDK and linters come with `make test`.
install-runtime: $(VENV)/.runtime-installed node_modules/.runtime-installed

$(VENV)/.runtime-installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.runtime-installed

node: $(NODE_HOME)/.installed

$(NODE_HOME)/.installed:
	npm install --prefix .tools/node --no-save --no-audit --no-fund --loglevel=error $(NODE_PACKAGE)@$(NODE_VERSION)
	touch $@

# package.json's devDependencies (the CDK CLI) are for tests and synth; `make dev` leaves them out.
node_modules/.runtime-installed: package.json package-lock.json | node
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

node_modules/.installed: package.json package-lock.json | node
	npm ci --no-audit --no-fund --loglevel=error
	touch $@ node_modules/.runtime-installed

# AWS's front-end clients (Amplify, Apollo with AWS's AppSync links) that tests/integration/test_node_clients.py runs.
NODE_CLIENTS := tests/node_clients
node-clients: $(NODE_CLIENTS)/node_modules/.installed

$(NODE_CLIENTS)/node_modules/.installed: $(NODE_CLIENTS)/package.json $(NODE_CLIENTS)/package-lock.json | node
	cd $(NODE_CLIENTS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Java runs DynamoDB Local (javac builds its loopback-only launcher); Chromium runs the browser tests. Both come from Debian.
java:
	@command -v javac >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless >/dev/null; }

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
