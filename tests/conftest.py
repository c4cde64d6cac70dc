"""Shared fixtures for the tests.

`make test` runs ``pytest -n auto --dist loadscope --no-loadscope-reorder`` (pytest-xdist): the
tests of one module (or, for tests in a class, of one class) run in one worker, in order. That keeps
together what must stay together: a notebook's nbval cells share one kernel; the fixture-book build
steps and the PDF edition are module fixtures made once; the browser checks open each page once per
worker, in two classes (chapters, other pages) so two workers share them. (``--dist loadgroup``
would allow finer groups, but with pytest 9.2 it silently stops grouping: pytest-xdist issue #1386.)
"""
import csv
import shutil
from pathlib import Path

import pytest

from highlands import paths

# The longest groups of tests first (seconds on 2 idle cores): with --no-loadscope-reorder xdist
# hands out the groups in collection order (by default it sorts them by their number of tests, and
# the fixture-book builds, 11 tests, started when the other worker was already done: 249 s
# against 182 s).
FIRST = ("tests/test_browser.py::TestChapterPages",  # ~115 s
         "tests/test_browser.py::TestBookPages",  # ~95 s
         "tests/test_release.py",  # ~70 s when it prints the PDF
         "tests/test_build.py")  # ~70 s


def pytest_collection_modifyitems(items):
    """Run the longest groups first (see FIRST); the order within a group is kept."""
    def rank(item):
        return next((n for n, prefix in enumerate(FIRST) if item.nodeid.startswith(prefix)), len(FIRST))
    items.sort(key=rank)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


def _read(data_dir: Path, table: str) -> list[list[str]]:
    with (data_dir / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(data_dir: Path, table: str, rows: list[list[str]]) -> None:
    with (data_dir / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def edit_cell(data_dir: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell (row 1 = first data row) of a CSV in a scratch data folder."""
    rows = _read(data_dir, table)
    rows[row][rows[0].index(column)] = value
    _write(data_dir, table, rows)


def append_row(data_dir: Path, table: str, values: dict[str, str]) -> None:
    """Add a row (missing columns left empty) to a CSV in a scratch data folder."""
    rows = _read(data_dir, table)
    unknown = set(values) - set(rows[0])
    assert not unknown, f"{table} has no columns {unknown}"
    rows.append([values.get(column, "") for column in rows[0]])
    _write(data_dir, table, rows)


def find_row(data_dir: Path, table: str, **match: str) -> int:
    """The row number (1 = first data row) of the only row whose cells equal ``match``."""
    rows = _read(data_dir, table)
    header = rows[0]
    found = [n for n, row in enumerate(rows[1:], start=1)
             if all(row[header.index(k)] == v for k, v in match.items())]
    assert len(found) == 1, f"{table}: {len(found)} rows match {match}"
    return found[0]
