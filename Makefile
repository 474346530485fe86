# Two entry points: `make run` (set up, load data, start the dashboard) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

ASSETS := static/vendor/node_modules/.package-lock.json
EVENTMAP_HOST ?= 127.0.0.1
EVENTMAP_PORT ?= 8501

.PHONY: setup dev data samples run test lint browser vendor postgres bench

setup: $(STAMP) $(ASSETS)

$(STAMP): requirements.txt requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt -c requirements.lock
	touch $@

# Test, benchmark and check tools (requirements-dev.txt), on top of the app's.
dev: $(DEV_STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt requirements.lock
	$(BIN)/pip install -q -r requirements-dev.txt -c requirements.lock
	touch $@

# Boundaries: use EVENTMAP_DATA_DIR when it has them, else download geoBoundaries into shapefiles/.
data: setup
	$(BIN)/python -m geo fetch --if-missing

samples: data
	$(BIN)/python -m events ingest samples

# Serves on 127.0.0.1:8501 (this machine only); EVENTMAP_HOST=0.0.0.0 make run serves a team.
run: samples
	$(BIN)/streamlit run dashboard.py --server.address $(EVENTMAP_HOST) --server.port $(EVENTMAP_PORT)

# Debian's chromium for the end-to-end test (needs root or sudo on a fresh machine).
browser:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

# Debian's PostgreSQL server programs and its PostGIS extension: the store tests start a throwaway server
# on 127.0.0.1 (the lowest installed version, as tests/conftest.py picks it).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q postgresql; }
	@VERSION=$$(ls /usr/lib/postgresql | sort | head -n 1); \
	  test -f /usr/share/postgresql/$$VERSION/extension/postgis.control || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -q postgresql-$$VERSION-postgis-3; }

# Leaflet and its plugins, served by the dashboard itself (static/vendor, from the npm registry).
vendor: $(ASSETS)

$(ASSETS): static/vendor/package-lock.json
	@command -v npm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q npm; }
	cd static/vendor && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Lint (ruff: pyflakes, pycodestyle at 110, bugbear, complexity) and types (mypy), settings in pyproject.toml.
lint: dev
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup dev browser postgres lint
	$(BIN)/python -m pytest -q

# Ingest at a few thousand articles by default; the scaling figures:
#   make bench BENCH_INGEST="--sizes 10000 100000 --compare 10000 --kill 100000"
BENCH_INGEST ?=

bench: setup dev
	$(BIN)/python -m bench boundaries
	$(BIN)/python -m bench geocode
	$(BIN)/python -m bench pipeline
	$(BIN)/python -m bench dashboard
	$(BIN)/python -m bench ingest $(BENCH_INGEST)
