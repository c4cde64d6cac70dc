"""Load the book's tables through data/datapackage.json, after checking every row.

Two layers of checks, both before any number reaches a chapter:

1. **Schema** (types, required cells, enums, patterns, primary and foreign keys), by Frictionless
   from each table's Table Schema in ``datapackage.json``.
2. **The book's rules** (quotes are verbatim, numbers appear in their evidence with the same unit,
   year and qualifier, one used row per fact …), declared per table under the custom property
   ``"highlands": {"rules": {...}}`` of ``datapackage.json`` and implemented in
   :mod:`highlands.rules`.

Any problem raises :class:`DataError` naming the file, the row (1 = first data row, on line 2)
and the column. Nothing is dropped or coerced silently. Declared corrections
(``corrections.csv``) are applied before the rules run, and a correction whose row or old value
is not there is itself an error.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from . import paths
from .provenance import not_recorded, record_read

MAX_SHOWN = 25


class DataError(ValueError):
    """A table breaks its schema or one of the book's rules (the message names file, row, column)."""


class Problems:
    """Problems found in one table, each located by file, row and column."""

    def __init__(self, path: Path):
        self.path = path
        self.items: list[str] = []

    def add(self, row: int | None, column: str | None, message: str) -> None:
        """Record a problem; ``row`` 1 is the first data row (line 2 of the file)."""
        where = [f"{self.path.parent.name}/{self.path.name}"]
        if row is not None:
            where.append(f"row {row} (line {row + 1})")
        if column is not None:
            where.append(f"column '{column}'")
        self.items.append(", ".join(where) + ": " + message)

    def raise_if_any(self) -> None:
        """Raise DataError listing (up to MAX_SHOWN of) the problems recorded."""
        if self.items:
            shown = self.items[:MAX_SHOWN]
            more = len(self.items) - len(shown)
            tail = [f"... and {more} more problems"] if more else []
            raise DataError("\n".join([f"{len(self.items)} data problem(s):", *shown, *tail]))


# ---------------------------------------------------------------------------------------------
# The package and raw rows


def _data_dir(data_dir: Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else paths.DATA


def _stamp(path: Path) -> tuple[int, int]:
    """A file's modification time and size: cached reads are keyed by it, so an edit is seen."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=8)
def _package(data_dir: Path, stamp: tuple[int, int]) -> dict:
    path = data_dir / "datapackage.json"
    record_read(path)
    return json.loads(path.read_text(encoding="utf-8"))


def package(data_dir: Path | None = None) -> dict:
    """The data package descriptor (``data/datapackage.json``) as a dict."""
    data_dir = _data_dir(data_dir)
    return _package(data_dir, _stamp(data_dir / "datapackage.json"))


def resource(name: str, data_dir: Path | None = None) -> dict:
    """The descriptor of one table. Raises DataError if the package has no such table."""
    for res in package(data_dir)["resources"]:
        if res["name"] == name:
            return res
    raise DataError(f"data/datapackage.json: no table named '{name}'")


def table_names(data_dir: Path | None = None) -> list[str]:
    """Names of every table in the package, in the package's order."""
    return [res["name"] for res in package(data_dir)["resources"]]


def rules_of(name: str, data_dir: Path | None = None) -> dict:
    """The book's declared rules for a table (``"highlands"`` property of its resource)."""
    return resource(name, data_dir).get("highlands", {})


@lru_cache(maxsize=1)
def article_text() -> str:
    """The article, verbatim (``data/raw/article.txt``)."""
    record_read(paths.ARTICLE)
    return paths.ARTICLE.read_text(encoding="utf-8")


def read_rows(name: str, data_dir: Path | None = None) -> tuple[Path, list[dict[str, str]]]:
    """The rows of a table as text (a dict per row), with declared corrections applied.

    Checks only what reading needs: the file exists, its header matches the schema in order, and
    every row has as many cells as the header. Raises DataError otherwise.
    """
    return _read_rows(name, _data_dir(data_dir))


def _read_rows(name: str, data_dir: Path) -> tuple[Path, list[dict[str, str]]]:
    path = data_dir / resource(name, data_dir)["path"]
    if not path.exists():
        problems = Problems(path)
        problems.add(None, None, "file is missing")
        problems.raise_if_any()
    corrections = data_dir / resource("corrections", data_dir)["path"]
    return _read_rows_cached(name, data_dir, _stamp(path), _stamp(corrections) if corrections.exists() else None,
                             _stamp(data_dir / "datapackage.json"))


@cache
def _read_rows_cached(name: str, data_dir: Path, *stamps) -> tuple[Path, list[dict[str, str]]]:
    res = resource(name, data_dir)
    path = data_dir / res["path"]
    problems = Problems(path)
    record_read(path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        body = list(reader)
    expected = [f["name"] for f in res["schema"]["fields"]]
    for column in expected:
        if column not in header:
            problems.add(None, column, "column is missing from the header")
    for column in header:
        if column not in expected:
            problems.add(None, column, "column is not in the schema (data/datapackage.json)")
    if header != expected and not problems.items:
        problems.add(None, None, f"columns are out of order; expected {expected}")
    problems.raise_if_any()
    rows = []
    for number, cells in enumerate(body, start=1):
        if len(cells) != len(header):
            problems.add(number, None, f"has {len(cells)} cells, the header has {len(header)}")
            continue
        rows.append(dict(zip(header, cells)))
    problems.raise_if_any()
    if name != "corrections":
        rows = _apply_corrections(name, path, rows, data_dir)
    return path, rows


def row_key(name: str, row: dict[str, str], data_dir: Path | None = None) -> str:
    """A row's primary key as one string, '|'-joined (as corrections.csv and conflicts.csv write it)."""
    return "|".join(row[k] for k in resource(name, data_dir)["schema"]["primaryKey"])


def fact_key(name: str, row: dict[str, str], data_dir: Path | None = None) -> str:
    """The fact a row gives, '|'-joined from the table's declared ``factKey`` columns."""
    return "|".join(row[k] for k in rules_of(name, data_dir)["factKey"])


def _apply_corrections(name: str, path: Path, rows: list[dict[str, str]], data_dir: Path) -> list[dict[str, str]]:
    corrections_path, corrections = _read_rows("corrections", data_dir)
    mine = [(n, c) for n, c in enumerate(corrections, start=1) if c["table"] == name]
    if not mine:
        return rows
    problems = Problems(corrections_path)
    rows = [dict(row) for row in rows]
    by_key = {row_key(name, row, data_dir): row for row in rows}
    for number, correction in mine:
        target = by_key.get(correction["row_key"])
        if target is None:
            problems.add(number, "row_key", f"{correction['row_key']!r} matches no row of {path.name}")
        elif correction["column"] not in target:
            problems.add(number, "column", f"{correction['column']!r} is not a column of {path.name}")
        elif target[correction["column"]] != correction["old_value"]:
            problems.add(number, "old_value", f"{path.name} has {target[correction['column']]!r} there, "
                                              f"not {correction['old_value']!r}")
        else:
            target[correction["column"]] = correction["new_value"]
    problems.raise_if_any()
    return rows


# ---------------------------------------------------------------------------------------------
# Validation


_ROW_AT = re.compile(r'for "([^"]+)"')


def _check_schema(name: str, data_dir: Path, problems: Problems) -> None:
    """Types, constraints and keys by Frictionless, reported as file/row/column problems."""
    from frictionless import Resource, system

    res = dict(resource(name, data_dir))
    res.pop("highlands", None)
    with system.use_context(trusted=True):
        resource_ = Resource(res, basepath=str(data_dir))
        if res["schema"].get("foreignKeys"):
            from frictionless import Package
            descriptor = dict(package(data_dir))
            descriptor["resources"] = [{k: v for k, v in r.items() if k != "highlands"}
                                       for r in descriptor["resources"]]
            resource_ = Package(descriptor, basepath=str(data_dir)).get_resource(name)
        report = resource_.validate(limit_errors=1000)
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            row = row - 1 if row else None
            column = getattr(error, "field_name", None)
            cell = getattr(error, "cell", None)
            if error.type == "type-error":
                field = next(f for f in res["schema"]["fields"] if f["name"] == column)
                kind = {"number": "a plain number (digits and one decimal point, no separators)",
                        "integer": "an integer", "boolean": "true or false", "date": "a date (YYYY-MM-DD)"}
                problems.add(row, column, f"{cell!r} is not {kind.get(field['type'], field['type'])}")
            elif error.type == "constraint-error":
                constraint = re.sub(r'^constraint "([a-zA-Z]+)" is ', r"\1 ", error.note)
                if error.note.startswith('constraint "required"'):
                    problems.add(row, column, "is required but empty")
                elif error.note.startswith('constraint "enum"'):
                    allowed = res["schema"]["fields"][[f["name"] for f in res["schema"]["fields"]].index(column)]
                    problems.add(row, column, f"{cell!r} is not one of {allowed['constraints']['enum']}")
                else:
                    problems.add(row, column, f"{cell!r} breaks the {constraint}")
            elif error.type == "unique-error":
                first = re.search(r"position (\d+)", error.note)
                problems.add(row, column, f"{cell!r} repeats row {int(first.group(1)) - 1 if first else '?'}")
            elif error.type == "primary-key":
                first = re.search(r"position (\d+)", error.note)
                key = "+".join(res["schema"]["primaryKey"])
                problems.add(row, key, f"duplicate key (first at row {int(first.group(1)) - 1 if first else '?'})")
            elif error.type == "foreign-key":
                field = _ROW_AT.search(error.note)
                values = re.search(r'values "([^"]*)" not found in the lookup table "([^"]+)"', error.note)
                where = field.group(1) if field else None
                if values:
                    problems.add(row, where, f"{values.group(1)!r} is not in {values.group(2)}.csv")
                else:
                    problems.add(row, where, error.note)
            elif error.type in ("blank-row",):
                problems.add(row, None, "is blank")
            else:
                problems.add(row, column, f"{error.type}: {error.note}")


def _check_plain_cells(name: str, rows: list[dict[str, str]], data_dir: Path, problems: Problems) -> None:
    """What Frictionless accepts but the book does not: padded cells, numbers with exponents or NaN."""
    fields = resource(name, data_dir)["schema"]["fields"]
    plain_number = re.compile(r"^-?\d+(\.\d+)?$")
    for number, row in enumerate(rows, start=1):
        for field in fields:
            text = row[field["name"]]
            if text != text.strip():
                problems.add(number, field["name"], f"{text!r} has leading or trailing spaces")
            elif field["type"] == "number" and text and not plain_number.match(text):
                problems.add(number, field["name"],
                             f"{text!r} is not a plain number (digits and one decimal point, no separators)")


def validate(name: str, data_dir: Path | None = None) -> list[dict[str, str]]:
    """Check one table (schema, then the book's rules); return its rows as text.

    Raises DataError listing every problem with file, row and column. ``data_dir`` points at
    another copy of ``data/`` (the tests break scratch copies).
    """
    from . import rules

    rows, problems = _check_form(name, _data_dir(data_dir))
    if not problems.items:
        rules.check(name, rows, problems, _data_dir(data_dir))
    problems.raise_if_any()
    return rows


def _check_form(name: str, data_dir: Path) -> tuple[list[dict[str, str]], Problems]:
    """The table's rows and the problems of its form: plain cells, then the schema (Frictionless)."""
    path, rows = _read_rows(name, data_dir)
    problems = Problems(path)
    _check_plain_cells(name, rows, data_dir, problems)
    if not problems.items:
        _check_schema(name, data_dir, problems)
    return rows, problems


def _fingerprint(data_dir: Path) -> str:
    """A hash of every file the checks read (tables, package, article, the rules' code)."""
    digest = hashlib.sha256()
    files = sorted(data_dir.glob("*.csv")) + [data_dir / "datapackage.json", paths.ARTICLE]
    files += sorted((Path(__file__).parent).glob("*.py"))
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def validate_package(data_dir: Path | None = None) -> None:
    """Check every table's form (plain cells, schema), then, when all are well formed, every
    table's rules; raise DataError with all problems of all tables, each with file, row and column.

    A successful check of the default ``data/`` is remembered under ``_build/validated/`` by the
    hash of the data, the article and this package's code, so notebooks after the first do not
    repeat it; any change to those files makes the check run again. Its reads are not logged as
    a notebook's dependencies (the executor runs this check before any notebook).
    """
    marker = None
    if data_dir is None:
        marker = paths.ROOT / "_build" / "validated" / _fingerprint(paths.DATA)
        if marker.exists():
            return
    from . import rules

    errors = []
    with not_recorded():  # pass or fail only: see highlands.provenance
        # Every table's form first: the rules of one table read others (a conflict reads the
        # values it compares), and must not meet a value that is not a number.
        forms = {name: _check_form(name, _data_dir(data_dir)) for name in table_names(data_dir)}
        if not any(problems.items for _, problems in forms.values()):
            for name, (rows, problems) in forms.items():
                rules.check(name, rows, problems, _data_dir(data_dir))
        for _, problems in forms.values():
            try:
                problems.raise_if_any()
            except DataError as error:
                errors.append(str(error))
    if errors:
        raise DataError("\n".join(errors))
    if marker is not None:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()


# ---------------------------------------------------------------------------------------------
# Typed tables for the chapters


def _convert(name: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    fields = resource(name)["schema"]["fields"]
    frame = pd.DataFrame(rows, columns=[f["name"] for f in fields], dtype="string")
    for field in fields:
        column = field["name"]
        blank = frame[column] == ""
        if field["type"] == "integer":
            frame[column] = pd.array([None if b else int(v) for v, b in zip(frame[column], blank)], dtype="Int64")
        elif field["type"] == "number":
            frame[column] = pd.array([None if b else float(v) for v, b in zip(frame[column], blank)], dtype="Float64")
        elif field["type"] == "boolean":
            frame[column] = frame[column] == "true"
        else:
            frame[column] = frame[column].where(~blank, pd.NA)
    return frame


def load(name: str) -> pd.DataFrame:
    """A validated table as a DataFrame: integers as Int64, numbers as Float64, empty text as <NA>.

    The whole package is validated first (see :func:`validate_package`): a bad row anywhere stops
    every chapter with its file, row and column. Tables that declare a value in a unit
    (``"valueInUnit"`` in datapackage.json: zone_indicators, etdz_national_totals) gain
    ``quantity``, ``base_unit`` and
    ``value_base`` (the value in the base unit of ``units.csv``, e.g. 7603 亿元 ->
    760,300,000,000 CNY). Raises DataError.
    """
    return _load_cached(name).copy()


@cache
def _load_cached(name: str) -> pd.DataFrame:
    validate_package()
    frame = _convert(name, read_rows(name)[1])
    declared = rules_of(name).get("valueInUnit")
    if declared:
        frame = _with_base_units(frame, declared["value"], declared["unit"])
    return frame


def _with_base_units(frame: pd.DataFrame, value: str, unit: str) -> pd.DataFrame:
    """Add base_unit, quantity and value_base (value × the unit's factor from units.csv)."""
    units = _load_cached("units").set_index("unit")
    factor = frame[unit].map(units["factor"])
    frame["base_unit"] = frame[unit].map(units["base_unit"])
    frame["quantity"] = frame[unit].map(units["quantity"])
    frame["value_base"] = frame[value] * factor
    return frame


def unused_sources(data_dir: Path | None = None) -> list[str]:
    """Source ids that no table cites (sources.csv rows with no data row, check or log)."""
    cited: set[str] = set()
    for name in table_names(data_dir):
        if name == "sources":
            continue
        _, rows = read_rows(name, data_dir)
        for row in rows:
            for column in ("source_id", "used_source_id"):
                if row.get(column):
                    cited.add(row[column])
    _, sources = read_rows("sources", data_dir)
    return [s["source_id"] for s in sources if s["source_id"] not in cited]
