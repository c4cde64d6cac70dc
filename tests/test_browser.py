"""Open every page of the built book in headless Chromium, as a reader would.

Each page is seen in four views: desktop (1400 px) and phone (390 px), each in light and dark
mode (one visit per device, switched to dark mode as the theme's switch does). What a view shows
is collected once (``_visit``) and the tests below assert on it:

- every view: no request leaves the book, no failed load, no broken image, no console error;
  figure images have alt text; no serious or critical axe-core violation (light, desktop);
- dark and light mode: zero axe ``color-contrast`` failures (with text drawn in its background's
  own colour, which axe files as "incomplete");
- phone: no page scrolls sideways (``document.scrollingElement.scrollWidth`` no wider than the
  390 px screen; a phone browser zooms out and widens ``innerWidth`` for a wider page); a
  table wider than the screen scrolls in its own box and keeps its first column in view; chart
  images use the full text width and open the full-size SVG when tapped;
- the reader edition (issue 18): no visible code on chapter pages (code inside a collapsed
  "show code" toggle does not count), no table with a 0, 1, 2 … index column, no ``NaN``/``<NA>``
  in a table, no 1970 in a date;
- Chinese search: the search page finds 知识城, 广州开发区, 五区合一, 世界500强 and every Chinese
  name of an entity and every glossary term that appears on a page of the book.

With ``HIGHLANDS_SCREENSHOTS=1`` (``make screenshots``) screenshots of the chapters and the book's
pages in the four views go to test-artifacts/screenshots/ (``<page>-<width>-<mode>.png``); they
are for people to look at, and take half the time of these tests, so `make test` skips them.
"""
from __future__ import annotations

import csv
import functools
import http.server
import os
import re
import shutil
import threading
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from highlands import paths

pytestmark = pytest.mark.browser

HTML = paths.ROOT / "_build" / "html"
ARTIFACTS = paths.ROOT / "test-artifacts" / "screenshots"
SCREENSHOTS = os.environ.get("HIGHLANDS_SCREENSHOTS") == "1"
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")) if HTML.exists() else []
# Pages Sphinx writes for itself, with no content of the book; index.html only redirects to the intro.
PAGES = [p for p in PAGES if p not in ("genindex.html", "search.html", "index.html")
         and not p.startswith(("_static/", "reports/"))] + ["search.html"]
CHAPTERS = [p for p in PAGES if p.startswith("notebooks/")]

DEVICES = {"desktop": (1400, 900), "phone": (390, 844)}  # viewport width, height
# A view is a device in a mode: "desktop-light", "desktop-dark", "phone-light", "phone-dark".
VIEWS = {f"{device}-{mode}": (width, height, mode) for device, (width, height) in DEVICES.items()
         for mode in ("light", "dark")}

# Serious or critical axe violations of the stock sphinx-book-theme that the book cannot fix, each
# with the reason. None at present (the one found, a wrong ARIA role on the bibliography, is fixed
# by highlands_build.sphinx); the minor and moderate ones axe reports are the theme's.
KNOWN_AXE: dict[str, str] = {}

# Terms a reader searches for that the text uses (issue 19), besides entity names and glossary terms.
SEARCH_TERMS = ["知识城", "广州开发区", "五区合一", "世界500强"]
# Two names typed without a space: the page must cut the query as the index was cut.
TYPED_PHRASE = "广州开发区知识城"


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium not found: run `make browser` (installs Debian's chromium) "
                "or set CHROMIUM=/path/to/chromium")


def _page_text(page_path: str) -> str:
    """The text of a page's article (tags, scripts and styles dropped; fast, for collection)."""
    html = (HTML / page_path).read_text(encoding="utf-8")
    start = html.find("<article")
    html = html[start:html.find("</article>", start)] if start >= 0 else html
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _chinese_names() -> list[str]:
    """Every Chinese name and alias of an entity and every glossary term that a page of the book
    shows (a name that appears on no page cannot be found, and is not asked for)."""
    names: list[str] = []
    entities = paths.DATA / "entities.csv"
    glossary = paths.DATA / "glossary.csv"
    if entities.exists():
        with entities.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.append(row["name_zh"])
                names += (row.get("aliases_zh") or "").split(";")
    if glossary.exists():
        with glossary.open(encoding="utf-8", newline="") as handle:
            names += [row["term_zh"] for row in csv.DictReader(handle)]
    text = " ".join(_page_text(p) for p in PAGES if p != "search.html")
    seen: set[str] = set(SEARCH_TERMS)
    shown = []
    for name in (n.strip() for n in names):
        if name and name not in seen and name in text:
            seen.add(name)
            shown.append(name)
    return shown


NAMES = _chinese_names() if PAGES else []


@pytest.fixture(scope="module")
def server():
    assert (HTML / "index.html").exists(), "build the book first: make book"
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test reports what matters
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(),
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def _new_page(browser, server: str, device: str = "desktop"):
    width, height = DEVICES[device]
    phone = device == "phone"
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                  has_touch=phone, service_workers="block")
    # Light mode, as a new reader sees the book (the theme keeps a reader's choice in localStorage).
    context.add_init_script("localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light');")
    page = context.new_page()
    problems: list[str] = []
    host = urlparse(server).netloc

    def on_request(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.netloc != host:
            problems.append(f"request leaves the book: {request.url}")

    page.on("request", on_request)
    # Abort outside requests so a failing test never waits on the network.
    page.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).netloc in (host, "")
               else route.abort())
    page.on("requestfailed", lambda r: problems.append(f"failed load: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and problems.append(
        f"HTTP {r.status}: {r.url} (from {r.request.headers.get('referer')})"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return context, page, problems


# What a page shows in a view, measured in the page (see the tests for what each number means).
_MEASURE = r"""() => {
  const article = document.querySelector('article') || document.body;
  const visible = (el) => el.checkVisibility() && el.getClientRects().length > 0;
  const lines = (el) => el.innerText.replace(/\n+$/, '').split('\n').length;
  let codeLines = 0;
  for (const pre of article.querySelectorAll('.cell_input pre')) if (visible(pre)) codeLines += lines(pre);

  const tables = Array.from(article.querySelectorAll('table'));
  const label = (t) => (t.caption ? t.caption.innerText : '') ||
    Array.from(t.querySelectorAll('th')).slice(0, 4).map(th => th.innerText.trim()).join(' | ');
  const indexTables = [];
  const missing = [];
  const dateCells = [];
  for (const table of tables) {
    const rows = Array.from(table.querySelectorAll('tbody tr'));
    const firsts = rows.map(r => r.cells[0] ? r.cells[0].innerText.trim() : null);
    const headRow = table.tHead && table.tHead.rows[0];
    const headFirst = headRow && headRow.cells[0] ? headRow.cells[0].innerText.trim() : null;
    if (rows.length && firsts.every((text, i) => text === String(i)) && (rows.length > 1 || headFirst === ''))
      indexTables.push(`${rows.length} rows: ${label(table)}`);
    for (const cell of table.querySelectorAll('td, th'))
      if (/(^|[^A-Za-z])(NaN|NaT|<NA>)([^A-Za-z]|$)/.test(cell.innerText))
        missing.push(`${cell.innerText.trim().slice(0, 40)} (in ${label(table).slice(0, 60)})`);
    if (headRow) {
      Array.from(headRow.cells).forEach((th, col) => {
        if (!/date|as of|published|accessed|updated|日期/i.test(th.innerText)) return;
        for (const row of rows)
          if (row.cells[col] && /1970/.test(row.cells[col].innerText))
            dateCells.push(`${th.innerText.trim()}: ${row.cells[col].innerText.trim()}`);
      });
    }
  }
  const months = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?';
  const datePattern = new RegExp([
    '\\b1970[-/.]\\d{1,2}', '\\b\\d{1,2}[-/.]\\d{1,2}[-/.]1970\\b', months + '\\s+(?:\\d{1,2},?\\s+)?1970\\b',
    '\\b\\d{1,2}\\s+' + months + '\\s+1970\\b', '(?:©|\\(c\\)|Copyright)\\s*(?:Copyright\\s*)?1970\\b',
    '1970\\s*年', '(?:updated|accessed|published|retrieved|released|dated?)\\b[^\\n]{0,30}\\b1970\\b',
  ].join('|'), 'gi');
  const dates = (document.body.innerText.match(datePattern) || []).concat(dateCells);

  // Phone layout: what sticks out of the screen, wide tables, chart images.
  // The layout viewport: on a phone, innerWidth grows to the page's width when the page is wider.
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a).overflowX; if (s === 'auto' || s === 'scroll') return a; } return null; };
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || getComputedStyle(el).position === 'fixed' ||
        !el.checkVisibility({visibilityProperty: true})) continue;
    // report the outermost element that sticks out of the screen, not what scrolls in a box
    if (el.parentElement.getBoundingClientRect().right > width + 1 || scrolls(el)) continue;
    sticking.push(`${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} (right edge ${Math.round(box.right)} px)`);
  }
  const wideTables = [];
  for (const table of tables) {
    if (!visible(table)) continue;
    const box = scrolls(table);
    if (!box || table.scrollWidth <= box.clientWidth + 1) continue;
    const first = table.querySelector('tbody tr') && table.querySelector('tbody tr').cells[0];
    wideTables.push({label: label(table).slice(0, 80), sticky: !!first && getComputedStyle(first).position === 'sticky'});
  }
  const unboxedTables = tables.filter(t => visible(t) && t.getBoundingClientRect().right > width + 1 && !scrolls(t))
    .map(label);
  const figures = Array.from(article.querySelectorAll('figure[id^="fig-"]')).map(fig => {
    const img = fig.querySelector('img');
    const link = img && img.closest('a');
    return {id: fig.id, img: img ? img.getBoundingClientRect().width : 0,
            room: fig.parentElement.clientWidth - parseFloat(getComputedStyle(fig.parentElement).paddingLeft)
                  - parseFloat(getComputedStyle(fig.parentElement).paddingRight),
            href: link ? link.getAttribute('href') : null};
  });
  return {codeLines, indexTables, missing, dates, theme: document.documentElement.dataset.theme,
          scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth, clientWidth: width,
          sticking: sticking.slice(0, 5), wideTables, unboxedTables, figures};
}"""


def _shot_name(page_path: str, view: str) -> str:
    width, _, mode = VIEWS[view]
    return f"{page_path.replace('/', '_').removesuffix('.html')}-{width}-{mode}.png"


# Switch the open page to dark mode as the theme's switch does (it sets these and remembers them).
_DARK = """() => {
  localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');
  document.documentElement.dataset.mode = 'dark'; document.documentElement.dataset.theme = 'dark';
}"""
_VISITS: dict[tuple[str, str], dict] = {}


def _visit(server: str, browser, page_path: str, view: str) -> dict:
    """What ``page_path`` shows in ``view``. Each page is opened once per device: measured, checked
    with axe (desktop) and photographed in light mode, then switched to dark mode and again."""
    if (page_path, view) not in _VISITS:
        _open(server, browser, page_path, view.split("-")[0])
    return _VISITS[(page_path, view)]


def _open(server: str, browser, page_path: str, device: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context, page, problems = _new_page(browser, server, device)
    page.goto(f"{server}/{page_path}", wait_until="load")
    if 'http-equiv="Refresh"' in (HTML / page_path).read_text(encoding="utf-8"):  # index.html
        page.wait_for_url(lambda url: not url.endswith(page_path))
        page.wait_for_load_state("load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    if device == "desktop":
        broken = page.evaluate("""() => Array.from(document.images)
            .filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src)""")
        problems += [f"broken image: {src}" for src in broken]
        without_alt = page.evaluate("""() => Array.from(document.querySelectorAll('figure img'))
            .filter(img => !(img.getAttribute('alt') || '').trim()).map(img => img.src)""")
        problems += [f"figure image without alt text: {src}" for src in without_alt]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for mode in ("light", "dark"):
        view = f"{device}-{mode}"
        if mode == "dark":
            page.evaluate(_DARK)
            # let the theme's colour transitions finish (axe would read colours half-way)
            page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')",
                                   timeout=10000)
        facts = page.evaluate(_MEASURE)
        axe = []
        if device == "desktop":
            # Every rule in light mode; in dark mode the colour contrast (the rest does not change).
            # preload=False: axe would otherwise re-fetch stylesheets by wrong URLs (for one CSS rule).
            options = {"resultTypes": ["violations", "incomplete"], "preload": False}
            if mode == "dark":
                options["runOnly"] = {"type": "rule", "values": ["color-contrast"]}
            results = Axe().run(page, options=options).response
            # axe files text drawn in its background's own colour (1:1, invisible) under "incomplete"
            invisible = [{**v, "nodes": [n for n in v["nodes"] if "1:1 contrast ratio" in _message(n)]}
                         for v in results["incomplete"] if v["id"] == "color-contrast"]
            axe = results["violations"] + [v for v in invisible if v["nodes"]]
        if SCREENSHOTS and page_path.startswith(("notebooks/", "book/")):
            page.screenshot(path=str(ARTIFACTS / _shot_name(page_path, view)), full_page=True)
        _VISITS[(page_path, view)] = {**facts, "problems": list(problems), "axe": axe}
    context.close()


def _message(node: dict) -> str:
    return " ".join(check.get("message", "") for check in node.get("any", []))


def _contrast_failures(violations: list[dict]) -> list[str]:
    return [f"{node['target']}: {_message(node)}" for violation in violations if violation["id"] == "color-contrast"
            for node in violation["nodes"]]


def pytest_generate_tests(metafunc):
    """Each page check runs on its class's pages (index.html, a redirect, only in the first check)."""
    if "page_path" in metafunc.fixturenames and metafunc.cls is not None:
        pages = metafunc.cls.pages + metafunc.cls.extra.get(metafunc.function.__name__, [])
        metafunc.parametrize("page_path", pages)


# Two classes of page checks, so that `make test` (pytest-xdist, --dist loadscope) opens the
# chapters in one worker and the book's other pages in another.
class _PageChecks:
    """The checks every page gets; a subclass names the pages (``pages``)."""

    pages: list[str] = []
    extra: dict[str, list[str]] = {}

    def test_page_in_a_real_browser(self, server, browser, page_path):
        facts = _visit(server, browser, page_path, "desktop-light")
        problems = list(facts["problems"])
        for violation in facts["axe"]:
            if violation["impact"] in ("serious", "critical") and violation["id"] not in KNOWN_AXE:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} at {targets}")
        assert problems == [], "\n".join(problems)

    def test_no_contrast_failures_in_dark_or_light_mode(self, server, browser, page_path):
        """axe's colour-contrast rule in both modes; text in its background's colour counts too."""
        for mode in ("dark", "light"):
            facts = _visit(server, browser, page_path, f"desktop-{mode}")
            assert facts["theme"] == mode, f"the page did not switch to {mode} mode"
            failures = _contrast_failures(facts["axe"])
            assert failures == [], (f"{len(failures)} elements fail colour contrast in {mode} mode:\n"
                                    + "\n".join(failures[:15]))

    def test_phone_page_does_not_scroll_sideways(self, server, browser, page_path):
        for view in ("phone-light", "phone-dark"):
            facts = _visit(server, browser, page_path, view)
            # A phone browser zooms out to show a page wider than the screen (innerWidth grows with it):
            # compare with the screen's layout width, which stays 390 px.
            assert facts["scrollWidth"] <= min(facts["innerWidth"], facts["clientWidth"]), (
                f"{view}: the page is {facts['scrollWidth']} px wide on a {facts['clientWidth']} px screen; "
                f"sticking out: {facts['sticking']}")
            assert facts["unboxedTables"] == [], f"{view}: tables wider than the screen without a scroll box"

    def test_phone_wide_tables_keep_their_first_column(self, server, browser, page_path):
        facts = _visit(server, browser, page_path, "phone-light")
        loose = [t["label"] for t in facts["wideTables"] if not t["sticky"]]
        assert loose == [], f"{len(loose)} tables scroll without keeping their first column in view: {loose[:5]}"

    def test_no_table_has_an_index_column(self, server, browser, page_path):
        facts = _visit(server, browser, page_path, "desktop-light")
        assert facts["indexTables"] == [], (f"{len(facts['indexTables'])} tables have a 0, 1, 2 … index column: "
                                            + "; ".join(facts["indexTables"][:5]))

    def test_no_table_shows_nan_or_na(self, server, browser, page_path):
        facts = _visit(server, browser, page_path, "desktop-light")
        assert facts["missing"] == [], f"{len(facts['missing'])} cells show NaN/<NA>: " + "; ".join(facts["missing"][:5])

    def test_no_date_says_1970(self, server, browser, page_path):
        facts = _visit(server, browser, page_path, "desktop-light")
        assert facts["dates"] == [], f"dates in 1970 (a clock at zero): {facts['dates'][:5]}"


class TestChapterPages(_PageChecks):
    """The seven chapters: every page check, and the chapters' own."""

    pages = CHAPTERS

    def test_phone_charts_use_the_width_and_open_full_size(self, server, browser, page_path):
        facts = _visit(server, browser, page_path, "phone-light")
        assert facts["figures"], "a chapter without numbered figures?"
        narrow = [f"{f['id']} ({f['img']:.0f} of {f['room']:.0f} px)" for f in facts["figures"]
                  if f["img"] < 0.95 * f["room"]]
        assert narrow == [], f"chart images narrower than the text on a phone: {narrow}"
        unlinked = [f["id"] for f in facts["figures"] if not (f["href"] or "").endswith(f"figures/{f['id']}.svg")]
        assert unlinked == [], f"chart images that do not open the full-size SVG: {unlinked}"

    def test_chapter_shows_no_code_by_default(self, server, browser, page_path):
        facts = _visit(server, browser, page_path, "desktop-light")
        assert facts["codeLines"] == 0, f"{facts['codeLines']} lines of code visible (put them behind 'show code')"


class TestBookPages(_PageChecks):
    """The introduction, findings, ledger, sources, data, methods, glossary, changes, search pages."""

    pages = [p for p in PAGES if p not in CHAPTERS]
    extra = {"test_page_in_a_real_browser": ["index.html"]}


_SEARCH_COUNT = """(terms) => Object.fromEntries(terms.map((term) => {
  const [query, searchTerms, excluded, highlight, objectTerms] = Search._parseQuery(term);
  return [term, Search._performSearch(query, searchTerms, excluded, highlight, objectTerms).length];
}))"""


@pytest.fixture(scope="module")
def search_hits(server, browser) -> dict[str, int]:
    """Pages found for each term: typed into the search page for the headline terms, and through
    the same functions the search page uses (its query splitting included) for every name."""
    context, page, problems = _new_page(browser, server)
    hits = {}
    for term in SEARCH_TERMS + [TYPED_PHRASE]:
        page.goto(f"{server}/search.html?q={quote(term)}", wait_until="load")
        page.wait_for_function("() => /found|did not match/.test("
                               "(document.querySelector('#search-results .search-summary') || {}).innerText || '')",
                               timeout=15000)
        hits[term] = page.locator("#search-results ul.search > li").count()
        # The page goes on fetching each found page for its snippet; leaving before those loads
        # end would abort them (a failed load that is the test's, not the book's).
        page.wait_for_load_state("networkidle")
    hits.update(page.evaluate(_SEARCH_COUNT, NAMES))
    context.close()
    assert problems == [], "\n".join(problems)
    return hits


@pytest.mark.parametrize("term", SEARCH_TERMS + NAMES)
def test_chinese_search_finds(search_hits, term):
    assert search_hits[term] > 0, f"searching for {term} finds nothing, though the book shows it"


def test_chinese_search_cuts_a_typed_phrase(search_hits):
    assert search_hits[TYPED_PHRASE] > 0, f"searching for {TYPED_PHRASE} finds nothing"
