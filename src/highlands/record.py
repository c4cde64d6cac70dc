"""The zone's record since the article, against its peers: one headline indicator at a time.

Levels as published (in the book's display unit), one line per basis: entity, scope, indicator
and display unit, so a change of scope or currency starts a new line and is never read as
growth. Growth is nominal (yuan or dollars of the day) and computed only between consecutive
years on one basis where both figures are exact.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from . import charts, colours, data, formatting

BASIS = ["entity_id", "scope", "indicator", "display_unit"]


def series(indicator: str, entity_ids: list[str], since: int = 2015, display_unit: str | None = None,
           scopes: list[str] | None = None) -> pd.DataFrame:
    """Used rows of ``zone_indicators`` for one indicator and some entities, from ``since`` on
    (only the given ``scopes`` when set).

    Adds value_display and display_unit (:func:`highlands.formatting.in_display_unit`). Columns
    as zone_indicators plus those two. With ``display_unit`` (e.g. "亿美元") only rows shown in
    that unit are kept, so one axis never mixes currencies. Raises DataError if the data do not
    validate.
    """
    rows = data.load("zone_indicators")
    rows = rows[rows["use"] & (rows["indicator"] == indicator) & rows["entity_id"].isin(entity_ids)
                & (rows["data_year"] >= since)].copy()
    shown = [formatting.in_display_unit(float(v), u) for v, u in zip(rows["value"], rows["unit"])]
    rows["value_display"] = [v for v, _ in shown]
    rows["display_unit"] = [u for _, u in shown]
    if display_unit is not None:
        rows = rows[rows["display_unit"] == display_unit]
    if scopes is not None:
        rows = rows[rows["scope"].isin(scopes)]
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


def figure(indicator: str, entity_ids: list[str], title: str, since: int = 2015, display_unit: str | None = None,
           scopes: list[str] | None = None):
    """Levels (left) and nominal growth (right) of one indicator for the zone and its peers.

    ``display_unit`` keeps only rows shown in that unit, ``scopes`` only those scopes (see
    :func:`series`). Levels in different
    display units (yuan and US dollars) get a panel each, one above the
    other, so that no axis mixes currencies and no exchange rate is applied; growth (a per cent,
    on one basis at a time) shares one panel. Where no basis has two consecutive exact years
    the growth panel is left out and a note under the title says so, and the levels take the
    full width. Returns (fig, levels, growth) for export; levels and growth are the plotted rows.
    """
    levels = series(indicator, entity_ids, since, display_unit, scopes)
    rates = growth(levels)
    units = sorted(set(levels["display_unit"])) or [""]
    bases = len(levels.groupby(BASIS)) + len(set(levels["qualifier"]))
    legend_in = 0.2 * -(-bases // 2) + 0.15  # two columns of legend entries under the plots
    height = 3.2 + 1.9 * (len(units) - 1) + legend_in
    fig = plt.figure(figsize=(7.5, height))
    grid = fig.add_gridspec(len(units), 2 if len(rates) else 1, width_ratios=[3, 2] if len(rates) else [1])
    lefts = [fig.add_subplot(grid[0, 0])]
    lefts += [fig.add_subplot(grid[row, 0], sharex=lefts[0]) for row in range(1, len(units))]
    noun = data.load("indicators").set_index("indicator_id")["display_unit"].get(indicator)
    for left, unit in zip(lefts, units):
        charts.series_lines(left, levels[levels["display_unit"] == unit], basis=tuple(BASIS),
                            label=lambda f: f"{colours.name(f['entity_id'])} · {formatting.scope(f['scope'])}"
                            + (f" ({f['display_unit']})" if f["display_unit"] else ""))
        left.set_ylabel(unit or (noun if isinstance(noun, str) else "count"))
        _years_axis(left)
        left.set_ylim(bottom=0)
    lefts[-1].set_xlabel("data year")
    if len(rates):
        right = fig.add_subplot(grid[:, 1])
        for key, group in rates.groupby(BASIS, sort=True):
            linestyle, marker = colours.scope_style(key[1])
            # A line joins growth rates of consecutive years only: a missing year breaks it.
            run = (group["data_year"].diff() != 1).cumsum()
            for _, part in group.groupby(run):
                right.plot(part["data_year"], part["growth_pct"], color=colours.colour(key[0]), linestyle=linestyle,
                           marker=marker, markersize=4, linewidth=1.2)
        right.axhline(0, color="#777777", linewidth=0.8)
        right.set_ylabel("growth on the year before, % (nominal)")
        right.set_xlabel("data year")
        _years_axis(right)
    else:
        fig.text(0.01, 1 - 0.42 / height, "Growth not shown: no basis has two consecutive exact years.",
                 fontsize=8.5, color="#555555", ha="left", va="top")
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    handles = [h for left in lefts for h in left.get_legend_handles_labels()[0]]
    handles += charts.qualifier_handles(levels["qualifier"])
    top = 0.3 if len(rates) else 0.5  # room for the title (and the note) above
    fig.tight_layout(rect=(0, legend_in / height, 1, 1 - top / height))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, legend_in / height), ncol=2, fontsize=8,
               frameon=False)
    return fig, levels, rates


def _years_axis(ax) -> None:
    """Whole years, at most about six ticks (a decade of labels fits a phone's width)."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
