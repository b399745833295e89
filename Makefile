# nhandao: the few commands people type.  Only Python 3.11 is needed.
#   make demo   set up everything, load the demo Hải Phòng (SQLite), run http://127.0.0.1:8000
#   make test   set up everything and run the whole test suite, one pytest-xdist worker per core
#               (on PostgreSQL when DATABASE_URL is set, SQLite otherwise; XDIST= runs it in one process)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
SCALE  ?= small
# The tests on the seeded demo city (marked `seeded`, conftest.py) run after the others, on every
# core too: each worker seeds its own city (~3 minutes) and the crawl and access matrix (~20
# minutes in one process) are shared out; CI took 64 minutes with them in one process.
XDIST  ?= -n auto

# The demo runs without DEBUG (real error pages) over plain HTTP on loopback.
DEMO_ENV := DEBUG=false HTTPS=false

.PHONY: demo test venv run seed migrate lint fmt messages clean ci

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	@mkdir -p var/static var/media
	$(DEMO_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEMO_ENV) $(PY) manage.py seed_demo --scale $(SCALE)

# The background worker (statement imports) runs beside the web server and stops with it.
demo: seed
	@echo ""
	@echo "nhandao: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	@$(DEMO_ENV) $(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

run: venv
	@$(DEMO_ENV) $(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) -m pytest $(XDIST) -m "not seeded" $(PYTEST_ARGS)
	$(PY) -m pytest $(XDIST) -m seeded $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# English: extract the marked strings into locale/en/LC_MESSAGES/django.po and compile it; translate the
# new entries in the .po itself, then run this again (README, "English translation").
messages: venv
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l en --ignore=.venv

ci:
	.ci/run

clean:
	rm -rf $(VENV) var/nhandao.sqlite3* .pytest_cache
