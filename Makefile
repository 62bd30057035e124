# Two commands do all the set-up: `make run` serves the atlas with the Izium demo; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATA_DIR := var/test
# On a 2-core machine two pytest workers halve the wall time; set PYTEST_WORKERS=0 to run in one process. With
# --dist worksteal an idle worker takes tests queued for the other, so one long or stuck test holds up only itself.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: install run test test-sqlite test-postgres lint bench clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/lwf migrate
	$(BIN)/lwf demo
	$(BIN)/lwf serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	LWF_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/lwf manage makemigrations --check --dry-run --verbosity 1

test-sqlite: install
	LWF_DATA_DIR=$(TEST_DATA_DIR) DATABASE_URL= $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# CI sets LWF_TEST_POSTGRES_URL; there the PostgreSQL run is required, elsewhere it runs when the URL is given.
test-postgres: install
	@if [ -n "$(LWF_TEST_POSTGRES_URL)" ]; then \
		echo "The same suite against PostgreSQL: $(LWF_TEST_POSTGRES_URL)"; \
		LWF_DATA_DIR=$(TEST_DATA_DIR) DATABASE_URL="$(LWF_TEST_POSTGRES_URL)" $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS); \
	elif [ "$(CI)" = "true" ]; then \
		echo "CI=true but LWF_TEST_POSTGRES_URL is not set: the PostgreSQL run is required in CI" >&2; exit 1; \
	else \
		echo "Skipping the PostgreSQL run: set LWF_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to include it"; \
	fi

test: lint test-sqlite test-postgres

bench: install
	LWF_DATA_DIR=var/bench $(BIN)/python benchmarks/run.py
	LWF_DATA_DIR=var/bench $(BIN)/python benchmarks/serving.py
	@# Add 1,000,000 sites with LWF_BENCH_SITES=10000,100000,1000000 (slow to generate on two cores).
	LWF_DATA_DIR=var/bench $(BIN)/python benchmarks/register_scale.py

messages: install
	cd src/lestweforget && ../../$(BIN)/lwf manage makemessages --locale uk --no-location --ignore 'atlas/data/*' && ../../$(BIN)/lwf manage compilemessages

clean:
	rm -rf $(VENV) var build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
