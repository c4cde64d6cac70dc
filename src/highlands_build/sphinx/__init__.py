"""Sphinx extension for the book: offline pages, figure downloads and citations, data files.

- Removes the Thebe CDN constant that sphinx-thebe writes into every page (Thebe is off; the
  book promises pages that load nothing from outside).
- Under every numbered figure named ``fig-...``, adds links to its PNG, SVG and CSV (exported by
  ``highlands.figures.export_figure``) and a suggested citation with the figure's number; the
  figure's image itself links to the full-size SVG (on a phone the chart is small: a tap opens it).
- Provides the ``book-citation`` directive (suggested citation and BibTeX for the book) and the
  ``{{ version }}`` substitution, both from the package version (pyproject.toml).
- Drops a wrong ARIA role from the bibliography's HTML (see ``_fix_citation_list_role``).
- Copies the data package (CSV tables, datapackage.json, the article) into ``data/`` of the HTML.
- ``release``: version, release date and "data as of" in every footer; the data bundle and the
  ``{release-download}`` links to it and to the PDF edition.
- The generated pages (intro table, findings, ledger, sources, data, glossary, methods tables):
  directives reading the data, in :mod:`highlands_build.sphinx.pages`.

Citations carry the book's address only when ``html_baseurl`` is set (``_config.yml``); without
it they name the version, the release date and the page's anchor, and no address.
"""
from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from highlands import __version__, citation, paths

from . import pages, release

CDN_MARKERS = ("unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com")
# Title, authors and year come from CITATION.cff, the version from the package (pyproject.toml).
CITATION = citation.metadata()
AUTHORS = CITATION["authors"]
YEAR = CITATION["year"]
TITLE = CITATION["title"]
RELEASED = CITATION["date_released"]


def _drop_cdn_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    kept = []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body", "") or ""
        source = getattr(script, "filename", None) or str(script)
        if any(marker in body or marker in (source or "") for marker in CDN_MARKERS):
            continue
        kept.append(script)
    context["script_files"] = kept


def book_url(base: str | None, target: str = "") -> str:
    """The book's address for ``target`` (a page and anchor), or '' when no base URL is set."""
    base = (base or "").strip().rstrip("/")
    if not base:
        return ""
    return f"{base}/{target}" if target else f"{base}/"


def book_citation(base: str | None) -> tuple[str, str]:
    """The book's suggested citation and its BibTeX entry; the URL only when ``base`` is set."""
    url = book_url(base)
    text = f"{AUTHORS} ({YEAR}). {TITLE} (version {__version__}, released {RELEASED})." + (f" {url}" if url else "")
    fields = [("author", f"{{{{{AUTHORS}}}}}"), ("title", f"{{{TITLE}}}"), ("year", f"{{{YEAR}}}"),
              ("date", f"{{{RELEASED}}}"), ("version", f"{{{__version__}}}")]
    if url:
        fields.append(("url", f"{{{url}}}"))
    fields.append(("note", "{Text and data CC BY 4.0; code MIT}"))
    body = ",\n".join(f"  {name:<7} = {value}" for name, value in fields)
    return text, f"@book{{sevenhighlands{YEAR},\n{body}\n}}"


def figure_citation_text(base: str | None, page: str, figure_id: str, number: str, chapter: str) -> str:
    """A one-line suggested citation for a figure: its number and anchor, the book's version and
    release date, and the figure's address when the book's URL (``base``) is set."""
    head = (f"{AUTHORS} ({YEAR}). Figure {number} ({figure_id}), in “{chapter}”. "
            f"{TITLE}, version {__version__} (released {RELEASED})")
    url = book_url(base, f"{page}#{figure_id}")
    if url:
        return f"{head}. {url} (accessed [date])."
    return f"{head}, figure anchor #{figure_id}."


def figure_citation(app, docname: str, figure_id: str, number: str, chapter: str) -> str:
    """A one-line suggested citation for a figure (see :func:`figure_citation_text`)."""
    return figure_citation_text(app.config.html_baseurl, app.builder.get_target_uri(docname), figure_id,
                                number, chapter)


def _link_full_size(figure, svg_uri: str) -> None:
    """Wrap the figure's image in a link to its full-size SVG (a tap on a phone opens it)."""
    image = next(iter(figure.findall(nodes.image)), None)
    if image is None or isinstance(image.parent, nodes.reference):
        return
    link = nodes.reference("", "", refuri=svg_uri, classes=["figure-full-size"])
    image.replace_self(link)
    link.append(image)


def _add_figure_downloads(app, doctree, docname):
    if app.builder.format != "html":
        return
    numbers = app.env.toc_fignumbers.get(docname, {}).get("figure", {})
    title = app.env.titles.get(docname)
    chapter = title.astext() if title is not None else docname
    page = app.builder.get_target_uri(docname)
    for figure in list(doctree.findall(nodes.figure)):
        figure_id = next((i for i in figure["ids"] if i.startswith("fig-")), None)
        if figure_id is None:
            continue
        number = ".".join(str(n) for n in numbers.get(figure_id, ())) or "?"
        _link_full_size(figure, relative_uri(page, f"figures/{figure_id}.svg"))
        links = " · ".join(
            f'<a href="{relative_uri(page, f"figures/{figure_id}.{ext}")}" download>{label}</a>'
            for ext, label in (("png", "PNG"), ("svg", "SVG"), ("csv", "data (CSV)")))
        cite = escape(figure_citation(app, docname, figure_id, number, chapter))
        html = (f'<div class="figure-tools" data-figure="{figure_id}"><p><strong>Download</strong> {links}</p>'
                f'<p class="figure-cite"><strong>Cite this figure</strong> {cite}</p></div>')
        figure.parent.insert(figure.parent.index(figure) + 1, nodes.raw("", html, format="html"))


class BookCitation(SphinxDirective):
    """The book's suggested citation and BibTeX entry, with the current version and release date."""

    def run(self):
        """The book's suggested citation as a paragraph and a BibTeX block."""
        text, bibtex = book_citation(self.env.app.config.html_baseurl)
        return [nodes.paragraph(text=text), nodes.literal_block(bibtex, bibtex, language="bibtex")]


def _set_version(app, config):
    config.myst_substitutions = {**(config.myst_substitutions or {}), "version": __version__}
    config.release = config.version = __version__


def _copy_data(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "data"
    target.mkdir(exist_ok=True)
    for path in sorted(paths.DATA.glob("*.csv")) + [paths.DATAPACKAGE]:
        shutil.copy2(path, target / path.name)
    (target / "raw").mkdir(exist_ok=True)
    shutil.copy2(paths.ARTICLE, target / "raw" / paths.ARTICLE.name)


def _fix_citation_list_role(app, exception):
    """docutils marks the bibliography role="list" but its entries are doc-biblioentry, not
    listitem: an ARIA error (axe: aria-required-children). Drop the list role."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if '<div role="list" class="citation-list">' in text:
            page.write_text(text.replace('<div role="list" class="citation-list">', '<div class="citation-list">'),
                            encoding="utf-8")


def setup(app):
    """Register the book's extension with Sphinx (hooks, directives, roles); returns its metadata."""
    release.setup(app)  # version and dates in every footer, downloads (see the module)
    app.connect("config-inited", _set_version)
    app.connect("html-page-context", _drop_cdn_scripts, priority=900)
    app.connect("doctree-resolved", _add_figure_downloads)
    app.connect("build-finished", _copy_data)
    app.connect("build-finished", _fix_citation_list_role)
    app.add_directive("book-citation", BookCitation)
    from . import freshness  # issue 17: no stale or failed page (see the module)
    freshness.setup(app)
    pages.setup(app)
    app.setup_extension("highlands_build.sphinx.search")  # Chinese search terms (see that module)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
