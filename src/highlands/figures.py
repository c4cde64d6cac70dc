"""Glue numbers and figures into the book, and export each figure for readers to download."""
from __future__ import annotations

import json
import math
from numbers import Number

import matplotlib.pyplot as plt
import pandas as pd
from myst_nb import glue

from . import paths
from .provenance import record_written


def glue_value(key: str, value) -> None:
    """Glue a number or text for use in prose; numpy and pandas scalars become plain Python."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"glue {key!r}: {value!r} is not a number or text")
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, Number):
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"glue {key!r}: value is missing (NaN)")
        value = int(value) if float(value).is_integer() and not isinstance(value, float) else value
    glue(key, value, display=False)


def export_figure(fig, name: str, data: pd.DataFrame) -> None:
    """Write the figure as PNG and SVG, and the plotted data as CSV, under a stable name.

    ``name`` is the figure's label (``fig-...``); the files land in _build/exports/figures/ and
    the build copies them to figures/ in the HTML, where each figure links to them.
    """
    if not name.startswith("fig-"):
        raise ValueError(f"figure names start with 'fig-': {name!r}")
    if "source_id" not in data.columns:
        raise ValueError(f"{name}: the exported data must carry a source_id column")
    folder = paths.EXPORTS / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    fig.savefig(folder / f"{name}.svg", metadata={"Date": None}, bbox_inches="tight")
    fig.savefig(folder / f"{name}.png", metadata={"Software": None}, bbox_inches="tight")
    data.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")
    for suffix in ("svg", "png", "csv"):
        record_written(folder / f"{name}.{suffix}")
    # What the chart actually draws, for the test that the CSV holds exactly the plotted data.
    paths.PLOTTED.mkdir(parents=True, exist_ok=True)
    # savefig has just drawn the figure, so its tick labels are set: no need to draw again.
    (paths.PLOTTED / f"{name}.json").write_text(json.dumps(plotted_values(fig, drawn=True)), encoding="utf-8")
    record_written(paths.PLOTTED / f"{name}.json")


def plotted_values(fig, drawn: bool = False) -> list[float]:
    """The data values a figure draws: line and scatter points (both coordinates) and bar lengths.

    Reference lines drawn across the axes (axhline) and text are not data points, nor are the
    positions on a categorical axis (one whose ticks carry names, not numbers). Values are
    rounded to 6 significant digits, as a CSV written by pandas would round-trip them.
    """
    from matplotlib import dates as mdates
    from matplotlib.collections import PathCollection
    from matplotlib.container import BarContainer

    if not drawn:
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
        # A date axis is checked by year: the CSV gives dates at the precision of their source.
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


def glue_figure(fig, name: str, data: pd.DataFrame) -> None:
    """Export the figure, glue it under ``name`` for a {glue:figure}, and close it."""
    export_figure(fig, name, data)
    glue(name, fig, display=False)
    plt.close(fig)
