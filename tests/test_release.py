"""The release: version and dates on every page, the changelog and its page, the data bundle, the
notebook downloads, and the PDF edition that `make pdf` makes.

The version is read from pyproject.toml, the release date from CITATION.cff and "data as of" from
data/sources.csv (column `accessed`) directly here, not through the code under test. The PDF tests
open the book in Chromium (marked `browser`); they check the PDF `make pdf` made, and make it
first when there is none or the HTML is newer.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import tomllib
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from highlands import paths

HTML = paths.ROOT / "_build" / "html"
PDF_DIR = paths.ROOT / "_build" / "pdf"
VERSION = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
RELEASED = str(yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))["date-released"])
with (paths.DATA / "sources.csv").open(encoding="utf-8", newline="") as _handle:
    DATA_AS_OF = max(row["accessed"] for row in csv.DictReader(_handle) if row["accessed"])
PDF_NAME = f"seven-highlands-{VERSION}.pdf"
BUNDLE_NAME = f"seven-highlands-data-{VERSION}.zip"
# Every page of the HTML (Sphinx's search and index pages too); the root index.html is a redirect.
PAGES = [p for p in sorted(HTML.rglob("*.html")) if p.relative_to(HTML).parts[0] not in ("_static", "reports")
         and p != HTML / "index.html"] if HTML.exists() else []


def _soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _built():
    assert (HTML / "index.html").exists(), "build the book first: make book"


# --- version and dates on every page -----------------------------------------------------------

def test_pages_to_check():
    _built()
    assert len(PAGES) >= 10


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(HTML).as_posix())
def test_footer_shows_version_release_date_and_data_as_of(page: Path):
    footer = _soup(page).select_one("footer .book-release")
    assert footer is not None, "no release line in the footer"
    assert footer.select_one(".book-version").get_text(strip=True) == VERSION
    released = footer.select_one("time.book-released")
    assert (released["datetime"], released.get_text(strip=True)) == (RELEASED, RELEASED)
    as_of = footer.select_one("time.book-data-as-of")
    assert (as_of["datetime"], as_of.get_text(strip=True)) == (DATA_AS_OF, DATA_AS_OF)
    changes = footer.select_one("a[href]")
    assert changes is not None and (page.parent / changes["href"]).resolve() == (HTML / "book" / "changes.html").resolve()


# --- changelog ---------------------------------------------------------------------------------

CHANGELOG = (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
RELEASES = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", CHANGELOG, re.MULTILINE)


def test_changelog_is_keep_a_changelog_with_the_current_version_first():
    assert CHANGELOG.startswith("# Changelog\n")
    assert "keepachangelog.com" in CHANGELOG
    assert RELEASES[0] == (VERSION, RELEASED), "the newest entry is not this version and release date"
    assert ("0.1.0", RELEASES[-1][1]) == RELEASES[-1]
    versions = [tuple(map(int, v.split("."))) for v, _ in RELEASES]
    assert versions == sorted(versions, reverse=True) and [d for _, d in RELEASES] == sorted(
        [d for _, d in RELEASES], reverse=True)
    for version, _ in RELEASES:
        section = CHANGELOG.split(f"## [{version}]")[1].split("\n## [")[0]
        kinds = re.findall(r"^### (\w+)$", section, re.MULTILINE)
        assert kinds and set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, version
        assert re.search(r"^- ", section, re.MULTILINE), f"{version} lists no change"


def test_changes_page_renders_the_changelog():
    _built()
    page = HTML / "book" / "changes.html"
    soup = _soup(page)
    headings = [" ".join(h.get_text(" ", strip=True).replace("#", "").split()) for h in soup.select("article h2")]
    # Keep a Changelog: changes not yet in a release sit first, under "[Unreleased]".
    unreleased = ["[Unreleased]"] if "\n## [Unreleased]\n" in CHANGELOG else []
    assert headings[:len(unreleased) + len(RELEASES)] == unreleased + [f"[{v}] - {d}" for v, d in RELEASES]
    # Every change listed in the file is on the page (first words of each item, markup and spaces
    # removed, docutils' smart quotes made plain).
    text = "".join(soup.select_one("article").get_text().split()).translate(str.maketrans("“”‘’", "\"\"''"))
    for item in re.findall(r"^- (.+)$", CHANGELOG, re.MULTILINE):
        words = re.sub(r"[*`]|\[([^\]]*)\]\([^)]*\)", r"\1", item).split()[:6]
        assert "".join(words) in text, f"not on the page: {' '.join(words)}"
    intro = _soup(HTML / "book" / "intro.html")
    assert any(a["href"].endswith("changes.html") for a in intro.select("nav.bd-docs-nav a[href]")), \
        "the changes page is not in the table of contents"


# --- data bundle -------------------------------------------------------------------------------

def _download_link(page: Path, name: str) -> Path:
    links = [a["href"] for a in _soup(page).select("article a[href]") if a["href"].split("/")[-1] == name]
    assert links, f"{page.relative_to(HTML)} does not link {name}"
    return (page.parent / links[0]).resolve()


def test_data_bundle_is_linked_and_holds_every_table_the_article_and_a_readme():
    _built()
    bundle = HTML / "downloads" / BUNDLE_NAME
    assert _download_link(HTML / "book" / "intro.html", BUNDLE_NAME) == bundle.resolve()
    data_page = HTML / "book" / "data.html"
    if (paths.ROOT / "book" / "data.md").exists():  # the data page links it once it is a Markdown page
        assert _download_link(data_page, BUNDLE_NAME) == bundle.resolve()
    assert bundle.is_file(), "no data bundle in the HTML"
    folder = BUNDLE_NAME.removesuffix(".zip")
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        expected = {f"{folder}/{p.name}" for p in paths.DATA.glob("*.csv")}
        expected |= {f"{folder}/datapackage.json", f"{folder}/README.md", f"{folder}/raw/article.txt"}
        assert expected <= names, f"missing: {sorted(expected - names)}"
        for table in paths.DATA.glob("*.csv"):
            assert archive.read(f"{folder}/{table.name}") == table.read_bytes(), table.name
        assert archive.read(f"{folder}/raw/article.txt") == paths.ARTICLE.read_bytes()
        readme = archive.read(f"{folder}/README.md").decode("utf-8")
    for needed in ("CC BY 4.0", "creativecommons.org/licenses/by/4.0", f"version {VERSION}", RELEASED,
                   DATA_AS_OF, "How to cite"):
        assert needed in readme, f"README lacks {needed!r}"


def test_data_bundle_is_a_valid_frictionless_package(tmp_path: Path):
    from frictionless import Package, validate

    bundle = HTML / "downloads" / BUNDLE_NAME
    assert bundle.is_file(), "no data bundle in the HTML: make book"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path)
    descriptor = tmp_path / BUNDLE_NAME.removesuffix(".zip") / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    assert package["version"] == VERSION
    assert {r["path"] for r in package["resources"]} == {p.name for p in paths.DATA.glob("*.csv")}
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    assert len(Package(str(descriptor)).resources) == len(package["resources"])


# --- notebooks for download --------------------------------------------------------------------

CHAPTERS = sorted((HTML / "notebooks").glob("[0-9][0-9]-*.html")) if HTML.exists() else []


@pytest.mark.parametrize("page", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_offers_its_notebook_for_download(page: Path):
    links = [a["href"] for a in _soup(page).select("a[href$='.ipynb']")]
    assert links, "no .ipynb download button"
    notebook = (page.parent / links[0]).resolve()
    assert notebook.is_file() and notebook.name == f"{page.stem}.ipynb"
    assert json.loads(notebook.read_text(encoding="utf-8"))["cells"], "the download is not a notebook"


# --- the PDF edition ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf() -> Path:
    """The PDF `make pdf` made; printed here first when missing or stale (the HTML or the printer
    changed since: `highlands_build.pdf.stale_reason`)."""
    from highlands_build import pdf as make_pdf

    _built()
    if make_pdf.stale_reason() is not None:
        make_pdf.build()
    return PDF_DIR / PDF_NAME


@pytest.fixture(scope="module")
def reader(pdf):
    from pypdf import PdfReader

    return PdfReader(pdf)


@pytest.fixture(scope="module")
def texts(pdf, reader) -> list[str]:
    """The text of each page of the PDF, as a reader's tool extracts it: poppler's pdftotext (what
    most PDF viewers on Linux use; one page per form feed; drawing order), or pypdf where poppler is missing
    (twenty times slower). ``test_pypdf_reads_the_text_as_poppler_does`` checks the two agree."""
    if not _install_poppler():
        return [page.extract_text() or "" for page in reader.pages]
    # -raw: the text in the order it is drawn, as pypdf reads it (the default layout order can move
    # a year printed beside a long id into the middle of it).
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = [unicodedata.normalize("NFC", page) for page in out.split("\f")]
    assert pages[-1].strip() == "" and len(pages) - 1 == len(reader.pages), "pdftotext and pypdf count pages differently"
    return pages[:-1]


def _images(resources, seen: set[int]) -> int:
    """Image XObjects drawn by a page's resources, inside form XObjects too (without decoding any)."""
    count = 0
    for ref in ((resources or {}).get("/XObject") or {}).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            count += 1
        elif xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
            seen.add(id(xobject))
            count += _images(xobject.get("/Resources"), seen)
    return count


@pytest.fixture(scope="module")
def book_pages():
    from highlands_build.pdf import book_pages

    return book_pages(HTML)


def _outline(reader) -> list[tuple[int, str, int]]:
    """(depth, title, first page index) of every bookmark, in order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return found


def _norm(text: str) -> str:
    return " ".join(text.split())


browser = pytest.mark.browser  # the PDF is printed by Chromium


@browser
def test_pdf_is_linked_from_the_intro_and_copied_into_the_html(pdf):
    assert _download_link(HTML / "book" / "intro.html", PDF_NAME) == (HTML / "downloads" / PDF_NAME).resolve()
    assert (HTML / "downloads" / PDF_NAME).read_bytes() == pdf.read_bytes()


@browser
def test_pdf_has_every_page_of_the_book_in_toc_order_with_bookmarks(reader, book_pages):
    count = len(reader.pages)
    assert count > 2 + 2 * len(book_pages) and count > 40, f"only {count} pages"
    outline = _outline(reader)
    titles = [title for _, title, _ in outline]
    starts = []
    for _, title, _ in book_pages:
        assert title in titles, f"no bookmark for {title}"
        starts.append(next(page for _, t, page in outline if t == title))
    assert starts == sorted(starts) and len(set(starts)) == len(starts), "pages out of TOC order"
    assert outline[0][1:] == ("Title page", 0)
    # Sections are bookmarked under their page.
    assert sum(1 for depth, _, _ in outline if depth >= 2) >= len(book_pages)


@browser
def test_pdf_text_has_every_chapter_title_and_selectable_chinese(texts, book_pages):
    text = _norm(" ".join(texts))
    for _, title, _ in book_pages:
        assert _norm(re.sub(r"^\d+\. ", "", title)) in text, f"chapter title not in the text: {title}"
    assert "广州开发区" in text and "黄埔区" in text
    radicals = sorted({c for c in text if 0x2E80 <= ord(c) <= 0x2FDF})
    assert radicals == [], f"ideographs extracted as radicals: {radicals}"


@browser
def test_pdf_title_page_has_version_release_date_and_data_as_of(reader, texts):
    first = _norm(texts[0])
    assert f"Version {VERSION}" in first and RELEASED in first and f"Data as of {DATA_AS_OF}" in first
    assert "CC BY 4.0" in first
    assert VERSION in reader.metadata.subject and reader.metadata.title


def _figures_in_html(page: str) -> int:
    article = _soup(HTML / page).select_one("article")
    return sum(1 for figure in article.select("figure") if figure.select_one(".caption-number"))


@browser
def test_pdf_has_an_image_for_every_numbered_figure(reader, texts, book_pages):
    outline = [(title, page) for _, title, page in _outline(reader)]
    starts = [next(page for title, page in outline if title == t) for _, t, _ in book_pages] + [len(reader.pages)]
    total = 0
    for (path, title, _), first, end in zip(book_pages, starts, starts[1:]):
        figures = _figures_in_html(path)
        images = sum(_images(reader.pages[i].get("/Resources"), set()) for i in range(first, end))
        assert images >= figures, f"{title}: {figures} numbered figures but {images} images in the PDF"
        total += figures
        text = _norm(" ".join(texts[first:end]))
        for number in re.findall(r"Fig\. \d+\.\d+", _norm(_soup(HTML / path).select_one("article").get_text(" "))):
            assert number in text, f"{title}: caption {number} not in the PDF"
    assert total >= 7, "fewer numbered figures than chapters: is the HTML built?"


@browser
def test_pdf_links_stay_inside_the_pdf(reader, book_pages):
    starts = {}
    outline = _outline(reader)
    for _, title, _ in book_pages:
        starts[title] = next(page for _, t, page in outline if t == title)
    contents_targets, local_uris = set(), []
    page_numbers = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            uri = (annotation.get("/A") or {}).get("/URI")
            if uri and re.match(r"https?://(127\.0\.0\.1|localhost)", str(uri)):
                local_uris.append(str(uri))
            if index == 1 and "/Dest" in annotation:
                contents_targets.add(page_numbers[annotation["/Dest"][0].idnum])
    assert local_uris == [], local_uris[:5]
    assert contents_targets == set(starts.values()), "the contents page does not link every page"


@browser
def test_pdf_lists_every_source(texts):
    """The sources page's collapsed lists are printed open (paper cannot be clicked), and the PDF
    says where the excerpts it leaves out are."""
    with (paths.DATA / "sources.csv").open(encoding="utf-8", newline="") as handle:
        ids = [row["source_id"] for row in csv.DictReader(handle)]
    # Ids are compared without hyphens: pdftotext joins a word hyphenated at a line's end.
    text = re.sub(r"[\s-]+", "", " ".join(texts))
    missing = [i for i in ids if i.replace("-", "") not in text]
    assert missing == [], f"{len(missing)} of {len(ids)} sources not in the PDF: {missing[:5]}"
    assert "withoutitsverbatimexcerpt" in text


@browser
def test_pdf_tables_fit_the_page(pdf):
    report = json.loads((PDF_DIR / "report.json").read_text(encoding="utf-8"))
    wide = {part["page"]: part["wider_than_page"] for part in report["parts"] if part["wider_than_page"]}
    assert wide == {}


def _install_poppler() -> bool:
    """Install Debian's poppler-utils (pdftotext, pdfinfo) when running as root; True if there."""
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")) and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "poppler-utils"], env=env, check=False, capture_output=True)
    return bool(shutil.which("pdftotext") and shutil.which("pdfinfo"))


def _poppler() -> None:
    """pdftotext and pdfinfo (Debian's poppler-utils): installed as root if missing, else skip."""
    if not _install_poppler():
        pytest.skip("pdftotext/pdfinfo not found: install Debian's poppler-utils (apt-get install poppler-utils)")


@browser
def test_poppler_reads_the_pdf_as_pypdf_does(pdf, reader, texts, book_pages):
    _poppler()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1)) == len(reader.pages)
    assert "A4" in info
    text = _norm(" ".join(texts))  # pdftotext's, since poppler is there
    assert "广州开发区" in text
    for _, title, _ in book_pages:
        assert _norm(re.sub(r"^\d+\. ", "", title)) in text, title


@browser
def test_pypdf_reads_the_text_as_poppler_does(reader, texts, book_pages):
    """The two extractors agree on the title page and on the first page of every book page: the
    same letters, digits and Chinese characters (none as a radical), counted, in any order (they
    differ in line order, spacing and end-of-line hyphens, not in what the text is)."""
    outline = _outline(reader)
    sample = [0] + [next(page for _, t, page in outline if t == title) for _, title, _ in book_pages]
    for index in sample:
        by_pypdf = unicodedata.normalize("NFC", reader.pages[index].extract_text() or "")
        assert not [c for c in by_pypdf if 0x2E80 <= ord(c) <= 0x2FDF], f"page {index + 1}: radicals in pypdf's text"
        words = [Counter(re.findall(r"\w", text)) for text in (by_pypdf, texts[index])]
        assert words[0] == words[1], (f"page {index + 1}: only pypdf: {dict(words[0] - words[1])}, "
                                      f"only pdftotext: {dict(words[1] - words[0])}")
