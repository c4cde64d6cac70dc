"""The article's figures, written with their qualifiers kept ("3,500+", not "3,500")."""
from __future__ import annotations

import pandas as pd

from .data import load

# How each qualifier is written next to a number; a lower bound stays a lower bound in prose.
_MARKS = {"exact": ("", ""), "lower_bound": ("", "+"), "approximate": ("about ", ""),
          "upper_bound": ("under ", "")}


def format_number(value: float) -> str:
    """1234.5 -> '1,234.5'; 7603.0 -> '7,603' (no rounding: the value is shown as stated)."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text


def format_figure(row: pd.Series) -> str:
    """A seed-figure row as prose: '3,500+ 家', 'about 1,000 亿元', or 'no figure given'."""
    if row["qualifier"] == "qualitative":
        return "no figure given"
    before, after = _MARKS[row["qualifier"]]
    return f"{before}{format_number(float(row['value']))}{after} {row['unit']}".strip()


def article_figures(highland: int) -> pd.DataFrame:
    """The article's figures for one highland (0 = preamble), with a 'stated' column for display."""
    seed = load("seed_figures")
    rows = seed[seed["highland"] == highland].copy()
    rows["stated"] = [format_figure(row) for _, row in rows.iterrows()]
    return rows


def claims_table(highland: int) -> pd.DataFrame:
    """The table each chapter shows under 'The claim'."""
    rows = article_figures(highland)
    table = rows[["figure_id", "indicator_en", "stated", "data_year", "quote"]]
    return table.rename(columns={"figure_id": "id", "indicator_en": "indicator", "data_year": "year",
                                 "quote": "article (verbatim)"}).reset_index(drop=True)
