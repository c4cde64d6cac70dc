"""Chapter 7, institutions and the business environment: the tables, figures and values it shows.

Data sources (all through :func:`highlands.load`): ``mofcom_etdz_ranking`` (MOFCOM's overall
ranking of national ETDZs, one row per edition and zone, ``rank_basis`` stated or inferred),
``mofcom_editions`` (zones evaluated per edition), ``milestones`` and ``first_batch_etdz``
(dated events; the Guangzhou ETDZ's approval comes from ``first_batch_etdz`` only),
``article_statements`` (the article's institutional statements), ``zone_indicators`` and
``etdz_national_totals`` (GDP and areas), ``seed_figures`` and ``claim_readings`` through
:mod:`highlands.verdicts`, ``commitments`` through :mod:`highlands.plans`.

Every function raises :class:`highlands.DataError` when the data do not validate, and
``LookupError`` when a value selected by key is missing or not unique.
"""
from __future__ import annotations

from functools import cache

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.lines import Line2D

from .. import bounds, charts, colours, data, formatting, plans, record, verdicts
from ..bounds import Quantity
from ..figures import figure_builder
from ..tables import Column, reader_table

HIGHLAND = 7
HOME = colours.HOME_ID
LEADER = "sip"
# The peers of the whole book (fixed colours in entities.csv), in the order the legends list them.
PEERS = ["sip", "teda", "beijing_etown", "kunshan_etdz"]
METHOD_EVENT = ("mofcom", "mofcom-2021-method")
# The events the timeline draws, by key (labels and dates come from milestones.csv); the zone's
# approval as a national ETDZ is added from first_batch_etdz.csv.
TIMELINE_EVENTS = [
    (HOME, "provisional-regulations-1985"), (HOME, "etdz-regulations-1987"), (HOME, "htz-approval"),
    (HOME, "bonded-zone-approval"), (HOME, "etdz-htz-joint-administration"),
    (HOME, "export-processing-zone-approval"), (HOME, "four-zones-one-administration"),
    (HOME, "other-gdd-takes-over-administration-surrounding"), (HOME, "luogang-district-approval"),
    ("sino_singapore_knowledge_city", "other-guangdong-singapore-propose-knowledge-city"),
    ("sino_singapore_knowledge_city", "knowledge-city-founded"), (HOME, "huangpu-merger-approval"),
    (HOME, "huangpu-district-inaugurated"), (HOME, "talent-measures-1"), (HOME, "blockchain-10-measures"),
    (HOME, "blockchain-software-city"), (HOME, "policy-districts-business-environment-reform-plans"),
    (HOME, "business-environment-reform-zone"), ("sino_singapore_knowledge_city", "knowledge-city-state-level"),
    (HOME, "blockchain-ai-business-licence"), (HOME, "business-environment-index-2019"), METHOD_EVENT,
    ("sino_singapore_knowledge_city", "policy-guangdong-adopts-regulations-china-singapore"),
    (HOME, "policy-issues-new-business-environment-reform"), (HOME, "etdz-regulations-2024-adopted"),
]
APPROVAL_LABEL = "Approved as a national ETDZ"
TRILLION = 1e12  # yuan per 万亿元 (trillion yuan), for charts of national totals
CHART_SCOPES = ["district", "zone", "etdz"]


def _scope_words(scope: str) -> str:
    """'zone_and_district' -> 'zone and district', 'etdz' -> 'ETDZ'."""
    return scope.replace("_", " ").replace("etdz", "ETDZ")


def _one(frame: pd.DataFrame, **keys) -> pd.Series:
    """The single row of ``frame`` matching every ``column=value`` in ``keys``.

    Raises LookupError when no row or several rows match.
    """
    mask = pd.Series(True, index=frame.index)
    for column, value in keys.items():
        mask &= (frame[column] == value).fillna(False)
    if int(mask.sum()) != 1:
        raise LookupError(f"{int(mask.sum())} rows match {keys}; expected exactly one")
    return frame[mask].iloc[0]


@cache
def _used_cached(name: str) -> pd.DataFrame:
    frame = data.load(name)
    return frame[frame["use"]]


def _used(name: str) -> pd.DataFrame:
    """The used rows (use = true) of a table, as a copy the caller may change."""
    return _used_cached(name).copy()


def _py(value):
    """A numpy or pandas scalar as plain Python (for gluing and comparing with stored glue)."""
    return value.item() if hasattr(value, "item") else value


def _and(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------------------------
# MOFCOM's overall ranking


def overall_ranks(top: int | None = 10) -> pd.DataFrame:
    """Used rows of MOFCOM's overall ranking (only places 1..``top``; all with None).

    Columns: edition, data_year, rank, entity_id, name (short English), rank_basis (stated,
    inferred), inferred (bool), source_id, note. One row per edition and zone.
    """
    ranks = _used("mofcom_etdz_ranking")
    ranks = ranks[ranks["category"] == "overall"]
    if top is not None:
        ranks = ranks[ranks["rank"] <= top]
    ranks = ranks.assign(name=ranks["entity_id"].map(colours.name), inferred=ranks["rank_basis"] == "inferred")
    return ranks[["edition", "data_year", "rank", "entity_id", "name", "rank_basis", "inferred", "source_id",
                  "note"]].sort_values(["edition", "rank"]).reset_index(drop=True)


def editions() -> pd.DataFrame:
    """One row per edition from the first to the last with a rank found.

    Columns: edition, data_year (the year the edition rates), zones_evaluated (<NA> where no
    source gives it), zones_source_id, top_ten_found (places 1-10 with a rank found), and for
    Guangzhou (gz_) and Suzhou Industrial Park (sip_): rank and rank_basis.
    """
    ranks = overall_ranks(top=None)
    counts = _used("mofcom_editions").set_index("edition")
    frame = pd.DataFrame({"edition": range(int(ranks["edition"].min()), int(ranks["edition"].max()) + 1)})
    years = ranks.groupby("edition")["data_year"].first()
    frame["data_year"] = frame["edition"].map(counts["data_year"]).fillna(frame["edition"].map(years)).astype("Int64")
    frame["zones_evaluated"] = frame["edition"].map(counts["zones_evaluated"]).astype("Int64")
    frame["zones_source_id"] = frame["edition"].map(counts["source_id"])
    frame["top_ten_found"] = frame["edition"].map(ranks[ranks["rank"] <= 10].groupby("edition").size()).fillna(0).astype(int)
    for entity, prefix in ((HOME, "gz"), (LEADER, "sip")):
        mine = ranks[ranks["entity_id"] == entity].set_index("edition")
        frame[f"{prefix}_rank"] = frame["edition"].map(mine["rank"]).astype("Int64")
        frame[f"{prefix}_rank_basis"] = frame["edition"].map(mine["rank_basis"])
    return frame


def _rank_text(rank, basis) -> str:
    if pd.isna(rank):
        return formatting.MISSING
    return f"{int(rank)}" + (" (inferred)" if basis == "inferred" else "")


def editions_table():
    """The editions as a reader table (edition, data year, zones, top-ten places found, ranks, source)."""
    return reader_table(editions(), [
        Column("Edition", "edition", "year"), Column("Data year", "data_year", "year"),
        Column("Zones evaluated", "zones_evaluated", "number"), Column("Places 1–10 found", "top_ten_found", "number"),
        Column(f"{colours.name(HOME)}: rank", lambda r: _rank_text(r["gz_rank"], r["gz_rank_basis"])),
        Column(f"{colours.name(LEADER)}: rank", lambda r: _rank_text(r["sip_rank"], r["sip_rank_basis"])),
        Column("Source (zones evaluated)", "zones_source_id", "source"),
    ], caption="MOFCOM's overall evaluation of national ETDZs, per edition")


def doubtful_ranks() -> pd.DataFrame:
    """Used ranks that rest on an inference, or whose source counts another edition's zones.

    Columns: edition, rank, entity_id, kind (inferred, other_count), why (in words, numbers from
    the data), source_id, note.
    """
    ranks = overall_ranks(top=None)
    inferred = ranks[ranks["inferred"]].assign(kind="inferred", why="rank inferred, not stated by the source")
    counts = data.load("mofcom_editions")
    edition_count = counts[counts["use"]].set_index("edition")["zones_evaluated"]
    own = counts[["edition", "source_id", "zones_evaluated"]].merge(ranks, on=["edition", "source_id"])
    own = own[own["zones_evaluated"] != own["edition"].map(edition_count)]
    own = own.assign(kind="other_count", why=[f"the source counts {n} zones; the edition evaluated {edition_count[e]}"
                          for n, e in zip(own["zones_evaluated"], own["edition"])])
    columns = ["edition", "rank", "entity_id", "kind", "why", "source_id", "note"]
    return pd.concat([inferred[columns], own[columns]]).sort_values(["edition", "rank"]).reset_index(drop=True)


def doubtful_table():
    """:func:`doubtful_ranks` as a reader table."""
    return reader_table(doubtful_ranks(), [
        Column("Edition", "edition", "year"), Column("Rank", "rank", "number"), Column("Zone", "entity_id", "entity"),
        Column("Why it is uncertain", "why"), Column("Source", "source_id", "source"), Column("Note", "note", "quote"),
    ], caption="Ranks that rest on an inference or on a source counting another edition's zones")


def method_change() -> pd.Series:
    """The used milestone of MOFCOM's 2021 evaluation method (columns of milestones.csv)."""
    return _one(_used("milestones"), entity_id=METHOD_EVENT[0], event_id=METHOD_EVENT[1])


def method_year() -> int:
    """The year the evaluation method was issued (the milestone's date is given to the year)."""
    return int(method_change()["date"][:4])


def first_edition_under_method() -> int:
    """The first edition after the method's year: an edition published in year Y rates Y-1's
    data, so a method issued during Y first applies to the edition of Y+1 (as the sources say)."""
    later = editions()["edition"]
    return int(later[later > method_year()].min())


def _top_pairs() -> dict[int, tuple]:
    ranks = overall_ranks(top=2)
    pairs = ranks.groupby("edition")["entity_id"].apply(tuple)
    return {int(e): p for e, p in pairs.items() if len(p) == 2}


def _bump_axes(ax, frame: pd.DataFrame, table: pd.DataFrame) -> None:
    """Edition ticks with the zones evaluated under each, the method line, the legend."""
    counts = table.set_index("edition")["zones_evaluated"]
    ax.set_xticks(list(table["edition"]), [f"{e}\n({formatting.MISSING if pd.isna(counts[e]) else int(counts[e])})"
                                           for e in table["edition"]])
    ax.set_xlim(table["edition"].min() - 1.6, table["edition"].max() + 2.4)
    switch = first_edition_under_method() - 0.5
    ax.axvline(switch, color="#555555", linestyle="--", linewidth=1)
    ax.annotate(f"{method_year()} method", (switch, 0), xycoords=("data", "axes fraction"), xytext=(3, 3),
                textcoords="offset points", fontsize=8, color="#555555", ha="left", va="bottom")
    ax.set_xlabel("MOFCOM edition (zones evaluated)")
    ax.grid(axis="x", visible=False)
    handles = [Line2D([], [], marker="o", linestyle="-", color="#444444", label="rank stated"),
               Line2D([], [], marker="o", linestyle="", color="#444444", markerfacecolor="white", label="rank inferred"),
               Line2D([], [], color="#444444", linestyle=":", label="edition(s) without a rank between"),
               Line2D([], [], color="#555555", linestyle="--", label="new evaluation method")]
    # Below the two-line edition ticks and the axis label (charts.legend_below sits higher).
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.2 if ax.figure.get_figheight() > 5 else -0.3),
              ncol=2, fontsize=8.5, frameon=False)


def _bump_frame(ranks: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    method = method_change()
    zones = table.dropna(subset=["zones_evaluated"])
    return pd.concat([
        ranks.assign(item="rank")[["item", "edition", "data_year", "rank", "entity_id", "name", "rank_basis", "source_id"]],
        zones.assign(item="zones evaluated", source_id=zones["zones_source_id"])[
            ["item", "edition", "data_year", "zones_evaluated", "source_id"]],
        pd.DataFrame([{"item": "evaluation method", "date": method["date"], "edition": first_edition_under_method(),
                       "source_id": method["source_id"]}]),
    ], ignore_index=True)


@figure_builder("fig-inst-mofcom-bump")
def bump_figure():
    """Bump chart of places 1-10 of MOFCOM's overall ranking, every edition found.

    Returns (fig, frame): frame holds every rank drawn (edition, rank, entity_id, rank_basis,
    source_id), the zones evaluated per edition and the method milestone.
    """
    ranks, table = overall_ranks(top=10), editions()
    fig, ax = plt.subplots(figsize=(7.5, 5.6))
    charts.bump_chart(ax, ranks, hollow="inferred", labels="free")
    ax.set_ylim(10.6, 0.4)
    ax.set_yticks(range(1, 11))
    _bump_axes(ax, ranks, table)
    ax.set_title("MOFCOM overall ranking of national ETDZs, places 1–10\n国家级经开区综合发展水平考核评价")
    fig.tight_layout()
    return fig, _bump_frame(ranks, table)


@figure_builder("fig-inst-record-rank")
def record_rank_figure():
    """Guangzhou's and the peers' overall MOFCOM ranks in every edition found (any place).

    Returns (fig, frame) like :func:`bump_figure`.
    """
    ranks, table = overall_ranks(top=None), editions()
    ranks = ranks[ranks["entity_id"].isin([HOME, *PEERS])]
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    charts.bump_chart(ax, ranks, hollow="inferred", labels="free")
    low = int(ranks["rank"].max())
    ax.set_ylim(low + 0.6, 0.4)
    ax.set_yticks(range(1, low + 1))
    _bump_axes(ax, ranks, table)
    ax.set_title("Guangzhou and its peers in MOFCOM's overall ranking")
    fig.tight_layout()
    return fig, _bump_frame(ranks, table)


# --------------------------------------------------------------------------------------------
# The timeline


def etdz_approval() -> pd.Series:
    """The zone's approval as a national ETDZ: the used row of first_batch_etdz.csv."""
    return _one(_used("first_batch_etdz"), entity_id=HOME)


def timeline() -> pd.DataFrame:
    """The dated events the timeline draws, in date order.

    Columns: entity_id, event_id, date (YYYY[-MM[-DD]]), date_precision, label (label_en),
    event_en, source_id, drawn_from, drawn_to (YYYY-MM-DD: the span a date at its precision
    covers), row (0 = top). Raises LookupError if an event has no single used row or no label.
    """
    events = _used("milestones")
    rows = [_one(events, entity_id=e, event_id=v) for e, v in TIMELINE_EVENTS]
    frame = pd.DataFrame(rows)[["entity_id", "event_id", "date", "date_precision", "label_en", "event_en", "source_id"]]
    if frame["label_en"].isna().any():
        raise LookupError(f"no label_en for {list(frame.loc[frame['label_en'].isna(), 'event_id'])}")
    approval = etdz_approval()
    frame = pd.concat([pd.DataFrame([{
        "entity_id": HOME, "event_id": "etdz-approval", "date": approval["approval_date"],
        "date_precision": approval["date_precision"], "label_en": APPROVAL_LABEL,
        "event_en": f"{APPROVAL_LABEL} ({approval['zone_zh']})", "source_id": approval["source_id"]}]), frame])
    spans = [charts.date_span(d, p) for d, p in zip(frame["date"], frame["date_precision"])]
    frame["drawn_from"] = [f"{s:%Y-%m-%d}" for s, _ in spans]
    frame["drawn_to"] = [f"{e:%Y-%m-%d}" for _, e in spans]
    frame = frame.rename(columns={"label_en": "label"}).sort_values(["drawn_from", "entity_id"], kind="stable")
    return frame.reset_index(drop=True).assign(row=lambda f: range(len(f)))


@figure_builder("fig-inst-timeline")
def timeline_figure():
    """Dated institutional events, one per row, each drawn as long as its date's precision.

    Returns (fig, frame) with frame = :func:`timeline`.
    """
    frame = timeline()
    fig, ax = plt.subplots(figsize=(7.5, 8.2))
    charts.date_bars(ax, frame, row="row")
    middle = pd.Timestamp("2005-01-01")
    for _, item in frame.iterrows():
        start, end = pd.Timestamp(item["drawn_from"]), pd.Timestamp(item["drawn_to"])
        right = start < middle
        ax.annotate(f"{item['label']} ({formatting.date_at_precision(item['date'])})", (end if right else start, item["row"]),
                    xytext=(5 if right else -5, 0), textcoords="offset points", ha="left" if right else "right",
                    va="center", fontsize=8.5, color=colours.colour(item["entity_id"]) if colours.is_home(item["entity_id"])
                    else "#333333")
    ax.set_ylim(len(frame) - 0.4, -0.6)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlim(pd.Timestamp("1983-01-01"), pd.Timestamp("2026-01-01"))
    ax.xaxis.set_major_locator(mdates.YearLocator(10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="y", visible=False)
    ax.set_title("Institutional milestones of the zone  制度沿革")
    others = sorted(set(frame["entity_id"]) - {HOME})
    handles = [Line2D([], [], color=colours.colour(HOME), linewidth=6, label=f"{colours.name(HOME)} and its district")]
    handles += [Line2D([], [], color=colours.OTHER, linewidth=6, label=_and([colours.name(e) for e in others]))]
    ax.legend(handles=handles, title="bar = the day, month or year the source gives", loc="upper left",
              bbox_to_anchor=(0, -0.05), ncol=1, fontsize=8.5, frameon=False)
    fig.tight_layout()
    return fig, frame


def approvals_table():
    """When the zone, TEDA (first batch) and Suzhou Industrial Park were approved (reader table)."""
    first = _used("first_batch_etdz")
    rows = [_one(first, entity_id=HOME), _one(first, entity_id="teda")]
    frame = pd.DataFrame(rows)[["entity_id", "approval_date", "source_id"]]
    sip = _one(_used("milestones"), entity_id=LEADER, event_id="sip-approval")
    frame = pd.concat([frame, pd.DataFrame([{"entity_id": LEADER, "approval_date": sip["date"],
                                             "source_id": sip["source_id"]}])], ignore_index=True)
    return reader_table(frame, [Column("Zone", "entity_id", "entity"), Column("Approved", "approval_date", "date"),
                                Column("Source", "source_id", "source")],
                        caption="State Council approval, at the precision of the source")


# --------------------------------------------------------------------------------------------
# The article's statements


def statements() -> pd.DataFrame:
    """The article's institutional statements with what the data hold on each.

    Columns: those of article_statements.csv, plus date, date_precision, event_en, label_en and
    event_source_id (the event's used milestone, <NA> where none), verdict (for a statement
    that is an article figure), status_label (for one that is a commitment) and source_id (the
    event's source, else the commitment's evidence).
    """
    items = data.load("article_statements")
    items = items[items["highland"] == HIGHLAND].copy()
    events = _used("milestones").set_index(["entity_id", "event_id"])
    found = [events.loc[(e, v)] if pd.notna(v) else None for e, v in zip(items["entity_id"], items["event_id"])]
    for column in ("date", "date_precision", "event_en", "label_en"):
        items[column] = [row[column] if row is not None else pd.NA for row in found]
    items["event_source_id"] = [row["source_id"] if row is not None else pd.NA for row in found]
    items["verdict"] = [verdicts.verdict(f).verdict if pd.notna(f) else pd.NA for f in items["figure_id"]]
    status = plans.commitments(HIGHLAND).set_index("commitment_id")
    items["status_label"] = items["commitment_id"].map(status["status_label"])
    items["source_id"] = items["event_source_id"].fillna(items["commitment_id"].map(status["source_id"]))
    return items.reset_index(drop=True)


def _judgement(row: pd.Series) -> str:
    if pd.notna(row["verdict"]):
        return verdicts.LABELS[row["verdict"]]
    if pd.notna(row["status_label"]):
        return f"plan: {row['status_label']}"
    return "not a figure"


def statements_table():
    """:func:`statements` as a reader table."""
    return reader_table(statements(), [
        Column("The article says", lambda r: f"{r['quote']} ({r['statement_en']})"),
        Column("Dated event found", "label_en"), Column("Date", "date", "date"),
        Column("Verdict or plan status", _judgement), Column("Source", "source_id", "source"),
        Column("What the sources show", "finding", "quote"),
    ], caption="The article's institutional statements against the dated events found")


# --------------------------------------------------------------------------------------------
# The zone in the national ETDZ system


def _gdp_rows() -> pd.DataFrame:
    rows = _used("zone_indicators")
    return rows[(rows["entity_id"] == HOME) & (rows["indicator"] == "gdp")]


def national(indicator: str, year: int) -> pd.Series:
    """The used row of etdz_national_totals.csv for one indicator and data year."""
    return _one(_used("etdz_national_totals"), indicator=indicator, data_year=year)


def guangzhou_gdp(scope: str, year: int) -> pd.Series:
    """The used, exact GDP row of Guangzhou for one scope and data year."""
    return _one(_gdp_rows(), scope=scope, data_year=year, qualifier="exact")


def _quantity(row: pd.Series, scope: str | None = None) -> Quantity:
    return Quantity(float(row["value_base"]), row["qualifier"], scope or row.get("scope", "any"), int(row["data_year"]))


def gdp_shares() -> pd.DataFrame:
    """Guangzhou's GDP as a share of all national ETDZs' GDP, every scope and year with an exact
    Guangzhou figure and a national total of the same year (:func:`highlands.bounds.ratio`).

    Columns: entity_id, scope, indicator ("gdp_share_of_all_etdz"), data_year, gdp (亿元),
    national (万亿元), value_display (share, %), qualifier (of the Guangzhou figure), bound,
    bound_label, reason, source_id (Guangzhou's;national).
    """
    totals = _used("etdz_national_totals")
    years = set(totals.loc[totals["indicator"] == "gdp", "data_year"])
    rows = []
    for _, row in _gdp_rows().iterrows():
        year = int(row["data_year"])
        if row["qualifier"] != "exact" or year not in years:
            continue
        total = national("gdp", year)
        share = bounds.ratio(_quantity(row), _quantity(total, "etdz"), total_counts="etdz", scale=100)
        rows.append({"entity_id": HOME, "scope": row["scope"], "indicator": "gdp_share_of_all_etdz", "data_year": year,
                     "gdp": formatting.in_display_unit(float(row["value"]), row["unit"])[0],
                     "national": float(total["value_base"]) / TRILLION, "value_display": share.value,
                     "qualifier": row["qualifier"], "bound": share.bound, "bound_label": share.label,
                     "reason": share.reason, "source_id": f"{row['source_id']};{total['source_id']}"})
    return pd.DataFrame(rows).sort_values(["scope", "data_year"]).reset_index(drop=True)


def shares_table():
    """:func:`gdp_shares` as a reader table."""
    return reader_table(gdp_shares(), [
        Column("Guangzhou scope", lambda r: _scope_words(r["scope"])), Column("Data year", "data_year", "year"),
        Column("Guangzhou GDP (亿元)", "gdp", "number", 2), Column("All national ETDZs (万亿元)", "national", "number"),
        Column("Share (%)", "value_display", "number", 2), Column("Bound", "bound_label"),
        Column("Sources", "source_id", "source"),
    ], caption="Guangzhou's GDP as a share of the GDP of all national ETDZs")


def top30() -> pd.DataFrame:
    """The top 30 of MOFCOM's ranking against all ETDZs and the district, data years 2018-2019.

    Columns: quantity, data_year, value, unit, label ("as reported", "derived", or the bound
    label of a share), computed_as, reason, source_id.
    """
    group_18, share_18 = national("top30_zones_gdp", 2018), national("top30_zones_gdp_share_of_all_etdz", 2018)
    group_19, all_19 = national("top30_zones_gdp", 2019), national("gdp", 2019)
    district_18, district_19 = guangzhou_gdp("district", 2018), guangzhou_gdp("district", 2019)
    implied = bounds.ratio(_quantity(group_18, "etdz"),
                           Quantity(float(share_18["value"]) / 100, share_18["qualifier"], "etdz", 2018))
    implied_total = Quantity(implied.value, "exact" if implied.bound == "exact" else "approximate", "etdz", 2018)
    sources_18 = f"{group_18['source_id']};{share_18['source_id']}"
    rows = [
        {"quantity": "top 30 zones' GDP", "data_year": 2018, "value": float(group_18["value_base"]) / TRILLION, "unit": "万亿元",
         "label": "as reported", "computed_as": "", "reason": "", "source_id": group_18["source_id"]},
        {"quantity": "top 30's share of all ETDZs' GDP", "data_year": 2018, "value": float(share_18["value"]), "unit": "%",
         "label": "as reported", "computed_as": "", "reason": "", "source_id": share_18["source_id"]},
        {"quantity": "all ETDZs' GDP", "data_year": 2018, "value": implied.value / TRILLION, "unit": "万亿元",
         "label": "derived", "computed_as": "top 30's GDP ÷ their share", "reason": implied.reason,
         "source_id": sources_18},
        {"quantity": "top 30 zones' GDP", "data_year": 2019, "value": float(group_19["value_base"]) / TRILLION, "unit": "万亿元",
         "label": "as reported", "computed_as": "", "reason": "", "source_id": group_19["source_id"]},
    ]
    shares = [
        ("district ÷ all ETDZs (derived)", 2018, _quantity(district_18, "district"), implied_total,
         f"{district_18['source_id']};{sources_18}"),
        ("top 30 ÷ all ETDZs", 2019, _quantity(group_19, "etdz"), _quantity(all_19, "etdz"),
         f"{group_19['source_id']};{all_19['source_id']}"),
        ("district ÷ top 30", 2019, _quantity(district_19, "district"), _quantity(group_19, "etdz"),
         f"{district_19['source_id']};{group_19['source_id']}"),
    ]
    for name, year, numerator, denominator, sources in shares:
        share = bounds.ratio(numerator, denominator, total_counts="etdz", scale=100)
        rows.append({"quantity": name, "data_year": year, "value": share.value, "unit": "%", "label": share.label,
                     "computed_as": name.replace(" (derived)", "") + " × 100", "reason": share.reason,
                     "source_id": sources})
    frame = pd.DataFrame(rows)
    frame["source_id"] = [";".join(dict.fromkeys(s.split(";"))) for s in frame["source_id"]]
    return frame


def top30_table():
    """:func:`top30` as a reader table."""
    return reader_table(top30(), [
        Column("Quantity", "quantity"), Column("Data year", "data_year", "year"),
        Column("Value", lambda r: f"{formatting.number(r['value'], 2)} {r['unit']}"), Column("Label", "label"),
        Column("Computed as", "computed_as"), Column("Why this label", "reason", "quote"),
        Column("Sources", "source_id", "source"),
    ], caption="The top 30 zones of MOFCOM's ranking, all ETDZs and Huangpu District")


def zone_of_district() -> pd.DataFrame:
    """The zone's GDP as a share of the district's, in the years with an exact figure for both.

    Columns: data_year, zone (亿元), district (亿元), value (%), label, reason, source_id.
    """
    gdp = _gdp_rows()
    gdp = gdp[gdp["qualifier"] == "exact"]
    years = sorted(set(gdp.loc[gdp["scope"] == "zone", "data_year"]) & set(gdp.loc[gdp["scope"] == "district", "data_year"]))
    rows = []
    for year in years:
        zone, district = guangzhou_gdp("zone", int(year)), guangzhou_gdp("district", int(year))
        share = bounds.ratio(_quantity(zone), _quantity(district), scale=100)
        rows.append({"data_year": int(year), "zone": float(zone["value_base"]) / 1e8,
                     "district": float(district["value_base"]) / 1e8, "value": share.value, "label": share.label,
                     "reason": share.reason, "source_id": f"{zone['source_id']};{district['source_id']}"})
    return pd.DataFrame(rows)


def zone_of_district_table():
    """:func:`zone_of_district` as a reader table."""
    return reader_table(zone_of_district(), [
        Column("Data year", "data_year", "year"), Column("Zone GDP (亿元)", "zone", "number", 2),
        Column("District GDP (亿元)", "district", "number", 2), Column("Zone ÷ district (%)", "value", "number", 1),
        Column("Label", "label"), Column("Sources", "source_id", "source"),
    ], caption="The zone's GDP as a share of Huangpu District's")


@figure_builder("fig-inst-gdp-share")
def gdp_share_figure():
    """Top: GDP of all national ETDZs (2018 derived from the top 30), of the top 30 and of
    Huangpu District, trillion yuan; bottom: Guangzhou's share of all ETDZs' GDP, one line per
    scope. Returns (fig, frame) with every bar, tick and point drawn.
    """
    totals = _used("etdz_national_totals")
    totals = totals[totals["indicator"] == "gdp"].sort_values("data_year")
    groups = pd.DataFrame([national("top30_zones_gdp", y) for y in (2018, 2019)])
    derived = _one(top30(), quantity="all ETDZs' GDP")
    district = _gdp_rows()
    district = district[(district["scope"] == "district") & (district["qualifier"] == "exact")].sort_values("data_year")
    shares = gdp_shares()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 7.6), gridspec_kw={"height_ratios": [1, 1]})
    top.bar(totals["data_year"], totals["value_base"] / TRILLION, width=0.7, color=colours.colour(LEADER), alpha=0.3,
            label="all national ETDZs")
    top.bar([derived["data_year"]], [derived["value"]], width=0.7, facecolor="white", edgecolor=colours.colour(LEADER),
            hatch="///", linewidth=0.8, label="all ETDZs, derived from the top 30")
    top.bar(district["data_year"], district["value_base"] / TRILLION, width=0.7, color=colours.home(),
            label="Huangpu District (contains the zone)")
    top.scatter(groups["data_year"], groups["value_base"] / TRILLION, marker="_", s=300, linewidths=2.4, color="black",
                zorder=3, label="top 30 zones")
    top.set_ylabel("GDP, trillion yuan (万亿元)")
    top.set_title("GDP  生产总值")
    charts.year_axis(top)
    top.grid(axis="x", visible=False)
    charts.legend_below(top, ncol=2)
    # The zone-and-district figures repeat the district's (the table lists them); three scopes drawn.
    drawn = shares[shares["scope"].isin(CHART_SCOPES)]
    charts.series_lines(bottom, drawn, label=lambda f: f"{_scope_words(f['scope'])} ÷ all ETDZs")
    for _, row in drawn.iterrows():
        above = row["scope"] == "district"
        text = f"{row['value_display']:.2f}" if above else f"{_scope_words(row['scope'])} {row['value_display']:.2f}"
        bottom.annotate(text, (row["data_year"], row["value_display"]), xytext=(0, 7 if above else -14),
                        textcoords="offset points", ha="center", fontsize=8)
    bottom.set_ylim(0, drawn["value_display"].max() * 1.3)
    bottom.set_xlim(top.get_xlim())
    bottom.set_ylabel("% of all national ETDZs' GDP")
    bottom.set_xlabel("data year")
    bottom.set_title("Guangzhou's share, by the area its GDP covers  占全国经开区比重")
    charts.year_axis(bottom)
    charts.legend_below(bottom, ncol=2)
    fig.tight_layout()
    frame = pd.concat([
        totals.assign(series="all national ETDZs", value=totals["value_base"] / TRILLION)[
            ["series", "data_year", "value", "source_id"]],
        pd.DataFrame([{"series": "all ETDZs, derived", "data_year": derived["data_year"], "value": derived["value"],
                       "source_id": derived["source_id"]}]),
        groups.assign(series="top 30 zones", value=groups["value_base"] / TRILLION)[
            ["series", "data_year", "value", "source_id"]],
        district.assign(series="Huangpu District", value=district["value_base"] / TRILLION)[
            ["series", "data_year", "value", "source_id"]],
    ]).assign(unit="万亿元")
    frame = pd.concat([frame, drawn.assign(series="share, " + drawn["scope"], value=drawn["value_display"], unit="%")[
        ["series", "data_year", "value", "unit", "bound_label", "source_id"]]], ignore_index=True)
    return fig, frame


# --------------------------------------------------------------------------------------------
# Plans and the record since 2019


def plans_table():
    """The chapter's commitments with their status (reader table)."""
    return reader_table(plans.commitments(HIGHLAND), [
        Column("Commitment", "commitment_en", "quote"), Column("Article (verbatim)", "quote", "quote"),
        Column("Status", "status_label"), Column("Date of the step reported", "status_date", "date"),
        Column("Source", "source_id", "source"), Column("What the source shows", "evidence_note", "quote"),
    ], caption="What the article said the zone would do, and what sources show since")


@figure_builder("fig-inst-plans")
def plans_figure():
    """The chapter's commitments by status and date (:func:`highlands.plans.status_chart`)."""
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    frame = plans.status_chart(ax, HIGHLAND)
    ax.set_title("What happened to the plans  制度先行区")
    fig.tight_layout()
    return fig, frame[["commitment_id", "status", "status_date", "date_precision", "drawn_from", "drawn_to", "source_id"]]


@figure_builder("fig-inst-record-gdp")
def record_gdp_figure():
    """GDP of the zone (every scope) and its peers since 2015, levels and nominal growth.

    Returns (fig, frame): frame = levels (series "level") and growth (series "growth").
    """
    fig, levels, growth = record.figure("gdp", [HOME, *PEERS], "GDP since 2015: Guangzhou and its peers  地区生产总值")
    frame = pd.concat([levels.assign(series="level", value=levels["value_display"]),
                       growth.assign(series="growth (nominal, %)", value=growth["growth_pct"])], ignore_index=True)
    return fig, frame[["series", "entity_id", "scope", "indicator", "data_year", "value", "display_unit", "qualifier",
                       "source_id"]]


def growth_between(scope: str, first: int, last: int) -> bounds.Derived:
    """Nominal growth (%) of Guangzhou's exact GDP on one scope from ``first`` to ``last``.

    The two years differ on purpose, so the years are not passed to the bound rule.
    """
    a, b = guangzhou_gdp(scope, first), guangzhou_gdp(scope, last)
    ratio = bounds.ratio(Quantity(float(b["value_base"]), b["qualifier"], scope),
                         Quantity(float(a["value_base"]), a["qualifier"], scope), scale=100)
    return bounds.Derived(ratio.value - 100, ratio.bound, ratio.reason)


def national_growth_between(first: int, last: int) -> bounds.Derived:
    """Nominal growth (%) of all national ETDZs' GDP from ``first`` to ``last`` (more zones later)."""
    a, b = national("gdp", first), national("gdp", last)
    ratio = bounds.ratio(Quantity(float(b["value_base"]), b["qualifier"], "etdz"),
                         Quantity(float(a["value_base"]), a["qualifier"], "etdz"), scale=100)
    return bounds.Derived(ratio.value - 100, ratio.bound, ratio.reason)


# --------------------------------------------------------------------------------------------
# Values glued into the prose


def key_values() -> dict:
    """Every number, date, verdict and bound label chapter 7's prose glues, selected by key.

    Keys and units: ranks are places (1 = top), shares and growth in %, GDP in 亿元 or 万亿元
    as the key says, areas in km², dates as text at their precision.
    """
    table = editions().set_index("edition")
    ranks = overall_ranks(top=None)
    gz = ranks[ranks["entity_id"] == HOME].set_index("edition")
    sip = ranks[ranks["entity_id"] == LEADER].set_index("edition")
    first, last = int(table.index.min()), int(table.index.max())
    # The rank Guangzhou holds in the last edition, and since when it has held it in every edition found.
    steady_rank = int(gz.loc[last, "rank"])
    steady_since = int(min(e for e in gz.index if (gz.loc[gz.index >= e, "rank"] == steady_rank).all()))
    full = [int(e) for e in table.index[table["top_ten_found"] == 10]]
    top_four = {tuple(sorted(ranks[(ranks["edition"] == e) & (ranks["rank"] <= 4)]["entity_id"])) for e in full}
    doubtful = doubtful_ranks()
    doubtful_gz = doubtful[doubtful["entity_id"] == HOME]
    pairs = _top_pairs()
    switch = first_edition_under_method()
    # The top two in the last edition before the method and in every edition under it.
    around = {p for e, p in pairs.items() if e >= max(e for e in pairs if e < switch)}
    counts = _used("mofcom_editions").set_index("edition")["zones_evaluated"]
    reform, five = verdicts.verdict("h7-reform-zone"), verdicts.verdict("h7-five-zones")
    zones_2002 = _one(_used("zone_indicators"), entity_id=HOME, indicator="zones_under_one_administration", data_year=2002)
    area_2002 = _one(_used("zone_indicators"), entity_id=HOME, indicator="area_km2", data_year=2002)
    shares = gdp_shares().set_index(["scope", "data_year"])
    district_years = sorted(y for s, y in shares.index if s == "district")
    zone_years = sorted(y for s, y in shares.index if s == "zone")
    etdz_year = max(y for s, y in shares.index if s == "etdz")
    parts = zone_of_district()
    groups = top30().set_index(["quantity", "data_year"])
    status = plans.status_counts(HIGHLAND)
    d_first, d_last = district_years[0], district_years[-1]
    growth_district, growth_all = growth_between("district", d_first, d_last), national_growth_between(d_first, d_last)
    values = {
        "first_edition": first, "last_edition": last,
        "gz_rank_2017": _py(gz.loc[2017, "rank"]),
        "gz_steady_rank": steady_rank, "gz_steady_since": steady_since,
        "gz_steady_count": int((gz.index >= steady_since).sum()),
        "sip_first_count": int((sip["rank"] == 1).sum()),
        "sip_inferred_editions": _and([int(e) for e in sip.index[sip["inferred"]]]),
        "gz_inferred_editions": _and([int(e) for e in gz.index[gz["inferred"]]]),
        "gz_count_conflict_editions": _and(sorted({int(e) for e in doubtful_gz.loc[
            doubtful_gz["kind"] == "other_count", "edition"]})),
        "full_list_count": len(full), "full_list_editions": _and(full),
        "top_four": _and([colours.name(e) for e in sorted(next(iter(top_four)), key=lambda e: int(
            _one(ranks, edition=full[-1], entity_id=e)["rank"]))]) if len(top_four) == 1 else "not the same",
        "zones_min": _py(counts.min()), "zones_max": _py(counts.max()),
        "zones_2023": _py(counts.loc[2023]), "zones_2024": _py(counts.loc[2024]),
        "method_year": method_year(), "method_first_edition": switch,
        "top_two_after_method": "unchanged" if len(around) == 1 else "changed",
        "reform_zone_verdict": verdicts.LABELS[reform.verdict], "five_zones_verdict": verdicts.LABELS[five.verdict],
        "reform_zone_date": formatting.date_at_precision(reform.basis["value"]),
        "h7_verdicts": verdicts.summary(HIGHLAND),
        "four_zone_count": int(zones_2002["value"]),
        "four_zone_year": int(zones_2002["data_year"]), "four_zone_area": float(area_2002["value"]),
        "etdz_approval": formatting.date_at_precision(etdz_approval()["approval_date"]),
        "knowledge_city_founded": formatting.date_at_precision(
            _one(_used("milestones"), entity_id="sino_singapore_knowledge_city", event_id="knowledge-city-founded")["date"]),
        "national_gdp_first_year": int(_used("etdz_national_totals").query("indicator == 'gdp'")["data_year"].min()),
        "share_district_first_year": d_first, "share_district_last_year": d_last,
        "share_district_first": float(shares.loc[("district", d_first), "value_display"]),
        "share_district_last": float(shares.loc[("district", d_last), "value_display"]),
        "share_zone_year": zone_years[0], "share_zone": float(shares.loc[("zone", zone_years[0]), "value_display"]),
        "share_district_label": _and(sorted(set(shares.loc["district", "bound_label"]))),
        "share_district_reason": shares.loc[("district", d_first), "reason"],
        "share_zone_label": shares.loc[("zone", zone_years[0]), "bound_label"],
        "share_etdz_year": etdz_year, "share_etdz": float(shares.loc[("etdz", etdz_year), "value_display"]),
        "share_etdz_label": shares.loc[("etdz", etdz_year), "bound_label"],
        "zone_of_district_min": float(parts["value"].min()), "zone_of_district_max": float(parts["value"].max()),
        "zone_of_district_years": _and(list(parts["data_year"])),
        "top30_share_2018": float(groups.loc[("top 30's share of all ETDZs' GDP", 2018), "value"]),
        "all_etdz_2018_derived": float(groups.loc[("all ETDZs' GDP", 2018), "value"]),
        "top30_share_2019": float(groups.loc[("top 30 ÷ all ETDZs", 2019), "value"]),
        "top30_share_2019_label": groups.loc[("top 30 ÷ all ETDZs", 2019), "label"],
        "district_of_top30_2019": float(groups.loc[("district ÷ top 30", 2019), "value"]),
        "district_of_top30_2019_label": groups.loc[("district ÷ top 30", 2019), "label"],
        "etdz_count_first": int(national("zone_count", d_first)["value"]),
        "etdz_count_last": int(national("zone_count", d_last)["value"]),
        "district_gdp_first": float(guangzhou_gdp("district", d_first)["value"]),
        "district_gdp_last": float(guangzhou_gdp("district", d_last)["value"]),
        "district_growth": growth_district.value,
        "all_etdz_growth": growth_all.value,
        "plans_total": sum(status.values()), "plans_done": status["done"], "plans_under_way": status["under_way"],
        "plans_changed": status["changed"], "plans_no_evidence": status["no_evidence"],
    }
    return {key: _py(value) for key, value in values.items()}
