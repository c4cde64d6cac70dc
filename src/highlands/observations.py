"""Every benchmark row as one kind of record: an observation of a measure for an entity.

The tables keep their own shapes (a rank has an edition, a milestone a date, an indicator a
unit); the verdict rule and the one-fact check need them side by side. Each table declares in
``datapackage.json`` (``"highlands": {"observation": {...}}``) which of its columns give the
entity, scope, measure, year, value, unit and qualifier, or a constant (``"=etdz"``).
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import data

COLUMNS = ["table", "row", "entity_id", "scope", "measure", "year", "value", "unit", "qualifier",
           "precision", "as_of", "source_id", "use", "note"]


def _constant_or_column(row: dict[str, str], spec: str | None, default: str = "") -> str:
    if spec is None:
        return default
    return spec[1:] if spec.startswith("=") else row.get(spec, default)


@lru_cache(maxsize=1)
def _all() -> pd.DataFrame:
    lists = {r["list_id"]: r["ranks"] for r in data.read_rows("ranking_lists")[1]}
    records = []
    for table in data.table_names():
        spec = data.rules_of(table).get("observation")
        if not spec:
            continue
        for number, row in enumerate(data.read_rows(table)[1], start=1):
            value = _constant_or_column(row, spec.get("value"))
            scope = _constant_or_column(row, spec.get("scope"))
            if scope == "ranked":
                scope = lists.get(row.get("list", ""), "")
            year = _constant_or_column(row, spec.get("year")) or value[:4]
            records.append({
                "table": table, "row": number,
                "entity_id": _constant_or_column(row, spec.get("entity")),
                "scope": scope,
                "measure": _constant_or_column(row, spec.get("measure")),
                "year": int(year) if year else None,
                "value": value,
                "unit": _constant_or_column(row, spec.get("unit")),
                "qualifier": _constant_or_column(row, spec.get("qualifier"), "exact"),
                "precision": _constant_or_column(row, spec.get("precision")),
                "as_of": row.get("as_of", ""),
                "source_id": row["source_id"],
                "use": row["use"] == "true",
                "note": row.get("note", ""),
            })
    frame = pd.DataFrame(records, columns=COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def observations(used_only: bool = True) -> pd.DataFrame:
    """All benchmark observations, one row per data row of every table that declares an observation.

    Columns: table, row (1 = first data row of that table), entity_id, scope, measure (indicator
    id, MOFCOM category, ranking list, event id …), year (data year, edition, or the year of a
    date), value (text as written: "7602.67", "1984-12"), unit (the row's unit, "rank" or
    "date"), qualifier, precision (for dates), as_of, source_id, use, note. With
    ``used_only`` (default) only the rows the book uses (use = true). Raises DataError if the
    data do not validate.
    """
    frame = _all()
    return (frame[frame["use"]] if used_only else frame).copy()
