# Seven Highlands: `make book` builds the HTML book, `make test` runs every test.
# Both set up .venv from the pinned lock file first (Python 3.11, pip; no root, no apt for the book).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := seven-highlands
export PYTHONHASHSEED := 0
# The build's clock is the last commit's time (a tarball: CITATION.cff's date-released), so pages
# are byte-identical from one build to the next and still carry real dates (the footer's year).
ifeq ($(origin SOURCE_DATE_EPOCH),undefined)
SOURCE_DATE_EPOCH := $(shell $(PYTHON) src/highlands_build/epoch.py)
endif
export SOURCE_DATE_EPOCH
# `make execute FORCE=1` re-executes every notebook; JOBS=N runs N notebooks side by side.
EXECUTE_FLAGS := $(if $(FORCE),--force) $(if $(JOBS),--jobs $(JOBS))
# Jupyter reads its config from the venv only, so a user's ~/.jupyter cannot change the outputs.
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: setup book test test-fast lab execute browser bench sources-report clean

setup: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 (Seven Highlands)"
	touch $(STAMP)

# Any file of a PDF edition: only then can one be stale (spares `make book` the 2 s import of the printer)
PDF_EDITION = $(wildcard _build/pdf/* _build/html/downloads/*.pdf)

## book: execute the stale notebooks, build the HTML into _build/html (execution off there), then
## print the PDF edition again if one was made (`make pdf`) and the HTML changed since
book: $(STAMP)
	@mkdir -p _build/exports/figures  # filled by the notebooks as they run; copied into the HTML
	$(BIN)/python -m highlands_build.execute $(EXECUTE_FLAGS)
	$(BIN)/jupyter-book build . --path-output . -W -n --keep-going
	$(if $(PDF_EDITION),$(BIN)/python -m highlands_build.pdf --if-stale,@echo "PDF edition: none made")

## test: build the book, then data, seed, notebook (strict nbval), HTML and browser tests, on
## every core (TEST_JOBS=1 for one process; see tests/conftest.py)
TEST_JOBS ?= auto
test: book browser
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadscope --no-loadscope-reorder

## test-fast: everything but the book build, the fixture-book builds and the browser (uses the last build)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadscope --no-loadscope-reorder -m "not browser and not build"

## screenshots: every page at 1400 and 390 px, light and dark, into test-artifacts/screenshots/
.PHONY: screenshots
screenshots: book browser
	HIGHLANDS_SCREENSHOTS=1 $(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadscope --no-loadscope-reorder -m browser tests/test_browser.py

## browser: make sure Debian's chromium is there for the browser tests (installs it as root)
browser:
	@bash .ci/ensure-chromium

## bench: time bare execution, cold / no-change / one-chapter builds and the tests on a clean clone
bench: $(STAMP)
	$(BIN)/python -m highlands_build.bench

## pdf: the whole book as one PDF in _build/pdf/ (and the HTML's downloads/), printed by chromium
## when there is none or it is stale (`python -m highlands_build.pdf --force` prints it anyway)
.PHONY: pdf
pdf: browser book
	$(BIN)/python -m highlands_build.pdf

## sources-report: grade shares of the sources behind the data, overall and per chapter
sources-report: $(STAMP)
	$(BIN)/python -m highlands_build.sources_report

## lab: JupyterLab with the book's kernel, to rerun a chapter yourself
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## execute: re-run the stale notebooks in place (code, data or src/highlands changed); FORCE=1: all
execute: $(STAMP)
	$(BIN)/python -m highlands_build.execute $(EXECUTE_FLAGS)

clean:
	rm -rf _build
