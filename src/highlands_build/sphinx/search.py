"""Chinese search that finds what a reader types, with Sphinx's own search machinery.

Sphinx's Chinese search (``html_search_language: zh``) indexes a page with
``jieba.cut_for_search``; its browser side (``searchtools.js``) splits a query only at non-letters,
so a typed term is found only if the index holds it as one token. jieba alone cuts 知识城 into
知识 + 城 and drops the one-character 城, so 知识城 found nothing. This module:

- writes, at build time, a jieba user dictionary of the book's names and terms: every entity's
  Chinese name and alias (``data/entities.csv``), the highland titles (``highlands.claims``),
  the glossary terms (``data/glossary.csv``), the terms the article puts in quotation marks
  (“五区合一”, “新高地” …) and the few listed in ``BOOK_TERMS``; names are split at punctuation
  (广州开发区（黄埔区） gives 广州开发区 and 黄埔区). Sphinx's zh search loads it through
  ``html_search_options = {"dict": path}`` (set in ``_config.yml``; a relative path is taken
  from the book's folder), so these terms are indexed whole;
- ships the same terms to the search page as ``_static/zh-search-terms.<digest>.js``, for
  ``_static/zh-search.js``, which replaces Sphinx's ``splitQuery`` so that a typed Chinese query
  is cut into the longest dictionary terms (广州开发区知识城 → 广州开发区 + 知识城), falling back
  to the whole string where nothing matches.

The option also carries the dictionary's digest: when the dictionary changes, the changed option
makes Sphinx write (and so re-index) every page, instead of keeping stale tokens for pages it
would not otherwise rewrite.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

from highlands import paths

# Terms the book's text uses that are neither entity names nor glossary terms.
BOOK_TERMS = ("五区合一", "世界500强", "新高地", "高质量发展", "营商环境")
# Named by the dictionary's digest, so that a reader's browser never uses an older list from its cache.
TERMS_JS = "zh-search-terms.{digest}.js"
# A part of a name worth a dictionary entry: two or more letters or digits, at least one of them Han.
_PART = re.compile(r"\w{2,}")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _parts(text: str) -> list[str]:
    return [part for part in _PART.findall(text or "") if _HAN.search(part)]


def _column(table: str, *columns: str) -> list[str]:
    path = paths.DATA / f"{table}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.DictReader(handle) for column in columns
                for cell in (row.get(column) or "").split(";")]


def book_terms() -> list[str]:
    """The dictionary: every term once, in a stable order (longest first, then by code point)."""
    from highlands.claims import HIGHLANDS

    sources = _column("entities", "name_zh", "aliases_zh") + _column("glossary", "term_zh")
    sources += [title_zh for _, title_zh in HIGHLANDS.values()]
    if paths.ARTICLE.exists():
        sources += re.findall(r"“([^”]{2,16})”", paths.ARTICLE.read_text(encoding="utf-8"))
    sources += BOOK_TERMS
    terms = {part for text in sources for part in _parts(text)}
    return sorted(terms, key=lambda t: (-len(t), t))


def _entry(term: str) -> str:
    """A line of the jieba user dictionary. A term of three or more characters gets a frequency
    above that of most words, so that it stays whole wherever it stands (南沙区委副书记 is cut
    南沙区 + 委 …, not 南沙 + 区委 …, and a search for 南沙区 finds it). A two-character term gets no
    frequency: jieba then gives it the one that keeps it whole on its own, without breaking up
    longer words around it."""
    return f"{term} 100000\n" if len(term) >= 3 else f"{term}\n"


def _write_dictionary(app, config):
    """Write the jieba user dictionary where ``html_search_options["dict"]`` says (config-inited)."""
    options = dict(config.html_search_options or {})
    if not options.get("dict"):
        return
    target = Path(options["dict"])
    if not target.is_absolute():
        target = Path(app.srcdir) / target
    terms = book_terms()
    text = "".join(_entry(term) for term in terms)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    options["dict"] = str(target)
    options["digest"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    config.html_search_options = options
    app._book_search_terms = terms  # for the search page's script (below)


def _terms_js(app) -> str:
    return TERMS_JS.format(digest=app.config.html_search_options["digest"][:10])


def _search_page_scripts(app, pagename, templatename, context, doctree):
    if pagename == "search" and getattr(app, "_book_search_terms", None):
        app.add_js_file(_terms_js(app))


def _write_terms_js(app, exception):
    if exception is not None or app.builder.format != "html" or not getattr(app, "_book_search_terms", None):
        return
    body = json.dumps(app._book_search_terms, ensure_ascii=False)
    script = ("/* The book's Chinese search terms (generated by highlands_build.sphinx.search; "
              "the same list as the jieba user dictionary the index was built with). */\n"
              f"window.BOOK_SEARCH_TERMS = {body};\n")
    static = Path(app.outdir) / "_static"
    static.mkdir(exist_ok=True)
    for old in static.glob(TERMS_JS.replace("{digest}", "*")):
        old.unlink()
    (static / _terms_js(app)).write_text(script, encoding="utf-8")


def setup(app):
    """Register the Sphinx hooks: write the jieba dictionary when the configuration is read, add
    the search scripts to the search page, write the browser's term list when the build ends.

    Input: the Sphinx application. Output: the extension metadata Sphinx expects. Reads
    data/entities.csv and data/glossary.csv; raises whatever reading them raises.
    """
    app.connect("config-inited", _write_dictionary)
    app.connect("html-page-context", _search_page_scripts)
    app.connect("build-finished", _write_terms_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
