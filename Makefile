# Assay: the two set-up commands are `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-12)

# Local settings, if any (see .env.example).
ifneq (,$(wildcard .env))
include .env
export
endif

.PHONY: install run test lint format bench lock clean-db client hedges-eval

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

run: export DEBUG ?= true
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seeds
	$(BIN)/python manage.py create_demo_users
	$(BIN)/python manage.py load_sample_layer --demo-workflow
	$(BIN)/python manage.py load_sample_propositions
	$(BIN)/python manage.py serve

# Whole suite: lint, format, migrations in sync, tests (browser and integration included).
test: export DEBUG ?= true
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null || { echo "models and migrations are out of sync: run manage.py makemigrations"; exit 1; }
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: export DEBUG ?= true
bench: install
	@$(BIN)/python -m tests.bench $(BENCH)

# A Python client generated from the OpenAPI schema (also generated and used by tests/api/test_generated_client.py).
client: install
	$(BIN)/python manage.py spectacular --file var/schema.yaml
	$(BIN)/openapi-python-client generate --path var/schema.yaml --meta setup --output-path var/assay-api-client --overwrite

# Re-resolve the pins from pyproject.toml's dependencies.
lock:
	rm -rf /tmp/assay-lock && $(PYTHON) -m venv /tmp/assay-lock
	/tmp/assay-lock/bin/pip install --quiet .
	/tmp/assay-lock/bin/pip freeze --exclude assay > requirements.txt

clean-db:
	-$(BIN)/python -m annotator.config.embedded_pg stop
	rm -rf var/pgdata

# Hedge suggester quality: exact/overlap precision and recall per kind against the hand-made gold.
hedges-eval: export DEBUG ?= true
hedges-eval: install
	$(BIN)/python manage.py hedges_evaluate --gold tests/hedges/gold/seeds_000_002.json seeds/000_*.txt seeds/001_*.txt seeds/002_*.txt
	$(BIN)/python manage.py hedges_evaluate --marked tests/hedges/gold/traps.marked.txt --marked tests/hedges/gold/unseen_energy.marked.txt --marked tests/hedges/gold/unseen_forecast.marked.txt --marked tests/hedges/gold/unseen_border.marked.txt --marked tests/hedges/gold/unseen_column.marked.txt --marked tests/hedges/gold/unseen_scenarios.marked.txt --marked tests/hedges/gold/unseen_grain.marked.txt --marked tests/hedges/gold/unseen_talks.marked.txt
	$(BIN)/python manage.py hedges_evaluate $(foreach f,$(wildcard tests/hedges/gold/fresh_*.marked.txt tests/hedges/gold/holdout_*.marked.txt),--marked $(f))
	$(BIN)/python manage.py hedges_evaluate $(foreach f,$(wildcard tests/hedges/gold/blind_*.marked.txt),--marked $(f))
	$(BIN)/python manage.py hedges_evaluate $(foreach f,$(wildcard tests/hedges/gold/blind3_*.marked.txt),--marked $(f))
	$(BIN)/python manage.py hedges_evaluate $(foreach f,$(wildcard tests/hedges/gold/blind4_*.marked.txt),--marked $(f))
	$(BIN)/python manage.py hedges_evaluate $(foreach f,$(wildcard tests/hedges/gold/blind5_*.marked.txt),--marked $(f))
	$(BIN)/python manage.py hedges_evaluate $(foreach f,$(wildcard tests/hedges/gold/blind6_*.marked.txt),--marked $(f))
	$(BIN)/python manage.py hedges_evaluate $(foreach f,$(wildcard tests/hedges/gold/blind7_*.marked.txt),--marked $(f))
	$(BIN)/python manage.py hedges_evaluate $(foreach f,$(wildcard tests/hedges/gold/blind8_*.marked.txt),--marked $(f))
	$(BIN)/python manage.py hedges_evaluate $(foreach f,$(wildcard tests/hedges/gold/blind9_*.marked.txt),--marked $(f))
	$(BIN)/python manage.py hedges_evaluate --gold tests/hedges/gold/seeds_independent.json seeds/00[0-4]_*.txt
