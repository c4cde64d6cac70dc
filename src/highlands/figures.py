"""Glue numbers and figures into the book, and export each figure for readers to download."""
from __future__ import annotations

import math
from numbers import Number

import matplotlib.pyplot as plt
import pandas as pd
from myst_nb import glue

from . import paths


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


def glue_figure(fig, name: str, data: pd.DataFrame) -> None:
    """Export the figure, glue it under ``name`` for a {glue:figure}, and close it."""
    export_figure(fig, name, data)
    glue(name, fig, display=False)
    plt.close(fig)
