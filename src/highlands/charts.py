"""Chart helpers shared by the chapters: one helper per kind of chart the book draws.

Every helper draws on a matplotlib ``Axes`` with the book's conventions: Guangzhou in its one
colour (:mod:`highlands.colours`), a filled marker for an exact figure and a hollow one pointing
the way a bound may lie, lines that join only points of one measure and one scope (a change of
basis breaks the line), dotted lines across years with no figure.
"""
from __future__ import annotations

from numbers import Number

import pandas as pd
from IPython.display import Markdown
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from . import colours, data, formatting

# A filled circle is an exact figure; hollow markers are bounds or approximations, pointing the
# way the true value may lie (up for "at least", down for "at most").
MARKERS = {"exact": "o", "lower_bound": "^", "upper_bound": "v", "approximate": "D", "class": "s"}
QUALIFIER_LABELS = {"exact": "exact", "lower_bound": "at least (多/超/more than)", "upper_bound": "at most (up to)",
                    "approximate": "about (约/近)", "class": "class (级)"}
SOURCES_PAGE = "../book/sources.html"


def plot_series(ax, frame: pd.DataFrame, x: str, y: str, color: str, label: str, linestyle: str = "-") -> None:
    """One line through the points of ``frame`` (one basis), a marker per point showing its qualifier.

    Consecutive points more than one unit of ``x`` apart are joined by a dotted line (a gap).
    """
    frame = frame.sort_values(x)
    xs, ys = list(frame[x]), list(frame[y])
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        gap = isinstance(x0, Number) and x1 - x0 > 1  # numbers.Number covers numpy integers too
        ax.plot([x0, x1], [y0, y1], color=color, linestyle=":" if gap else linestyle, linewidth=1.6, zorder=2)
    ax.plot([], [], color=color, linestyle=linestyle, linewidth=1.6, label=label)
    for qualifier, group in frame.groupby("qualifier", sort=True):
        filled = qualifier == "exact"
        ax.scatter(group[x], group[y], marker=MARKERS[qualifier], s=42, zorder=3, linewidths=1.4,
                   facecolors=color if filled else "white", edgecolors=color)


def series_lines(ax, frame: pd.DataFrame, x: str = "data_year", y: str = "value_display",
                 basis: tuple[str, ...] = ("entity_id", "scope", "indicator"), label=None) -> list[tuple]:
    """One line per basis (entity, scope, measure): a change of scope or measure is a new line.

    Colour from the entity, line style from the scope. ``label(key)`` names a line (default:
    the entity's short name and the scope). Returns the bases drawn, in order.
    """
    drawn = []
    for key, group in frame.groupby(list(basis), sort=True):
        key = key if isinstance(key, tuple) else (key,)
        fields = dict(zip(basis, key))
        colour = colours.colour(fields["entity_id"])
        linestyle, _ = colours.scope_style(fields.get("scope", "zone"))
        text = label(fields) if label else f"{colours.name(fields['entity_id'])} · {fields.get('scope', '').replace('_', ' ')}"
        plot_series(ax, group, x, y, colour, text, linestyle=linestyle)
        drawn.append(key)
    return drawn


def bump_chart(ax, frame: pd.DataFrame, x: str = "edition", y: str = "rank", highlight=None,
               hollow: str | None = None) -> None:
    """Ranks over editions, one line per entity, best rank at the top.

    Entities with their own colour are drawn thicker; ``highlight`` (a set of entity ids) limits
    labels to those. ``hollow`` names a boolean column: True draws the point hollow (e.g. an
    inferred rank). Editions with no rank break the line (dotted).
    """
    for entity_id, points in frame.sort_values(x).groupby("entity_id", sort=True):
        colour = colours.colour(entity_id)
        home = colours.is_home(entity_id)
        width = 2.8 if home else 1.6 if colour != colours.OTHER else 1.0
        xs, ys = list(points[x].astype(int)), list(points[y].astype(int))
        for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
            ax.plot([x0, x1], [y0, y1], color=colour, linewidth=width, linestyle="-" if x1 - x0 == 1 else ":",
                    zorder=4 if home else 3)
        flags = list(points[hollow]) if hollow else [False] * len(xs)
        for x_, y_, open_ in zip(xs, ys, flags):
            ax.scatter(x_, y_, s=60 if colour != colours.OTHER else 30, zorder=5, linewidths=1.5, edgecolors=colour,
                       facecolors="white" if open_ else colour)
        if highlight is None or entity_id in highlight:
            ax.annotate(colours.name(entity_id), (xs[-1], ys[-1]), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=8.5, color=colour if colour != colours.OTHER else "#555555")
    ax.invert_yaxis()
    ax.set_ylabel("rank (1 = top)")
    year_axis(ax)


def date_span(text: str, precision: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The stretch of time a date at its precision covers: a day, a month or a whole year."""
    start = pd.Timestamp(text + {"day": "", "month": "-01", "year": "-01-01"}[precision])
    end = {"day": start + pd.Timedelta(days=1), "month": start + pd.offsets.MonthBegin(1),
           "year": start + pd.offsets.YearBegin(1)}[precision]
    return start, end


def date_bars(ax, frame: pd.DataFrame, date: str = "date", precision: str = "date_precision",
              row: str = "row", colour: str | None = None) -> None:
    """Dated events drawn at their precision: a bar as long as the day, month or year the source gives."""
    for _, item in frame.iterrows():
        start, end = date_span(item[date], item[precision])
        shade = colour or colours.colour(item["entity_id"])
        ax.plot([start, end], [item[row], item[row]], color=shade, linewidth=6, solid_capstyle="butt")
        ax.plot([start], [item[row]], marker="|", color=shade, markersize=10)


def qualifier_handles(qualifiers) -> list[Line2D]:
    """Legend entries explaining the markers that appear in a chart."""
    return [Line2D([], [], marker=MARKERS[q], linestyle="", color="#444444",
                   markerfacecolor="#444444" if q == "exact" else "white", label=QUALIFIER_LABELS[q])
            for q in MARKERS if q in set(qualifiers)]


def sources_list(source_ids) -> Markdown:
    """A list of sources (publisher, date, class) linked to the sources page, for under a figure.

    Raises KeyError for an id not in sources.csv.
    """
    sources = data.load("sources").set_index("source_id")
    lines = []
    for source_id in sorted({s for cell in source_ids for s in str(cell).split(";") if s and not s.startswith("article:")}):
        row = sources.loc[source_id]
        published = formatting.date_at_precision(row["published"]) if pd.notna(row["published"]) else "undated"
        lines.append(f"- [{source_id}]({SOURCES_PAGE}#src-{source_id}): {row['publisher']}, {published}, "
                     f"*{row['reliability']}*")
    if any(str(s).startswith("article:") for cell in source_ids for s in str(cell).split(";")):
        lines.append("- the article ({cite}`gdz2019article`)")
    return Markdown("**Sources**\n\n" + "\n".join(lines))


def year_axis(ax, axis: str = "x") -> None:
    """Whole years on a year axis (no 2017.5)."""
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(MaxNLocator(integer=True))


def legend_below(ax, handles=None, ncol: int = 2, title=None) -> None:
    """A legend under the plot: it never hides data and the plot keeps the full width on a phone."""
    handles = handles if handles is not None else ax.get_legend_handles_labels()[0]
    ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(0, -0.16), ncol=ncol,
              fontsize=8.5, frameon=False)


def legend_outside(ax, handles=None, title=None) -> None:
    """A legend to the right of the plot, so it never hides data."""
    handles = handles if handles is not None else ax.get_legend_handles_labels()[0]
    ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)


def dot_strip(ax, frame: pd.DataFrame, size: float = 60) -> pd.Index:
    """Peers as rows: one row per ``name`` (smallest largest-value at the bottom), a thin line
    through that row's values and one marker per value, hollow for bounds, in the entity's colour.
    Returns the names in row order (row y = position), for labelling the points.
    """
    order = frame.groupby("name")["value"].max().sort_values().index
    for y, name in enumerate(order):
        points = frame[frame["name"] == name].sort_values("data_year")
        colour = colours.colour(points["entity_id"].iloc[0])
        ax.plot(points["value"], [y] * len(points), color=colour, linewidth=1, alpha=0.6)
        for _, row in points.iterrows():
            filled = row["qualifier"] == "exact"
            ax.scatter(row["value"], y, marker=MARKERS[row["qualifier"]], s=size, linewidths=1.5, zorder=3,
                       facecolors=colour if filled else "white", edgecolors=colour)
    ax.set_yticks(range(len(order)), order)
    ax.grid(axis="y", visible=False)
    return order
