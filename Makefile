# The two commands of the README:
#   make run   set up .venv and the web assets, create or upgrade ./var/scc.db, load the demo LA
#              (once) and start `scc serve`: the web pages, the API and the scheduler (Ctrl-C stops)
#   make test  set up .venv with the test tools and the web assets, run ruff and mypy, then the
#              whole suite (again on PostgreSQL when SCC_TEST_DATABASE_URL is set)
# Both are idempotent: .venv is rebuilt only when pyproject.toml or constraints.txt change, the
# assets only when package-lock.json does.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := node_modules/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

$(ASSETS): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: Node.js (npm) is needed once, to install the web pages' assets: install nodejs and npm, then run this again"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(ASSETS)

run: $(STAMP) $(ASSETS)
	$(BIN)/scc init
	$(BIN)/scc demo
	$(BIN)/scc serve

test: $(STAMP) $(ASSETS)
	$(BIN)/ruff check models flows cli web api tests benchmarks migrations
	$(BIN)/mypy
	$(BIN)/python -m pytest
	@if [ -n "$$SCC_TEST_DATABASE_URL" ]; then \
		echo "== the same suite on $$SCC_TEST_DATABASE_URL"; \
		SCC_TEST_BACKEND=url $(BIN)/python -m pytest; \
	fi

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/flows.py
	$(BIN)/python benchmarks/documents.py
	$(BIN)/python benchmarks/commands.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/term_dates.py
	$(BIN)/python benchmarks/migration.py

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .hypothesis
