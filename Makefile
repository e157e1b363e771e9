# The two commands of the README:
#   make run   set up .venv and the web assets, create or upgrade ./var/scc.db, load the demo consortium
#              (once) and start `scc serve`: the web pages, the API and the scheduler (Ctrl-C stops)
#   make test  set up .venv with the test tools, the web assets and Chromium for the browser tests,
#              run ruff, mypy and the import contracts, the whole suite (again on PostgreSQL when
#              SCC_TEST_DATABASE_URL is set), then every benchmark in its quick mode
# make test-fast runs the rules, services, db and adapters tests alone (no browser, no Prefect).
# Both are idempotent: .venv is rebuilt only when pyproject.toml or constraints.txt change, the
# assets only when package-lock.json does.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := node_modules/.installed

.PHONY: run test test-fast bench bench-quick browser clamd clean

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
	SCC_USER=sam.whitlock@riverford.example.gov.uk $(BIN)/scc demo --consortium
	$(BIN)/scc serve

# The browser tests drive Debian's Chromium by its path: installed here when this account may
# (root, as on CI), else one line says what to install.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; } || \
		{ echo "error: the browser tests need Chromium: install it (sudo apt-get install chromium), then run make test again"; exit 1; }

# The evidence tests start a ClamAV daemon of their own (its own signature file, no download).
clamd:
	@command -v clamd >/dev/null || [ -x /usr/sbin/clamd ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon >/dev/null; }; } || \
		{ echo "error: the evidence tests need ClamAV's daemon: install it (sudo apt-get install clamav-daemon), then run make test again"; exit 1; }

test: $(STAMP) $(ASSETS) browser clamd
	$(BIN)/ruff check models flows cli web api server tests benchmarks migrations
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest
	@if [ -n "$$SCC_TEST_DATABASE_URL" ]; then \
		echo "== the same suite on $$SCC_TEST_DATABASE_URL"; \
		SCC_TEST_BACKEND=url $(BIN)/python -m pytest; \
	fi
	$(MAKE) --no-print-directory bench-quick

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/rules tests/services tests/db tests/adapters -m "not browser and not prefect and not slow"

BENCHMARKS := engine flows documents commands web term_dates playbook_versions consortium

bench: $(STAMP)
	@for b in $(BENCHMARKS); do $(BIN)/python benchmarks/$$b.py || exit 1; done

bench-quick: $(STAMP)
	@for b in $(BENCHMARKS); do echo "== benchmarks/$$b.py --quick"; $(BIN)/python benchmarks/$$b.py --quick || exit 1; done

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .hypothesis
