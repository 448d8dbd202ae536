# Two commands: `make run` brings the whole site up; `make test` proves it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# `make run` writes its development settings (DEBUG, a secret key, an encryption key) to .env
# once; settings read it, so `manage.py` works in this checkout too. The environment wins.
RUN_ENV = export SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} PYTHONUNBUFFERED=1

.PHONY: run test bench lint format clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python -m coaching.dev_env .env
	mkdir -p var/broker/queue var/broker/processed var/broker/control var/mail var/media var/cache
	@$(RUN_ENV); $(BIN)/python manage.py migrate --noinput -v0
	@$(RUN_ENV); $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  The site:        http://127.0.0.1:$(PORT)/"
	@echo "  The coach area:  http://127.0.0.1:$(PORT)/coach/  (emails: /coach/outbox/ and var/mail/)"
	@echo "  Stop with Ctrl-C."
	@echo ""
	@# honcho would let .env override the environment; settings read .env themselves.
	@$(RUN_ENV); PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -p $(PORT) -e /dev/null

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=coaching.settings_test -v0
	$(BIN)/pytest

bench: $(VENV)/.dev
	$(BIN)/python -m bench

lint: $(VENV)/.dev
	$(BIN)/ruff check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var staticfiles
