"""Open every page of the built book in headless Chromium, as a reader would.

Fails on any request that leaves the book, any failed load, any broken image, any console error
the book causes, and any serious or critical axe-core violation that is not a known issue of the
stock theme (listed below with the reason). Screenshots of the chapters go to test-artifacts/.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from highlands import paths

pytestmark = pytest.mark.browser

HTML = paths.ROOT / "_build" / "html"
ARTIFACTS = paths.ROOT / "test-artifacts" / "screenshots"
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")) if HTML.exists() else []
# Pages Sphinx writes for itself, with no content of the book.
PAGES = [p for p in PAGES if p not in ("genindex.html", "search.html") and not p.startswith("_static/")] + ["search.html"]

# Serious or critical axe violations of the stock sphinx-book-theme that the book cannot fix, each
# with the reason. None at present (the one found, a wrong ARIA role on the bibliography, is fixed
# by highlands_build.sphinx); the minor and moderate ones axe reports are the theme's.
KNOWN_AXE: dict[str, str] = {}


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium not found: run `make browser` (installs Debian's chromium) "
                "or set CHROMIUM=/path/to/chromium")


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


@pytest.mark.parametrize("page_path", PAGES)
def test_page_in_a_real_browser(server, browser, page_path):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1300, "height": 900}, service_workers="block")
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

    page.goto(f"{server}/{page_path}", wait_until="load")
    page.wait_for_load_state("networkidle")
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src)""")
    problems += [f"broken image: {src}" for src in broken]
    without_alt = page.evaluate("""() => Array.from(document.querySelectorAll('figure img'))
        .filter(img => !(img.getAttribute('alt') || '').trim()).map(img => img.src)""")
    problems += [f"figure image without alt text: {src}" for src in without_alt]

    # preload=False: axe would otherwise re-fetch stylesheets by wrong URLs (for one CSS rule).
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical") and violation["id"] not in KNOWN_AXE:
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} at {targets}")

    if page_path.startswith(("notebooks/", "book/")) or page_path == "index.html":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / (page_path.replace("/", "_").replace(".html", ".png"))),
                        full_page=True)
    context.close()
    assert problems == [], "\n".join(problems)
