"""Tables for readers: one formatter for every table the book shows.

English headers with units, no index column, numbers with thousands separators and their
qualifier ("3,500+", "≤ 12"), "—" for a missing cell, entity names instead of ids, values in the
book's display units, dates at their precision, and each source id a link to its entry on the
sources page. The notebook shows the table as HTML; ``ReaderTable.frame`` holds the same cells as
text for tests and downloads.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import pandas as pd

from . import colours, formatting
from .verdicts import LABELS

# Every page that shows a table lives one folder below the book's root (notebooks/, book/).
SOURCES_PAGE = "../book/sources.html"


@dataclass
class Column:
    """One column of a reader table.

    ``header`` is shown as is (put the unit in it: "Output (亿元)"). ``source`` is a column name,
    or a function of the row returning text. ``kind`` decides the formatting: text, number,
    year, figure (``source`` is (value, unit, qualifier) column names; shown in the display
    unit), entity (an entity id shown by name), source (source ids, ';'-separated, linked), date
    (at its precision), verdict (a verdict code shown in words), quote (long text that wraps).
    """

    header: str
    source: str | tuple[str, str, str] | Callable[[pd.Series], str]
    kind: str = "text"
    decimals: int | None = None


def _cell(row: pd.Series, column: Column) -> tuple[str, str]:
    """(text, html) of one cell."""
    if callable(column.source):
        text = column.source(row)
        return (formatting.MISSING, formatting.MISSING) if text is None or text == "" else (str(text), escape(str(text)))
    if column.kind == "figure":
        value, unit, qualifier = (row[c] for c in column.source)
        text = formatting.figure(value, unit, qualifier if pd.notna(qualifier) else "exact", column.decimals)
        return text, escape(text)
    value = row[column.source]
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) or value == "":
        return formatting.MISSING, formatting.MISSING
    if column.kind == "number":
        text = formatting.number(float(value), column.decimals)
    elif column.kind == "year":
        text = str(int(value))
    elif column.kind == "entity":
        text = colours.name(value)
    elif column.kind == "date":
        text = formatting.date_at_precision(str(value))
    elif column.kind == "verdict":
        text = LABELS.get(value, str(value))
        return text, f'<span class="verdict verdict-{escape(value).replace("_", "-")}">{escape(text)}</span>'
    elif column.kind == "source":
        ids = [s for s in str(value).split(";") if s]
        # "article:<id>" is the article itself (cited on every chapter page), not a sources-page entry.
        links = ", ".join("the article" if s.startswith("article:") else
                          f'<a href="{SOURCES_PAGE}#src-{escape(s)}">{escape(s)}</a>' for s in ids)
        return ", ".join(ids), f'<span class="source-ids">{links}</span>'
    else:
        text = str(value)
    return text, escape(text)


class ReaderTable:
    """A formatted table: shows as HTML in a notebook and in the book; ``frame`` holds the text."""

    def __init__(self, rows: list[list[tuple[str, str]]], columns: list[Column], caption: str = ""):
        self.columns = columns
        self.caption = caption
        self.frame = pd.DataFrame([[text for text, _ in row] for row in rows],
                                  columns=[c.header for c in columns])
        self._html_rows = [[html for _, html in row] for row in rows]

    def _repr_html_(self) -> str:
        head = "".join(f"<th scope=\"col\">{escape(c.header)}</th>" for c in self.columns)
        kinds = [c.kind for c in self.columns]
        body = "".join(
            "<tr>" + "".join(f'<td class="kind-{k}">{cell}</td>' for k, cell in zip(kinds, row)) + "</tr>"
            for row in self._html_rows)
        caption = f"<caption>{escape(self.caption)}</caption>" if self.caption else ""
        return (f'<div class="reader-table-wrap" tabindex="0" role="region" aria-label="{escape(self.caption or "table")}">'
                f'<table class="reader-table">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')

    def __repr__(self) -> str:
        """The table as plain text (what a notebook stores beside the HTML; no memory address, so
        re-running gives the same output)."""
        return (self.caption + "\n" if self.caption else "") + self.frame.to_string(index=False)

    def __len__(self) -> int:
        return len(self.frame)



def reader_table(frame: pd.DataFrame, columns: list[Column], caption: str = "") -> ReaderTable:
    """Format ``frame`` for readers with the given columns (see :class:`Column`).

    Rows keep the frame's order. Raises KeyError when a column names a field the frame lacks.
    """
    for column in columns:
        names = column.source if isinstance(column.source, tuple) else (column.source,)
        for name in names:
            if isinstance(name, str) and name not in frame.columns:
                raise KeyError(f"reader table: no column {name!r} (has {list(frame.columns)})")
    rows = [[_cell(row, column) for column in columns] for _, row in frame.iterrows()]
    return ReaderTable(rows, columns, caption)
