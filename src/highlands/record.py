"""The zone's record since the article, against its peers: one headline indicator at a time.

Levels as published (in the book's display unit), one line per basis: entity, scope, indicator
and display unit, so a change of scope or currency starts a new line and is never read as
growth. Growth is nominal (yuan or dollars of the day) and computed only between consecutive
years on one basis where both figures are exact.
"""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from . import charts, colours, data, formatting

BASIS = ["entity_id", "scope", "indicator", "display_unit"]


def series(indicator: str, entity_ids: list[str], since: int = 2015, scopes: list[str] | None = None) -> pd.DataFrame:
    """Used rows of ``zone_indicators`` for one indicator and some entities, from ``since`` on
    (only the given ``scopes`` when set).

    Adds value_display and display_unit (:func:`highlands.formatting.in_display_unit`). Columns
    as zone_indicators plus those two. Raises DataError if the data do not validate.
    """
    rows = data.load("zone_indicators")
    rows = rows[rows["use"] & (rows["indicator"] == indicator) & rows["entity_id"].isin(entity_ids)
                & (rows["data_year"] >= since)].copy()
    if scopes is not None:
        rows = rows[rows["scope"].isin(scopes)]
    shown = [formatting.in_display_unit(float(v), u) for v, u in zip(rows["value"], rows["unit"])]
    rows["value_display"] = [v for v, _ in shown]
    rows["display_unit"] = [u for _, u in shown]
    return rows.sort_values(["entity_id", "scope", "data_year"]).reset_index(drop=True)


def growth(frame: pd.DataFrame) -> pd.DataFrame:
    """Nominal year-on-year growth (%) between consecutive years of one basis, both exact.

    Columns: the basis columns, data_year (the later year), growth_pct, source_id (both years').
    """
    out = []
    for key, group in frame.groupby(BASIS, sort=True):
        group = group.sort_values("data_year")
        for (_, a), (_, b) in zip(group.iloc[:-1].iterrows(), group.iloc[1:].iterrows()):
            if b["data_year"] - a["data_year"] == 1 and a["qualifier"] == b["qualifier"] == "exact":
                out.append({**dict(zip(BASIS, key)), "data_year": int(b["data_year"]),
                            "growth_pct": round(100 * (b["value_display"] / a["value_display"] - 1), 2),
                            "source_id": f"{a['source_id']};{b['source_id']}"})
    return pd.DataFrame(out, columns=[*BASIS, "data_year", "growth_pct", "source_id"])


def figure(indicator: str, entity_ids: list[str], title: str, since: int = 2015, scopes: list[str] | None = None):
    """Levels (left) and nominal growth (right) of one indicator for the zone and its peers.

    ``scopes`` limits the lines to those scopes (default: every scope found). The legend sits
    under both panels. Returns (fig, levels, growth) for export; levels and growth are the
    plotted rows.
    """
    levels = series(indicator, entity_ids, since, scopes)
    rates = growth(levels)
    units = sorted(set(levels["display_unit"]) - {""})
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 3.9), gridspec_kw={"width_ratios": [3, 2]})
    charts.series_lines(left, levels, basis=tuple(BASIS),
                        label=lambda f: f"{colours.name(f['entity_id'])} · {f['scope'].replace('_', ' ')}"
                        + (f" ({f['display_unit']})" if f["display_unit"] and len(units) > 1 else ""))
    left.set_ylabel(" / ".join(units) if units else "count")
    left.set_xlabel("data year")
    charts.year_axis(left)
    left.set_ylim(bottom=0)
    for key, group in rates.groupby(BASIS, sort=True):
        entity = key[0]
        linestyle, marker = colours.scope_style(key[1])
        # A year without a growth figure breaks the line: the points on either side are not joined.
        years = range(int(group["data_year"].min()), int(group["data_year"].max()) + 1)
        group = group.set_index("data_year").reindex(years)
        right.plot(list(years), group["growth_pct"], color=colours.colour(entity), linestyle=linestyle,
                   marker=marker, markersize=4, linewidth=1.2)
    right.axhline(0, color="#777777", linewidth=0.8)
    right.set_ylabel("% on the year before (nominal)")
    right.set_xlabel("data year")
    right.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    if rates.empty:
        right.annotate("no two consecutive exact years\non one basis", (0.5, 0.5), xycoords="axes fraction",
                       ha="center", va="center", fontsize=8, color="#555555")
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    handles = left.get_legend_handles_labels()[0] + charts.qualifier_handles(levels["qualifier"])
    # The legend goes under both panels (a legend under one panel squeezes the other); the
    # figure grows by its rows, so the plots keep their height on a phone.
    rows = math.ceil(len(handles) / 2)
    height = 3.6 + 0.2 * rows
    fig.set_size_inches(7.5, height)
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, (0.2 * rows + 0.1) / height, 1, 1))
    return fig, levels, rates
