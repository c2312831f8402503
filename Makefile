# Duban: `make run` starts the whole system, `make test` runs the whole suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha1sum | cut -c1-12)
SERVICES_WITH_DB := $(notdir $(patsubst %/migrations,%,$(wildcard services/*/migrations)))
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: run test setup venv broker migrate test-unit faults bench intake-eval compose-check clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

broker: venv
	@scripts/ensure_services.sh
	$(BIN)/python -m shared.broker_setup

migrate: venv
	$(BIN)/python -m shared.migrate $(SERVICES_WITH_DB)

setup: venv broker migrate

run: setup
	$(BIN)/python -m scripts.devrun

test: venv
	@scripts/ensure_services.sh --postgres --management
	@scripts/ensure_test_tools.sh
	$(BIN)/python -m shared.broker_setup
	$(BIN)/pytest $(PYTEST_ARGS)

# The fault suite alone (also part of `make test`): consumer down, broker restarts on a
# private RabbitMQ node, producer SIGKILL, malformed messages, SIGTERM, a short soak.
# Longer: DUBAN_SOAK_SECONDS=1200 DUBAN_CRASH_SECONDS=120 make faults
faults: venv
	@scripts/ensure_services.sh --postgres --management
	$(BIN)/pytest tests/faults $(PYTEST_ARGS)

test-unit: venv
	$(BIN)/pytest -m "not integration" $(PYTEST_ARGS)

bench: setup
	@scripts/ensure_services.sh --postgres --management
	$(BIN)/python bench/rpc_register.py --db sqlite
	$(BIN)/python bench/rpc_register.py --db postgres
	$(BIN)/python bench/rpc_register.py --db sqlite --processes separate
	$(BIN)/python bench/rpc_register.py --db postgres --processes separate
	$(BIN)/python bench/pipeline_bench.py --db sqlite
	$(BIN)/python bench/pipeline_bench.py --db postgres
	$(BIN)/python bench/pipeline_bench.py --db postgres --tracking-instances 2
	$(BIN)/python bench/intake_bench.py
	$(BIN)/python bench/notify_bench.py
	$(BIN)/python bench/appraisal_bench.py --db sqlite
	$(BIN)/python bench/appraisal_bench.py --db postgres
	$(BIN)/python bench/ledger_bench.py --db sqlite
	$(BIN)/python bench/ledger_bench.py --db postgres
	$(BIN)/python bench/results.py

intake-eval: venv
	$(BIN)/python -m tools.intake_eval

# Validates the file with throwaway secrets (the real ones come from .env / the environment).
compose-check:
	RABBITMQ_PASSWORD=compose-check POSTGRES_PASSWORD=compose-check \
	  docker-compose -f docker-compose.yml --env-file .env.example config -q

clean:
	rm -rf var
