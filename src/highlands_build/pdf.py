"""`make pdf`: the whole book as one PDF, printed from the built HTML by headless Chromium.

Route: the pages are printed as the HTML already shows them (same figures, captions, sources and
fonts), by the Debian Chromium the browser tests use, driven by Playwright (``page.pdf``), and
joined with pypdf. Chromium writes real text with ToUnicode maps, so Chinese text stays selectable
and searchable. Nothing is fetched: the pages are served from ``_build/html`` on 127.0.0.1 and
any other request is refused.

Steps:

1. The pages in table-of-contents order: from the root page along each page's ``rel="next"``
   link; part captions from the root page's sidebar.
2. Each page is printed (A4) as the reader edition: print CSS hides the sidebars, header buttons,
   search, code cells and their toggles, prev/next links and figure download links; tables that
   are wider than the page are scaled down to fit; charts are embedded as 300 dpi PNG images
   drawn from their SVG (one image per chart: countable, extractable, light on file size). Every
   section, figure and anything another page links to gets a PDF destination.
3. A title page (title, authors, version, release date, data as of, abstract, licence, how to
   cite) and a contents page with page numbers are printed from HTML made here.
4. pypdf joins them; links between pages (and the contents page's entries) become links inside
   the PDF; bookmarks: one per part, page and section; a running header (page title) and footer
   (version, page number) are stamped on every page after the title page.

Output: ``_build/pdf/seven-highlands-<version>.pdf``, copied to ``_build/html/downloads/`` (the
intro links it there), and ``_build/pdf/report.json`` (pages, time, tables scaled, anything still
wider than the page, and the digest of the HTML it was printed from). Exits 1 with a message when
the HTML is not built or Chromium is missing.

Freshness: the PDF is a download of the HTML, so it is stale whenever the HTML (any file but the
downloads themselves) or this printer changed since it was printed. ``make book`` ends with
``python -m highlands_build.pdf --if-stale``: once a PDF edition exists, a build that changed the
HTML prints it again, so the HTML never offers a PDF older than its pages; with no PDF made yet it
does nothing (``make pdf`` makes the first).
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import html as htmllib
import http.server
import io
import json
import os
import re
import shutil
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from bs4 import BeautifulSoup
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, Fit, FloatObject, NameObject, NullObject

from highlands import paths

HTML = paths.ROOT / "_build" / "html"
OUT = paths.ROOT / "_build" / "pdf"
PAGE = {"format": "A4", "margin": {"top": "20mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}}
# The printable width of an A4 page with the margins above, in CSS pixels (96 per inch): the
# viewport is set to it so that what the page measures before printing is what gets printed.
PRINT_WIDTH_PX = round((210 - 16 - 16) / 25.4 * 96)
MIN_TABLE_ZOOM = 0.5
CHART_PX = 2100  # width of the image drawn from each SVG chart: about 300 dpi across the text width

PRINT_CSS = """
@media print {
  html { font-size: 10pt; }
  body { font-variant-ligatures: none; }  /* "fi" stays two letters for search and copy */
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer,
  .bd-footer-content, .prev-next-area, .prev-next-footer, .onlyprint, .headerlink,
  .search-button-field, .theme-switch-button, .primary-toggle, .secondary-toggle,
  .skip-link, #pst-skip-link, .bd-search, .bd-header-announcement, .article-header-buttons,
  div.cell_input, details.hide-above-input, details.above-input, .toggle-details,
  button.toggle-button, .tag_remove-input > .cell_input, .copybtn,
  .figure-tools > p:first-child { display: none !important; }
  .bd-container, .bd-container__inner, .bd-main, .bd-content, .bd-article-container, .bd-article,
  .bd-page-width { display: block !important; max-width: none !important; min-width: 0 !important;
    width: auto !important; margin: 0 !important; padding: 0 !important; overflow: visible !important; }
  /* The theme prints its own title block (.onlyprint, with a contents list) and hides the page's
     h1; the PDF has bookmarks and a contents page, so it keeps the page's own heading instead. */
  .bd-article h1 { display: block !important; font-size: 1.9rem; margin-top: 0; }
  h2 { font-size: 1.45rem; } h3 { font-size: 1.2rem; }
  h1, h2, h3, h4 { break-after: avoid; }
  figure, .figure-tools, blockquote { break-inside: avoid; }
  figure img, .cell_output img { max-width: 100% !important; height: auto; }
  div.cell_output, div.output, .table-wrapper, .pst-scrollable-table-container, div.highlight, pre {
    overflow: visible !important; max-width: none !important; }
  pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }
  table { font-size: 7.5pt !important; break-inside: auto; }
  table th, table td { padding: 1.5pt 3pt !important; white-space: normal !important;
    overflow-wrap: break-word; word-break: normal; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  a { text-decoration: none; }
  .pdf-link-targets { position: absolute; left: 0; top: 0; width: 1px; height: 1px; overflow: hidden;
    font-size: 1px; color: transparent; }
}
"""

# Runs in each page before printing. Returns its sections, its figures, the tables it scaled and
# anything still wider than the page.
PREPARE_JS = """
async ({targets, chartPx, minZoom}) => {
  document.documentElement.dataset.theme = 'light';
  document.documentElement.dataset.mode = 'light';
  const article = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  // Paper cannot be clicked open: the sources page's lists by grade are printed open, so the PDF
  // has every source's title, publisher, dates, grade and address. The verbatim excerpts and the
  // search log (some 150 pages on paper) stay in the HTML edition and the data; the page says so.
  const groups = article.querySelectorAll('details.source-group');
  for (const d of groups) d.open = true;
  if (groups.length) {
    for (const d of article.querySelectorAll('details.source-group details:not([open])')) d.remove();
    const note = document.createElement('p');
    note.className = 'pdf-note';
    note.textContent = 'In this PDF edition each source is listed without its verbatim excerpt, and the ' +
      'search log is left out: both are in the HTML edition (sources.html) and in the data bundle ' +
      '(sources.csv, column excerpt; search_log.csv).';
    groups[0].before(note);
    for (const d of article.querySelectorAll('details.search-group')) d.remove();
  }
  // Charts: an image drawn from each SVG, at print resolution.
  for (const img of Array.from(article.querySelectorAll('img'))) {
    const src = (img.getAttribute('src') || '').split('?')[0];
    if (!src.endsWith('.svg')) continue;
    try { await img.decode(); } catch (e) { continue; }
    const w = img.naturalWidth, h = img.naturalHeight;
    if (!w || !h) continue;
    const scale = chartPx / w;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    img.style.width = `min(100%, ${w}px)`;
    img.src = canvas.toDataURL('image/png');
    try { await img.decode(); } catch (e) {}
  }
  // Destinations: a link to each section, figure and cross-page target makes Chromium write one.
  const box = document.createElement('div');
  box.className = 'pdf-link-targets';
  box.setAttribute('aria-hidden', 'true');
  const wanted = new Set(targets);
  for (const el of article.querySelectorAll('section[id], figure[id], table[id]')) wanted.add(el.id);
  for (const id of wanted) {
    if (!document.getElementById(id)) continue;
    const a = document.createElement('a'); a.href = '#' + encodeURIComponent(id); a.textContent = '.';
    box.appendChild(a);
  }
  article.appendChild(box);
  // Sections (for bookmarks) and numbered figures, in order.
  const sections = [];
  for (const section of article.querySelectorAll('section[id]')) {
    const heading = section.querySelector(':scope > h1, :scope > h2, :scope > h3');
    if (!heading || heading.offsetParent === null) continue;
    const clone = heading.cloneNode(true);
    clone.querySelectorAll('.headerlink').forEach(n => n.remove());
    sections.push({id: section.id, level: Number(heading.tagName[1]),
                   title: clone.textContent.replace(/\\s+/g, ' ').trim()});
  }
  const figures = Array.from(article.querySelectorAll('figure')).filter(f => f.querySelector('.caption-number'))
    .map(f => ({id: f.id, number: f.querySelector('.caption-number').textContent.trim()}));
  // Tables wider than the text: smaller, then wrapped anywhere if still too wide.
  const scaled = [], overflow = [];
  const width = article.clientWidth;
  for (const table of article.querySelectorAll('table')) {
    if (table.offsetParent === null || table.parentElement.closest('table')) continue;
    if (table.scrollWidth > width + 1) {
      const zoom = Math.max(minZoom, width / table.scrollWidth);
      table.style.zoom = zoom.toFixed(3);
      scaled.push(Number(zoom.toFixed(2)));
      if (table.getBoundingClientRect().width > width + 1)
        table.querySelectorAll('td, th').forEach(c => c.style.overflowWrap = 'anywhere');
    }
  }
  for (const el of article.querySelectorAll('table, img, pre, svg, figure')) {
    const r = el.getBoundingClientRect();
    if (el.offsetParent !== null && r.right > article.getBoundingClientRect().right + 2)
      overflow.push(`${el.tagName.toLowerCase()} ${el.id || el.className || ''} ${Math.round(r.width)}px`.trim());
  }
  return {sections, figures, scaled, overflow, width};
}
"""


@dataclass
class Part:
    """One printed piece of the PDF: the title page, the contents, or one page of the book."""
    key: str                 # the page's path under _build/html ("" for the title and contents)
    title: str
    caption: str = ""        # the book part (TOC caption) the page belongs to
    pdf: bytes = b""
    sections: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    scaled: list = field(default_factory=list)
    overflow: list = field(default_factory=list)
    first: int = 0           # index of its first page in the joined PDF
    reader: PdfReader | None = None


# --- which pages, in which order ---------------------------------------------------------------

NEXT = re.compile(r"<link\b[^>]*\brel=\"next\"[^>]*>")
HREF = re.compile(r"\bhref=\"([^\"]*)\"")
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
LINK_WITH_FRAGMENT = re.compile(r"<a\b[^>]*\bhref=\"([^\"#]*#[^\"]+)\"")


def book_pages(html: Path = HTML) -> list[tuple[str, str, str]]:
    """(path, title, part caption) of every page of the book in TOC order, from the built HTML:
    from the root page along each page's ``<link rel="next">``; captions from the root's sidebar."""
    index = (html / "index.html").read_text(encoding="utf-8")
    match = re.search(r'url=([^"\']+)"', index)
    current = match.group(1) if match else "index.html"
    root = BeautifulSoup((html / current).read_text(encoding="utf-8"), "html.parser")
    captions: dict[str, str] = {}
    nav = root.select_one("nav.bd-docs-nav")
    caption = ""
    for element in nav.select("p.caption, li.toctree-l1 > a") if nav else []:
        if element.name == "p":
            caption = element.get_text(" ", strip=True)
        else:
            captions[_resolve(current, element["href"])[0]] = caption
    pages, seen = [], set()
    while current and current not in seen:
        seen.add(current)
        text = (html / current).read_text(encoding="utf-8")
        title = TITLE.search(text)
        title = htmllib.unescape(title.group(1)).split(" \u2014 ")[0] if title else current
        pages.append((current, " ".join(title.split()), captions.get(current, "")))
        following = NEXT.search(text)
        current = _resolve(current, htmllib.unescape(HREF.search(following.group(0)).group(1)))[0] if following else None
    return pages


def _resolve(page: str, href: str) -> tuple[str, str]:
    """A link on ``page`` as (target page path, fragment); the path is '' for outside links."""
    parsed = urlparse(urljoin(f"http://book/{page}", href))
    if parsed.netloc != "book":
        return "", ""
    return unquote(parsed.path.lstrip("/")), unquote(parsed.fragment)


def cross_page_targets(pages: list[str], html: Path = HTML) -> dict[str, set[str]]:
    """For each page, the ids that other pages link to (each needs a destination in the PDF)."""
    targets: dict[str, set[str]] = {page: set() for page in pages}
    for page in pages:
        for href in LINK_WITH_FRAGMENT.findall((html / page).read_text(encoding="utf-8")):
            target, fragment = _resolve(page, htmllib.unescape(href))
            if target in targets and target != page and fragment:
                targets[target].add(fragment)
    return targets


# --- printing ----------------------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        """Silence the local HTTP server's request log (the PDF step prints its own progress)."""
        pass


def chromium_path() -> str:
    """Debian's chromium (or $CHROMIUM); SystemExit with what to install when there is none."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("make pdf: Chromium not found: run `make browser` (installs Debian's chromium) "
                     "or set CHROMIUM=/path/to/chromium")


class Printer:
    """One headless Chromium for the whole PDF: prints the book's pages (served from the HTML on
    127.0.0.1, every other request refused) and documents made here."""

    def __init__(self, html: Path):
        self.html = html

    def __enter__(self) -> Printer:
        from playwright.sync_api import sync_playwright

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(_Quiet, directory=str(self.html)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        host = urlparse(self.base).netloc
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=chromium_path(),
                                                       args=["--no-sandbox", "--disable-gpu"])
        context = self.browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1000},
                                           service_workers="block", color_scheme="light")
        context.route("**/*", lambda route: route.continue_()
                      if urlparse(route.request.url).netloc in (host, "") else route.abort())
        self.page = context.new_page()
        return self

    def __exit__(self, *exc) -> None:
        self.browser.close()
        self.playwright.stop()
        self.httpd.shutdown()

    def book_page(self, part: Part, targets: set[str]) -> None:
        """Print one page of the built book as the reader edition into ``part``."""
        started = time.perf_counter()
        page = self.page
        page.goto(f"{self.base}/{part.key}", wait_until="load")
        page.emulate_media(media="print", color_scheme="light")
        page.add_style_tag(content=PRINT_CSS)
        found = page.evaluate(PREPARE_JS, {"targets": sorted(targets), "chartPx": CHART_PX,
                                           "minZoom": MIN_TABLE_ZOOM})
        page.evaluate("document.fonts.ready")
        part.sections, part.figures = found["sections"], found["figures"]
        part.scaled, part.overflow = found["scaled"], found["overflow"]
        part.pdf = page.pdf(print_background=True, **PAGE)
        print(f"  printed {part.key} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)

    def document(self, document: str, margin: dict | None = None) -> bytes:
        """Print an HTML document made here (title page, contents, headers and footers)."""
        self.page.goto("about:blank")
        self.page.set_content(document, wait_until="load")
        self.page.evaluate("document.fonts.ready")
        return self.page.pdf(print_background=True, format="A4", margin=margin or PAGE["margin"])


# --- the pages made here -----------------------------------------------------------------------

BASE_CSS = """
body { font-family: "Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", sans-serif; color: #222;
       font-variant-ligatures: none; font-size: 10.5pt; line-height: 1.45; margin: 0; }
a { color: inherit; text-decoration: none; }
"""


def title_page(meta: dict[str, str]) -> str:
    """The HTML of the title page: title, version, release date, data as of, licence and how to cite."""
    e = htmllib.escape
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(meta['title'])}</title>
<style>{BASE_CSS}
.title {{ margin-top: 45mm; font-size: 27pt; line-height: 1.2; font-weight: 700; }}
.zh {{ font-size: 15pt; color: #555; margin-top: 4mm; }}
.authors {{ margin-top: 12mm; font-size: 13pt; }}
.release {{ margin-top: 10mm; font-size: 11.5pt; }}
.release div {{ margin: 1.5mm 0; }}
.abstract {{ margin-top: 14mm; max-width: 150mm; }}
.small {{ position: absolute; bottom: 0; font-size: 9pt; color: #444; max-width: 170mm; }}
.small p {{ margin: 2mm 0; }}
</style></head><body>
<div class="title">{e(meta['title'])}</div>
<div class="zh">The 2019 article 广州开发区：创建高质量发展引领之地, checked figure by figure</div>
<div class="authors">{e(meta['authors'])}</div>
<div class="release">
  <div><strong>Version {e(meta['version'])}</strong> · released {e(meta['date_released'])}</div>
  <div>Data as of {e(meta['data_as_of'])} (the latest date on which a source was read)</div>
</div>
<p class="abstract">{e(meta['abstract'])}</p>
<div class="small">
  <p><strong>Reader edition.</strong> Printed from the HTML book. The code behind every table and
  chart is in the chapter notebooks: download them from each chapter of the HTML book, or rerun
  them from the repository (<code>make lab</code>). The data: <code>{e(meta['bundle_name'])}</code>.</p>
  <p><strong>How to cite.</strong> {e(meta['authors'])} ({e(meta['year'])}). <em>{e(meta['title'])}</em>
  (version {e(meta['version'])}). Cite a figure by its number and name.</p>
  <p><strong>Licence.</strong> Text, figures and compiled data: Creative Commons Attribution 4.0
  (CC BY 4.0). Code: MIT.</p>
</div>
</body></html>"""


def contents_page(entries: list[tuple[str, str, int, str]]) -> str:
    """``entries``: (part caption, title, page number, link name) in order."""
    e = htmllib.escape
    rows, caption = [], None
    for part_caption, title, number, name in entries:
        if part_caption != caption and part_caption:
            rows.append(f'<div class="part">{e(part_caption)}</div>')
        caption = part_caption
        rows.append(f'<a class="entry" href="#{name}"><span class="t">{e(title)}</span>'
                    f'<span class="dots"></span><span class="n">{number}</span></a>')
    anchors = "".join(f'<span id="{name}"></span>' for _, _, _, name in entries)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contents</title>
<style>{BASE_CSS}
h1 {{ font-size: 20pt; margin: 0 0 8mm; }}
.part {{ margin: 6mm 0 2mm; font-weight: 700; font-size: 10pt; text-transform: uppercase; letter-spacing: .04em; color: #555; }}
.entry {{ display: flex; align-items: baseline; margin: 1.8mm 0; font-size: 11.5pt; }}
.dots {{ flex: 1; border-bottom: 1px dotted #999; margin: 0 2mm; }}
.n {{ min-width: 8mm; text-align: right; }}
.anchors {{ font-size: 1px; color: transparent; }}
</style></head><body><h1>Contents</h1>{''.join(rows)}<div class="anchors">{anchors}</div></body></html>"""


def page_stamps(heads: list[str], footer: str) -> str:
    """One A4 sheet per page of the book: header (page title) and footer (version, page number)."""
    e = htmllib.escape
    sheets = []
    for number, head in enumerate(heads, start=1):
        if head is None:
            sheets.append('<div class="sheet"></div>')
            continue
        sheets.append(f'<div class="sheet"><div class="head">{e(head)}</div>'
                      f'<div class="foot"><span>{e(footer)}</span><span>{number}</span></div></div>')
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>{BASE_CSS}
@page {{ size: A4; margin: 0; }}
.sheet {{ position: relative; width: 210mm; height: 296.9mm; overflow: hidden; break-after: page; }}
.sheet:last-child {{ break-after: auto; }}
.head, .foot {{ position: absolute; left: 16mm; right: 16mm; font-size: 8pt; color: #666; }}
.head {{ top: 9mm; padding-bottom: 1mm; border-bottom: 0.5pt solid #ccc; white-space: nowrap; overflow: hidden; }}
.foot {{ bottom: 8mm; display: flex; justify-content: space-between; }}
</style></head><body>{''.join(sheets)}</body></html>"""


# --- joining -----------------------------------------------------------------------------------

# Radicals: Noto Sans CJK draws 广 (U+5E7F) and the Kangxi radical ⼴ (U+2F34) with one glyph (its
# Japanese face also 西 and ⻄, ...), and Chromium's PDF maps each glyph back to the lowest code
# point that uses it, so copied or searched text would read ⼴州开发区. The book's text holds no
# radicals (a test checks the extracted text), so each radical in a text map stands for the
# ideograph that shares its glyph in a Noto CJK face (Simplified Chinese first: the copy pinned
# with mplfonts, then the faces of Debian's fonts-noto-cjk that Chromium uses), or else its NFKC form.
RADICALS = (0x2E80, 0x2FDF)
_HEX = re.compile(r"<([0-9A-Fa-f]+)>")
SYSTEM_CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",)


@functools.lru_cache(maxsize=1)
def radical_ideographs() -> dict[int, int]:
    """Radical code point -> the unified ideograph drawn with the same glyph in a Noto CJK face."""
    import mplfonts
    from fontTools.ttLib import TTCollection, TTFont

    faces = [TTFont(Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf", lazy=True)]
    for path in SYSTEM_CJK_FONTS:
        if Path(path).exists():
            faces += [face for face in TTCollection(path, lazy=True).fonts
                      if "Mono" not in face["name"].getDebugName(1)]
    unified = lambda c: 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF or 0x20000 <= c <= 0x3FFFF
    found: dict[int, int] = {}
    for face in faces:
        cmap = face.getBestCmap()
        by_glyph: dict[str, list[int]] = {}
        for code, glyph in cmap.items():
            if unified(code):
                by_glyph.setdefault(glyph, []).append(code)
        for code in range(RADICALS[0], RADICALS[1] + 1):
            if code not in found and by_glyph.get(cmap.get(code)):
                found[code] = min(by_glyph[cmap[code]])
    for code in range(RADICALS[0], RADICALS[1] + 1):
        normal = unicodedata.normalize("NFKC", chr(code))
        if code not in found and normal != chr(code):
            found[code] = ord(normal)
    return found


def _utf16(hexcode: str) -> str:
    return bytes.fromhex(hexcode).decode("utf-16-be", errors="surrogatepass")


def _is_radical(text: str) -> bool:
    return any(RADICALS[0] <= ord(c) <= RADICALS[1] for c in text)


def _ideographs(text: str) -> str:
    table = radical_ideographs()
    return "".join(chr(table.get(ord(c), ord(c))) for c in text)


def fix_to_unicode(cmap: str) -> str:
    """A ToUnicode CMap with every radical it maps to replaced by its ideograph (see RADICALS)."""
    def fix_hex(hexcode: str) -> str:
        text = _utf16(hexcode)
        return _ideographs(text).encode("utf-16-be", errors="surrogatepass").hex().upper() if _is_radical(text) else hexcode

    def bfchar(match: re.Match) -> str:
        lines = re.sub(r"(<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]+)>", lambda m: f"{m.group(1)}<{fix_hex(m.group(2))}>",
                       match.group(2))
        return f"{match.group(1)}{lines}{match.group(3)}"

    extra: list[str] = []

    def bfrange(match: re.Match) -> str:
        kept = []
        for entry in re.finditer(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", match.group(2)):
            low, high, target = entry.groups()
            if target.startswith("["):
                kept.append(f"<{low}> <{high}> " + _HEX.sub(lambda m: f"<{fix_hex(m.group(1))}>", target))
                continue
            first = _utf16(target[1:-1])
            codes = range(int(low, 16), int(high, 16) + 1)
            mapped = [first[:-1] + chr(ord(first[-1]) + i) for i in range(len(codes))]
            if not any(_is_radical(text) for text in mapped):
                kept.append(entry.group(0))
                continue
            width = len(low)
            extra.extend(f"<{code:0{width}X}> <{_ideographs(text).encode('utf-16-be').hex().upper()}>"
                         for code, text in zip(codes, mapped))
        return f"{len(kept)} beginbfrange\n" + "\n".join(kept) + "\nendbfrange"

    cmap = re.sub(r"(beginbfchar)(.*?)(endbfchar)", bfchar, cmap, flags=re.S)
    cmap = re.sub(r"\d+\s+beginbfrange(.*?)endbfrange", lambda m: bfrange(re.match(r"()(.*)()", m.group(1), re.S)),
                  cmap, flags=re.S)
    for start in range(0, len(extra), 100):  # at most 100 entries per block
        block = extra[start:start + 100]
        cmap = cmap.replace("endcmap", f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar\nendcmap", 1)
    return cmap


def _fix_fonts(writer: PdfWriter) -> int:
    """Apply fix_to_unicode to every font of the PDF; return how many CMaps changed."""
    seen, changed = set(), 0
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            reference = font.get("/ToUnicode")
            if reference is None or reference.idnum in seen:
                continue
            seen.add(reference.idnum)
            stream = reference.get_object()
            text = stream.get_data().decode("latin-1")
            fixed = fix_to_unicode(text)
            if fixed != text:
                stream.set_data(fixed.encode("latin-1"))
                changed += 1
    return changed


def _destinations(reader: PdfReader) -> dict[str, tuple[int, float, float]]:
    """Named destinations of one printed piece: name -> (page index in it, left, top)."""
    found = {}
    for name, destination in reader.named_destinations.items():
        try:
            index = reader.get_destination_page_number(destination)
        except Exception:  # a destination on no page of this piece
            continue
        left = float(destination.left) if destination.left is not None else 0.0
        top = float(destination.top) if destination.top is not None else None
        found[unquote(str(name).lstrip("/"))] = (index, left, top)
    return found


def _explicit(writer: PdfWriter, index: int, left: float = 0.0, top: float | None = None) -> ArrayObject:
    page = writer.pages[index]
    if top is None:
        top = float(page.mediabox.top)
    return ArrayObject([page.indirect_reference, NameObject("/XYZ"), FloatObject(left), FloatObject(top),
                        NullObject()])


def join(parts: list[Part], toc_names: dict[str, str], meta: dict[str, str]) -> tuple[PdfWriter, dict]:
    """Join the printed pieces; make their links internal; add bookmarks. Returns the writer and
    counts of links made internal, kept external and dropped."""
    writer = PdfWriter()
    by_key = {part.key: part for part in parts if part.key}
    for part in parts:
        part.reader = PdfReader(io.BytesIO(part.pdf))
        part.first = len(writer.pages)
        for page in part.reader.pages:
            writer.add_page(page)
    names = {id(part): _destinations(part.reader) for part in parts}

    def target_of(part: Part, name: str) -> ArrayObject | None:
        if name in toc_names and toc_names[name] in by_key:       # a contents entry
            return _explicit(writer, by_key[toc_names[name]].first)
        where = names[id(part)].get(name)
        if where is None:
            return None
        return _explicit(writer, part.first + where[0], where[1], where[2])

    counts = {"internal": 0, "external": 0, "dropped": 0}
    for part in parts:
        for offset in range(len(part.reader.pages)):
            page = writer.pages[part.first + offset]
            annotations = page.get("/Annots")
            if annotations is None:
                continue
            kept = ArrayObject()
            for reference in annotations:
                annotation = reference.get_object()
                if annotation.get("/Subtype") != "/Link":
                    kept.append(reference)
                    continue
                action = annotation.get("/A")
                destination = annotation.get("/Dest")
                new = None
                if destination is not None and not isinstance(destination, ArrayObject):
                    new = target_of(part, unquote(str(destination).lstrip("/")))
                elif action is not None and action.get("/S") == "/URI":
                    uri = str(action.get("/URI"))
                    parsed = urlparse(uri)
                    if parsed.hostname != "127.0.0.1":
                        kept.append(reference)
                        counts["external"] += 1
                        continue
                    path, fragment = unquote(parsed.path.lstrip("/")), unquote(parsed.fragment)
                    if path in by_key:
                        target = by_key[path]
                        new = target_of(target, fragment) if fragment else None
                        new = new or _explicit(writer, target.first)
                    else:
                        # A file of the HTML book (a data table, a download): relative to the copy
                        # of the PDF in downloads/, where readers find it next to the book.
                        action[NameObject("/URI")] = type(action["/URI"])(f"../{path}")
                        kept.append(reference)
                        counts["external"] += 1
                        continue
                if new is None:
                    counts["dropped"] += 1
                    continue
                if "/A" in annotation:
                    del annotation["/A"]
                annotation[NameObject("/Dest")] = new
                kept.append(reference)
                counts["internal"] += 1
            page[NameObject("/Annots")] = kept

    # Bookmarks: the title page, the contents, then each TOC part with its pages and their sections.
    writer.add_outline_item(title="Title page", page_number=0)
    parents: dict[str, object] = {}
    for part in parts:
        if not part.key:
            if part.title == "Contents":
                writer.add_outline_item(title="Contents", page_number=part.first)
            continue
        parent = None
        if part.caption:
            if part.caption not in parents:
                parents[part.caption] = writer.add_outline_item(title=part.caption, page_number=part.first, is_open=True)
            parent = parents[part.caption]
        item = writer.add_outline_item(title=part.title, page_number=part.first, parent=parent, is_open=False)
        stack = [(1, item)]
        for section in part.sections:
            if section["level"] == 1:
                continue
            where = names[id(part)].get(section["id"])
            if where is None:
                continue
            while len(stack) > 1 and stack[-1][0] >= section["level"]:
                stack.pop()
            child = writer.add_outline_item(title=section["title"], page_number=part.first + where[0], parent=stack[-1][1],
                                            fit=Fit.xyz(where[1], where[2]), is_open=False)
            stack.append((section["level"], child))
    writer.page_mode = "/UseOutlines"
    counts["cmaps_fixed"] = _fix_fonts(writer)
    return writer, counts


def html_digest(html: Path = HTML) -> str:
    """SHA-256 (hex) of what the PDF is printed from: every file of the built HTML ``html`` by path
    and bytes, except ``downloads/`` (the PDF and data bundle themselves), and this printer's own
    source. Equal digests mean a reprint would print the same book."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    from highlands_build.sphinx.release import DOWNLOADS

    for path in sorted(p for p in html.rglob("*") if p.is_file()):
        relative = path.relative_to(html).as_posix()
        if relative.split("/")[0] == DOWNLOADS:
            continue
        digest.update(relative.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def release_name() -> str:
    """The PDF edition's file name, seven-highlands-<version>.pdf (version from CITATION.cff)."""
    from highlands_build.sphinx.release import release_metadata

    return release_metadata()["pdf_name"]


def stale_reason(html: Path = HTML, out: Path = OUT) -> str | None:
    """Why the PDF edition in ``out`` (and its copy in ``html``/downloads/) no longer matches the
    HTML, or None when it matches: missing files, or a digest (see `html_digest`) other than the
    one ``out``/report.json recorded when it was printed."""
    from highlands_build.sphinx.release import DOWNLOADS

    name = release_name()
    report = out / "report.json"
    if not (out / name).exists() or not report.exists():
        return f"no {out.name}/{name} with its report.json"
    copy = html / DOWNLOADS / name
    if not copy.exists() or copy.read_bytes() != (out / name).read_bytes():
        return f"{DOWNLOADS}/{name} in the HTML is not the printed PDF"
    if json.loads(report.read_text(encoding="utf-8")).get("html_digest") != html_digest(html):
        return "the HTML (or the printer) changed since the PDF was printed"
    return None


def build(html: Path = HTML, out: Path = OUT) -> Path:
    """Print the built book to ``out``/seven-highlands-<version>.pdf, copy it into the HTML's
    downloads/ and write ``out``/report.json. Returns the PDF's path."""
    from highlands_build.sphinx.release import DOWNLOADS, release_metadata

    start = time.perf_counter()
    if not (html / "index.html").exists():
        raise SystemExit("make pdf: no built book in _build/html: run `make book` first")
    meta = release_metadata()
    digest = html_digest(html)
    pages = book_pages(html)
    targets = cross_page_targets([path for path, _, _ in pages], html)
    parts = [Part(key=path, title=title, caption=caption) for path, title, caption in pages]
    with Printer(html) as printer:
        for part in parts:
            printer.book_page(part, targets.get(part.key, set()))

        # Title page and contents (its page numbers need the page counts of the printed pages).
        title_pdf = printer.document(title_page(meta))
        counts = [len(PdfReader(io.BytesIO(part.pdf)).pages) for part in parts]
        title_pages = len(PdfReader(io.BytesIO(title_pdf)).pages)
        toc_names = {f"toc-{number}": part.key for number, part in enumerate(parts)}

        def contents_for(contents_pages: int) -> str:
            first, entries = title_pages + contents_pages + 1, []
            for number, (part, count) in enumerate(zip(parts, counts)):
                entries.append((part.caption, part.title, first, f"toc-{number}"))
                first += count
            return contents_page(entries)

        contents_pdf = printer.document(contents_for(1))
        contents_pages = len(PdfReader(io.BytesIO(contents_pdf)).pages)
        if contents_pages != 1:
            contents_pdf = printer.document(contents_for(contents_pages))
        pieces = [Part(key="", title="Title page", pdf=title_pdf), Part(key="", title="Contents", pdf=contents_pdf)]
        writer, links = join(pieces + parts, toc_names, meta)
        print(f"  joined {len(writer.pages)} pages ({time.perf_counter() - start:.1f} s)", file=sys.stderr)

        # Running header and footer, stamped on every page after the title page.
        heads: list = [None] * title_pages + ["Contents"] * contents_pages
        for part, count in zip(parts, counts):
            heads += [part.title] * count
        footer = f"Seven Highlands · version {meta['version']} · data as of {meta['data_as_of']}"
        stamps = printer.document(page_stamps(heads, footer), margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
    stamp_reader = PdfReader(io.BytesIO(stamps))
    if len(stamp_reader.pages) != len(writer.pages):
        raise SystemExit(f"make pdf: {len(stamp_reader.pages)} header/footer sheets for {len(writer.pages)} pages")
    for page, stamp in zip(writer.pages, stamp_reader.pages):
        page.merge_page(stamp)
        page.compress_content_streams()
    print(f"  stamped headers and footers ({time.perf_counter() - start:.1f} s)", file=sys.stderr)

    writer.add_metadata({"/Title": meta["title"], "/Author": meta["authors"],
                         "/Subject": f"Version {meta['version']}, released {meta['date_released']}; "
                                     f"data as of {meta['data_as_of']}",
                         "/Keywords": "Guangzhou Development Zone; 广州开发区; ETDZ; data book",
                         "/Creator": "highlands_build.pdf (Chromium print, pypdf)"})
    out.mkdir(parents=True, exist_ok=True)
    target = out / meta["pdf_name"]
    partial = target.with_suffix(".pdf.part")
    with partial.open("wb") as handle:
        writer.write(handle)
    partial.replace(target)
    print(f"  written ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    downloads = html / DOWNLOADS
    downloads.mkdir(exist_ok=True)
    shutil.copy2(target, downloads / target.name)

    report = {
        "pdf": target.relative_to(paths.ROOT).as_posix(),
        "html_digest": digest,
        "pages": len(writer.pages),
        "seconds": round(time.perf_counter() - start, 1),
        "mb": round(target.stat().st_size / 1e6, 2),
        "links": links,
        "parts": [{"page": part.key, "title": part.title, "first_page": part.first + 1,
                   "pages": count, "figures": [f["number"] for f in part.figures],
                   "tables_scaled": part.scaled, "wider_than_page": part.overflow}
                  for part, count in zip(parts, counts)],
    }
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


def refresh_if_stale(html: Path = HTML, out: Path = OUT) -> str:
    """`make book`'s last step: reprint the PDF edition when one was made and the HTML changed
    since. Returns what it did ("none made", "up to date" or "printed again"). When the stale PDF
    cannot be printed again (no Chromium), removes it from ``out`` and from the HTML's downloads and
    raises SystemExit, so that no build ever offers a PDF older than its pages."""
    from highlands_build.sphinx.release import DOWNLOADS

    name = release_name()
    copies = [out / name, out / "report.json", html / DOWNLOADS / name]
    if not any(path.exists() for path in copies):
        return "none made"
    reason = stale_reason(html, out)
    if reason is None:
        return "up to date"
    print(f"make book: the PDF edition is stale ({reason}): printing it again", file=sys.stderr)
    try:
        build(html, out)
    except BaseException:
        for path in copies:
            path.unlink(missing_ok=True)
        raise
    return "printed again"


def main(argv: list[str] | None = None) -> int:
    """Print every page of the built book in table-of-contents order and join them into one PDF,
    when there is none or it is stale (``--force``: always; ``--if-stale``: only when a PDF edition
    exists and is stale); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m highlands_build.pdf", description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--if-stale", action="store_true",
                      help="print only when a PDF edition was made before and the HTML changed since (make book)")
    mode.add_argument("--force", action="store_true", help="print even when the PDF edition is up to date")
    args = parser.parse_args(argv)
    if args.if_stale:
        print(f"PDF edition: {refresh_if_stale()}")
        return 0
    if not args.force and (HTML / "index.html").exists() and stale_reason() is None:
        print(f"make pdf: {(OUT / release_name()).relative_to(paths.ROOT)} is up to date (--force prints it again)")
        return 0
    target = build()
    report = json.loads((OUT / "report.json").read_text(encoding="utf-8"))
    wide = [(p["page"], w) for p in report["parts"] for w in p["wider_than_page"]]
    print(f"make pdf: {target.relative_to(paths.ROOT)}: {report['pages']} pages, {report['mb']} MB, "
          f"{report['seconds']} s; links inside the PDF: {report['links']['internal']}")
    for page, what in wide:
        print(f"  wider than the page: {page}: {what}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
