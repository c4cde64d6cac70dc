"""The book's release on its pages: version and dates in every footer, and links to the downloads.

- :func:`release_metadata`: title, authors, version and release date (``highlands.citation``,
  i.e. CITATION.cff, whose version a test keeps equal to pyproject.toml's), the abstract, and
  "data as of", the latest date a source was read (``accessed`` in ``data/sources.csv``). The
  footer, the PDF's title page and the data bundle's README all read it from here.
- Every page's footer gets a line "Version · released · data as of · what changed" from the
  template item ``book-release.html`` (added to the theme's ``footer_content_items``). The three
  values are also the config value ``highlands_release``, so that a change rewrites every page.
- The role ``{release-download}`label <pdf>``` (or ``<data>``) links to this version's PDF
  edition or data bundle under ``downloads/`` of the HTML; the file name carries the version.
- When the HTML build finishes, the data bundle is written to ``downloads/`` (see
  :mod:`highlands_build.bundle`); the PDF is put there by ``make pdf`` (:mod:`highlands_build.pdf`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import ReferenceRole
from sphinx.util.osutil import relative_uri

from highlands import citation, paths

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
FOOTER_ITEM = "book-release.html"
# sphinx-book-theme 1.3's default footer items (theme.conf), kept when the book adds its own.
THEME_FOOTER_ITEMS = ["author.html", "copyright.html", "last-updated.html", "extra-footer.html"]
DOWNLOADS = "downloads"  # folder of the HTML that holds the PDF edition and the data bundle
CHANGES_DOC = "book/changes"


@lru_cache(maxsize=1)
def release_metadata() -> dict[str, str]:
    """The release as readers see it: citation metadata, abstract, "data as of" and download names.

    Keys: those of :func:`highlands.citation.metadata` (title, authors, year, version,
    date_released, license, short), plus ``abstract`` (CITATION.cff), ``data_as_of`` (ISO date,
    the latest ``accessed`` date of the sources table, read through the validating loader),
    ``pdf_name`` and ``bundle_name`` (file names under ``downloads/``). Raises KeyError if
    CITATION.cff lacks a field and highlands.DataError if the data are invalid.
    """
    import highlands  # the validating loader (pandas): imported only when the metadata are needed

    meta = dict(citation.metadata())
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    meta["abstract"] = " ".join(str(cff.get("abstract", "")).split())
    accessed = highlands.load("sources")["accessed"].dropna()
    meta["data_as_of"] = str(max(str(value) for value in accessed))[:10]
    meta["pdf_name"] = f"seven-highlands-{meta['version']}.pdf"
    meta["bundle_name"] = f"seven-highlands-data-{meta['version']}.zip"
    return meta


def _add_footer_item(app, config):
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    options = dict(config.html_theme_options or {})
    items = options.get("footer_content_items") or THEME_FOOTER_ITEMS
    if isinstance(items, str):
        items = [item.strip() for item in items.split(",") if item.strip()]
    if FOOTER_ITEM not in items:
        items = [*items, FOOTER_ITEM]
    options["footer_content_items"] = items
    config.html_theme_options = options


FOOTER_KEYS = ("version", "date_released", "data_as_of")


def _record_release(app, config):
    # Every page's footer shows these, but Sphinx rewrites only the pages whose sources changed:
    # as a config value of the "html" kind they enter the build's hash (.buildinfo), so a new
    # "data as of" or version rewrites every page, not only those a notebook or table feeds.
    meta = release_metadata()
    config.highlands_release = {key: meta[key] for key in FOOTER_KEYS}


def _footer_context(app, pagename, templatename, context, doctree):
    changes = ""
    if CHANGES_DOC in app.env.all_docs:
        target = app.builder.get_target_uri(CHANGES_DOC)
        changes = relative_uri(app.builder.get_target_uri(pagename), target) or target.split("/")[-1]
    context["book_release"] = {**app.config.highlands_release, "changes_url": changes}


class ReleaseDownload(ReferenceRole):
    """``{release-download}`the PDF edition <pdf>```: a link to this version's download."""

    def run(self):
        """The nodes of the directive (see the class docstring)."""
        meta = release_metadata()
        files = {"pdf": meta["pdf_name"], "data": meta["bundle_name"]}
        if self.target not in files:
            message = self.inliner.reporter.error(
                f"release-download: unknown download {self.target!r} (use one of {sorted(files)})",
                line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        builder = self.env.app.builder
        uri = relative_uri(builder.get_target_uri(self.env.docname), f"{DOWNLOADS}/{files[self.target]}")
        title = self.title if self.has_explicit_title else files[self.target]
        return [nodes.reference(self.rawtext, title, refuri=uri, classes=["release-download"])], []


def _write_downloads(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from highlands_build import bundle

    path = bundle.build_bundle(Path(app.outdir) / DOWNLOADS)
    logger.info(f"data bundle: {path.relative_to(app.outdir)}")


def setup(app):
    """Register the footer item, the download role and the data bundle (one call from the extension)."""
    app.add_config_value("highlands_release", {}, "html", types=[dict])
    app.connect("config-inited", _add_footer_item)
    app.connect("config-inited", _record_release)
    app.connect("html-page-context", _footer_context)
    app.connect("build-finished", _write_downloads)
    app.add_role("release-download", ReleaseDownload())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
