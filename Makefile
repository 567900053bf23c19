# Indgang: `make run` starts the demo, `make test` runs the whole suite. Both set themselves up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INDGANG := $(BIN)/indgang
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run demo test test-fast lint messages compilemessages lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Indgang needs Python 3.11, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Links in e-mails, calendar files and the demo's login hint point at the address `make run` serves.
INDGANG_SITE_URL ?= http://$(HOST):$(PORT)

demo: install
	INDGANG_DEMO=1 $(INDGANG) migrate --noinput
	INDGANG_DEMO=1 INDGANG_SITE_URL=$(INDGANG_SITE_URL) $(INDGANG) demo

run: demo
	INDGANG_DEMO=1 $(INDGANG) collectstatic --noinput --verbosity 0
	@echo "Indgang runs on http://$(HOST):$(PORT)/ (staff pages: http://$(HOST):$(PORT)/admin/). Stop with Ctrl+C."
	INDGANG_DEMO=1 INDGANG_SITE_URL=$(INDGANG_SITE_URL) $(INDGANG) runserver --noreload $(HOST):$(PORT)

test: install lint
	DJANGO_SETTINGS_MODULE=indgang.settings.test $(INDGANG) makemigrations --check --dry-run
	@if [ -x /usr/bin/chromium ]; then \
		echo "Browser tests: running in /usr/bin/chromium."; \
	else \
		echo "Browser tests: SKIPPED, /usr/bin/chromium is missing (install it with: apt-get install chromium)."; \
	fi
	@if [ -x /usr/sbin/dovecot ]; then \
		echo "IMAP tests: running against /usr/sbin/dovecot on loopback."; \
	else \
		echo "IMAP tests: SKIPPED, /usr/sbin/dovecot is missing (install it with: apt-get install dovecot-imapd)."; \
	fi
	$(INDGANG) test indgang --noinput

# The suite without the browser tests, for a quick loop while coding.
test-fast: install
	$(INDGANG) test indgang --noinput --exclude-tag browser

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

messages: install
	cd src/indgang && INDGANG_DEMO=1 ../../$(INDGANG) makemessages --locale da --locale en --no-obsolete --add-location file

compilemessages: install
	cd src/indgang && INDGANG_DEMO=1 ../../$(INDGANG) compilemessages

# Rewrite the locked requirements after a change to pyproject.toml.
lock:
	$(PYTHON) -m venv /tmp/indgang-lock && /tmp/indgang-lock/bin/pip install --quiet pip-tools
	cd requirements && /tmp/indgang-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o base.txt ../pyproject.toml
	cd requirements && /tmp/indgang-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --extra dev -o dev.txt ../pyproject.toml

clean:
	rm -rf $(VENV) var
