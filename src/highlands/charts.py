"""Chart helpers shared by the chapters: series with their qualifiers visible, source lists."""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown
from matplotlib.lines import Line2D

from .data import load
from .style import HOME, PEER

# A filled circle is an exact figure; hollow markers are bounds or approximations, pointing
# the way the true value may lie (up for "at least", down for "under").
MARKERS = {"exact": "o", "lower_bound": "^", "upper_bound": "v", "approximate": "D"}
QUALIFIER_LABELS = {"exact": "exact", "lower_bound": "at least (多/超过/more than)",
                    "upper_bound": "at most (up to)", "approximate": "about (约/近)"}


def plot_series(ax, frame: pd.DataFrame, x: str, y: str, color: str, label: str,
                linestyle: str = "-") -> None:
    """A line through the points, with one marker per point showing its qualifier."""
    frame = frame.sort_values(x)
    ax.plot(frame[x], frame[y], color=color, linestyle=linestyle, linewidth=1.6, label=label, zorder=2)
    for qualifier, group in frame.groupby("qualifier", sort=True):
        filled = qualifier == "exact"
        ax.scatter(group[x], group[y], marker=MARKERS[qualifier], s=42, zorder=3, linewidths=1.4,
                   facecolors=color if filled else "white", edgecolors=color)


def qualifier_handles(qualifiers) -> list[Line2D]:
    """Legend entries explaining the markers that appear in a chart."""
    return [Line2D([], [], marker=MARKERS[q], linestyle="", color="#444444",
                   markerfacecolor="#444444" if q == "exact" else "white", label=QUALIFIER_LABELS[q])
            for q in MARKERS if q in set(qualifiers)]


def sources_list(source_ids) -> Markdown:
    """A numbered Markdown list of sources (publisher, date, reliability, link) for under a figure."""
    sources = load("sources").set_index("source_id")
    lines = []
    for source_id in sorted(set(source_ids)):
        row = sources.loc[source_id]
        published = row["published"] if pd.notna(row["published"]) else "undated"
        lines.append(f"- `{source_id}`: {row['publisher']}, {published}, *{row['reliability']}*, "
                     f"[{row['title'][:70]}]({row['url']})")
    return Markdown("**Sources**\n\n" + "\n".join(lines))


def year_axis(ax, axis: str = "x") -> None:
    """Whole years on a year axis (no 2017.5)."""
    from matplotlib.ticker import MaxNLocator
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(MaxNLocator(integer=True))


def legend_outside(ax, handles=None, title=None) -> None:
    """A legend to the right of the plot, so it never hides data."""
    handles = handles if handles is not None else ax.get_legend_handles_labels()[0]
    ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)


def dot_strip(ax, frame: pd.DataFrame, size: float = 60) -> pd.Index:
    """Peers as rows: one row per ``name`` (smallest largest-value at the bottom), a thin line
    through that row's values and one marker per value, hollow for bounds. Guangzhou
    (``entity_id`` guangzhou_dz) is drawn in the home colour, the others in the peer colour.
    Returns the names in row order (row y = position), for labelling the points.
    """
    order = frame.groupby("name")["value"].max().sort_values().index
    for y, name in enumerate(order):
        points = frame[frame["name"] == name].sort_values("data_year")
        colour = HOME if points["entity_id"].iloc[0] == "guangzhou_dz" else PEER
        ax.plot(points["value"], [y] * len(points), color=colour, linewidth=1, alpha=0.6)
        for _, row in points.iterrows():
            filled = row["qualifier"] == "exact"
            ax.scatter(row["value"], y, marker=MARKERS[row["qualifier"]], s=size, linewidths=1.5, zorder=3,
                       facecolors=colour if filled else "white", edgecolors=colour)
    ax.set_yticks(range(len(order)), order)
    ax.grid(axis="y", visible=False)
    return order
