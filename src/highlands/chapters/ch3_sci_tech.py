"""Chapter 3, sci-tech innovation (科技创新园 · 核心技术新高地): the tables, figures and glued values.

The article says that in 2018 the zone's sci-tech innovation indicators ranked first among national
development zones, that the Guangzhou High-tech Zone joined the group building world-class
high-tech parks, and that the zone has more than 20,000 sci-tech and more than 2,000 high-tech
enterprises. This module reads:

- ``mofcom_etdz_ranking`` and ``mofcom_editions``: MOFCOM's evaluation of national ETDZs (the
  "first" is its sci-tech item, edition 2018, which rates 2017 data);
- ``district_rankings``: the science ministry's Torch evaluation of high-tech zones
  (``other_most_htz_evaluation``) and the world-class park group (``other_world_class_park_group``);
- ``zone_indicators`` and ``etdz_national_totals``: high-tech enterprise counts by scope, for the
  city, all national ETDZs and peers;
- ``search_log``: what was searched for figures no source gives;
- ``commitments`` / ``commitment_evidence`` (through :mod:`highlands.plans`) for the plans.

Every value the prose glues comes from :func:`key_values`, selected by key (entity, scope,
indicator, year), never by row position. Verdicts come from :mod:`highlands.verdicts`, bound
labels from :mod:`highlands.bounds`.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from highlands import bounds, charts, claims, colours, data, formatting, plans, record, verdicts
from highlands.figures import figure_builder
from highlands.tables import Column, reader_table

HIGHLAND = 3
ZONE = "guangzhou_dz"
HIGH_TECH_ZONE = "guangzhou_htz"
CITY = "guangzhou_city"
# Peers with a high-tech enterprise count in the data (scopes differ; every chart keeps them apart).
PEERS = ["sip", "teda", "beijing_etown", "pudong", "shenzhen_nanshan", "kunshan_etdz"]
TORCH_LIST = "other_most_htz_evaluation"
WORLD_CLASS_LIST = "other_world_class_park_group"
HTE = "high_tech_enterprises"
# The article's figures of this highland, by id.
FIGURES = ["h3-sci-tech-rank", "h3-world-class-park", "h3-sci-tech-enterprises", "h3-high-tech-enterprises",
           "h3-incubators"]


def _only(frame: pd.DataFrame, **where) -> pd.Series:
    """The one row of ``frame`` matching every column=value in ``where`` (LookupError otherwise)."""
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    if len(rows) != 1:
        raise LookupError(f"expected exactly one row for {where}, found {len(rows)}")
    return rows.iloc[0]


def _used(name: str) -> pd.DataFrame:
    """The rows of a table the book uses (use = true)."""
    frame = data.load(name)
    return frame[frame["use"]].copy()


def _category_en(category: str) -> str:
    """A MOFCOM list id in words: 'sci_tech_innovation' -> 'sci-tech innovation'."""
    return category.replace("sci_tech", "sci-tech").replace("_", " ")


def _scope_en(scope: str) -> str:
    """A scope id in words: 'zone_and_district' -> 'zone and district'."""
    return scope.replace("_", " ")


# ---------------------------------------------------------------------------------------------
# Which ranking is "first in 2018"


def mofcom_leaders(edition: int = 2018, top: int = 3) -> pd.DataFrame:
    """The leaders of each list of one MOFCOM edition, as far as the sources give them.

    Columns: edition, data_year, category, category_en (list in words), rank, entity_id, zone_zh,
    source_id; ordered overall first, then the items, by rank. Source: ``mofcom_etdz_ranking``
    (used rows). Raises DataError if the data do not validate.
    """
    ranks = _used("mofcom_etdz_ranking")
    rows = ranks[(ranks["edition"] == edition) & (ranks["rank"] <= top)].copy()
    rows["category_en"] = rows["category"].map(_category_en)
    rows["order"] = (rows["category"] != "overall").astype(int)
    rows = rows.sort_values(["order", "category", "rank"])
    return rows[["edition", "data_year", "category", "category_en", "rank", "entity_id", "zone_zh", "source_id"]
                ].reset_index(drop=True)


def mofcom_leaders_table(edition: int = 2018):
    """:func:`mofcom_leaders` for readers (list, rank, zone, data year, source)."""
    return reader_table(mofcom_leaders(edition), [
        Column("List (MOFCOM evaluation)", "category_en"), Column("Rank", "rank", "number"),
        Column("Zone", "entity_id", "entity"), Column("As the source names it", "zone_zh"),
        Column("Data year", "data_year", "year"), Column("Source", "source_id", "source"),
    ], caption=f"MOFCOM's {edition} evaluation of national ETDZs: the leaders of each list found in the sources")


def torch_ranks(edition: int = 2019) -> pd.DataFrame:
    """The Torch Centre's evaluation of national high-tech zones, one edition (used rows).

    Columns: list, edition, rank, entity_id, name_zh, name (short English), bar_length (11 − rank,
    what the chart draws), source_id; ordered by rank. Source: ``district_rankings``.
    """
    lists = _used("district_rankings")
    rows = lists[(lists["list"] == TORCH_LIST) & (lists["edition"] == edition) & lists["rank"].notna()].copy()
    rows["name"] = rows["entity_id"].map(colours.name)
    rows["bar_length"] = 11 - rows["rank"]
    return rows.sort_values("rank")[["list", "edition", "rank", "entity_id", "name_zh", "name", "bar_length",
                                     "source_id"]].reset_index(drop=True)


@figure_builder("fig-torch-2019")
def torch_figure():
    """Bar chart of the top ten of the Torch 2019 evaluation, the Guangzhou High-tech Zone in its colour.

    Returns (fig, frame) with frame = :func:`torch_ranks` (2019).
    """
    frame = torch_ranks(2019)
    ordered = frame.sort_values("rank", ascending=False)
    fig, ax = plt.subplots(figsize=(7.5, 3.9))
    ax.barh([f"{n}  {z}" for n, z in zip(ordered["name"], ordered["name_zh"])], ordered["bar_length"],
            color=[colours.colour(e) for e in ordered["entity_id"]])
    for y, (_, row) in enumerate(ordered.iterrows()):
        ax.annotate(f"#{int(row['rank'])}", (row["bar_length"], y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=9)
    ax.set_xticks([])
    ax.set_xlim(0, 11.2)
    ax.set_xlabel("rank (longer bar = higher rank)")
    fig.suptitle("Top ten national high-tech zones, Torch evaluation 2019  国家高新区评价", x=0.01, ha="left", fontsize=11)
    ax.grid(visible=False)
    fig.tight_layout()
    return fig, frame


def world_class_group() -> pd.DataFrame:
    """Members of the world-class high-tech park group found in the sources (a membership list).

    Columns: edition (the year of joining where the source gives one, else the source's year),
    entity_id, name_zh, source_id, evidence, note; ordered by edition. Source:
    ``district_rankings`` (list other_world_class_park_group).
    """
    lists = _used("district_rankings")
    rows = lists[lists["list"] == WORLD_CLASS_LIST]
    return rows.sort_values(["edition", "entity_id"])[["edition", "entity_id", "name_zh", "source_id", "evidence",
                                                      "note"]].reset_index(drop=True)


def world_class_table():
    """:func:`world_class_group` for readers: one row per source, the members it names and its words."""
    members = world_class_group()
    members["name"] = members["entity_id"].map(colours.name)
    by_source = (members.groupby(["edition", "source_id", "evidence"], sort=True)["name"]
                 .agg(", ".join).reset_index())
    return reader_table(by_source, [
        Column("Year recorded", "edition", "year"), Column("Members it names", "name"),
        Column("Source", "source_id", "source"), Column("The source's words", "evidence", "quote"),
    ], caption="The world-class high-tech park group: members named in the sources, by the year recorded "
               "(the year of joining where the source gives one, else the source's year)")


def searches(figure_id: str) -> pd.DataFrame:
    """The search-log entries for one article figure (``search_log.csv``, subject seed_figures).

    Columns: searched_on, corpus, language, query, result, note.
    """
    log = data.load("search_log")
    rows = log[(log["subject_table"] == "seed_figures") & (log["subject_id"] == figure_id)]
    return rows[["searched_on", "corpus", "language", "query", "result", "note"]].reset_index(drop=True)


def searches_table(figure_id: str):
    """:func:`searches` for readers."""
    frame = searches(figure_id)
    frame["result_en"] = frame["result"].str.replace("_", " ")
    return reader_table(frame, [
        Column("Query", "query", "quote"), Column("Language", "language"), Column("Result", "result_en"),
        Column("What was found", "note", "quote"),
    ], caption=f"What was searched for {figure_id} (search log)")


# ---------------------------------------------------------------------------------------------
# High-tech enterprises


def hte_by_scope() -> pd.DataFrame:
    """High-tech enterprise counts reported for Guangzhou, every scope (used rows).

    Columns: those of ``zone_indicators`` (entity_id, scope, indicator, data_year, as_of, value,
    unit, qualifier, source_id, note …) plus scope_en and stated (the count with its qualifier,
    '2,000+'); ordered by data year and scope. Counts for different scopes are not a series.
    """
    rows = _used("zone_indicators")
    rows = rows[(rows["entity_id"] == ZONE) & (rows["indicator"] == HTE)].copy()
    rows["scope_en"] = rows["scope"].map(_scope_en)
    rows["stated"] = [formatting.figure(v, u, q) for v, u, q in zip(rows["value"], rows["unit"], rows["qualifier"])]
    return rows.sort_values(["data_year", "scope"]).reset_index(drop=True)


def hte_table():
    """:func:`hte_by_scope` for readers."""
    return reader_table(hte_by_scope(), [
        Column("Area counted", "scope_en"), Column("Data year", "data_year", "year"),
        Column("As of", "as_of", "date"), Column("High-tech enterprises", ("value", "unit", "qualifier"), "figure"),
        Column("Source", "source_id", "source"),
    ], caption="High-tech enterprises reported for Guangzhou Development Zone, by the area counted")


@figure_builder("fig-hte-scopes")
def hte_scopes_figure():
    """High-tech enterprises for Guangzhou by scope: one line per scope (never chained across scopes),
    the article's figure as a dashed reference line.

    Returns (fig, frame): frame holds every plotted count (scope, data_year, value …) and the
    article's figure (source ``article:h3-high-tech-enterprises``).
    """
    rows = hte_by_scope()
    rows["value_display"] = rows["value"].astype(float)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    charts.series_lines(ax, rows, basis=("entity_id", "scope", "indicator"),
                        label=lambda f: _scope_en(f["scope"]))
    # Lines across gaps are all dotted, so each line is named at its last point instead of in a legend.
    for scope, points in rows.groupby("scope", sort=True):
        last = points.sort_values("data_year").iloc[-1]
        ax.annotate(_scope_en(scope), (last["data_year"], last["value_display"]), xytext=(0, 9),
                    textcoords="offset points", ha="center", fontsize=8.5, color=colours.colour(ZONE))
    article = claims.figure_value("h3-high-tech-enterprises")
    ax.axhline(article, color="#777777", linestyle="--", linewidth=1)
    ax.annotate("article: 超过2000家 (2018)", (rows["data_year"].min(), article), xytext=(0, 4),
                textcoords="offset points", fontsize=9, color="#555555")
    ax.set_ylim(0, rows["value_display"].max() * 1.2)
    ax.set_xlim(rows["data_year"].min() - 0.5, rows["data_year"].max() + 0.7)
    fig.suptitle("High-tech enterprises reported for Guangzhou  高新技术企业数", x=0.01, ha="left", fontsize=11)
    ax.set_xlabel("data year")
    ax.set_ylabel("enterprises")
    charts.year_axis(ax)
    charts.legend_below(ax, charts.qualifier_handles(rows["qualifier"]), ncol=3)
    fig.tight_layout()
    frame = rows[["entity_id", "scope", "indicator", "data_year", "as_of", "value", "unit", "qualifier", "source_id"]]
    frame = pd.concat([frame, pd.DataFrame([{
        "entity_id": ZONE, "scope": "zone", "indicator": "article_figure", "data_year": 2018, "value": article,
        "unit": "家", "qualifier": "lower_bound", "source_id": "article:h3-high-tech-enterprises"}])], ignore_index=True)
    return fig, frame


def hte_shares() -> pd.DataFrame:
    """The 2019 zone-and-district floor as a share of the city's and of all ETDZs' high-tech
    enterprises, and the article's high-tech ÷ sci-tech enterprises, each labelled by
    :func:`highlands.bounds.ratio`.

    Columns: key, quantity (in words), numerator, denominator (figures with qualifier), share_pct,
    bound, bound_label (exact / at least / at most / indicative), reason, source_id. Counts are in
    enterprises; the ETDZ total is converted from 万家.
    """
    zones = _used("zone_indicators")
    numerator = _only(zones, entity_id=ZONE, scope="zone_and_district", indicator=HTE, data_year=2019)
    city = _only(zones, entity_id=CITY, indicator=HTE, data_year=2019)
    etdz = _only(_used("etdz_national_totals"), indicator=HTE, data_year=2019)
    floor = bounds.Quantity(float(numerator["value_base"]), numerator["qualifier"], numerator["scope"], 2019)
    article_hte = claims.figure_value("h3-high-tech-enterprises")
    article_sci = claims.figure_value("h3-sci-tech-enterprises") * 10_000  # 万家
    seed = data.load("seed_figures").set_index("figure_id")
    ratios = [
        ("city", "zone and district ÷ Guangzhou city, 2019", numerator, city,
         bounds.ratio(floor, bounds.Quantity(float(city["value_base"]), city["qualifier"], "city", 2019),
                      total_counts="city", scale=100)),
        ("etdz", "zone and district ÷ all national ETDZs, 2019", numerator, etdz,
         bounds.ratio(floor, bounds.Quantity(float(etdz["value_base"]), etdz["qualifier"], "etdz", 2019),
                      total_counts="etdz", scale=100)),
        ("article", "article: high-tech ÷ sci-tech enterprises, 2018", None, None,
         bounds.ratio(bounds.Quantity(article_hte, seed.loc["h3-high-tech-enterprises", "qualifier"], "zone", 2018),
                      bounds.Quantity(article_sci, seed.loc["h3-sci-tech-enterprises", "qualifier"], "zone", 2018),
                      scale=100)),
    ]
    rows = []
    for key, quantity, top, bottom, derived in ratios:
        if top is None:  # the article's two figures
            shown = (formatting.with_qualifier(article_hte, seed.loc["h3-high-tech-enterprises", "qualifier"]),
                     formatting.with_qualifier(article_sci, seed.loc["h3-sci-tech-enterprises", "qualifier"]))
            sources = "article:h3-high-tech-enterprises;article:h3-sci-tech-enterprises"
        else:
            shown = (formatting.with_qualifier(float(top["value_base"]), top["qualifier"]),
                     formatting.with_qualifier(float(bottom["value_base"]), bottom["qualifier"]))
            sources = f"{top['source_id']};{bottom['source_id']}"
        rows.append({"key": key, "quantity": quantity, "numerator": shown[0], "denominator": shown[1],
                     "share_pct": round(derived.value, 1), "bound": derived.bound, "bound_label": derived.label,
                     "reason": derived.reason, "source_id": sources})
    return pd.DataFrame(rows)


def hte_shares_table():
    """:func:`hte_shares` for readers (share, its bound label and why)."""
    return reader_table(hte_shares(), [
        Column("Share", "quantity"), Column("Numerator (enterprises)", "numerator"),
        Column("Denominator (enterprises)", "denominator"), Column("Share (%)", "share_pct", "number", 1),
        Column("Bound", "bound_label"), Column("Why", "reason", "quote"), Column("Sources", "source_id", "source"),
    ], caption="Shares of high-tech enterprises, computed in this chapter, with what their inputs guarantee")


def peer_hte() -> pd.DataFrame:
    """High-tech enterprise counts of Guangzhou (zone and district, as the article counts) and peers.

    Columns: those of ``zone_indicators`` plus name (entity and scope: a peer reported for two
    scopes gets two rows in the chart); used rows, ordered by name and year.
    """
    rows = _used("zone_indicators")
    rows = rows[(rows["indicator"] == HTE) & (rows["entity_id"].isin(PEERS)
                                                | ((rows["entity_id"] == ZONE) & (rows["scope"] == "zone_and_district")))].copy()
    rows["name"] = [f"{colours.name(e)} · {_scope_en(s)}" for e, s in zip(rows["entity_id"], rows["scope"])]
    return rows.sort_values(["name", "data_year"]).reset_index(drop=True)


@figure_builder("fig-hte-peers")
def peers_figure():
    """Dot strip of high-tech enterprise counts of Guangzhou and peers, one row per entity and scope,
    points labelled with their data year. Returns (fig, frame) with frame = :func:`peer_hte` columns."""
    frame = peer_hte()
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    order = charts.dot_strip(ax, frame)
    for y, name in enumerate(order):
        last_above = None
        for _, row in frame[frame["name"] == name].sort_values("value").iterrows():
            # A year whose count is close to the one labelled before it is labelled below its dot.
            below = last_above is not None and row["value"] - last_above < 0.06 * frame["value"].max()
            ax.annotate(str(row["data_year"]), (row["value"], y), xytext=(0, -13 if below else 7),
                        textcoords="offset points", ha="center", fontsize=8)
            last_above = last_above if below else row["value"]
    ax.set_xlim(0, frame["value"].max() * 1.1)
    ax.set_ylim(-0.6, len(order) - 0.3)
    ax.tick_params(axis="y", labelsize=8.5)
    ax.set_xlabel("high-tech enterprises; label = data year")
    fig.suptitle("High-tech enterprises, Guangzhou and peers  高新技术企业", x=0.01, ha="left", fontsize=11)
    charts.legend_below(ax, charts.qualifier_handles(frame["qualifier"]), ncol=3)
    fig.tight_layout()
    return fig, frame[["entity_id", "scope", "indicator", "data_year", "as_of", "value", "unit", "qualifier",
                       "source_id"]]


# ---------------------------------------------------------------------------------------------
# Plans and the record since 2019


def plans_table():
    """The highland's commitments (:func:`highlands.plans.commitments`) for readers."""
    return reader_table(plans.commitments(HIGHLAND), [
        Column("Commitment", "commitment_en"), Column("Status", "status_label"),
        Column("Date of the step", "status_date", "date"),
        Column("Source", "source_id", "source"), Column("What the source shows", "evidence_note", "quote"),
    ], caption="The article's sci-tech commitments and what followed")


@figure_builder("fig-sci-tech-plans")
def plans_figure():
    """The highland's commitments by status and date (:func:`highlands.plans.status_chart`).

    Returns (fig, frame) with the plotted commitments.
    """
    count = len(plans.commitments(HIGHLAND))
    fig, ax = plt.subplots(figsize=(7.5, 1.4 + 0.36 * count))
    frame = plans.status_chart(ax, HIGHLAND)
    fig.suptitle("Sci-tech commitments of 2019: the step each source reports", x=0.01, ha="left", fontsize=11)
    fig.tight_layout()
    return fig, frame


@figure_builder("fig-hte-record")
def record_figure():
    """High-tech enterprises since 2015 for the zone and its peers (:func:`highlands.record.figure`):
    levels, one line per entity and scope, and nominal growth where two consecutive exact years exist.

    Returns (fig, frame): the plotted levels and growth rates in one frame (kind = level / growth).
    """
    fig, levels, growth = record.figure(HTE, [ZONE, *PEERS],
                                        "High-tech enterprises since 2015: Guangzhou and peers  高新技术企业")
    frame = pd.concat([levels.assign(kind="level"), growth.assign(kind="growth")], ignore_index=True)
    return fig, frame[["kind", "entity_id", "scope", "indicator", "data_year", "as_of", "value", "unit", "qualifier",
                       "value_display", "display_unit", "growth_pct", "source_id"]]


# ---------------------------------------------------------------------------------------------
# Everything the prose glues


def key_values() -> dict:
    """Every number, verdict label and bound label the chapter's prose glues, selected by key.

    Keys: verdict_<short> for each article figure and verdict_summary; MOFCOM (zones_2018,
    data_year_2018, rank_sci_tech_2018, sip_sci_tech_2018); Torch (torch_2019_rank,
    torch_top_ten_edition, torch_top_ten_data_year); world-class group (wc_pilots_2006, wc_gz_source_year, wc_searches);
    high-tech enterprise counts (hte_<scope>_<year>, as numbers, and *_text with the qualifier);
    shares (share_city, share_city_label, share_etdz, share_etdz_label, share_article,
    share_article_label and *_reason, etdz_hte_2019, city_hte_2019); sci-tech enterprise counts
    (ste_<scope>_<year>_text); peers; plans (plans_<status>, plans_total).
    Raises LookupError when a keyed row is missing or not unique.
    """
    values: dict = {}
    for figure_id in FIGURES:
        values["verdict_" + figure_id.removeprefix("h3-").replace("-", "_")] = claims.verdict_of(figure_id)
    values["verdict_summary"] = verdicts.summary(HIGHLAND)

    ranks = _used("mofcom_etdz_ranking")
    first = _only(ranks, edition=2018, category="sci_tech_innovation", entity_id=ZONE)
    values["rank_sci_tech_2018"] = int(first["rank"])
    values["data_year_2018"] = int(first["data_year"])
    values["sip_sci_tech_2018"] = int(_only(ranks, edition=2018, category="sci_tech_innovation", entity_id="sip")["rank"])
    values["zones_2018"] = int(_only(_used("mofcom_editions"), edition=2018)["zones_evaluated"])

    lists = _used("district_rankings")
    values["torch_2019_rank"] = int(_only(lists, list=TORCH_LIST, edition=2019, entity_id=HIGH_TECH_ZONE)["rank"])
    top_ten = _only(lists, list=TORCH_LIST, edition=2018, entity_id=HIGH_TECH_ZONE)  # "top ten", no rank given
    values["torch_top_ten_edition"] = int(top_ten["edition"])
    values["torch_top_ten_data_year"] = int(top_ten["data_year"])
    group = lists[lists["list"] == WORLD_CLASS_LIST]
    values["wc_pilots_2006"] = int((group["edition"] == 2006).sum())
    values["wc_gz_source_year"] = int(_only(group, entity_id=HIGH_TECH_ZONE)["edition"])
    values["wc_searches"] = len(searches("h3-world-class-park"))

    counts = hte_by_scope()
    for scope, year in (("zone", 2016), ("high_tech_zone", 2017), ("zone_and_district", 2019), ("zone", 2022),
                        ("zone_and_district", 2023), ("district", 2024)):
        row = _only(counts, scope=scope, data_year=year)
        values[f"hte_{scope}_{year}"] = int(row["value"])
        values[f"hte_{scope}_{year}_text"] = row["stated"]

    shares = hte_shares().set_index("key")
    for key in ("city", "etdz", "article"):
        values[f"share_{key}"] = float(shares.loc[key, "share_pct"])
        values[f"share_{key}_label"] = shares.loc[key, "bound_label"]
        values[f"share_{key}_reason"] = shares.loc[key, "reason"]
    zones = _used("zone_indicators")
    values["city_hte_2019"] = int(_only(zones, entity_id=CITY, indicator=HTE, data_year=2019)["value"])
    values["etdz_hte_2019"] = int(_only(_used("etdz_national_totals"), indicator=HTE, data_year=2019)["value_base"])

    for entity, scope, year in (("teda", "zone", 2018), ("sip", "zone", 2018), ("sip", "zone", 2024),
                                ("shenzhen_nanshan", "district", 2020), ("shenzhen_nanshan", "district", 2024),
                                ("pudong", "new_area", 2019)):
        row = _only(zones, entity_id=entity, scope=scope, indicator=HTE, data_year=year)
        values[f"{entity}_hte_{year}"] = int(row["value"])
        values[f"{entity}_hte_{year}_text"] = formatting.figure(row["value"], row["unit"], row["qualifier"])

    for scope, year in (("zone", 2016), ("district", 2024)):
        row = _only(zones, entity_id=ZONE, scope=scope, indicator="sci_tech_enterprises", data_year=year)
        values[f"ste_{scope}_{year}_text"] = formatting.figure(row["value"], row["unit"], row["qualifier"])

    status = plans.status_counts(HIGHLAND)
    for key, count in status.items():
        values[f"plans_{key}"] = count
    values["plans_total"] = sum(status.values())
    return values
