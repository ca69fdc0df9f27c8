# Wangge — the two commands on a fresh machine are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY := .venv/bin/python
UV := .tools/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: install machine run test lint types bench clean

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.installed: $(UV) pyproject.toml uv.lock package.json package-lock.json
	$(UV) sync --frozen --all-extras --quiet
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) scripts/vendor_static.py
	touch $@

# The English catalogue, compiled again whenever its source changes.
MO := wangge/locale/en/LC_MESSAGES/django.mo
$(MO): wangge/locale/en/LC_MESSAGES/django.po .venv/.installed
	.venv/bin/pybabel compile --domain django --directory wangge/locale --statistics

# Debian packages and local services each command needs (scripts/machine.sh): quiet when present.
machine:
	@scripts/machine.sh run

install: machine .venv/.installed $(MO)

run: install
	scripts/run.sh

test:
	@scripts/machine.sh test
	@$(MAKE) --no-print-directory install
	scripts/test.sh

lint: install
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	.venv/bin/lint-imports
	.venv/bin/mypy

# mypy alone, with the Django and DRF stubs (settings in pyproject.toml; cache in .mypy_cache).
types: install
	.venv/bin/mypy

bench: install
	@echo "See docs/performance.md for each benchmark's command."

clean:
	rm -rf .venv .tools node_modules staticfiles wangge/static/vendor
