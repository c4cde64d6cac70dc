"""The book's generated pages: Sphinx directives that read the data through ``highlands``.

Every number, verdict and status on these pages comes from the runtime package at build time;
nothing is typed into the Markdown pages and no notebook builds HTML for them. Each directive
declares its inputs to Sphinx (every file of the data package and every module of
``highlands`` it imported), so a change to a table or to the shared code re-renders the page.

Directives (the page that uses each in brackets):

- ``highlands-intro-table`` (intro): per highland, its names and chapter, the article's figures,
  the verdicts by the rule and the commitments by status.
- ``highlands-scorecard`` (intro): commitments by highland and status (``plans.scorecard()``).
- ``highlands-findings`` (findings): every article figure with its verdict, the best independent
  figure and one sentence, grouped by highland.
- ``highlands-ledger`` (claims): the claims ledger; the extension writes ``claims_ledger.csv``
  (``verdicts.ledger()``) into the HTML's ``data/`` folder.
- ``highlands-grade-shares``, ``highlands-sources``, ``highlands-search-log``,
  ``highlands-hosts`` (sources): grade shares (as ``make sources-report``), every source with its
  anchor ``src-<source_id>``, the search log with anchors ``search-<subject_id>``, the host table.
- ``highlands-data-tables`` (data): every table of the data package with its fields and CSV.
- ``highlands-glossary`` (glossary): a Sphinx glossary from ``glossary.csv`` (``{term}`` works).
- ``highlands-docstring``, ``highlands-reading-rules``, ``highlands-search-summary`` (methods):
  the rules as the code states and enforces them.
"""
from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from html import escape
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

import highlands
from highlands import claims, colours, data, formatting, paths, plans, rules, verdicts
from highlands.claims import CHAPTERS, HIGHLANDS
from highlands_build import sources_report

SOURCES_DOC = "book/sources"
CLAIMS_DOC = "book/claims"
FINDINGS_DOC = "book/findings"
METHODS_DOC = "book/methods"
CHECK_ANCHOR = "check-of-the-claim"   # the "Check of the claim" section of every chapter
PLANS_ANCHOR = "what-happened-to-the-plans"
LEDGER_CSV = "claims_ledger.csv"      # written into the HTML's data/ folder at the end of the build
GRADE_LABELS = {"official": "official", "reputable-media": "reputable media",
                "repost-or-mirror": "repost or mirror", "aggregator": "aggregator"}
SEARCH_SUBJECTS = {"seed_figures": "Figures of the article", "commitments": "Commitments of the article",
                   "sources": "Sources still resting on a repost, mirror or aggregator",
                   "zone_indicators": "Benchmark figures", "milestones": "Dated events"}


# ---------------------------------------------------------------------------------------------
# Inputs, links and small HTML helpers


def input_files() -> list[Path]:
    """Every file a generated page depends on: the whole data package (the loader validates all
    of it before any table is read), the article, the chapter notebooks (the sources page counts
    the sources each cites), every loaded module of ``highlands`` and this module."""
    files = sorted(paths.DATA.glob("*.csv")) + [paths.DATAPACKAGE, paths.ARTICLE]
    files += [sources_report.chapter_notebook(h) for h in CHAPTERS]
    for name, module in sorted(sys.modules.items()):
        if (name == "highlands" or name.startswith("highlands.")) and getattr(module, "__file__", None):
            files.append(Path(module.__file__))
    files += [Path(__file__), Path(sources_report.__file__)]  # the pages' own code
    return [f for f in files if f.exists()]


def anchor_id(prefix: str, key: str) -> str:
    """An HTML id from a key: characters other than letters, digits, '-', '_' and '.' become '-'."""
    return prefix + re.sub(r"[^A-Za-z0-9_.\-]+", "-", str(key)).strip("-")


def search_anchor(subject_id: str) -> str:
    """The anchor of a subject's entries in the search log (sources page)."""
    return anchor_id("search-", subject_id)


def _zh(text: str) -> str:
    return f'<span lang="zh-Hans">{escape(str(text))}</span>'


def _missing(value) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, (list, tuple)) and bool(pd.isna(value))) or value == ""


def _sentence(text: str) -> str:
    text = str(text).strip()
    return text[:1].upper() + text[1:] if text else text


def table_html(headers: list[str], rows: list[list[str]], caption: str = "", classes: str = "",
               row_ids: list[str | None] | None = None, kinds: list[str] | None = None) -> str:
    """A reader table (the classes of :mod:`highlands.tables`) from cells that are already HTML."""
    kinds = kinds or ["text"] * len(headers)
    head = "".join(f'<th scope="col" class="kind-{k}">{escape(h)}</th>' for h, k in zip(headers, kinds))
    body = []
    for number, row in enumerate(rows):
        ident = row_ids[number] if row_ids else None
        attr = f' id="{escape(ident)}"' if ident else ""
        # data-label: the column's header, shown beside each cell when a narrow screen stacks the rows.
        cells = "".join(f'<td class="kind-{k}" data-label="{escape(h)}">{cell}</td>'
                        for h, k, cell in zip(headers, kinds, row))
        body.append(f"<tr{attr}>{cells}</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    label = escape(caption or "table")
    return (f'<div class="reader-table-wrap" tabindex="0" role="region" aria-label="{label}">'
            f'<table class="reader-table {classes}">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def verdict_badge(code: str) -> str:
    """A verdict code in words, classed for the stylesheet."""
    return f'<span class="verdict verdict-{code.replace("_", "-")}">{escape(verdicts.LABELS[code])}</span>'


def grade_badge(grade: str) -> str:
    """A source grade in words, classed for the stylesheet."""
    return f'<span class="grade grade-{grade}">{escape(GRADE_LABELS.get(grade, grade))}</span>'


def highland_name(highland: int) -> str:
    """'Foreign investment and the open economy' with its Chinese name, as HTML."""
    english, chinese = HIGHLANDS[highland]
    return f'{escape(english)} <span class="zh-name" lang="zh-Hans">{escape(chinese)}</span>'


class DataDirective(SphinxDirective):
    """A directive that builds its nodes from the data and declares every input to Sphinx."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        """Declare the inputs to Sphinx, then return the nodes of :meth:`build`."""
        result = self.build()
        for path in input_files():
            self.env.note_dependency(os.path.relpath(path, self.env.srcdir))
        return result

    def build(self) -> list[nodes.Node]:  # pragma: no cover - every directive overrides it
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        raise NotImplementedError

    def href(self, docname: str, anchor: str = "") -> str:
        """Link from the page being read to ``docname`` (and an anchor on it)."""
        builder = self.env.app.builder
        uri = relative_uri(builder.get_target_uri(self.env.docname), builder.get_target_uri(docname))
        return uri + (f"#{anchor}" if anchor else "")

    def file_href(self, target: str) -> str:
        """Link from the page being read to a file of the HTML output (e.g. 'data/sources.csv')."""
        return relative_uri(self.env.app.builder.get_target_uri(self.env.docname), target)

    def chapter_href(self, highland: int, anchor: str = "") -> str:
        """Link to a highland's chapter (and a section of it); '' for the preamble."""
        return self.href(f"notebooks/{CHAPTERS[highland]}", anchor) if highland in CHAPTERS else ""

    def source_links(self, ids) -> str:
        """Source ids linked to their entries on the sources page."""
        ids = [i for i in ids if i]
        links = (f'<a href="{self.href(SOURCES_DOC, "src-" + i)}">{escape(i)}</a>' for i in ids)
        return f'<span class="source-ids">{", ".join(links)}</span>' if ids else formatting.MISSING

    @staticmethod
    def raw(html: str) -> nodes.raw:
        """A raw HTML node."""
        return nodes.raw("", html, format="html")

    def section(self, title: str, ident: str, children: list[nodes.Node]) -> nodes.section:
        """A section (it appears in the page's contents) with a fixed id, also a label for {ref}."""
        section = nodes.section(ids=[ident], names=[ident])
        section += nodes.title(title, title)
        section.extend(children)
        self.state.document.note_explicit_target(section, section)
        return section


# ---------------------------------------------------------------------------------------------
# Intro: the seven highlands and the scorecard


def _status_summary(counts: dict[str, int]) -> str:
    parts = [f"{n} {plans.STATUS_LABELS[s]}" for s, n in counts.items() if n]
    return " · ".join(parts) if parts else formatting.MISSING


class IntroTable(DataDirective):
    """Per highland: names and chapter, the article's figures, verdicts by the rule, commitments."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        rows, ids = [], []
        for highland in sorted(HIGHLANDS):
            figures = claims.article_figures(highland)
            facts = [f for _, f in figures.iterrows() if verdicts.verdict(f["figure_id"]).verdict != "plan"]
            stated = [f"<li><b>{escape(f['stated'])}</b> {escape(f['indicator_en'])}</li>"
                      for f in facts if f["qualifier"] != "qualitative"]
            statements = len(facts) - len(stated)
            if statements:
                stated.append(f"<li>and {statements} statement{'s' if statements > 1 else ''} without a number</li>")
            n_plans = len(figures) - len(facts)
            if n_plans:
                stated.append(f"<li>{n_plans} planned figure{'s' if n_plans > 1 else ''} (a plan)</li>")
            name = highland_name(highland)
            if highland in CHAPTERS:
                name = f'<span class="highland-number">{highland}</span> <a href="{self.chapter_href(highland)}">{name}</a>'
            check = (f'<a href="{self.href(FINDINGS_DOC, f"findings-h{highland}")}">'
                     f'{escape(verdicts.summary(highland))}</a>')
            commitments = (_status_summary(plans.status_counts(highland)) if highland in CHAPTERS
                           else formatting.MISSING)
            rows.append([name, f'<ul class="compact">{"".join(stated)}</ul>', check, escape(commitments)])
            ids.append(f"intro-h{highland}")
        rows.append(["<b>The whole article</b>", formatting.MISSING,
                     f'<a href="{self.href(CLAIMS_DOC)}">{escape(verdicts.summary())}</a>',
                     escape(_status_summary(plans.status_counts()))])
        ids.append("intro-all")
        html = table_html(["Highland", "The article's figures", "The book's check (verdicts by the rule)",
                           "What happened to the plans"], rows,
                          caption="The seven highlands: the article's figures, the book's verdicts and the plans",
                          classes="intro-table stack", row_ids=ids, kinds=["text", "text", "text", "text"])
        return [self.raw(html)]


class Scorecard(DataDirective):
    """Commitments by highland and status, with the share that has a sourced status."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        table = plans.scorecard()
        rows = []
        for highland, row in table.iterrows():
            if highland == "all":
                name = "<b>All highlands</b>"
            else:
                name = f'<a href="{self.chapter_href(int(highland), PLANS_ANCHOR)}">{highland_name(int(highland))}</a>'
            cells = [str(int(row[s])) for s in plans.STATUSES]
            rows.append([name, *cells, str(int(row["total"])), f"{row['sourced_share_pct']:.0f}%"])
        headers = ["Highland", *[plans.STATUS_LABELS[s].capitalize() for s in plans.STATUSES], "Total",
                   "With a sourced status"]
        html = table_html(headers, rows, caption="Commitments of the article by highland and status",
                          classes="scorecard", kinds=["text"] + ["number"] * (len(headers) - 1))
        return [self.raw(html)]


# ---------------------------------------------------------------------------------------------
# Findings at a glance and the claims ledger


def _verdict_cell(v: verdicts.Verdict) -> str:
    cell = verdict_badge(v.verdict)
    if v.override_reason:
        cell += (f'<br><small>Set by hand (the rule gives: {escape(verdicts.LABELS[v.rule_verdict])}). '
                 f"Why: {escape(v.override_reason)}</small>")
    return cell


def _basis_text(v: verdicts.Verdict) -> str:
    if not v.basis:
        return formatting.MISSING
    text = escape(verdicts.describe(v.basis))
    if v.basis.get("as_of"):
        text += f" <small>as of {escape(formatting.date_at_precision(v.basis['as_of']))}</small>"
    return text


class Findings(DataDirective):
    """Every article figure by highland: verdict, the best independent figure, one sentence."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        sections = []
        for highland in sorted(HIGHLANDS):
            figures = claims.article_figures(highland)
            rows, ids = [], []
            for _, figure in figures.iterrows():
                v = verdicts.verdict(figure["figure_id"])
                ledger_link = f'<a href="{self.href(CLAIMS_DOC, "ledger-" + v.figure_id)}"><code>{escape(v.figure_id)}</code></a>'
                rows.append([
                    f"{escape(figure['indicator_en'])}<br><small>{ledger_link}</small>",
                    f"<b>{escape(figure['stated'])}</b> ({escape(str(figure['data_year']))})",
                    _verdict_cell(v),
                    _basis_text(v) + (f"<br>{self.source_links([v.basis['source_id']])}" if v.basis else ""),
                    escape(_sentence(v.reason)),
                ])
                ids.append(f"finding-{v.figure_id}")
            intro = f"<p>{escape(verdicts.summary(highland))}."
            if highland in CHAPTERS:
                intro += f' Discussed in <a href="{self.chapter_href(highland, CHECK_ANCHOR)}">chapter {highland}</a>.'
            intro += "</p>"
            html = table_html(["Figure", "The article says", "Verdict", "Best independent figure", "In one sentence"],
                              rows, caption=f"Findings: {HIGHLANDS[highland][0]}", classes="findings stack",
                              row_ids=ids, kinds=["text", "text", "verdict", "text", "quote"])
            english, chinese = HIGHLANDS[highland]
            title = (f"{highland}. {english} ({chinese})" if highland in CHAPTERS else f"{english} ({chinese})")
            sections.append(self.section(title, f"findings-h{highland}", [self.raw(intro + html)]))
        return sections


def ledger_frame():
    """The computed ledger as written to ``claims_ledger.csv`` (``verdicts.ledger()``)."""
    return verdicts.ledger()


def write_ledger_csv(outdir: str | os.PathLike) -> Path:
    """Write ``claims_ledger.csv`` into the HTML's ``data/`` folder; return its path."""
    target = Path(outdir) / "data" / LEDGER_CSV
    target.parent.mkdir(parents=True, exist_ok=True)
    ledger_frame().to_csv(target, index=False, lineterminator="\n")
    return target


class Ledger(DataDirective):
    """The claims ledger: one row per article figure, in the article's order."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        seed = data.load("seed_figures").set_index("figure_id")
        log = data.load("search_log")
        searches = log[log["subject_table"] == "seed_figures"].groupby("subject_id").size()
        rows, ids = [], []
        for _, row in ledger_frame().iterrows():
            figure = seed.loc[row["figure_id"]]
            v = verdicts.verdict(row["figure_id"])
            highland = int(row["highland"])
            english = escape(HIGHLANDS[highland][0])
            where = (f'<a href="{self.chapter_href(highland, CHECK_ANCHOR)}">{english}</a>' if highland in CHAPTERS
                     else english)
            figure_cell = (f"{where}<br><code>{escape(v.figure_id)}</code> {escape(figure['indicator_en'])}")
            quote = (f'{_zh(figure["quote"])}<br><i>{escape(figure["quote_en"])}</i>'
                     f'<br>Stated: <b>{escape(claims.stated(figure))}</b>')
            basis = _basis_text(v)
            if v.basis:
                basis += (f'<br><small>{escape(v.basis["table"])}, row {int(v.basis["row"])}</small>'
                          f'<br>{self.source_links([v.basis["source_id"]])}')
            also = [c["source_id"] for c in v.context if c and c.get("source_id")]
            if also:
                basis += f"<br><small>Also read: {self.source_links(dict.fromkeys(also))}</small>"
            why = escape(_sentence(v.reason))
            if v.verdict == "not_verifiable" or v.rule_verdict == "not_verifiable":
                n = int(searches.get(v.figure_id, 0))
                why += (f'<br><a href="{self.href(SOURCES_DOC, search_anchor(v.figure_id))}">What was searched '
                        f'({n} search{"es" if n != 1 else ""})</a>')
            if highland in CHAPTERS:
                why += f'<br><small>Discussed in <a href="{self.chapter_href(highland, CHECK_ANCHOR)}">chapter {highland}</a></small>'
            rows.append([figure_cell, quote, _verdict_cell(v), basis, why])
            ids.append("ledger-" + v.figure_id)
        table = table_html(["Figure", "The article says", "Verdict", "Independent figure and source", "Why"], rows,
                           caption="The claims ledger: every figure of the article", classes="ledger stack",
                           row_ids=ids, kinds=["text", "quote", "verdict", "text", "quote"])
        link = (f'<p class="ledger-download">Download the computed ledger: <a href="{self.file_href("data/" + LEDGER_CSV)}" '
                f'download><code>{LEDGER_CSV}</code></a> (one row per figure: <code>figure_id</code>, '
                f"<code>verdict</code>, the independent row it rests on, the reason).</p>")
        return [self.raw(link + table)]


class VerdictCounts(DataDirective):
    """Verdicts at a glance: figures per highland and verdict."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        rows = []
        for highland in [*sorted(HIGHLANDS), None]:
            counts = verdicts.counts(highland)
            name = "<b>All</b>" if highland is None else highland_name(highland)
            rows.append([name, *[str(counts.get(v, 0)) for v in verdicts.ORDER], str(sum(counts.values()))])
        html = table_html(["Highland", *[verdicts.LABELS[v].capitalize() for v in verdicts.ORDER], "Figures"], rows,
                          caption="Verdicts by highland", classes="verdict-counts",
                          kinds=["text"] + ["number"] * (len(verdicts.ORDER) + 1))
        return [self.raw(html)]


# ---------------------------------------------------------------------------------------------
# Sources and the search log


def citing_rows() -> dict[str, list[tuple[str, int, bool]]]:
    """source_id -> [(table, row (1 = first data row), used)] for every table naming a source."""
    found: dict[str, list[tuple[str, int, bool]]] = defaultdict(list)
    for name in data.table_names():
        if name == "sources":
            continue
        fields = [f["name"] for f in data.resource(name)["schema"]["fields"]]
        column = "source_id" if "source_id" in fields else "used_source_id" if "used_source_id" in fields else None
        if column is None:
            continue
        for number, row in enumerate(data.read_rows(name)[1], start=1):
            if row[column]:
                found[row[column]].append((name, number, row.get("use", "true") == "true"))
    return found


def _rows_text(citations: list[tuple[str, int, bool]]) -> str:
    by_table: dict[str, list[str]] = defaultdict(list)
    for table, number, used in citations:
        by_table[table].append(f"{number}" + ("" if used else " (not used)"))
    return "; ".join(f"<code>{escape(t)}</code> row{'s' if len(r) > 1 else ''} {', '.join(r)}"
                     for t, r in by_table.items())


class GradeShares(DataDirective):
    """Grade shares overall and per chapter (the figures ``make sources-report`` prints)."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        frame = sources_report.shares()
        rows = []
        for scope, row in frame.iterrows():
            name = ("<b>All used data rows</b>" if scope == "all"
                    else f'<a href="{self.chapter_href(int(scope))}">Chapter {scope}</a>: {escape(HIGHLANDS[int(scope)][0])}')
            rows.append([name, f"{int(row['rows']):,}", f"{row['rows_good_pct']:.1f}%", f"{int(row['sources']):,}",
                         f"{row['sources_good_pct']:.1f}%",
                         *[f"{int(row['rows_' + g]):,}" for g in sources_report.GRADES]])
        headers = ["Scope", "Used data rows", "Rows on official or reputable sources", "Distinct sources",
                   "Sources official or reputable", *[f"Rows: {GRADE_LABELS[g]}" for g in sources_report.GRADES]]
        html = table_html(headers, rows, caption="How well the data are sourced, overall and per chapter",
                          classes="grade-shares", kinds=["text"] + ["number"] * (len(headers) - 1))
        tables = ", ".join(f"<code>{escape(t)}</code>" for t in sources_report.sourced_tables())
        note = (f"<p class=\"table-note\">Used data rows: rows with <code>use = true</code> of {tables}. A chapter's "
                "rows are those whose source the chapter cites. The same figures: <code>make sources-report</code>.</p>")
        return [self.raw(html + note)]


class Sources(DataDirective):
    """Every source with its anchor ``src-<source_id>``, grade by the host rule and citing rows."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        hosts = data.read_rows("source_hosts")[1]
        citations = citing_rows()
        chapters = {h: sources_report.cited_by_chapter(h) for h in CHAPTERS}
        log = data.load("search_log")
        searched = set(log[log["subject_table"] == "sources"]["subject_id"])
        entries: dict[str, list[str]] = defaultdict(list)
        for source in sorted(data.read_rows("sources")[1], key=lambda s: s["source_id"]):
            sid = source["source_id"]
            rule = rules.host_grade(source["url"], hosts)
            by = ""
            if rule:
                owner = "" if rule["owner"].startswith("as named on the page") else f": {escape(rule['owner'])}"
                by = f' <small>by the host rule for <code>{escape(rule["host_prefix"])}</code>{owner}</small>'
            cited_in = [h for h in CHAPTERS if sid in chapters[h]]
            chapter_links = ", ".join(f'<a href="{self.chapter_href(h)}">chapter {h}</a>' for h in cited_in)
            meta = [f"{escape(source['publisher'])}",
                    f"published {escape(formatting.date_at_precision(source['published']))}" if source["published"]
                    else "publication date not known",
                    f"read {escape(source['accessed'])}", escape(source["language"])]
            rows = citations.get(sid, [])
            lang = source["language"]
            search = (f' · <a href="#{search_anchor(sid)}">searches for a better source</a>' if sid in searched else "")
            entries[source["reliability"]].append(
                f'<div class="source-entry" id="src-{escape(sid)}">'
                f'<p class="source-title"><a href="{escape(source["url"])}" rel="nofollow noopener">'
                f'<span lang="{escape(lang)}">{escape(source["title"])}</span></a> <code>{escape(sid)}</code></p>'
                f'<p class="source-meta">{" · ".join(meta)}</p>'
                f'<p class="source-grade">Grade: {grade_badge(source["reliability"])}{by}{search}</p>'
                f'<details><summary>Excerpt</summary><blockquote lang="{escape(lang)}">{escape(source["excerpt"])}'
                f'</blockquote></details>'
                f'<p class="source-use">Cited by: {_rows_text(rows) if rows else "no data row"}'
                + (f"; in {chapter_links}" if chapter_links else "") + "</p></div>")
        # One collapsed group per grade keeps the page short; a link to #src-<id> opens its group
        # (highlands-pages.js opens it; Chromium also does by itself).
        groups = [f'<details class="source-group" id="sources-{grade}"><summary>{grade_badge(grade)}: '
                  f'{len(entries[grade])} sources</summary><div class="source-list">{"".join(entries[grade])}</div>'
                  "</details>" for grade in sources_report.GRADES if entries[grade]]
        return [self.raw("".join(groups))]


def _indicator_labels() -> dict[str, str]:
    return {i["indicator_id"]: i["label_en"] for i in data.read_rows("indicators")[1]}


def _subject_label(table: str, subject: str, context: dict) -> str:
    """A subject of the search log in words (HTML)."""
    if table == "seed_figures" and subject in context["figures"]:
        figure = context["figures"][subject]
        v = verdicts.verdict(subject)
        return (f'<code>{escape(subject)}</code> {escape(figure["indicator_en"])} '
                f'({escape(claims.stated(figure))}); verdict: {verdict_badge(v.verdict)}')
    if table == "commitments" and subject in context["commitments"]:
        item = context["commitments"][subject]
        return (f'<code>{escape(subject)}</code> {escape(item["commitment_en"])}; status: '
                f'{escape(item["status_label"])}')
    if table == "sources" and subject in context["sources"]:
        source = context["sources"][subject]
        return (f'<a href="#src-{escape(subject)}"><code>{escape(subject)}</code></a> '
                f'{escape(source["publisher"])}; grade: {grade_badge(source["reliability"])}')
    if table == "zone_indicators":
        parts = subject.split("|")
        if len(parts) == 4:
            entity, scope, indicator, year = parts
            try:
                entity = colours.name(entity)
            except KeyError:
                pass
            words = [entity, "any scope" if scope == "*" else scope.replace("_", " "),
                     context["indicators"].get(indicator, indicator), "any year" if year == "*" else year]
            return escape(" · ".join(words))
    return escape(subject.replace("|", " · "))


class SearchLog(DataDirective):
    """The search log grouped by subject, each subject anchored ``search-<subject_id>``."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        log = data.load("search_log")
        figures = {f["figure_id"]: f for _, f in data.load("seed_figures").iterrows()}
        items = {c["commitment_id"]: c for _, c in plans.commitments().iterrows()}
        context = {"figures": figures, "commitments": items,
                   "sources": {s["source_id"]: s for s in data.read_rows("sources")[1]},
                   "indicators": _indicator_labels()}
        sections, used_ids = [], set()
        order = [t for t in SEARCH_SUBJECTS if t in set(log["subject_table"])]
        order += sorted(set(log["subject_table"]) - set(order))
        for table in order:
            mine = log[log["subject_table"] == table]
            blocks = []
            for subject, entries in mine.groupby("subject_id", sort=False):
                ident = search_anchor(subject)
                if ident in used_ids:
                    ident = anchor_id(f"search-{table}-", subject)
                used_ids.add(ident)
                # A list, not a table per subject: the log has hundreds of entries and the page must stay light.
                lines = "".join(
                    f'<li><span class="search-when">{escape(str(e["searched_on"]))}, {escape(e["corpus"])}:</span> '
                    f'<q lang="{escape(e["language"])}">{escape(e["query"])}</q> '
                    f'→ <span class="search-result result-{escape(e["result"])}">{escape(e["result"].replace("_", " "))}</span>'
                    + ("" if _missing(e["note"]) else f'. <span class="search-note">{escape(e["note"])}</span>')
                    + "</li>" for _, e in entries.iterrows())
                blocks.append(f'<div class="search-subject" id="{escape(ident)}"><p class="search-subject-title">'
                              f'{_subject_label(table, subject, context)}</p><ul class="search-list">{lines}</ul></div>')
            subjects, searches = mine["subject_id"].nunique(), len(mine)
            label = SEARCH_SUBJECTS.get(table) or data.resource(table).get("title") or table
            title = (f"{label} ({subjects} subject{'s' if subjects != 1 else ''}, "
                     f"{searches} search{'es' if searches != 1 else ''})")
            body = (f'<details class="search-group"><summary>The {searches} searches for {subjects} '
                    f'subject{"s" if subjects != 1 else ""}</summary>{"".join(blocks)}</details>')
            sections.append(self.section(title, f"search-log-{table.replace('_', '-')}", [self.raw(body)]))
        return sections


class Hosts(DataDirective):
    """The grading table by kind of host: each basis once, then its hosts with owner and source count."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        hosts = data.read_rows("source_hosts")[1]
        counts: dict[str, int] = defaultdict(int)
        for source in data.read_rows("sources")[1]:
            rule = rules.host_grade(source["url"], hosts)
            if rule:
                counts[rule["host_prefix"]] += 1
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for host in hosts:
            groups[(host["grade"], host["basis"])].append(host)
        blocks = []
        for (grade, basis), members in sorted(groups.items(), key=lambda g: (sources_report.GRADES.index(g[0][0]),
                                                                              -len(g[1]))):
            items = "".join(f'<li><code>{escape(h["host_prefix"])}</code> {escape(h["owner"])} '
                            f'<small>({counts.get(h["host_prefix"], 0)} source{"s" if counts.get(h["host_prefix"], 0) != 1 else ""})</small></li>'
                            for h in sorted(members, key=lambda h: h["host_prefix"].lstrip("*.")))
            blocks.append(f'<div class="host-group"><p>{grade_badge(grade)}: {escape(basis)} '
                          f'<small>({len(members)} host rules)</small></p><ul class="host-list">{items}</ul></div>')
        return [self.raw(f"<details><summary>All {len(hosts)} host rules, by kind of host</summary>{''.join(blocks)}"
                         "</details>")]


# ---------------------------------------------------------------------------------------------
# The data page


def _conflicts_html(directive: DataDirective) -> str:
    conflicts = data.load("conflicts")
    rows = []
    for _, c in conflicts.iterrows():
        declared = data.rules_of(c["table"])
        used = [r for r in data.read_rows(c["table"])[1]
                if data.fact_key(c["table"], r) == c["fact_key"] and r["use"] == "true"]
        value = formatting.MISSING
        if used:
            row = used[0]
            value = escape(" ".join(filter(None, [row[declared["factValue"]], row.get("unit", "")])))
        chapter = formatting.MISSING
        if not _missing(c["chapter"]):
            numbers = [h for h, slug in CHAPTERS.items() if slug == c["chapter"]]
            chapter = (f'<a href="{directive.chapter_href(numbers[0])}">chapter {numbers[0]}</a>' if numbers
                       else escape(c["chapter"]))
        rows.append([f"<code>{escape(c['table'])}</code>", escape(c["fact_key"].replace("|", " · ")),
                     escape(c["values_seen"]), f"<b>{value}</b><br>{directive.source_links([c['used_source_id']])}",
                     escape(c["reason"]), chapter])
    return table_html(["Table", "Fact", "Values the sources give", "Value the book uses", "Why", "Discussed in"],
                      rows, caption="Facts on which sources disagree, and the value the book uses",
                      classes="conflicts stack", kinds=["text", "text", "text", "text", "quote", "text"])


class DataTables(DataDirective):
    """Every table of the data package: title, description, rows, fields and its CSV."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        package = data.package()
        intro = (f'<p>The whole package: <a href="{self.file_href("data/datapackage.json")}" download>'
                 f'<code>datapackage.json</code></a> (Frictionless Data Package) and the article, '
                 f'<a href="{self.file_href("data/raw/article.txt")}" download><code>raw/article.txt</code></a>. '
                 f'{len(package["resources"])} tables, licence {escape(package["licenses"][0]["title"])}.</p>')
        sections = []
        for resource in package["resources"]:
            name = resource["name"]
            schema = resource["schema"]
            fields = []
            for f in schema["fields"]:
                constraints = f.get("constraints", {})
                meaning = escape(f.get("description") or "") or formatting.MISSING
                if "enum" in constraints:
                    meaning += f"<br><small>one of: {escape(', '.join(constraints['enum']))}</small>"
                fields.append([f"<code>{escape(f['name'])}</code>", escape(f["type"]),
                               "yes" if constraints.get("required") else "", meaning])
            keys = ", ".join(schema.get("primaryKey", []))
            links = "; ".join(f"<code>{escape(str(fk['fields']))}</code> → {escape(fk['reference']['resource'])}"
                              for fk in schema.get("foreignKeys", []))
            declared = ", ".join(f"<code>{escape(r)}</code>" for r in data.rules_of(name).get("rules", {}))
            rows = len(data.load(name))
            head = (f"<p>{escape(resource.get('description', ''))}</p>"
                    f'<p class="table-facts"><a href="{self.file_href("data/" + resource["path"])}" download>'
                    f"<code>{escape(resource['path'])}</code></a> · {rows:,} rows"
                    + (f" · key <code>{escape(keys)}</code>" if keys else "")
                    + (f" · links {links}" if links else "")
                    + (f" · rules {declared}" if declared else "") + "</p>")
            body = head + (f'<details class="fields"><summary>The {len(fields)} fields of {escape(resource["path"])}'
                           "</summary>"
                           + table_html(["Field", "Type", "Required", "Meaning"], fields,
                                        caption=f"Fields of {resource['path']}", classes="fields stack",
                                        kinds=["text", "text", "text", "quote"]) + "</details>")
            if name == "conflicts":
                body += _conflicts_html(self)
            sections.append(self.section(resource.get("title", name), f"table-{name}", [self.raw(body)]))
        return [self.raw(intro), *sections]


# ---------------------------------------------------------------------------------------------
# Glossary


class Glossary(DataDirective):
    """A Sphinx glossary from glossary.csv: term = the Chinese term (so ``{term}`` resolves), with
    its English rendering and definition; grouped by category."""

    CATEGORIES = {"statistics": "Statistics", "policy": "Policy", "institution": "Institutions",
                  "place": "Places", "programme": "Programmes"}

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        glossary = data.load("glossary")
        sections = []
        used: set[str] = set()
        order = [c for c in self.CATEGORIES if c in set(glossary["category"])]
        for category in order:
            items = []
            for _, entry in glossary[glossary["category"] == category].iterrows():
                ident = anchor_id("term-", entry["term_en"].split("(")[0].strip().lower())
                while ident in used:
                    ident += "-2"
                used.add(ident)
                term = make_glossary_term(self.env, [nodes.Text(entry["term_zh"])], None, self.env.docname,
                                          self.lineno, node_id=ident, document=self.state.document)
                definition = nodes.definition()
                english = nodes.paragraph()
                english += nodes.strong(entry["term_en"], entry["term_en"])
                definition += english
                definition += nodes.paragraph(entry["definition"], entry["definition"])
                items.append(nodes.definition_list_item("", term, definition))
            glossary_node = addnodes.glossary()
            glossary_node["sorted"] = False
            dlist = nodes.definition_list("", *items)
            dlist["classes"].append("glossary")
            glossary_node += dlist
            sections.append(self.section(self.CATEGORIES[category], f"glossary-{category}", [glossary_node]))
        return sections


# ---------------------------------------------------------------------------------------------
# Methods: the rules as the code states them


def _markdown(docstring: str) -> str:
    """A module docstring as MyST Markdown: Sphinx roles (:mod:`x`) become code."""
    return re.sub(r":[a-z]+:`~?([^`]+)`", r"`\1`", docstring)


class Docstring(SphinxDirective):
    """A module's docstring, rendered as Markdown (the page states what the code does).

    Option ``:skip: N`` drops the first N paragraphs (the module's title line, notes for developers).
    """

    required_arguments = 1
    option_spec = {"skip": directives.nonnegative_int}

    def run(self):
        """Declare the inputs to Sphinx, then return the nodes of :meth:`build`."""
        import importlib

        module = importlib.import_module(self.arguments[0])
        text = _markdown((module.__doc__ or "").strip())
        text = "\n\n".join(text.split("\n\n")[self.options.get("skip", 0):])
        self.env.note_dependency(os.path.relpath(module.__file__, self.env.srcdir))
        container = nodes.container(classes=["from-docstring"])
        self.state.nested_parse(StringList(text.splitlines(), source=module.__file__), self.content_offset, container)
        return container.children


class ReadingRules(DataDirective):
    """Every rule the loader enforces, with what it checks and the tables that declare it."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        declared: dict[str, list[str]] = defaultdict(list)
        for name in data.table_names():
            for rule_name in data.rules_of(name).get("rules", {}):
                declared[rule_name].append(name)
        rows = []
        for rule_name, function in rules.RULES.items():
            doc = " ".join((function.__doc__ or "").split())
            tables = ", ".join(f'<a href="{self.href("book/data", "table-" + t)}"><code>{escape(t)}</code></a>'
                               for t in declared.get(rule_name, [])) or formatting.MISSING
            rows.append([f"<code>{escape(rule_name)}</code>", escape(_markdown(doc).replace("``", "")), tables])
        rows.append(["<code>conflicts</code>", "Every fact on which the rows of a table disagree is listed in "
                     "conflicts.csv with the value the book uses and why; every listed conflict exists.",
                     f'<a href="{self.href("book/data", "table-conflicts")}"><code>conflicts</code></a>'])
        html = table_html(["Rule", "What it checks", "Tables"], rows, caption="The loader's rules",
                          classes="rules stack", kinds=["text", "quote", "text"])
        return [self.raw(html)]


class SearchSummary(DataDirective):
    """What the search log holds: searches by subject and result."""

    def build(self):
        """The nodes this directive puts on the page, generated from the data (see the class docstring)."""
        log = data.load("search_log")
        results = sorted(set(log["result"]))
        rows = []
        for table, mine in log.groupby("subject_table", sort=False):
            rows.append([f'<a href="{self.href(SOURCES_DOC, "search-log-" + table.replace("_", "-"))}">'
                         f"{escape(SEARCH_SUBJECTS.get(table, table))}</a>",
                         str(mine["subject_id"].nunique()), str(len(mine)),
                         *[str(int((mine["result"] == r).sum())) for r in results]])
        rows.append(["<b>All</b>", str(log[["subject_table", "subject_id"]].drop_duplicates().shape[0]), str(len(log)),
                     *[str(int((log["result"] == r).sum())) for r in results]])
        headers = ["Searched for", "Subjects", "Searches", *[f"Result: {r.replace('_', ' ')}" for r in results]]
        html = table_html(headers, rows, caption="The search log by subject and result", classes="search-summary",
                          kinds=["text"] + ["number"] * (len(headers) - 1))
        return [self.raw(html)]


# ---------------------------------------------------------------------------------------------


def _write_ledger(app, exception):
    if exception is None and app.builder.format == "html":
        write_ledger_csv(app.outdir)


def _add_static(app):
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))
    app.add_css_file("highlands-pages.css")
    app.add_js_file("highlands-pages.js")


DIRECTIVES = {
    "highlands-intro-table": IntroTable, "highlands-scorecard": Scorecard, "highlands-findings": Findings,
    "highlands-ledger": Ledger, "highlands-verdict-counts": VerdictCounts,
    "highlands-grade-shares": GradeShares, "highlands-sources": Sources, "highlands-search-log": SearchLog,
    "highlands-hosts": Hosts, "highlands-data-tables": DataTables, "highlands-glossary": Glossary,
    "highlands-docstring": Docstring, "highlands-reading-rules": ReadingRules,
    "highlands-search-summary": SearchSummary,
}


def setup(app):
    """Register the generated pages' directives, their stylesheet and the ledger CSV."""
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    app.connect("builder-inited", _add_static)
    app.connect("build-finished", _write_ledger)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": highlands.__version__}
