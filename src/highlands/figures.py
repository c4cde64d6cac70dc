"""Glue numbers and figures into the book, and export each figure with its data for download.

A numbered figure is exported three times under its label (``fig-...``) into
``_build/exports/figures/``, which the build copies into the HTML: PNG and SVG with a footer
line (figure number, the book's short citation, source ids), the plotted data as CSV, and a
metadata file (``.meta.json``: title, number, units, licence, sources with their URLs, version).
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from numbers import Number

import matplotlib.pyplot as plt
import pandas as pd
from myst_nb import glue

from . import citation, data, paths
from .provenance import record_written

_figure_count: dict[int, int] = {}
# Every numbered figure of the book by name: a function returning (figure, plotted data), so that
# tests can rebuild each chart and compare what it draws with the CSV readers download.
BUILDERS: dict[str, Callable] = {}


def figure_builder(name: str) -> Callable:
    """Register a chapter function that returns (matplotlib figure, plotted data) under a figure name."""
    if not name.startswith("fig-"):
        raise ValueError(f"figure names start with 'fig-': {name!r}")

    def register(function: Callable) -> Callable:
        if name in BUILDERS and BUILDERS[name] is not function:
            raise ValueError(f"two builders for {name}")
        BUILDERS[name] = function
        function.figure_name = name
        return function
    return register


def glue_value(key: str, value) -> None:
    """Glue a number or text for use in prose; numpy and pandas scalars become plain Python.

    Raises TypeError for a boolean or None, ValueError for NaN.
    """
    if isinstance(value, bool) or value is None:
        raise TypeError(f"glue {key!r}: {value!r} is not a number or text")
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, Number):
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"glue {key!r}: value is missing (NaN)")
        value = int(value) if float(value).is_integer() and not isinstance(value, float) else value
    glue(key, value, display=False)


def _source_ids(frame: pd.DataFrame) -> list[str]:
    return sorted({s for cell in frame["source_id"].dropna().astype(str) for s in cell.split(";") if s})


def export_figure(fig, name: str, frame: pd.DataFrame, chapter: int, number: int) -> None:
    """Write figure ``chapter.number`` as PNG and SVG (with a footer), its data as CSV, and its metadata.

    ``frame`` must carry a ``source_id`` column (ids of sources.csv or ``article:<figure_id>``,
    several joined by ';'). Raises ValueError for a name not starting with 'fig-' or data
    without sources.
    """
    if not name.startswith("fig-"):
        raise ValueError(f"figure names start with 'fig-': {name!r}")
    if "source_id" not in frame.columns or frame["source_id"].isna().any():
        raise ValueError(f"{name}: every row of the exported data must name its source (source_id)")
    meta = citation.metadata()
    ids = _source_ids(frame)
    footer = (f"Figure {chapter}.{number} ({name}) · {meta['short']} · "
              f"sources: {', '.join(ids) if len(ids) <= 4 else ', '.join(ids[:4]) + f' and {len(ids) - 4} more'}")
    folder = paths.EXPORTS / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    note = fig.text(0.0, 0.0, footer, fontsize=6.5, color="#555555", ha="left", va="top",
                    transform=fig.transFigure)
    # The footer sits below the figure; bbox_inches="tight" grows the image to include it.
    note.set_y(-0.02)
    fig.savefig(folder / f"{name}.svg", metadata={"Date": None}, bbox_inches="tight")
    fig.savefig(folder / f"{name}.png", metadata={"Software": None}, bbox_inches="tight")
    note.remove()
    frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")
    sources = data.load("sources").set_index("source_id")
    title = next((ax.get_title() for ax in fig.axes if ax.get_title()), name)
    described = {
        "name": name, "number": f"{chapter}.{number}", "title": title,
        "book": meta["title"], "version": meta["version"], "released": meta["date_released"],
        "citation": f"{meta['short']}, Figure {chapter}.{number} ({name}).",
        "licence": "CC-BY-4.0", "data": f"{name}.csv", "columns": list(frame.columns),
        "units": sorted({str(u) for u in frame["unit"].dropna()}) if "unit" in frame.columns else [],
        "sources": [{"id": s, "title": sources.loc[s, "title"], "publisher": sources.loc[s, "publisher"],
                     "url": sources.loc[s, "url"]} if s in sources.index else {"id": s} for s in ids],
    }
    (folder / f"{name}.meta.json").write_text(json.dumps(described, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")
    for suffix in ("svg", "png", "csv", "meta.json"):
        record_written(folder / f"{name}.{suffix}")


def glue_figure(fig, name: str, frame: pd.DataFrame, chapter: int) -> None:
    """Export the next numbered figure of ``chapter``, glue it under ``name`` for a {glue:figure}, close it.

    Figures are numbered in the order a chapter glues them, which is the order the chapter's
    Markdown places them (a test compares the two).
    """
    _figure_count[chapter] = _figure_count.get(chapter, 0) + 1
    export_figure(fig, name, frame, chapter, _figure_count[chapter])
    glue(name, fig, display=False)
    plt.close(fig)


def plotted_values(fig) -> list[float]:
    """The data values a figure draws: line and scatter points (both coordinates) and bar lengths.

    Reference lines across the axes, text and positions on a categorical axis (one whose ticks
    carry names) are not data. Dates count by their year. Values are rounded to 6 significant
    digits, as a CSV written by pandas round-trips them.
    """
    from matplotlib import dates as mdates
    from matplotlib.collections import PathCollection
    from matplotlib.container import BarContainer

    fig.canvas.draw()  # tick labels get their text when drawn

    def numeric(axis) -> bool:
        labels = [t.get_text().replace(",", "").replace("−", "-").strip() for t in axis.get_ticklabels()]
        labels = [label for label in labels if label]
        try:
            [float(label) for label in labels]
        except ValueError:
            return False
        return bool(labels)

    def dates(axis) -> bool:
        return type(axis.get_major_formatter()).__module__ == "matplotlib.dates"

    def value(v, is_date: bool) -> float:
        return float(mdates.num2date(v).year) if is_date else float(v)

    values: set[float] = set()
    for ax in fig.axes:
        keep = [numeric(ax.xaxis) or dates(ax.xaxis), numeric(ax.yaxis) or dates(ax.yaxis)]
        is_date = [dates(ax.xaxis), dates(ax.yaxis)]
        points = [line.get_xydata() for line in ax.get_lines() if line.get_transform() == ax.transData]
        points += [c.get_offsets() for c in ax.collections
                   if isinstance(c, PathCollection) and c.get_offset_transform() == ax.transData]
        for array in points:
            values.update(value(v, d) for point in array for v, k, d in zip(point, keep, is_date) if k)
        for container in ax.containers:
            if isinstance(container, BarContainer):
                horizontal = container.orientation == "horizontal"
                values.update(float(bar.get_width() if horizontal else bar.get_height()) for bar in container)
    return sorted(float(f"{v:.6g}") for v in values if math.isfinite(v))
