# nndl-book: `make book` builds the website, `make test` runs every check.
# Both start from nothing: they create .venv, install the locked package set and the pinned
# browser assets, and (for the browser test) Debian's chromium when it is missing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
# Where to get torch's CPU build when the default index would bring a CUDA build, e.g.
# make book TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := book/_vendor_static/vendor/.installed
HTML := _build/html
CHAPTERS ?=
NBVAL_TARGETS := $(if $(CHAPTERS),$(patsubst %,book/chapters/%.ipynb,$(CHAPTERS)),book/chapters)
NBVAL_SANITIZE := tests/nbval_sanitize.cfg
# The environment notebooks are executed in: tools/notebooks.py KERNEL_ENV, the one definition.
KERNEL_ENV = $(shell $(PY) tools/notebooks.py env)
# JupyterLab's settings in .venv: double-clicking a chapters/*.py opens it as a notebook.
LAB_VIEWERS := $(VENV)/etc/jupyter/labconfig/default_setting_overrides.json
# JupyterLab refuses to run as root unless told to (containers, CI).
ALLOW_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help venv assets notebooks book serve lab test lint unit pairing translations po nbval \
        site browser chromium test-launch bench clean student

help:
	@echo "make book         build the website into $(HTML), the Chinese edition into $(HTML)/zh"
	@echo "make serve        serve the built website on http://127.0.0.1:8000"
	@echo "make lab          JupyterLab on the chapters; chapters/*.py open as notebooks"
	@echo "make notebooks    execute chapters/*.py into book/chapters/*.ipynb (CHAPTERS=01_forward_propagation for one)"
	@echo "make test         every check: lint, unit, pairing, translations, nbval, site, browser"
	@echo "make lint         ruff check on the package, tests, tools and chapters"
	@echo "make unit         unit and property tests of nndl_book"
	@echo "make pairing      each chapters/*.py matches its executed notebook"
	@echo "make translations every message of the Chinese edition is translated, none fuzzy, lint-free"
	@echo "make po           extract the pages' messages and update locales/zh_CN/LC_MESSAGES/*.po"
	@echo "make nbval        re-run the executed notebooks and compare outputs (CHAPTERS=... for some)"
	@echo "make nbval-repeat nbval three times in a row: fails on any cell that is not reproducible"
	@echo "make site         the strict website build (warnings are errors), reused while no input changed"
	@echo "make browser      open every page of the built site offline in chromium"
	@echo "make test-launch  the launch paths: Binder (repo2docker), the README's commands, Colab"
	@echo "make bench        speed figures of the package and the widgets"
	@echo "make student      the chapters without solutions, for handing out, into book/student/"
	@echo "make venv         create .venv with the locked package set (constraints.txt)"
	@echo "make assets       install the pinned browser assets into the website's static files"
	@echo "make chromium     install Debian's chromium for the browser test when it is missing"
	@echo "make clean        remove the built site and the browser assets"

# ---------------------------------------------------------------- environment
$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if [ -n "$(TORCH_INDEX)" ]; then \
	  $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt torch \
	    --index-url "$(TORCH_INDEX)"; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[book,lab,test]"
	$(BIN)/jupytext-config --settings-file $(LAB_VIEWERS) set-default-viewer python
	@touch $@

venv: $(STAMP)

$(ASSETS): package.json package-lock.json tools/assets.sh
	bash tools/assets.sh
	@touch $@

assets: $(ASSETS)

chromium:
	@[ -n "$${CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser test"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# ---------------------------------------------------------------- the book
notebooks: $(STAMP)
	$(PY) tools/notebooks.py execute $(CHAPTERS)
	$(PY) tools/exercise_index.py

# Every input of the website: the configuration, the browser assets, and each file under book/,
# locales/ and the package (the API page shows its docstrings) that git tracks or would track; the
# installed package set through $(STAMP). A build is reused only when it finished, is newer than
# every input and was made from the same list of files (a file removed or renamed is a change);
# with CI=true it is always rebuilt. It is timed from its start, so an input edited during a
# build makes the next `make site` build again.
SITE_FILES := $(sort $(wildcard $(shell git ls-files --cached --others --exclude-standard \
  book locales src/nndl_book 2>/dev/null \
  || find book locales src/nndl_book -type f -not -path '*/__pycache__/*' -not -name '*.mo')))
SITE_INPUTS := $(STAMP) $(ASSETS) _config.yml _toc.yml $(SITE_FILES)
SITE_LIST := _build/.site-inputs
SITE_FORCE := $(if $(filter-out 0 false,$(CI)),FORCE,$(shell printf '%s\n' $(SITE_INPUTS) \
  | cmp -s - $(SITE_LIST) || echo FORCE))

.PHONY: FORCE
FORCE:

$(HTML)/index.html: $(SITE_INPUTS) $(SITE_FORCE)
	@echo "== strict website build from scratch, both editions (-W -n --keep-going)"
	rm -rf _build
	mkdir -p _build && touch _build/.started
	$(PY) tools/site.py build
	@printf '%s\n' $(SITE_INPUTS) > $(SITE_LIST)
	@touch -r _build/.started $@

book: $(HTML)/index.html
	@echo "The website is at $(abspath $(HTML))/index.html, the Chinese edition at $(abspath $(HTML))/zh/index.html"

serve: book
	$(PY) -m http.server --bind 127.0.0.1 --directory $(HTML) 8000

lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) --LabApp.default_url=/lab/tree/chapters

# ---------------------------------------------------------------- checks
test: lint unit pairing translations nbval site browser
	@echo "make test: every check passed"

lint: $(STAMP)
	@echo "== lint (ruff; the CI workflow: zizmor offline, GitHub's workflow schema; the favicon)"
	$(BIN)/ruff check src tests tools chapters
	$(BIN)/zizmor --offline --persona=pedantic --no-progress -q .github/workflows/
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(PY) tools/favicon.py --check

# pytest workers (pytest-xdist) for the unit tests, nbval and the browser test: one per core.
# The unit tests go by file, so a module's shared fixture is built once.
WORKERS ?= 2

unit: $(STAMP)
	@echo "== unit tests of nndl_book"
	$(BIN)/pytest tests --ignore=tests/site --ignore=tests/launch -q -p no:cacheprovider \
	  -n $(WORKERS) --dist loadfile --durations=10

pairing: $(STAMP)
	@echo "== every chapter's executed notebook matches its source; exercises and checks agree"
	$(PY) tools/notebooks.py check
	$(PY) tools/exercise_index.py --check
	$(PY) tools/your_turn.py --check

# The Chinese edition: extracted afresh from the pages, so a changed English paragraph shows up
# as untranslated until its catalogue is updated (`make po`) and translated.
translations: $(STAMP)
	@echo "== the Chinese edition: every message translated, none fuzzy, maths/code/roles kept"
	$(PY) tools/i18n.py check

po: $(STAMP)
	$(PY) tools/i18n.py update

# The notebooks' cells run in order in one worker's kernel (--dist loadfile), each compared.
NBVAL_RUN = $(KERNEL_ENV) $(BIN)/pytest --nbval --nbval-current-env \
	  --nbval-sanitize-with=$(NBVAL_SANITIZE) $(NBVAL_TARGETS) -q -p no:cacheprovider \
	  -n $(WORKERS) --dist loadfile

nbval: $(STAMP)
	@echo "== nbval: re-run every executed notebook and compare its outputs"
	$(NBVAL_RUN)

.PHONY: nbval-repeat
nbval-repeat: $(STAMP)
	@for run in 1 2 3; do \
	  echo "== nbval run $$run of 3"; \
	  $(NBVAL_RUN) || { echo "nbval run $$run of 3 failed (a failure after a passing run is a flaky cell)"; \
	    exit 1; }; \
	done

site: $(HTML)/index.html
	@echo "== the strict website build in $(HTML) is up to date"

browser: $(STAMP) chromium $(HTML)/index.html
	@echo "== browser test: every page offline in chromium"
	$(BIN)/pytest tests/site --confcutdir=tests/site -q -p no:cacheprovider -n $(WORKERS) \
	  --site-dir=$(HTML)

# Slow (each check builds its own environment, about ten minutes in all): not part of `make test`;
# .ci/run runs it after `make test`.
test-launch: $(STAMP)
	@echo "== launch paths: Binder (repo2docker), the README's commands, Colab"
	$(BIN)/pytest tests/launch -v -s -p no:cacheprovider --durations=0

bench: $(STAMP)
	$(PY) tools/bench.py

student: $(STAMP)
	$(PY) tools/student.py

clean:
	rm -rf _build book/_vendor_static/vendor node_modules
