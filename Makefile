# The two commands of the README:  make run  (demo + web app)  and  make test.
VENV   := .venv
PY     := $(VENV)/bin/python
CIVCAS := $(VENV)/bin/civcas
DEMO_DB ?= demo.db

.PHONY: run test install install-web assets lint bench clean

# Two installs, each with its own stamp: `make run` installs only the web extra (what
# serving the demo needs, ~170 MB); `make test` (and lint, bench) everything, and a
# `make test` after a `make run` still installs everything.
$(VENV)/.created:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	touch $@

$(VENV)/.installed-web: pyproject.toml | $(VENV)/.created
	$(VENV)/bin/pip install -q -e '.[web]'
	touch $@

$(VENV)/.installed: pyproject.toml | $(VENV)/.created
	$(VENV)/bin/pip install -q -e '.[all,dev]'
	touch $@ $(VENV)/.installed-web

install: $(VENV)/.installed assets
install-web: $(VENV)/.installed-web assets

# JavaScript and map outlines come from the npm registry and are served locally.
assets:
	@if [ -f civcas/web/assets/package.json ]; then \
	  cd civcas/web/assets && npm install --no-audit --no-fund --silent && node build.mjs; fi

run: install-web
	$(CIVCAS) --db $(DEMO_DB) demo
	$(CIVCAS) --db $(DEMO_DB) serve --host 127.0.0.1 --port 8000

test: install
	$(VENV)/bin/pytest -q

lint: install
	$(VENV)/bin/ruff check civcas tests benchmarks
	$(VENV)/bin/ruff format --check civcas tests benchmarks
	$(VENV)/bin/mypy

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) demo.db* .pytest_cache
