# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
ADDRESS ?= localhost
EVENTS ?=
SHARED_BOUNDARIES ?= ../shared/boundaries
DISTRICTS := data/districts/districts.geojson
ASSETS := static/vendor/manifest.json

# `make lock LOCK_ARGS=--upgrade` also moves the unpinned (transitive) dependencies.
LOCK_ARGS ?=
LOCK := $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: run test lint format venv lock dist districts assets browser bench bench-batch clean

## run: set up and start the app on http://localhost:8501 (EVENTS=path for another events file)
run: $(STAMP) districts assets
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) \
		-- $(if $(EVENTS),--events "$(EVENTS)")

## test: set up, lint, type-check and run every test (the browser and packaging tests included)
test: $(STAMP) districts assets browser lint
	$(PY) -m pytest

## lint: ruff (format + lint) and mypy on geo/ and layers/
lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

venv: $(STAMP)

# The whole tree from the hashed lock, then the project itself (editable, no resolving:
# its dependencies and its build backend, hatchling, are all in the lock).
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $@

## lock: resolve requirements*.in into the hashed locks requirements*.txt (uv, from the lock)
lock: $(STAMP)
	$(LOCK) requirements.in -o requirements.txt
	$(LOCK) requirements-dev.in -o requirements-dev.txt

## dist: build the wheel into dist/ (`pip install dist/*.whl` gives the `armap` command)
dist: $(STAMP)
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

## districts: install geoBoundaries' districts from the local mirror, when there is one
districts: $(STAMP)
	@if [ -d "$(SHARED_BOUNDARIES)" ]; then \
		$(MAKE) --no-print-directory $(DISTRICTS); \
	elif [ -f $(DISTRICTS) ]; then echo "districts: installed"; \
	else echo "districts: no mirror at $(SHARED_BOUNDARIES); the map runs at province level."; \
		echo "  Install later: $(VENV)/bin/armap districts install --from PATH (or --download)"; fi

$(DISTRICTS): geo/boundaries.py data/provinces.geojson
	$(VENV)/bin/armap districts install --from "$(SHARED_BOUNDARIES)"

## assets: Leaflet and plugin files from the npm registry, served by the app itself
assets: $(STAMP)
	@$(PY) scripts/install_assets.py || echo "assets: not installed; the map will use the CDN and say so"

## browser: Debian's Chromium for the browser test (Playwright never downloads one)
browser:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "browser: install Debian's chromium (sudo apt-get install chromium)"; exit 1; fi; }

## bench: synthetic events at 1k-1M: the core (load, join...) and the map in Chromium
bench: $(STAMP) districts assets browser
	$(PY) bench/bench_core.py
	$(PY) bench/bench_browser.py

## bench-batch: a global ACLED-style export (3 GB by default): import time and peak memory
bench-batch: $(STAMP) districts
	$(PY) bench/bench_batch.py

clean:
	rm -rf $(VENV) data/districts static/vendor static/data dist .pytest_cache .mypy_cache .ruff_cache
