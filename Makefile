# The two commands of the README:
#   make run   set up .venv, create or upgrade ./var/scc.db and run the demo LA through the lifecycle
#   make test  set up .venv with the test tools, run ruff and mypy, then the whole suite
#              (again on PostgreSQL when SCC_TEST_DATABASE_URL is set)
# Both are idempotent: .venv is rebuilt only when pyproject.toml or constraints.txt change.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/scc init
	$(BIN)/scc demo

test: $(STAMP)
	$(BIN)/ruff check models flows cli tests benchmarks migrations
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

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
