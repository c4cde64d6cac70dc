"""The Sphinx side of "never publish a stale or failed page" (issue 17).

The notebooks are executed before the build by ``highlands_build.execute`` (the build itself has
execution off); this module makes the build refuse what that step should have prevented and
re-read every page that shows something that changed:

- A notebook holding an error output or a traceback stops the build with an error naming the page,
  before any page is written. Jupyter Book's ``reports/`` folder (execution tracebacks with the
  builder's absolute paths) is never left in the HTML.
- A build that ends with warnings (``-W --keep-going``) or an error leaves no saved environment,
  so the next build re-reads every page and fails again instead of passing on the second run.
- A page that pastes a glued value from another notebook (``{glue:text}`other.ipynb::key```) is
  re-read whenever that notebook changed (``env-get-outdated``).
- ``note_data_dependencies(env, docname)`` lets a page generated from the data (a directive) say
  it depends on every file under ``data/`` and ``src/highlands/``; Sphinx re-reads it when one of
  them changes.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

ENV_KEY = "highlands_glue_sources"  # docname -> sorted list of notebooks it pastes glued values from
TRACEBACK = "Traceback (most recent call last)"


# --- a notebook with an error output never becomes a page -------------------------------------------

def notebook_errors(path: Path) -> list[str]:
    """Where a notebook holds an error output or a traceback, one line each (cell number and kind)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(document.get("cells", []), start=1):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if output.get("output_type") == "error":
                found.append(f"cell {number}: error output ({output.get('ename', '?')}: {output.get('evalue', '')})")
                continue
            texts = [output.get("text", "")] + [value for value in output.get("data", {}).values()
                                                if isinstance(value, (str, list))]
            text = "".join("".join(t) if isinstance(t, list) else t for t in texts)
            if TRACEBACK in text:
                found.append(f"cell {number}: a traceback in its {output.get('output_type')} output")
    return found


def _refuse_failed_notebooks(app, env, docnames):
    problems = []
    for docname in sorted(docnames):
        source = Path(env.doc2path(docname))
        if source.suffix == ".ipynb" and source.exists():
            problems += [f"{docname}: {where}" for where in notebook_errors(source)]
    if problems:
        raise ExtensionError(
            "notebook outputs hold errors; the page would publish a traceback. Fix the notebook and "
            "run `make book` (it re-executes it):\n  " + "\n  ".join(problems))


def _remove_reports(app, *_):
    """Jupyter Book writes execution tracebacks to <html>/reports/; they never belong to the book."""
    reports = Path(app.outdir) / "reports"
    if reports.is_dir():
        shutil.rmtree(reports)


def _forget_environment_after_failure(app, exception):
    """After an error or warnings (-W --keep-going), make the next build re-read every page.

    Sphinx already drops its saved environment on an exception; with --keep-going a warning leaves
    it, and the next build would read nothing, warn about nothing and report success.
    """
    _remove_reports(app)
    if exception is None and not (app._warncount and app.keep_going):
        return
    saved = Path(app.doctreedir) / "environment.pickle"
    if saved.exists():
        saved.unlink()


# --- a pasted glued value follows the notebook it comes from ----------------------------------------

def _record_glue_sources(app, doctree):
    from myst_nb.ext.glue.utils import PendingGlueReference

    env = app.env
    sources = {node.refdoc for node in doctree.findall(PendingGlueReference) if node.refdoc != env.docname}
    store = getattr(env, ENV_KEY, None)
    if store is None:
        store = {}
        setattr(env, ENV_KEY, store)
    if sources:
        store[env.docname] = sorted(sources)
    else:
        store.pop(env.docname, None)


def _purge(app, env, docname):
    getattr(env, ENV_KEY, {}).pop(docname, None)


def _merge(app, env, docnames, other):
    store = getattr(env, ENV_KEY, None)
    if store is None:
        store = {}
        setattr(env, ENV_KEY, store)
    store.update({d: s for d, s in getattr(other, ENV_KEY, {}).items() if d in docnames})


def _pages_pasting_changed_values(app, env, added, changed, removed):
    touched = set(added) | set(changed) | set(removed)
    outdated = [docname for docname, sources in getattr(env, ENV_KEY, {}).items()
                if docname in env.all_docs and touched.intersection(sources)]
    for docname in outdated:
        logger.info(f"[highlands] {docname} pastes a glued value from a changed notebook: re-reading it")
    return outdated


# --- pages generated from the data ------------------------------------------------------------------

def data_dependencies(srcdir: str | os.PathLike) -> list[str]:
    """Every file under data/ and src/highlands/ (except caches), relative to the source folder."""
    root = Path(srcdir)
    files = []
    for folder in (root / "data", root / "src" / "highlands"):
        files += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(os.path.relpath(p, root) for p in files)


def note_data_dependencies(env, docname: str | None = None) -> None:
    """Make ``docname`` (default: the page being read) depend on all data and all shared code.

    Call it from a directive that builds its content from the data, so that editing a table or
    src/highlands/ re-reads the page. Paths are stored relative to the source folder.
    """
    docname = docname or env.docname
    for name in data_dependencies(env.srcdir):
        env.dependencies[docname].add(name)


def setup(app):
    """Register the freshness checks with Sphinx; returns the extension metadata."""
    app.connect("builder-inited", _remove_reports)
    app.connect("env-before-read-docs", _refuse_failed_notebooks)
    app.connect("doctree-read", _record_glue_sources)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _pages_pasting_changed_values)
    app.connect("build-finished", _forget_environment_after_failure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
