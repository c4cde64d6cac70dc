"""Numbers, units and dates as a reader sees them.

The data keep each source's own unit (億元, 억 달러, billion yuan …); readers see one vocabulary:
money in 亿元 or 亿美元, land in km², floor area in 万m², counts as plain numbers with the noun
in the header. Qualifiers stay visible: "3,500+" (at least), "≤ 12" (at most), "≈ 40" (about),
"1,000-class" (级). Nothing is rounded unless asked.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import data

MISSING = "—"
_BEFORE = {"exact": "", "lower_bound": "", "upper_bound": "≤ ", "approximate": "≈ ", "class": "", "qualitative": ""}
_AFTER = {"exact": "", "lower_bound": "+", "upper_bound": "", "approximate": "", "class": "-class", "qualitative": ""}


def number(value: float, decimals: int | None = None) -> str:
    """1234.5 -> '1,234.5'; 7603.0 -> '7,603'; with ``decimals`` rounded to that many places."""
    if value is None or pd.isna(value):
        return MISSING
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def with_qualifier(value: float, qualifier: str, decimals: int | None = None) -> str:
    """A number with its qualifier: '3,500+', '≤ 12', '≈ 40', '1,000-class', '7,603'."""
    if value is None or pd.isna(value):
        return MISSING
    return f"{_BEFORE.get(qualifier, '')}{number(value, decimals)}{_AFTER.get(qualifier, '')}"


@lru_cache(maxsize=1)
def _units() -> dict[str, dict]:
    quantities = {q["quantity"]: q for q in data.read_rows("quantities")[1]}
    units = {}
    for u in data.read_rows("units")[1]:
        quantity = quantities[u["quantity"]]
        units[u["unit"]] = {"factor": float(u["factor"]), "display_unit": quantity["display_unit"],
                            "display_factor": float(quantity["display_factor"]), "quantity": u["quantity"]}
    return units


def in_display_unit(value: float, unit: str) -> tuple[float, str]:
    """A value in the source's unit converted to the book's display unit.

    Returns (value, display unit); counts keep their value and get an empty unit (the header
    names the noun). Units not in units.csv (the article's 个, 名次 …) pass through unchanged.
    """
    spec = _units().get(unit)
    if spec is None or pd.isna(value):
        return value, unit
    if not spec["display_unit"]:
        return value * spec["factor"], ""
    return value * spec["factor"] / spec["display_factor"], spec["display_unit"]


def figure(value: float, unit: str, qualifier: str = "exact", decimals: int | None = None) -> str:
    """A figure in the display unit with its qualifier: '7,602.67 亿元', '3,500+ enterprises' -> '3,500+'."""
    shown, display_unit = in_display_unit(value, unit)
    text = with_qualifier(float(shown), qualifier, decimals)
    return f"{text} {display_unit}".strip()


SCOPES = {"etdz": "ETDZ", "high_tech_zone": "high-tech zone", "zone_and_district": "zone and district",
          "new_area": "new area"}


def scope(code: str) -> str:
    """A scope code in words: 'etdz' -> 'ETDZ', 'zone_and_district' -> 'zone and district'."""
    return SCOPES.get(code, str(code).replace("_", " "))


def date_at_precision(text: str) -> str:
    """'1984-12' -> 'Dec 1984', '2010-06-30' -> '30 Jun 2010', '1984' -> '1984'."""
    if text is None or pd.isna(text) or not text:
        return MISSING
    parts = str(text).split("-")
    stamp = pd.Timestamp(str(text) + ("-01" * (3 - len(parts))))
    return {1: f"{stamp:%Y}", 2: f"{stamp:%b %Y}", 3: f"{stamp.day} {stamp:%b %Y}"}[len(parts)]


def bounded(value: float, label: str, decimals: int = 1, short: bool = False) -> str:
    """A derived number with its bound label (:class:`highlands.bounds.Derived`'s ``label``).

    Long form: 'at least 8.3', 'at most 10.9', '8.9 (indicative)', '6.0'; ``short`` for chart
    labels: '≥ 8.3', '≤ 10.9', '8.9 (indicative)'. Raises KeyError for an unknown label.
    """
    text = number(value, decimals)
    prefix = {"exact": "", "at least": "≥ " if short else "at least ", "at most": "≤ " if short else "at most ",
              "indicative": ""}[label]
    return f"{prefix}{text}" + (" (indicative)" if label == "indicative" else "")
