# Two commands on a fresh machine:
#   make run    install, build the SQLite database with demo data, serve http://127.0.0.1:5000
#               with a worker beside it for e-mails and scheduled jobs
#   make test   install, then run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app consult

.PHONY: run test install vendor lint messages clean

# The worker (it sends the e-mails and runs the scheduled jobs) runs beside the web
# server; Ctrl-C stops both.
run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) worker --workers 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/pytest

install: $(VENV)/.installed consult/static/vendor/socket.io.min.js

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

vendor: consult/static/vendor/socket.io.min.js

consult/static/vendor/socket.io.min.js: package.json
	npm ci --no-audit --no-fund --silent
	mkdir -p consult/static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js node_modules/socket.io-client/dist/socket.io.min.js.map consult/static/vendor/

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o messages.pot .

clean:
	rm -rf $(VENV) node_modules consult/static/vendor
