# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := webapp

# The modules `make mutation` mutates (files or packages), one list.
MUTATION_MODULES := workflows/services/voting.py workflows/services/routing.py workflows/services/audit.py workflows/services/eligibility/ workflows/services/documents.py
# A scratch PostgreSQL database for `make crash`: dropped, created anew, and dropped again.
CRASH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/laurel_crash
# A scratch PostgreSQL database for `make bench-yearend-postgres`: emptied, filled and emptied again.
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/laurel_bench

CATALOGS := $(patsubst %.po,%.mo,$(wildcard webapp/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test test-postgres fuzz bench bench-yearend-postgres install clean translations mutation crash

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP) $(CATALOGS)

# Compiled message catalogues are built, not kept in git.
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

## Re-extract the strings to translate into the catalogues (after changing pages).
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o webapp/translations/messages.pot . >/dev/null
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations >/dev/null

## Start the app on SQLite with the reference and demo data (http://127.0.0.1:5000).
run: $(STAMP) $(CATALOGS)
	$(BIN)/flask init-db
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## Run the whole test suite, the API fuzzing included (SQLite; set TEST_DATABASE_URL for PostgreSQL).
test: $(STAMP) $(CATALOGS)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(STAMP) $(CATALOGS)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest $(PYTEST_ARGS)

## Only the API fuzzing, e.g. longer with FUZZ_EXAMPLES=30: fuzz the API from its OpenAPI document as a unit clerk and the secretariat (SQLite; TEST_DATABASE_URL
## for PostgreSQL); FUZZ_EXAMPLES cases per operation and mode (default 5): no 5xx, every answer as documented.
fuzz: $(STAMP) $(CATALOGS)
	$(BIN)/python -m pytest -s tests/fuzz

## Print the performance figures of docs/performance.md (the single path, then one agency's year-end round).
bench: $(STAMP) $(CATALOGS)
	$(BIN)/python -m bench

## The 14 member agencies' year-end rounds on PostgreSQL (BENCH_DATABASE_URL is emptied first).
bench-yearend-postgres: $(STAMP) $(CATALOGS)
	$(BIN)/python -m bench.yearend --agencies 14 --database-url $(BENCH_DATABASE_URL)

## Mutation testing of MUTATION_MODULES against their fast tests; not in CI (about an hour on two CPUs).
mutation: $(STAMP) $(CATALOGS)
	$(BIN)/python -m tests.proofs.mutation $(MUTATION_MODULES)

## Kill every worker of a 4-worker gunicorn under load (PostgreSQL); exit 1 if an acknowledged completion was lost.
crash: $(STAMP) $(CATALOGS)
	$(BIN)/python -m tests.proofs.crash --database-url $(CRASH_DATABASE_URL)

clean:
	rm -rf $(VENV) instance .pytest_cache build
