"""The built book loads nothing from outside itself, and Chinese words are searchable."""
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from highlands import paths

HTML = paths.ROOT / "_build" / "html"
PAGES = sorted(HTML.rglob("*.html")) if HTML.exists() else []
# Attributes through which a page loads something (links a reader clicks, <a href>, are fine).
LOADING = [("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
           ("audio", "src"), ("embed", "src"), ("object", "data"), ("link", "href")]


def external(url: str) -> bool:
    parsed = urlparse(url.strip())
    return parsed.scheme in ("http", "https") or url.strip().startswith("//")


def test_book_was_built():
    assert (HTML / "index.html").exists(), "run `make book` first (make test does)"
    assert len(PAGES) >= 10


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_page_loads_nothing_external(page: Path):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for tag, attribute in LOADING:
        for element in soup.find_all(tag):
            value = element.get(attribute)
            # <link rel="canonical"> and similar point somewhere without loading it.
            if tag == "link" and not set(element.get("rel", [])) & {"stylesheet", "preload", "prefetch",
                                                                   "modulepreload", "icon", "manifest"}:
                continue
            if value and external(value):
                found.append(f"<{tag} {attribute}={value}>")
    for style in soup.find_all("style"):
        found += [f"@import/url() {u}" for u in re.findall(r"url\((['\"]?)(https?:[^)'\"]+)\1\)", style.text)]
    text = page.read_text(encoding="utf-8")
    # Inline scripts that would fetch code at run time (Thebe, require.js from a CDN).
    found += [m for m in re.findall(r"https://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com)[^\s\"']*", text)]
    assert found == []


def test_no_analytics_or_thebe():
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert "googletagmanager" not in text and "google-analytics" not in text, page
        assert "thebe" not in text.lower() or "thebe-launch" not in text, page


def test_chinese_words_are_in_the_search_index():
    text = (HTML / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text[text.index("(") + 1:text.rindex(")")])["terms"]
    missing = [word for word in ("开发区", "外资", "广州", "科技", "创新") if word not in terms]
    assert missing == []


def test_every_chapter_figure_has_downloads():
    figures = HTML / "figures"
    names = {p.stem for p in figures.glob("fig-*.svg")}
    assert names, "no exported figures"
    for name in names:
        for suffix in (".png", ".csv"):
            assert (figures / f"{name}{suffix}").exists(), name + suffix


CHAPTER_PAGES = sorted((HTML / "notebooks").glob("0*.html")) if HTML.exists() else []


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda p: p.stem)
def test_every_numbered_figure_has_working_downloads_and_a_citation(page: Path):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    figures = soup.select("figure[id^=fig-]")
    tools = {t["data-figure"]: t for t in soup.select(".figure-tools")}
    assert sorted(tools) == sorted(f["id"] for f in figures), "figure-tools must sit under each numbered figure"
    for name, block in tools.items():
        links = [a["href"] for a in block.select("a[download]")]
        assert [Path(link).name for link in links] == [f"{name}.png", f"{name}.svg", f"{name}.csv"]
        for link in links:
            assert (page.parent / link).resolve().is_file(), f"{page.name}: {link} does not exist"
        cite = block.select_one(".figure-cite").get_text(" ", strip=True)
        assert f"#{name}" in cite and "version" in cite and "Figure" in cite, cite


def test_figure_csvs_name_their_sources():
    import pandas as pd

    from highlands import data

    # A row rests on a benchmark source, on a figure of the article ("article:<figure_id>") or on
    # one of its commitments ("article:<commitment_id>", a plan with no evidence found).
    known = (set(data.load("sources")["source_id"]) | {f"article:{i}" for i in data.load("seed_figures")["figure_id"]}
             | {f"article:{i}" for i in data.load("commitments")["commitment_id"]})
    for csv in sorted((HTML / "figures").glob("fig-*.csv")):
        frame = pd.read_csv(csv)
        assert "source_id" in frame.columns, csv.name
        ids = {i for cell in frame["source_id"].dropna().astype(str) for i in cell.split(";")}
        assert frame["source_id"].notna().all() and ids <= known, f"{csv.name}: unknown {ids - known}"


def test_data_page_links_every_table_to_a_copy_in_the_book():
    page = HTML / "book" / "data.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    hrefs = {a["href"] for a in soup.select("a[href]") if a["href"].endswith(".csv")}
    from highlands import data
    expected = {data.resource(name)["path"] for name in data.table_names()}
    assert {Path(h).name for h in hrefs} >= expected
    for href in hrefs:
        assert (page.parent / href).resolve().is_file(), href


def test_claims_ledger_lists_every_seed_figure_and_links_to_its_check():
    from highlands import data

    page = HTML / "book" / "claims.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("table.ledger tbody tr")
    ids = [row.select_one("code").get_text() for row in rows]
    assert ids == list(data.load("seed_figures")["figure_id"]), "the ledger must list every seed figure, in order"
    for row in rows:
        link = row.select_one("a[href]")
        if link is None:  # the preamble's figures belong to no chapter
            continue
        target, _, anchor = link["href"].partition("#")
        chapter = BeautifulSoup((page.parent / target).read_text(encoding="utf-8"), "html.parser")
        assert chapter.find(id=anchor) is not None, f"{link['href']} has no #{anchor}"
