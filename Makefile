# Two commands on a fresh machine (Python 3.11+, make, Node.js with npm):
#   make run            install, build the SQLite database with demo data, serve http://127.0.0.1:5000
#                       with a worker beside it for e-mails and scheduled jobs (Ctrl-C stops both)
#   make test           install, then run the whole test suite
# and, when you need them:
#   make test-fast      the suite without the live (real server) and browser tests
#   make test-package   build the wheel, install it in a fresh virtual environment, serve from it
#   make dist           the wheel in dist/, with the socket.io client
#   make lock           re-resolve the lock files after editing the dependencies in pyproject.toml
#   make upgrade-deps   move every locked package to its newest allowed release, on purpose
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app consult
PYTEST := $(BIN)/pytest
# Everything, with the test tools: what `make install` and CI install.
TEST_LOCK := requirements-test.lock.txt
# The application alone, the same versions: what a deployment installs with the wheel.
LOCK := requirements.lock.txt
UV := $(BIN)/uv
COMPILE := $(UV) pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" --quiet

.PHONY: run test test-fast test-package install vendor dist lock upgrade-deps lint messages extract-messages clean

# The worker (it sends the e-mails and runs the scheduled jobs) runs beside the web
# server; Ctrl-C stops both.
run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) worker --workers 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(PYTEST)

test-fast: install
	$(PYTEST) -m "not live and not browser"

test-package: install
	$(PYTEST) -m package

install: $(VENV)/.installed consult/static/vendor/socket.io.min.js

# The locked versions, hashes checked; then Consult itself, editable, without resolving again.
# `pip check` fails when pyproject.toml asks for something the lock lacks: run `make lock`.
$(VENV)/.installed: pyproject.toml $(TEST_LOCK)
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(TEST_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

vendor: consult/static/vendor/socket.io.min.js

consult/static/vendor/socket.io.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent --ignore-scripts
	mkdir -p consult/static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js node_modules/socket.io-client/dist/socket.io.min.js.map consult/static/vendor/
	cp node_modules/jsqr/dist/jsQR.js consult/static/vendor/

dist: install
	rm -rf build dist
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	rm -rf build

# The lock tool only: the application never imports uv.
$(UV):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv>=0.13'

# Keeps every pin it can; adds, drops or moves only what pyproject.toml now asks for.
lock: $(UV)
	$(COMPILE) --extra test -o $(TEST_LOCK)
	$(COMPILE) --constraint $(TEST_LOCK) -o $(LOCK)

upgrade-deps: $(UV)
	$(COMPILE) --extra test --upgrade -o $(TEST_LOCK)
	$(COMPILE) --constraint $(TEST_LOCK) --upgrade -o $(LOCK)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every string marked in code and templates into the template catalogue; then each
# language's catalogue updated (new strings empty, changed ones fuzzy for review, a new
# language initialised) and compiled. Commit the .pot, .po and .mo files together.
# Folders starting with "_" (templates/_macros) are read too: pybabel skips them by default.
CATALOGUES := consult/translations
POT := messages.pot
LOCALES := ar zh_Hans fr ru es
PYBABEL_FLAGS := --no-wrap
messages: install extract-messages
	for locale in $(LOCALES); do \
		test -f $(CATALOGUES)/$$locale/LC_MESSAGES/messages.po || \
		$(BIN)/pybabel init -i $(POT) -d $(CATALOGUES) -l $$locale $(PYBABEL_FLAGS) || exit 1; \
	done
	$(BIN)/pybabel update -i $(POT) -d $(CATALOGUES) --ignore-obsolete --ignore-pot-creation-date $(PYBABEL_FLAGS)
	$(BIN)/pybabel compile -d $(CATALOGUES) --statistics

# The template catalogue alone (tests/core/test_i18n.py runs it into a temporary file).
extract-messages:
	mkdir -p $(dir $(POT))
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
		--add-comments=TRANSLATORS: --ignore-dirs=".* node_modules __pycache__" --sort-by-file --project=Consult --version=0.1.0 \
		--copyright-holder="the Consult authors" $(PYBABEL_FLAGS) -o $(POT) .

clean:
	rm -rf $(VENV) node_modules consult/static/vendor build dist
