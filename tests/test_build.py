"""`make book` never publishes a stale or failed page (issue 17), checked on a small fixture book.

The fixture is a scratch copy built exactly like the book: this repository's Makefile,
_config.yml, src/ and data/, an intro page with math, a summary page that pastes a value glued
in a chapter, and two tiny notebooks that load tables through `highlands` (one exports
a figure with `highlands.glue_figure`). It is a git repository whose one commit is dated 2031.
`make book` runs in it (the executor, then `jupyter-book build` with execution off) with the
copy's src/ first on PYTHONPATH; the steps below edit it as a contributor would, and each test
checks one of the seven cases of the issue on what the steps captured. The tests share the
builds (seven `make book` and two `jupyter-book build` runs of a three-page book, and its PDF
edition printed twice: by `make pdf`'s printer, then again by the `make book` after a data edit).
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from highlands import paths

pytestmark = pytest.mark.build

VENV = Path(sys.prefix)
COMMIT_DATE = "2031-06-15T12:00:00+00:00"
COMMIT_YEAR = "2031"
NEW_NOTE = "Edited note: the fixture's changed data"
NEW_HOME = "#123456"  # a colour no chart uses
OLD_HOME = "#d55e00"  # the book's vermillion, as matplotlib writes it in an SVG
NEW_DATA_AS_OF = "2031-06-01"  # a source "read" after every real one: the footers' "data as of"

KERNELSPEC = {"display_name": "Python 3 (Seven Highlands)", "language": "python", "name": "seven-highlands"}


def _notebook(cells: list[tuple[str, str]]) -> dict:
    return {"cells": [{"cell_type": kind, "id": f"cell-{i}", "metadata": {}, "source": source,
                       **({"execution_count": None, "outputs": []} if kind == "code" else {})}
                      for i, (kind, source) in enumerate(cells)],
            "metadata": {"kernelspec": KERNELSPEC}, "nbformat": 4, "nbformat_minor": 5}


CHAPTER = _notebook([
    ("markdown", "# Fixture chapter\n\nThe first row's note: {glue:text}`first_note`."),
    ("code", "import matplotlib.pyplot as plt\n\nimport highlands as hl\nfrom highlands import colours\n\nhl.use_book_style()\n"
             "batch = hl.load(\"first_batch_etdz\")\nhl.glue_value(\"first_note\", batch[\"note\"].iloc[0])\n"
             "batch[[\"zone_zh\", \"note\"]].head(2)"),
    ("code", "shown = batch.head(3).assign(row=[1, 2, 3])[[\"row\", \"approval_date\", \"note\", \"source_id\"]]\n"
             "fig, ax = plt.subplots(figsize=(4, 2))\nax.bar(shown[\"row\"], [1, 2, 3], color=colours.home())\n"
             "hl.glue_figure(fig, \"fig-fixture\", shown, chapter=1)"),
    ("markdown", "```{glue:figure} fig-fixture\n:name: fig-fixture\n:alt: Three bars.\n\nThree bars.\n```"),
])
OTHER = _notebook([
    ("markdown", "# Other chapter"),
    ("code", "import highlands as hl\n\nhl.glue_value(\"rankings\", len(hl.load(\"district_rankings\")))"),
    ("markdown", "{glue:text}`rankings` ranking rows."),
])
INTRO = """# Fixture book

Math: {math}`a^2 + b^2 = c^2`, $x_1 + x_2$ and a display:

```{math}
e^{i\\pi} + 1 = 0
```
"""
# Not the root page: Sphinx rewrites the page holding a toctree whenever a page under it changes,
# which would hide a stale pasted value there.
SUMMARY = "# Summary\n\nThe chapter's first note, pasted: {glue:text}`chapter.ipynb::first_note:s`.\n"
TOC = "format: jb-book\nroot: intro\nchapters:\n  - file: chapter\n  - file: other\n  - file: summary\n"


def _write_notebook(path: Path, notebook: dict) -> None:
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _make_fixture(root: Path) -> None:
    root.mkdir()
    for name in ("Makefile", "_config.yml", "pyproject.toml", "CITATION.cff"):
        shutil.copy2(paths.ROOT / name, root / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("src", "data", "requirements"):
        shutil.copytree(paths.ROOT / name, root / name, ignore=ignore)
    (root / "book").mkdir()
    shutil.copy2(paths.ROOT / "book" / "references.bib", root / "book" / "references.bib")
    (root / "_toc.yml").write_text(TOC, encoding="utf-8")
    (root / "intro.md").write_text(INTRO, encoding="utf-8")
    (root / "summary.md").write_text(SUMMARY, encoding="utf-8")
    _write_notebook(root / "chapter.ipynb", CHAPTER)
    _write_notebook(root / "other.ipynb", OTHER)
    git = ["git", "-c", "user.name=fixture", "-c", "user.email=fixture@example.org"]
    subprocess.run(["git", "init", "--quiet"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "fixture"], cwd=root, check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": COMMIT_DATE, "GIT_AUTHOR_DATE": COMMIT_DATE})


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "HIGHLANDS_DEPENDENCY_LOG")}
    env["PYTHONPATH"] = str(root / "src")  # the kernel and the build import the copy's highlands
    return env


def make_book(root: Path) -> subprocess.CompletedProcess:
    """The book's own `make book`, with this checkout's installed venv (-o: never reinstall it)."""
    stamp = VENV / ".installed"
    return subprocess.run(["make", "--no-print-directory", "-o", str(stamp), f"VENV={VENV}", "book"],
                          cwd=root, env=_env(root), capture_output=True, text=True, timeout=600)


def jupyter_book_build(root: Path) -> subprocess.CompletedProcess:
    """Only the Sphinx half of `make book` (no executor)."""
    return subprocess.run([str(VENV / "bin" / "jupyter-book"), "build", ".", "--path-output", ".", "-W", "-n",
                           "--keep-going"], cwd=root, env=_env(root), capture_output=True, text=True, timeout=600)


def print_pdf(root: Path) -> subprocess.CompletedProcess:
    """`make pdf` without its prerequisites (the book is built, Chromium is there)."""
    return subprocess.run([str(VENV / "bin" / "python"), "-m", "highlands_build.pdf"], cwd=root, env=_env(root),
                          capture_output=True, text=True, timeout=600)


def _printed_pdf(root: Path) -> Path:
    """The one PDF edition in the fixture's _build/pdf/."""
    (printed,) = (root / "_build" / "pdf").glob("*.pdf")
    return printed


def _pdf(root: Path) -> dict:
    """The printed PDF edition, its copy in the HTML's downloads/, and the printed PDF's text."""
    from pypdf import PdfReader

    printed = _printed_pdf(root)
    return {"bytes": printed.read_bytes(), "download": (root / "_build" / "html" / "downloads" / printed.name).read_bytes(),
            # one space for every run of spaces: a line the PDF wraps still reads as one
            "text": " ".join(" ".join(page.extract_text() or "" for page in PdfReader(printed).pages).split())}


def _ok(result: subprocess.CompletedProcess) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    return output


def _executed(output: str) -> list[str]:
    return sorted(re.findall(r"^executed: (\S+)", output, re.MULTILINE))


def _set_cell(root: Path, table: str, column: str, text: str) -> str:
    """Set the first data row's ``column`` of data/<table>.csv; returns the file as it was."""
    path = root / "data" / f"{table}.csv"
    before = path.read_text(encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index(column)] = text
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return before


def _set_note(root: Path, text: str) -> None:
    _set_cell(root, "first_batch_etdz", "note", text)


def _snapshot(root: Path) -> dict:
    """What a reader gets: page texts, the chart the page shows, the downloads, every file's bytes."""
    html = root / "_build" / "html"
    pages = {p.relative_to(html).as_posix(): p.read_text(encoding="utf-8") for p in html.glob("*.html")}
    soup = BeautifulSoup(pages["chapter.html"], "html.parser")
    chart = soup.select_one("figure#fig-fixture img")
    figures = html / "figures"
    return {
        "pages": pages,
        "page_chart_svg": (html / chart["src"]).read_text(encoding="utf-8") if chart else "",
        "download_svg": (figures / "fig-fixture.svg").read_text(encoding="utf-8"),
        "download_csv": (figures / "fig-fixture.csv").read_text(encoding="utf-8"),
        "data_csv": (html / "data" / "first_batch_etdz.csv").read_text(encoding="utf-8"),
        "reports": (html / "reports").exists(),
        "files": {p.relative_to(html).as_posix(): p.read_bytes() for p in html.rglob("*") if p.is_file()},
    }


@pytest.fixture(scope="module")
def steps(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("fixture-book") / "book"
    _make_fixture(root)
    chapter = root / "chapter.ipynb"
    done: dict = {"root": root}

    cold = _ok(make_book(root))
    done["cold"] = {"executed": _executed(cold), "snapshot": _snapshot(root), "output": cold}
    # The PDF edition, once printed (`make pdf`), must follow the HTML like any other download.
    done["pdf_first"] = _ok(print_pdf(root))
    done["pdf"] = {"cold": _pdf(root)}
    noop = _ok(make_book(root))
    done["noop"] = {"executed": _executed(noop), "output": noop}
    done["pdf"]["noop"] = _pdf(root)

    # A bad row in a table neither notebook loads still stops the build, before any notebook runs.
    good_milestones = _set_cell(root, "milestones", "source_id", "no-such-source")
    done["bad_row"] = make_book(root)
    (root / "data" / "milestones.csv").write_text(good_milestones, encoding="utf-8")

    # 1 and 4: a data edit; the chapter reads the table, the other notebook does not.
    _set_note(root, NEW_NOTE)
    data = _ok(make_book(root))
    done["data"] = {"executed": _executed(data), "snapshot": _snapshot(root), "output": data}
    done["pdf"]["data"] = _pdf(root)
    # The later steps need no PDF edition: without one, `make book` prints none.
    (root / "_build" / "html" / "downloads" / _printed_pdf(root).name).unlink()
    shutil.rmtree(root / "_build" / "pdf")

    # 2: the shared code changes a colour.
    module = root / "src" / "highlands" / "colours.py"
    source = module.read_text(encoding="utf-8")
    assert "    return colour(HOME_ID)\n" in source
    module.write_text(source.replace("    return colour(HOME_ID)\n", f'    return "{NEW_HOME}"\n'), encoding="utf-8")
    # ...and a source read later moves "data as of", which every page's footer shows.
    _set_cell(root, "sources", "accessed", NEW_DATA_AS_OF)
    done["code"] = {"executed": _executed(_ok(make_book(root))), "snapshot": _snapshot(root)}

    # 3: a cell raises. Two `make book` runs in a row must fail, and nothing of it reaches the HTML.
    good = chapter.read_text(encoding="utf-8")
    broken = json.loads(good)
    broken["cells"].insert(2, {"cell_type": "code", "id": "broken", "metadata": {}, "execution_count": None,
                               "outputs": [], "source": "raise RuntimeError(\"fixture: a broken cell\")"})
    _write_notebook(chapter, broken)
    done["raise"] = [make_book(root), make_book(root)]
    done["raise_notebook"] = chapter.read_text(encoding="utf-8")
    # The same failure saved by a notebook editor (an error output stored in the file) and built
    # without the executor: Sphinx itself must refuse it, twice.
    stored = json.loads(good)
    stored["cells"][1]["outputs"] = [{"output_type": "error", "ename": "RuntimeError", "evalue": "fixture",
                                      "traceback": [f"Traceback (most recent call last):\n  File \"{root}/x.py\""]}]
    _write_notebook(chapter, stored)
    done["stored_error"] = [jupyter_book_build(root), jupyter_book_build(root)]
    done["stored_error_snapshot"] = _snapshot(root)
    chapter.write_text(good, encoding="utf-8")
    done["fixed"] = {"executed": _executed(_ok(make_book(root))), "snapshot": _snapshot(root)}
    return done


def test_unchanged_book_executes_nothing(steps):
    assert steps["cold"]["executed"] == ["chapter.ipynb", "other.ipynb"]
    assert steps["noop"]["executed"] == []


def test_a_bad_row_anywhere_stops_the_build_before_any_notebook_runs(steps):
    """Notebooks depend only on the tables they load; the package-wide check runs in the executor."""
    result = steps["bad_row"]
    assert result.returncode != 0
    assert "the data package does not validate" in result.stderr
    assert "milestones.csv" in result.stderr and "no-such-source" in result.stderr
    assert _executed(result.stdout) == []


def test_data_edit_reaches_the_page_and_the_downloads(steps):
    """Case 1: a CSV edit re-executes the notebook that reads the table, and only that one."""
    assert steps["data"]["executed"] == ["chapter.ipynb"]
    before, after = steps["cold"]["snapshot"], steps["data"]["snapshot"]
    assert NEW_NOTE not in before["pages"]["chapter.html"]
    assert NEW_NOTE in after["pages"]["chapter.html"]
    assert NEW_NOTE in after["download_csv"] and NEW_NOTE in after["data_csv"]


def test_pasted_glue_value_follows_its_notebook(steps):
    """Case 4: the summary page pastes a value glued in the chapter; it changes with the chapter."""
    assert NEW_NOTE not in steps["cold"]["snapshot"]["pages"]["summary.html"]
    assert NEW_NOTE in steps["data"]["snapshot"]["pages"]["summary.html"]


def test_the_pdf_edition_follows_the_html(steps):
    """Case 1 for the PDF download: once `make pdf` printed it, a build that changed nothing keeps
    it as it is, and a data edit prints it again, the copy in the HTML's downloads/ included."""
    assert "PDF edition: none made" in steps["cold"]["output"]
    pdf = steps["pdf"]
    assert "PDF edition: up to date" in steps["noop"]["output"]
    assert pdf["noop"]["bytes"] == pdf["cold"]["bytes"]
    assert "PDF edition: printed again" in steps["data"]["output"]
    assert NEW_NOTE not in pdf["cold"]["text"]
    assert NEW_NOTE in pdf["data"]["text"]
    assert pdf["data"]["download"] == pdf["data"]["bytes"]


def test_shared_code_edit_changes_the_chart_and_its_download_alike(steps):
    """Case 2: a colour changed in src/highlands/: the chart on the page and the SVG download agree."""
    assert steps["code"]["executed"] == ["chapter.ipynb", "other.ipynb"]  # both import highlands
    before, after = steps["data"]["snapshot"], steps["code"]["snapshot"]
    assert OLD_HOME in before["page_chart_svg"] and OLD_HOME in before["download_svg"]
    assert NEW_HOME in after["page_chart_svg"] and OLD_HOME not in after["page_chart_svg"]
    assert NEW_HOME in after["download_svg"] and OLD_HOME not in after["download_svg"]


def test_a_date_in_every_footer_follows_the_data(steps):
    """A page that shows nothing from the data still shows "data as of" in its footer: a later
    ``accessed`` date must reach every page, the ones no notebook or table feeds included."""
    def data_as_of(snapshot, page):
        return BeautifulSoup(snapshot["pages"][page], "html.parser").select_one("time.book-data-as-of").get_text()

    assert data_as_of(steps["data"]["snapshot"], "intro.html") != NEW_DATA_AS_OF
    for page in ("intro.html", "chapter.html", "other.html", "summary.html"):
        assert data_as_of(steps["code"]["snapshot"], page) == NEW_DATA_AS_OF, page


def test_a_raising_cell_fails_every_build_and_publishes_nothing(steps):
    """Case 3: two `make book` in a row fail; the notebook keeps its last good outputs."""
    for result in steps["raise"]:
        assert result.returncode != 0
        assert "FAILED: chapter.ipynb" in result.stderr and "fixture: a broken cell" in result.stderr
    stored = json.loads(steps["raise_notebook"])
    assert all(o["output_type"] != "error" for c in stored["cells"] for o in c.get("outputs", []))
    for result in steps["stored_error"]:
        assert result.returncode != 0
        assert "chapter: cell 2: error output" in result.stdout + result.stderr
    for snapshot in (steps["stored_error_snapshot"], steps["fixed"]["snapshot"]):
        assert not snapshot["reports"]
        for name, content in snapshot["files"].items():
            assert b"fixture: a broken cell" not in content and b"Traceback (most recent" not in content, name
    assert steps["fixed"]["executed"] == []  # the restored notebook matches its stamp: nothing to run


def test_math_renders_with_a_local_mathjax(steps):
    """Case 5: math is typeset by MathJax served from the book itself."""
    html = steps["root"] / "_build" / "html"
    soup = BeautifulSoup(steps["fixed"]["snapshot"]["pages"]["intro.html"], "html.parser")
    assert len(soup.select("span.math")) == 2 and soup.select("div.math"), "the math is not all marked up"
    assert "$x_1" not in soup.get_text(), "dollar math left as text"
    scripts = [s.get("src") for s in soup.find_all("script") if s.get("src") and "mathjax" in s.get("src").lower()]
    assert scripts, "the page with math loads no MathJax"
    for src in scripts:
        assert "://" not in src and not src.startswith("//"), src
        assert (html / src.split("?")[0]).is_file(), src
    external = [s.get("src") for s in soup.find_all("script") if "://" in (s.get("src") or "")]
    assert external == []
    assert (html / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def test_footer_year_is_the_commits(steps):
    """Case 6: the build's clock is the last commit (2031 here), not 1970 nor today."""
    pages = {name: page for name, page in steps["fixed"]["snapshot"]["pages"].items()
             if 'http-equiv="Refresh"' not in page}  # index.html only redirects to the root page
    assert {"intro.html", "chapter.html", "other.html", "summary.html"} <= set(pages)
    for name, page in pages.items():
        notice = BeautifulSoup(page, "html.parser").select_one("p.copyright")
        assert notice is not None, f"{name} has no copyright line"
        assert notice.get_text(" ", strip=True) == f"© Copyright {COMMIT_YEAR}.", name


def test_no_built_file_names_the_builders_paths(steps):
    """No file of the HTML contains the fixture's, the repository's or the venv's absolute path."""
    needles = {str(steps["root"]), str(steps["root"].resolve()), str(paths.ROOT), str(VENV)}
    for step in ("cold", "data", "code", "fixed"):
        for name, content in steps[step]["snapshot"]["files"].items():
            found = [n for n in needles if n.encode() in content]
            assert found == [], f"{name} contains {found}"
    for name, content in steps["stored_error_snapshot"]["files"].items():  # a traceback names them
        assert not [n for n in needles if n.encode() in content], f"{name} publishes a builder's path"


MIRROR_LINE = re.compile(r"^\s*(-i\b|--index-url|--extra-index-url|-f\b|--find-links|--trusted-host)|file:/|"
                         r"(^|[\s@=])/(?!/)\S+", re.MULTILINE)


def test_requirements_name_no_mirror_or_local_path():
    """Case 7: the lock file installs on a reader's machine: no index URLs, find-links or local paths."""
    files = sorted(paths.ROOT.glob("requirements/*")) + sorted(paths.ROOT.glob("*requirements*.txt"))
    assert any(f.name == "lock.txt" for f in files)
    for path in files:
        lines = [line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()]
        bad = [line for line in lines if MIRROR_LINE.search(line)]
        assert bad == [], f"{path.name}: {bad}"
