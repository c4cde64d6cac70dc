"""What happened to the article's plans: each commitment's status, by rule, from sourced evidence.

A commitment (``commitments.csv``) takes the status of its used evidence row
(``commitment_evidence.csv``: done with a date, under way, or changed); a commitment with no used
evidence row is "no evidence found", and then ``search_log.csv`` records what was searched
(a test checks both). A press report of a launch is not an outcome: the notes say what each
source shows.
"""
from __future__ import annotations

import pandas as pd

from . import data

STATUSES = ["done", "under_way", "changed", "no_evidence"]
STATUS_LABELS = {"done": "done", "under_way": "under way", "changed": "changed or replaced",
                 "no_evidence": "no evidence found"}
# Status colours: ordered, colour-blind safe, none of them Guangzhou's vermillion.
STATUS_COLOURS = {"done": "#0072B2", "under_way": "#56B4E9", "changed": "#CC79A7", "no_evidence": "#BBBBBB"}


def commitments(highland: int | None = None) -> pd.DataFrame:
    """Every commitment with its status.

    Columns: commitment_id, highland, quote (verbatim Chinese), commitment_en, kind, status
    (done, under_way, changed, no_evidence), status_label, status_date (YYYY[-MM[-DD]] or <NA>),
    date_precision, source_id (<NA> when no evidence), evidence_note, searches (number of
    search-log entries). Raises DataError if the data do not validate.
    """
    items = data.load("commitments")
    evidence = data.load("commitment_evidence")
    evidence = evidence[evidence["use"]].set_index("commitment_id")
    searches = data.load("search_log")
    searches = searches[searches["subject_table"] == "commitments"].groupby("subject_id").size()
    items = items.join(evidence[["status", "status_date", "date_precision", "source_id", "note"]]
                       .rename(columns={"note": "evidence_note"}), on="commitment_id")
    items["status"] = items["status"].fillna("no_evidence")
    items["status_label"] = items["status"].map(STATUS_LABELS)
    items["searches"] = items["commitment_id"].map(searches).fillna(0).astype(int)
    if highland is not None:
        items = items[items["highland"] == highland]
    return items.reset_index(drop=True)


def status_counts(highland: int | None = None) -> dict[str, int]:
    """Number of commitments per status (all four statuses, zeros included)."""
    counts = commitments(highland)["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def scorecard() -> pd.DataFrame:
    """Commitments by highland (rows 1-7 and a total) and status (columns, in STATUSES order)."""
    frame = commitments()
    table = pd.crosstab(frame["highland"], frame["status"]).reindex(columns=STATUSES, fill_value=0)
    table.loc["all"] = table.sum()
    table["total"] = table.sum(axis=1)
    table["sourced_share_pct"] = (100 * (table["total"] - table["no_evidence"]) / table["total"]).round(0)
    return table


def status_chart(ax, highland: int, labels_above: bool = False) -> pd.DataFrame:
    """A highland's commitments as a dated chart: one row per commitment, a marker at the date of
    the step its source reports (coloured by status); undated ones at the right edge.

    With ``labels_above`` each commitment is named in full above its row (the plot keeps the
    full width on a phone; give the figure about 0.45 in per commitment), else shortened on
    the y axis. Returns the plotted rows (for export with their sources).
    """
    from .charts import date_span

    frame = commitments(highland).sort_values(["status", "status_date"], key=lambda s: s.map(
        {k: i for i, k in enumerate(STATUSES)}) if s.name == "status" else s.fillna("9999"))
    frame = frame.iloc[::-1].reset_index(drop=True)
    right = pd.Timestamp("2026-06-30")
    for y, row in frame.iterrows():
        colour = STATUS_COLOURS[row["status"]]
        if pd.notna(row["status_date"]):
            start, end = date_span(row["status_date"], row["date_precision"])
            ax.plot([start, end], [y, y], color=colour, linewidth=6, solid_capstyle="butt", zorder=3)
            ax.scatter([start], [y], color=colour, s=28, zorder=4)
        else:
            ax.scatter([right], [y], marker="s" if row["status"] == "no_evidence" else "o", s=30,
                       facecolors="white", edgecolors=colour, linewidths=1.4, zorder=4)
    left = pd.Timestamp("2019-01-01")
    if labels_above:
        for y, row in frame.iterrows():
            ax.annotate(row["commitment_en"], (left, y + 0.22), xytext=(2, 0), textcoords="offset points",
                        fontsize=8, va="bottom", ha="left", color="#333333")
        ax.set_yticks([])
        ax.set_ylim(-0.6, len(frame) - 0.1)
    else:
        ax.set_yticks(range(len(frame)), [row["commitment_en"][:48] + ("…" if len(row["commitment_en"]) > 48 else "")
                                          for _, row in frame.iterrows()], fontsize=7.5)
    ax.set_xlim(left, pd.Timestamp("2026-12-31"))
    ax.axvline(pd.Timestamp("2019-09-01"), color="#777777", linestyle=":", linewidth=1)
    ax.grid(axis="y", visible=False)
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], color=STATUS_COLOURS[s], marker="o", linestyle="", label=STATUS_LABELS[s])
               for s in STATUSES if s in set(frame["status"]) and s != "no_evidence"]
    if "no_evidence" in set(frame["status"]):
        handles.append(Line2D([], [], color=STATUS_COLOURS["no_evidence"], marker="s", markerfacecolor="white",
                              linestyle="", label=STATUS_LABELS["no_evidence"] + " (at the right edge)"))
    handles.append(Line2D([], [], color="#777777", linestyle=":", label="the article (2019)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.08), ncol=2, fontsize=8, frameon=False)
    frame["source_id"] = frame["source_id"].fillna("article:" + frame["commitment_id"])
    # What the chart draws, for the downloadable data: each bar's ends, and the right-edge
    # position of an undated commitment.
    spans = [date_span(d, p) if pd.notna(d) else (right, right)
             for d, p in zip(frame["status_date"], frame["date_precision"])]
    frame["drawn_from"] = [start.strftime("%Y-%m-%d") for start, _ in spans]
    frame["drawn_to"] = [end.strftime("%Y-%m-%d") for _, end in spans]
    return frame


def commitments_table(highland: int):
    """A highland's commitments as a reader table: what the article promised, its status with
    the date of the step the source reports, the source, and the searches made when nothing
    was found. Rows in the order of ``commitments.csv``.
    """
    from .tables import Column, reader_table

    return reader_table(commitments(highland), [
        Column("Commitment", "commitment_en"), Column("Article (verbatim)", "quote", "quote"),
        Column("Status", "status_label"), Column("Date of the step reported", "status_date", "date"),
        Column("Source", "source_id", "source"), Column("Searches logged", "searches", "number"),
        Column("What the source shows", "evidence_note", "quote"),
    ], caption=f"What happened to highland {highland}'s plans")
