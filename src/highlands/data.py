"""Load the book's tables through their schema in data/datapackage.json.

Every table is read as text first, checked field by field against its Table Schema, then against
the book's own rules (quotes are verbatim, numbers appear in their source's excerpt), and only then
converted. Any problem raises DataError naming the file, the row and the column: nothing is dropped
or coerced silently.
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths
from .numerals import list_position, value_in_text
from .provenance import record_read

MAX_SHOWN = 25


class DataError(ValueError):
    """A table breaks its schema or a sourcing rule."""


class _Problems:
    def __init__(self, path: Path):
        self.path = path
        self.items: list[str] = []

    def add(self, row: int | None, column: str | None, message: str) -> None:
        where = [f"{self.path.parent.name}/{self.path.name}"]
        if row is not None:
            # Row 1 is the first data row, on line 2 of the file (line 1 is the header).
            where.append(f"row {row} (line {row + 1})")
        if column is not None:
            where.append(f"column '{column}'")
        self.items.append(", ".join(where) + ": " + message)

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_SHOWN]
            more = len(self.items) - len(shown)
            tail = [f"... and {more} more problems"] if more else []
            raise DataError("\n".join([f"{len(self.items)} data problem(s):", *shown, *tail]))


@lru_cache(maxsize=1)
def package() -> dict:
    record_read(paths.DATAPACKAGE)
    return json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))


def resource(name: str) -> dict:
    for res in package()["resources"]:
        if res["name"] == name:
            return res
    raise DataError(f"data/datapackage.json: no table named '{name}'")


def table_names() -> list[str]:
    return [res["name"] for res in package()["resources"]]


@lru_cache(maxsize=1)
def article_text() -> str:
    record_read(paths.ARTICLE)
    return paths.ARTICLE.read_text(encoding="utf-8")


def read_rows(name: str, data_dir: Path | None = None) -> tuple[Path, list[dict[str, str]]]:
    """The rows of a table as strings, after checking the header against the schema."""
    res = resource(name)
    path = (data_dir or paths.DATA) / res["path"]
    problems = _Problems(path)
    if not path.exists():
        problems.add(None, None, "file is missing")
        problems.raise_if_any()
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
    return path, rows


_INT = re.compile(r"^-?\d+$")
_NUM = re.compile(r"^-?\d+(\.\d+)?$")


def _check_field(field: dict, text: str) -> str | None:
    """Problem with one cell, or None."""
    constraints = field.get("constraints", {})
    if text == "":
        return "is required but empty" if constraints.get("required") else None
    if text != text.strip():
        return f"{text!r} has leading or trailing spaces"
    kind = field["type"]
    if kind == "integer" and not _INT.match(text):
        return f"{text!r} is not an integer"
    if kind == "number" and not _NUM.match(text):
        return f"{text!r} is not a plain number (digits and one decimal point, no separators)"
    if kind == "boolean" and text not in ("true", "false"):
        return f"{text!r} is not true or false"
    if kind == "date":
        try:
            date.fromisoformat(text)
        except ValueError:
            return f"{text!r} is not a date (YYYY-MM-DD)"
    if "enum" in constraints and text not in constraints["enum"]:
        return f"{text!r} is not one of {constraints['enum']}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return f"{text!r} does not match the pattern {constraints['pattern']}"
    if kind in ("integer", "number"):
        number = float(text)
        if "minimum" in constraints and number < constraints["minimum"]:
            return f"{text} is below the minimum {constraints['minimum']}"
        if "maximum" in constraints and number > constraints["maximum"]:
            return f"{text} is above the maximum {constraints['maximum']}"
    return None


def _check_schema(name: str, path: Path, rows: list[dict[str, str]], problems: _Problems,
                  data_dir: Path | None) -> None:
    schema = resource(name)["schema"]
    for field in schema["fields"]:
        seen: dict[str, int] = {}
        for number, row in enumerate(rows, start=1):
            problem = _check_field(field, row[field["name"]])
            if problem:
                problems.add(number, field["name"], problem)
            if field.get("constraints", {}).get("unique") and row[field["name"]]:
                if row[field["name"]] in seen:
                    problems.add(number, field["name"],
                                 f"{row[field['name']]!r} repeats row {seen[row[field['name']]]}")
                seen.setdefault(row[field["name"]], number)
    key = schema.get("primaryKey", [])
    first: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=1):
        value = tuple(row[k] for k in key)
        if value in first:
            problems.add(number, "+".join(key), f"duplicate key {value} (first at row {first[value]})")
        first.setdefault(value, number)
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"]["resource"]
        _, target_rows = read_rows(target, data_dir)
        known = {r[fk["reference"]["fields"]] for r in target_rows}
        for number, row in enumerate(rows, start=1):
            if row[fk["fields"]] and row[fk["fields"]] not in known:
                problems.add(number, fk["fields"], f"{row[fk['fields']]!r} is not in {target}.csv")


# Which column holds the figure that must appear in the evidence.
_FIGURE_COLUMN = {"zone_indicators": "value", "etdz_national_totals": "value",
                  "mofcom_etdz_ranking": "rank", "district_rankings": "rank"}
# Tables whose fact is a date: sources giving one fact are compared on it.
_DATE_COLUMN = {"first_batch_etdz": "approval_date", "milestones": "date"}
# The columns that name one fact; sources giving the same fact must agree on which one is used.
_FACT_KEY = {
    "zone_indicators": ["entity_id", "scope", "indicator", "data_year"],
    "etdz_national_totals": ["data_year", "indicator"],
    "mofcom_etdz_ranking": ["edition", "category", "zone_zh"],
    "district_rankings": ["list", "edition", "district_zh"],
    "first_batch_etdz": ["zone_zh"],
    "milestones": ["entity_id", "kind", "event_en"],
}


def _check_rules(name: str, rows: list[dict[str, str]], problems: _Problems,
                 data_dir: Path | None) -> None:
    if name == "seed_figures":
        article = article_text()
        for number, row in enumerate(rows, start=1):
            if row["quote"] not in article:
                problems.add(number, "quote", "is not a verbatim part of data/raw/article.txt")
            if (row["value"] == "") != (row["qualifier"] == "qualitative"):
                problems.add(number, "value", "must be empty exactly when the qualifier is qualitative")
            if row["value"] and not value_in_text(row["value"], row["quote"]):
                problems.add(number, "value", f"{row['value']} does not appear in the quote")
    if name == "article_non_figures":
        article = article_text()
        for number, row in enumerate(rows, start=1):
            if row["quote"] not in article:
                problems.add(number, "quote", "is not a verbatim part of data/raw/article.txt")
            if row["numeral"] not in row["quote"]:
                problems.add(number, "numeral", f"{row['numeral']!r} is not in the quote")
    if "evidence" in rows[0] if rows else False:
        _, sources = read_rows("sources", data_dir)
        excerpts = {s["source_id"]: s["excerpt"] for s in sources}
        figure = _FIGURE_COLUMN.get(name)
        for number, row in enumerate(rows, start=1):
            excerpt = excerpts.get(row["source_id"])
            if excerpt is None:
                continue  # reported by the foreign-key check
            if row["evidence"] not in excerpt:
                problems.add(number, "evidence", f"is not a verbatim part of the excerpt of {row['source_id']}")
            if figure and row[figure] and not value_in_text(row[figure], row["evidence"]):
                place = list_position(row.get("district_zh") or row.get("zone_zh") or "", row["evidence"])
                if figure != "rank" or place != int(row[figure]):
                    problems.add(number, figure, f"{row[figure]} does not appear in the evidence"
                                 + (" nor is it the place in an ordered list" if figure == "rank" else ""))
            if name == "mofcom_etdz_ranking" and row["zones_evaluated"] and not value_in_text(
                    row["zones_evaluated"], excerpt):
                problems.add(number, "zones_evaluated",
                             f"{row['zones_evaluated']} does not appear in the excerpt of {row['source_id']}")
            if name == "first_batch_etdz" and row["approval_date"][:4] not in excerpt:
                problems.add(number, "approval_date",
                             f"year {row['approval_date'][:4]} does not appear in the excerpt of {row['source_id']}")
            if name == "milestones" and not value_in_text(row["date"][:4], row["evidence"]):
                problems.add(number, "date", f"year {row['date'][:4]} does not appear in the evidence")
    if name == "claim_checks":
        _check_claim_rows(rows, problems, data_dir)
    if name in _FACT_KEY:
        groups: dict[tuple, list[int]] = defaultdict(list)
        for number, row in enumerate(rows, start=1):
            groups[tuple(row[k] for k in _FACT_KEY[name])].append(number)
        figure = _FIGURE_COLUMN.get(name) or _DATE_COLUMN[name]
        for key, numbers in groups.items():
            used = [n for n in numbers if rows[n - 1]["use"] == "true"]
            if len(used) != 1:
                problems.add(numbers[0], "use", f"{len(used)} rows of {key} have use=true; exactly one must")
                continue
            values = {rows[n - 1][figure] for n in numbers}
            if len(values) > 1 and not rows[used[0] - 1]["note"]:
                problems.add(used[0], "note", f"sources disagree on {key}: say why this version is used")


def _check_claim_rows(rows: list[dict[str, str]], problems: _Problems, data_dir: Path | None) -> None:
    """Each check points at exactly one row of a benchmark table, by its key and source, and all
    checks of one figure give the same verdict (the ledger and the intro count one per figure)."""
    first_verdict: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        verdict = first_verdict.setdefault(row["figure_id"], row["verdict"])
        if row["verdict"] != verdict:
            problems.add(number, "verdict", f"{row['figure_id']} already has verdict {verdict!r}; "
                                            "one figure, one verdict")
        filled = [bool(row[c]) for c in ("table", "key", "source_id")]
        if any(filled) and not all(filled):
            problems.add(number, "key", "table, key and source_id go together: give all three or none")
            continue
        if not row["table"]:
            if row["verdict"] != "not_verifiable":
                problems.add(number, "verdict", "a verdict other than not_verifiable needs an independent row")
            continue
        _, target = read_rows(row["table"], data_dir)
        matches = [r for r in target if "|".join(r[k] for k in _FACT_KEY[row["table"]]) == row["key"]
                   and r["source_id"] == row["source_id"]]
        if len(matches) != 1:
            problems.add(number, "key", f"{row['key']!r} with source {row['source_id']} matches "
                                        f"{len(matches)} rows of {row['table']}.csv, not one")


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


def validate(name: str, data_dir: Path | None = None) -> list[dict[str, str]]:
    """Check one table; raise DataError listing every problem. Returns the rows as text."""
    path, rows = read_rows(name, data_dir)
    problems = _Problems(path)
    _check_schema(name, path, rows, problems, data_dir)
    if not problems.items:
        _check_rules(name, rows, problems, data_dir)
    problems.raise_if_any()
    return rows


def load(name: str) -> pd.DataFrame:
    """A validated table as a DataFrame (integers as Int64, numbers as Float64)."""
    return _load_cached(name).copy()


@lru_cache(maxsize=None)
def _load_cached(name: str) -> pd.DataFrame:
    frame = _convert(name, validate(name))
    if name in ("zone_indicators", "etdz_national_totals"):
        frame = _with_base_units(frame)
    return frame


def _with_base_units(frame: pd.DataFrame) -> pd.DataFrame:
    """Add value_base and base_unit (e.g. 7603 亿元 -> 760,300,000,000 CNY) from units.csv."""
    units = _load_cached("units").set_index("unit")
    factor = frame["unit"].map(units["factor"])
    frame["base_unit"] = frame["unit"].map(units["base_unit"])
    frame["quantity"] = frame["unit"].map(units["quantity"])
    frame["value_base"] = frame["value"] * factor
    return frame


def unused_sources(data_dir: Path | None = None) -> list[str]:
    """Source ids that no table cites."""
    cited: Counter = Counter()
    for name in table_names():
        _, rows = read_rows(name, data_dir)
        for row in rows:
            if "source_id" in row and name != "sources":
                cited[row["source_id"]] += 1
    _, sources = read_rows("sources", data_dir)
    return [s["source_id"] for s in sources if not cited[s["source_id"]]]
