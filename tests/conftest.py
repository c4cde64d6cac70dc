import shutil
from pathlib import Path

import pytest

from highlands import paths


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


def edit_cell(data_dir: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell (row 1 = first data row) of a CSV in a scratch data folder."""
    import csv
    path = data_dir / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
