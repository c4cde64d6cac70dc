"""Every number in the prose and every chart come from the data (issue 23: glue by key).

- each `{glue:text}` key a chapter's prose uses is recomputed by its module's ``key_values()``
  (selected by key, not by row position), matches the value stored in the notebook, and appears,
  formatted, on the built page;
- every registered figure is rebuilt and everything it draws is in the CSV a reader downloads;
- figures are numbered on the page in the order the chapter exports them (footer numbers agree).
"""
import json
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("agg")

from bs4 import BeautifulSoup  # noqa: E402

from highlands import chapters, figures, paths  # noqa: E402

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
HTML = paths.ROOT / "_build" / "html"
ROLE = re.compile(r"\{glue:text\}`([A-Za-z0-9_.-]+)(?::([^`]*))?`")
# Sphinx turns straight quotes into typographic ones in prose; compare the words, not the quotes.
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _plain(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


def _module(notebook: Path):
    number = int(notebook.name[:2])
    found = [m for m in chapters.all_modules() if m.__name__.rsplit(".", 1)[1].startswith(f"ch{number}_")]
    assert len(found) == 1, f"no chapter module for {notebook.name}"
    return found[0]


def _stored_glue(notebook: dict) -> dict[str, str]:
    stored = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                stored[name] = text
    return stored


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_glued_values_are_recomputed_by_key(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    prose = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    used = ROLE.findall(prose)
    assert used, f"{path.name} glues nothing into its prose"
    values = _module(path).key_values()
    stored = _stored_glue(notebook)
    page = HTML / "notebooks" / f"{path.stem}.html"
    text = _plain(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")) if page.exists() else None
    problems = []
    for key, spec in used:
        if key not in values:
            problems.append(f"{key}: not computed by key_values()")
            continue
        if stored.get(key) != repr(values[key]):
            problems.append(f"{key}: notebook stores {stored.get(key)!r}, data give {values[key]!r}")
        shown = format(values[key], spec) if spec else str(values[key])
        if text is not None and _plain(shown) not in text:
            problems.append(f"{key}: {shown!r} is not on the built page")
    assert problems == []


def test_every_registered_figure_draws_only_what_its_csv_holds():
    from highlands.style import use_book_style

    use_book_style()
    chapters.all_modules()
    assert figures.BUILDERS, "no figure builders registered"
    problems = []
    for name, build in sorted(figures.BUILDERS.items()):
        result = build()
        fig, frame = result[0], result[1]
        numbers = set()
        for column in frame.columns:
            for cell in frame[column].dropna().astype(str):
                match = re.match(r"^-?\d+(\.\d+)?$", cell)
                if match:
                    numbers.add(float(f"{float(cell):.6g}"))
                year = re.match(r"^(\d{4})(-\d{2}){0,2}$", cell)
                if year:
                    numbers.add(float(year.group(1)))
        missing = sorted(set(figures.plotted_values(fig)) - numbers)
        matplotlib.pyplot.close(fig)
        if missing:
            problems.append(f"{name}: draws {missing[:6]} not in its data")
        if "source_id" not in frame.columns or frame["source_id"].isna().any():
            problems.append(f"{name}: data rows without source_id")
    assert problems == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figure_numbers_on_the_page_match_the_downloads(path):
    page = HTML / "notebooks" / f"{path.stem}.html"
    assert page.exists(), "build the book first: make book"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for figure in soup.select("figure[id^=fig-]"):
        number = figure.select_one(".caption-number").get_text(strip=True).rstrip(".").replace("Fig.", "").strip()
        meta = json.loads((HTML / "figures" / f"{figure['id']}.meta.json").read_text(encoding="utf-8"))
        assert meta["number"] == number, f"{figure['id']}: page says {number}, download says {meta['number']}"
