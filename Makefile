# Two entry points: `make run` (set up, load data, start the dashboard) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup data samples run test browser vendor postgres bench

setup: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

# Boundaries: use EVENTMAP_DATA_DIR when it has them, else download geoBoundaries into shapefiles/.
data: setup
	$(BIN)/python -m geo fetch --if-missing

samples: data
	$(BIN)/python -m events ingest samples

run: samples
	$(BIN)/streamlit run dashboard.py --server.headless true --browser.gatherUsageStats false

# Debian's chromium for the end-to-end test (needs root or sudo on a fresh machine).
browser:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

# Debian's PostgreSQL server programs: the store tests start a throwaway server on 127.0.0.1.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q postgresql; }

# Leaflet and plugins for the offline browser test (the map's CDN files, from the npm registry).
vendor:
	@command -v npm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q npm; }
	cd tests/vendor && npm ci --no-audit --no-fund --loglevel=error

test: setup browser vendor postgres
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m bench boundaries
	$(BIN)/python -m bench geocode
	$(BIN)/python -m bench pipeline
	$(BIN)/python -m bench dashboard
