"""Chapter 2 — Industrial clusters (产业集群区 · 创新型产业新高地).

The tables, figures and glued values of ``notebooks/02-industrial-clusters.ipynb``, each from
one function. Every value comes from the data package by key (entity, scope, indicator, year;
list and edition for ranks); verdicts come from :mod:`highlands.verdicts`, bound labels from
:mod:`highlands.bounds`.

Data: ``zone_indicators`` (industrial output above designated size and of all industry, GDP,
cluster counts), ``district_rankings`` (CAICT's industrial top-100 districts and CCID's
top-100 districts), ``conflicts``, ``commitments`` and ``commitment_evidence`` (highland 2),
``seed_figures`` (the article).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from .. import (
    bounds,
    charts,
    claims,
    colours,
    data,
    formatting,
    plans,
    record,
    verdicts,
)
from ..figures import figure_builder
from ..tables import Column, reader_table
from .ch1_open_economy import SHOWN, one, used_rows

HIGHLAND = 2
HOME = "guangzhou_dz"
PEERS = ["sip", "teda", "beijing_etown", "kunshan_etdz", "nansha"]
# Output is compared with Shanghai Pudong too, the largest industrial new area with figures.
OUTPUT_PEERS = [*PEERS, "pudong"]
OUTPUT = ["industrial_output_above_size", "industrial_output_total"]
CLUSTERS = ["industrial_clusters_100bn", "industrial_clusters_50bn", "industrial_clusters_10bn",
            "national_industrial_bases_cumulative", "national_industrial_bases_and_parks"]
TOP = 10  # the bump charts show the top ten of each edition


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 10 -> '10th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _article(figure_id: str) -> pd.Series:
    return one(claims.article_figures(HIGHLAND), figure_id=figure_id)


# ---------------------------------------------------------------------------------------------
# The 2018 output figure


def output_check() -> dict:
    """The independent figure the verdict on h2-output rests on, and the recorded conflict.

    Keys: verdict (in words), value (亿元), scope, year, source_id, publisher, conflict_values
    (the values sources give for that fact), conflict_reason (why the book uses this one).
    Raises LookupError if the verdict rests on no row.
    """
    found = verdicts.verdict("h2-output")
    if found.basis is None:
        raise LookupError("h2-output rests on no independent row")
    basis = found.basis
    value, unit = formatting.in_display_unit(float(basis["value"]), basis["unit"])
    key = "|".join([basis["entity_id"], basis["scope"], basis["measure"], str(basis["year"])])
    conflict = one(data.load("conflicts"), table="zone_indicators", fact_key=key)
    publisher = data.load("sources").set_index("source_id").loc[basis["source_id"], "publisher"]
    return {"verdict": verdicts.LABELS[found.verdict], "value": value, "unit": unit, "scope": basis["scope"],
            "year": int(basis["year"]), "source_id": basis["source_id"], "publisher": publisher,
            "conflict_values": conflict["values_seen"], "conflict_reason": conflict["reason"]}


def output_rows() -> pd.DataFrame:
    """Guangzhou's industrial output by scope and year (above designated size and all industry).

    Columns: SHOWN (value_display in 亿元).
    """
    return used_rows(OUTPUT, [HOME])[SHOWN]


def output_table():
    """Guangzhou's industrial output figures for readers."""
    labels = data.load("indicators").set_index("indicator_id")["label_en"]
    return reader_table(output_rows().sort_values(["indicator", "data_year", "scope"]), [
        Column("Measure", lambda r: labels[r["indicator"]]), Column("Scope", lambda r: formatting.scope(r["scope"])),
        Column("Year", "data_year", "year"), Column("Output (亿元)", ("value", "unit", "qualifier"), "figure"),
        Column("Source", "source_id", "source"),
    ], caption="Industrial output reported for Guangzhou Development Zone and Huangpu District (亿元, current prices)")


def output_growth() -> dict:
    """Average nominal growth of output above designated size on the joint scope, first to last exact year.

    A growth rate compares two years by design, so the ratio's inputs carry no year (the year
    check of :func:`highlands.bounds.ratio` is for shares); both ends are exact figures of one
    scope. Keys: first_year, first (亿元), last_year, last (亿元), cagr_pct, bound, reason, source_id.
    """
    rows = output_rows()
    joint = rows[(rows["indicator"] == "industrial_output_above_size") & (rows["scope"] == "zone_and_district")
                 & (rows["qualifier"] == "exact") & (rows["data_year"] >= 2019)]
    first = one(joint, data_year=int(joint["data_year"].min()))
    last = one(joint, data_year=int(joint["data_year"].max()))
    years = int(last["data_year"] - first["data_year"])
    growth = bounds.ratio(bounds.Quantity(float(last["value_display"]), last["qualifier"], last["scope"]),
                          bounds.Quantity(float(first["value_display"]), first["qualifier"], first["scope"]))
    return {"first_year": int(first["data_year"]), "first": float(first["value_display"]),
            "last_year": int(last["data_year"]), "last": float(last["value_display"]),
            "cagr_pct": 100 * (growth.value ** (1 / years) - 1), "bound": growth.label, "reason": growth.reason,
            "source_id": f"{first['source_id']};{last['source_id']}"}


# ---------------------------------------------------------------------------------------------
# The two top-100 lists


def ranking(list_id: str, top: int = TOP) -> pd.DataFrame:
    """Used ranks of one district list, places 1 to ``top`` of each edition found.

    Columns: list, edition, rank, entity_id, name_zh, name (short English name), source_id.
    """
    ranks = data.load("district_rankings")
    ranks = ranks[ranks["use"] & (ranks["list"] == list_id) & ranks["rank"].notna() & (ranks["rank"] <= top)].copy()
    ranks["name"] = ranks["entity_id"].map(colours.name)
    ranks["rank"] = ranks["rank"].astype(int)
    return ranks[["list", "edition", "rank", "entity_id", "name_zh", "name", "source_id"]].sort_values(
        ["edition", "rank"]).reset_index(drop=True)


def _bump(list_id: str, title: str):
    ranks = ranking(list_id)
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    charts.bump_chart(ax, ranks)
    ax.set_yticks(range(1, TOP + 1))
    ax.set_xlim(ranks["edition"].min() - 0.3, ranks["edition"].max() + 1.6)
    ax.set_xlabel("edition")
    ax.set_title(title)
    fig.tight_layout()
    return fig, ranks


@figure_builder("fig-caict-ranks")
def fig_caict_ranks():
    """CAICT's industrial top-100 districts, top ten by edition: (figure, plotted rows)."""
    return _bump("caict_industrial_top100", "CAICT industrial top-100 districts  工业百强区 (top ten)")


@figure_builder("fig-ccid-ranks")
def fig_ccid_ranks():
    """CCID's top-100 districts, top ten by edition: (figure, plotted rows)."""
    return _bump("ccid_top100_districts", "CCID top-100 districts  赛迪百强区 (top ten)")


# ---------------------------------------------------------------------------------------------
# Peers' output


def peer_output(since: int = 2019) -> pd.DataFrame:
    """The latest output figure of each entity, scope and measure since ``since``.

    Columns: SHOWN plus label ("name · scope (year)"). value_display in 亿元; sorted by value.
    """
    rows = used_rows(OUTPUT, [HOME, *OUTPUT_PEERS], since)[SHOWN]
    latest = rows.groupby(["entity_id", "indicator"])["data_year"].transform("max")
    rows = rows[rows["data_year"] == latest].copy()
    rows["label"] = [f"{colours.name(e)} · {formatting.scope(s)} ({y})"
                     for e, s, y in zip(rows["entity_id"], rows["scope"], rows["data_year"])]
    return rows.sort_values(["value_display", "entity_id"]).reset_index(drop=True)


@figure_builder("fig-peer-output")
def fig_peer_output():
    """Latest industrial output of Guangzhou and peers since 2019, as bars: (figure, plotted rows)."""
    rows = peer_output()
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.42 * len(rows)))
    for y, (_, row) in enumerate(rows.iterrows()):
        colour = colours.colour(row["entity_id"])
        all_industry = row["indicator"] == "industrial_output_total"
        ax.barh(y, row["value_display"], color="white" if all_industry else colour, edgecolor=colour,
                hatch="///" if all_industry else None, linewidth=1.4, height=0.7)
        ax.annotate(formatting.with_qualifier(row["value_display"], row["qualifier"], 0), (row["value_display"], y),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=8.5)
    ax.set_yticks(range(len(rows)), rows["label"], fontsize=8.5)
    ax.set_xlim(0, rows["value_display"].max() * 1.18)
    ax.set_title("Industrial output, latest year since 2019  工业总产值")
    ax.set_xlabel("亿元 (100 million yuan, current prices)")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    fig.legend(handles=[Patch(facecolor="#777777", label="above designated size (规上)"),
                        Patch(facecolor="white", edgecolor="#777777", hatch="///", label="all industry")],
               loc="upper left", bbox_to_anchor=(0.01, 0.0), ncol=2, fontsize=8.5, frameon=False)
    return fig, rows


# ---------------------------------------------------------------------------------------------
# The cluster claim


def cluster_floor() -> pd.DataFrame:
    """The article's cluster claim as a floor on output, and its share of 2018 output.

    "Three 千亿级 and four 500亿级 clusters" gives 3 × 1,000 + 4 × 500 亿元 if each cluster is
    at least its class; a class (级) is not a value, so the share of output it implies is
    labelled by :func:`highlands.bounds.ratio` (class and exact fix no direction:
    indicative). The denominator is the independent 2018 figure the verdict on h2-output rests
    on. Columns: quantity, value, unit, bound, reason, source_id.
    """
    n100, size100 = _article("h2-clusters-100bn"), _article("h2-clusters-100bn-floor")
    n50, size50 = _article("h2-clusters-50bn"), _article("h2-clusters-50bn-floor")
    big = float(n100["value"]) * float(size100["value"])
    mid = float(n50["value"]) * float(size50["value"])
    output = output_check()
    floor = bounds.Quantity(big + mid, size100["qualifier"], output["scope"], int(size100["data_year"]))
    share = bounds.ratio(floor, bounds.Quantity(output["value"], "exact", output["scope"], output["year"]), scale=100)
    rest = bounds.ratio(bounds.Quantity(output["value"] - big - mid, size100["qualifier"], output["scope"], output["year"]),
                        bounds.Quantity(1.0), scale=1)
    article = "article:h2-clusters-100bn;article:h2-clusters-100bn-floor;article:h2-clusters-50bn;article:h2-clusters-50bn-floor"
    return pd.DataFrame([
        {"quantity": "three 千亿级 clusters, each at its class", "value": big, "unit": "亿元",
         "bound": bounds.LABELS.get(size100["qualifier"], size100["qualifier"]),
         "reason": "千亿级 is a class, read as its threshold", "source_id": "article:h2-clusters-100bn;article:h2-clusters-100bn-floor"},
        {"quantity": "four 500亿级 clusters, each at its class", "value": mid, "unit": "亿元",
         "bound": bounds.LABELS.get(size50["qualifier"], size50["qualifier"]),
         "reason": "500亿级 is a class, read as its threshold", "source_id": "article:h2-clusters-50bn;article:h2-clusters-50bn-floor"},
        {"quantity": "the seven clusters together", "value": big + mid, "unit": "亿元",
         "bound": bounds.LABELS.get(size100["qualifier"], size100["qualifier"]),
         "reason": "the sum of two class thresholds", "source_id": article},
        {"quantity": f"output above designated size, {output['year']} ({formatting.scope(output['scope'])})", "value": output["value"],
         "unit": "亿元", "bound": "exact", "reason": "the independent figure the verdict rests on",
         "source_id": output["source_id"]},
        {"quantity": "share of output in the seven clusters", "value": round(share.value, 1), "unit": "%",
         "bound": share.label, "reason": share.reason, "source_id": f"{article};{output['source_id']}"},
        {"quantity": "output outside the seven clusters", "value": round(rest.value, 2), "unit": "亿元",
         "bound": rest.label, "reason": rest.reason, "source_id": f"{article};{output['source_id']}"},
    ])


def cluster_floor_table():
    """The cluster arithmetic for readers."""
    return reader_table(cluster_floor(), [
        Column("Quantity", "quantity"), Column("Value", "value", "number"), Column("Unit", "unit"),
        Column("Bound", "bound"), Column("Why", "reason", "quote"), Column("Source", "source_id", "source"),
    ], caption="The cluster claim as a floor on 2018 output")


@figure_builder("fig-cluster-bound")
def fig_cluster_bound():
    """2018 output split into the clusters' class thresholds and the rest: (figure, plotted rows)."""
    rows = cluster_floor().set_index("quantity")
    big, mid = (float(rows.loc[q, "value"]) for q in ("three 千亿级 clusters, each at its class",
                                                        "four 500亿级 clusters, each at its class"))
    rest = float(rows.loc["output outside the seven clusters", "value"])
    home = colours.home()
    fig, ax = plt.subplots(figsize=(7.5, 2.4))
    left = 0.0
    for width, face, hatch, label in ((big, home, None, "three 千亿级 clusters (class threshold)"),
                                      (mid, "white", "///", "four 500亿级 clusters (class threshold)"),
                                      (rest, "#dddddd", None, "rest of output (indicative)")):
        ax.barh(0, width, left=left, color=face, edgecolor=home if face != "#dddddd" else "#999999", hatch=hatch,
                linewidth=1.2, label=label, height=0.6)
        ax.annotate(formatting.number(width, 0), (left + width / 2, 0), ha="center", va="center", fontsize=9,
                    color="white" if face == home else "black",
                    bbox=None if face != "white" else {"facecolor": "white", "edgecolor": "none", "pad": 1})
        left += width
    ax.set_yticks([])
    ax.set_xlim(0, left)
    ax.set_xlabel("亿元, output above designated size")
    ax.set_title("The cluster claim against output  产业集群与规上工业总产值")
    ax.grid(visible=False)
    fig.tight_layout()
    fig.legend(*ax.get_legend_handles_labels(), loc="upper left", bbox_to_anchor=(0.01, 0.0), ncol=2, fontsize=8.5,
               frameon=False)
    return fig, cluster_floor()


def cluster_lists() -> pd.DataFrame:
    """Counts of clusters and national bases the zone has published, with the words each source uses.

    The article's own figures are rows with scope "article". Columns: indicator, scope,
    data_year, value, unit, qualifier, evidence (verbatim), source_id.
    """
    rows = data.load("zone_indicators")
    rows = rows[rows["use"] & (rows["entity_id"] == HOME) & rows["indicator"].isin(CLUSTERS)]
    rows = rows[["indicator", "scope", "data_year", "value", "unit", "qualifier", "evidence", "source_id"]]
    seed = claims.article_figures(HIGHLAND)
    seed = seed[seed["figure_id"].isin(["h2-clusters-100bn", "h2-clusters-50bn", "h2-national-bases"])]
    measures = {"h2-clusters-100bn": "industrial_clusters_100bn", "h2-clusters-50bn": "industrial_clusters_50bn",
                "h2-national-bases": "national_industrial_bases_cumulative"}
    article = pd.DataFrame({"indicator": seed["figure_id"].map(measures), "scope": "article",
                            "data_year": seed["data_year"], "value": seed["value"].astype(float), "unit": seed["unit"],
                            "qualifier": seed["qualifier"], "evidence": seed["quote"],
                            "source_id": "article:" + seed["figure_id"]})
    return pd.concat([rows, article], ignore_index=True).sort_values(["data_year", "indicator"]).reset_index(drop=True)


def cluster_lists_table():
    """The zone's cluster lists over the years, for readers."""
    labels = data.load("indicators").set_index("indicator_id")["label_en"]
    rows = cluster_lists()
    years = rows[rows["scope"] != "article"]["data_year"]
    return reader_table(rows, [
        Column("Year", "data_year", "year"), Column("Scope", lambda r: formatting.scope(r["scope"])),
        Column("What is counted", lambda r: labels[r["indicator"]]), Column("Count", "value", "number"),
        Column("The source says", "evidence", "quote"), Column("Source", "source_id", "source"),
    ], caption=f"Clusters and national bases the zone has named, {years.min()}–{years.max()}, beside the article's")


# ---------------------------------------------------------------------------------------------
# Plans and the record since 2019


def plans_table():
    """Highland 2's commitments with their status, for readers."""
    return reader_table(plans.commitments(HIGHLAND), [
        Column("Commitment", "commitment_en"), Column("Article (verbatim)", "quote", "quote"),
        Column("Status", "status_label"), Column("Since", "status_date", "date"),
        Column("What the source shows", "evidence_note", "quote"), Column("Source", "source_id", "source"),
    ], caption="What happened to highland 2's plans (status as of the latest source found)")


@figure_builder("fig-plans-industrial-clusters")
def fig_plans():
    """Highland 2's commitments on a time line, by status: (figure, plotted rows)."""
    count = len(plans.commitments(HIGHLAND))
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.3 * count))
    frame = plans.status_chart(ax, HIGHLAND)
    ax.set_title("Highland 2's commitments: date of the step a source reports", fontsize=11)
    fig.tight_layout()
    return fig, frame


def _record(indicator: str, title: str):
    fig, levels, growth = record.figure(indicator, [HOME, *PEERS], title, display_unit="亿元")
    return fig, pd.concat([levels[SHOWN], growth], ignore_index=True)


@figure_builder("fig-record-output")
def fig_record_output():
    """Output above designated size since 2015, zone and peers, levels and nominal growth: (figure, rows)."""
    return _record("industrial_output_above_size", "Industrial output above designated size since 2015  规上工业总产值 (亿元)")


@figure_builder("fig-record-gdp")
def fig_record_gdp():
    """GDP since 2015, zone and peers, levels and nominal growth: (figure, rows)."""
    return _record("gdp", "GDP since 2015  地区生产总值 (亿元)")


# ---------------------------------------------------------------------------------------------
# Values the prose glues


def key_values() -> dict:
    """Every number, verdict and bound label the chapter's prose glues, selected by key.

    Raises LookupError when a keyed row is missing or not unique (the data changed shape).
    """
    v: dict = {"verdicts": verdicts.summary(HIGHLAND)}
    for figure_id in ("h2-output", "h2-top100-rank", "h2-clusters-100bn", "h2-clusters-50bn", "h2-national-bases",
                      "h2-clusters-100bn-floor", "h2-world-class-clusters"):
        v[f"verdict_{figure_id[3:].replace('-', '_')}"] = claims.verdict_of(figure_id)
    v["article_output"] = claims.stated(_article("h2-output"))
    check = output_check()
    v["output_2018"] = formatting.figure(check["value"], check["unit"])
    v.update({"output_2018_scope": check["scope"], "output_2018_year": check["year"],
              "output_2018_publisher": check["publisher"], "output_conflict_values": check["conflict_values"],
              "output_conflict_reason": check["conflict_reason"]})

    caict = ranking("caict_industrial_top100")
    huangpu = caict[caict["entity_id"] == HOME]
    first = int(caict["edition"].min())
    v["caict_first_edition"] = first
    v["caict_first_rank"] = int(one(huangpu, edition=first)["rank"])
    v["caict_article_rank"] = int(one(huangpu, edition=2018)["rank"])
    latest = int(huangpu["edition"].max())
    v["caict_latest_edition"], v["caict_latest_rank"] = latest, int(one(huangpu, edition=latest)["rank"])
    v["caict_latest_first"] = colours.name(one(caict, edition=latest, rank=1)["entity_id"])
    for key in ("caict_first", "caict_article", "caict_latest"):
        v[f"{key}_place"] = ordinal(v[f"{key}_rank"])
    ccid = ranking("ccid_top100_districts")
    ccid_home = ccid[ccid["entity_id"] == HOME]
    v["ccid_best"], v["ccid_worst"] = int(ccid_home["rank"].min()), int(ccid_home["rank"].max())
    v["ccid_best_place"], v["ccid_worst_place"] = ordinal(v["ccid_best"]), ordinal(v["ccid_worst"])
    v["ccid_first_edition"], v["ccid_last_edition"] = int(ccid_home["edition"].min()), int(ccid_home["edition"].max())

    growth = output_growth()
    v.update({"output_first_year": growth["first_year"], "output_first": growth["first"],
              "output_last_year": growth["last_year"], "output_last": growth["last"],
              "output_cagr": growth["cagr_pct"], "output_cagr_bound": growth["bound"]})
    rows = output_rows()
    for scope in ("zone", "district"):
        row = one(rows, indicator="industrial_output_above_size", scope=scope, data_year=2023)
        v[f"output_2023_{scope}"] = formatting.figure(row["value"], row["unit"], row["qualifier"])
    peers = peer_output()
    for entity in ("sip", "pudong"):
        row = one(peers, entity_id=entity, indicator="industrial_output_above_size")
        v[f"{entity}_output"] = formatting.figure(row["value"], row["unit"], row["qualifier"], 0)
        v[f"{entity}_output_year"] = int(row["data_year"])

    floor = cluster_floor().set_index("quantity")
    v["cluster_floor"] = float(floor.loc["the seven clusters together", "value"])
    share = floor.loc["share of output in the seven clusters"]
    v["cluster_share"], v["cluster_share_bound"], v["cluster_share_reason"] = float(share["value"]), share["bound"], share["reason"]
    lists = cluster_lists()
    years = sorted({int(y) for y in lists[lists["scope"] != "article"]["data_year"]})
    v["cluster_list_years"] = ", ".join(str(y) for y in years)

    status = plans.status_counts(HIGHLAND)
    v.update({f"plans_{k}": n for k, n in status.items()})
    v["plans_total"] = sum(status.values())
    changed = one(plans.commitments(HIGHLAND), commitment_id="c2-three-world-clusters")
    v["world_clusters_status"] = changed["status_label"]
    v["world_clusters_date"] = formatting.date_at_precision(changed["status_date"])

    gdp = record.series("gdp", [HOME])
    for scope in ("district",):
        mine = gdp[gdp["scope"] == scope]
        row = one(mine, data_year=int(mine["data_year"].max()))
        v["gdp_latest"] = formatting.figure(row["value"], row["unit"], row["qualifier"])
        v["gdp_latest_year"] = int(row["data_year"])
        row = one(mine, data_year=2019)
        v["gdp_2019"] = formatting.figure(row["value"], row["unit"], row["qualifier"])
    return v
