# knowhow: `make serve` serves the demo site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Serving needs the package alone; tests and lint add the dev tools.
SERVE_STAMP := $(VENV)/.installed-serve
STAMP := $(VENV)/.installed

.PHONY: serve test test-postgres lint format install clean editor-script docs

$(SERVE_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(SERVE_STAMP)

$(STAMP): $(SERVE_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

serve: $(SERVE_STAMP)
	$(BIN)/knowhow migrate --noinput
	$(BIN)/knowhow demo --if-empty
	$(BIN)/knowhow serve

# Chromium, nginx and Varnish come from the system's packages: installed where this runs as
# root on Debian or Ubuntu, named otherwise (tests/system_packages.sh).
test: $(STAMP)
	bash tests/system_packages.sh
	$(BIN)/pytest

# The same suite on PostgreSQL (and Redis for the cache); see docs/developers/tests.md.
# Each test empties Redis, and the first write after Redis is emptied waits one page-cache
# lease: the tests in this process ask Redis for each page instead (lease 0); the tests of
# the memory copy start their servers with a lease of their own.
test-postgres: $(STAMP)
	KNOWHOW_DATABASE_URL=$${KNOWHOW_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/knowhow} \
	KNOWHOW_CACHE_URL=$${KNOWHOW_CACHE_URL:-redis://127.0.0.1:6379/15} \
	KNOWHOW_PAGE_CACHE_LEASE_SECONDS=$${KNOWHOW_PAGE_CACHE_LEASE_SECONDS:-0} \
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The documentation site (docs/, mkdocs.yml) into site-docs/; a warning or a broken link fails.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site-docs

# The newsroom's writing surface, rebuilt from newsroom-editor/ with node and npm. The built,
# minified file is committed (src/knowhow/newsroom/static/newsroom/writing.min.js), so
# serving, testing and installing never need node.
editor-script:
	cd newsroom-editor && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) var test-output site-docs
