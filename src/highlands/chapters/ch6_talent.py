"""Chapter 6, talent (人才成功区 · “高精尖缺”人才发展新高地): what the chapter shows, from the data.

The article says the zone was first in China to issue a ten-article talent policy (the
"美玉10条") and has gathered 698 high-level talents. This module builds the chapter's tables,
figures and glued values:

- :func:`talent_counts` / :func:`fig_talent_counts`: the zone's talent counts, one series per
  definition (indicator) and scope; counts of different definitions are never chained.
- :func:`nearest_counts`: for the article's 698, the nearest published count of each definition.
- :func:`peer_counts` / :func:`fig_talent_peers`: peers' counts, each definition apart.
- :func:`talents_per_gdp` / :func:`fig_talent_per_gdp`: counts per 100 billion yuan of GDP of the
  same year, labelled by :func:`highlands.bounds.ratio`.
- :func:`policy_amounts` / :func:`fig_talent_policy`: what the talent measures offer, by version
  (the versions are the zone's talent-measure milestones: 1.0 of 2017, 2.0 of 2020, 2024).
- :func:`fig_plans`, :func:`fig_record_talents`, :func:`peer_years_table`: plans and the record
  since 2019.
- :func:`key_values`: every number and label the prose glues, selected by key.

Data: ``zone_indicators``, ``indicators``, ``milestones``, ``seed_figures``, ``claim_readings``,
``commitments``, ``commitment_evidence``, ``search_log`` (through :func:`highlands.load`). Every
function raises :class:`highlands.DataError` when the data do not validate, and ``LookupError``
when a key it needs matches no row or several.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from .. import bounds, charts, claims, colours, data, formatting, plans, record
from ..figures import figure_builder
from ..verdicts import LABELS as VERDICT_LABELS
from ..verdicts import summary as verdict_summary
from ..verdicts import verdict

HIGHLAND = 6
HOME = "guangzhou_dz"
PEERS = ["shenzhen_nanshan", "sip", "zhongguancun", "beijing_etown", "teda"]
# Counts of teams or projects that belong with the talent counts (all other talent counts are
# persons: indicators of quantity "persons" and accumulation "stock", population aside).
COUNT_EXTRA = ("pearl_river_talent_teams", "academician_projects")
NOT_TALENT = ("population",)
# Talent counts divided by GDP, and the zone's own scopes a GDP denominator may have.
RATIO_INDICATORS = ("high_level_talents", "leading_experts", "academicians")
GDP_SCOPES = ("zone", "district", "zone_and_district")
# Markers of a derived number by its bound label.
BOUND_MARKERS = {"exact": "o", "at least": "^", "at most": "v", "indicative": "D"}


# --- helpers -------------------------------------------------------------------------------

def _used() -> pd.DataFrame:
    rows = data.load("zone_indicators")
    return rows[rows["use"]].copy()


def _one(frame: pd.DataFrame, **key) -> pd.Series:
    """The one row of ``frame`` matching every column=value in ``key`` (LookupError otherwise)."""
    rows = frame
    for column, value in key.items():
        rows = rows[rows[column] == value]
    if len(rows) != 1:
        raise LookupError(f"expected one row for {key}, found {len(rows)}")
    return rows.squeeze(axis=0)


def _indicators() -> pd.DataFrame:
    return data.load("indicators").set_index("indicator_id")


def _talent_ids() -> list[str]:
    indicators = _indicators()
    persons = indicators[(indicators["quantity"] == "persons") & (indicators["accumulation"] == "stock")]
    return sorted(set(persons.index) - set(NOT_TALENT)) + list(COUNT_EXTRA)


def _describe(frame: pd.DataFrame) -> pd.DataFrame:
    """Add label_en, label_zh, definition (indicators.csv) and stated ('1,400+ persons')."""
    indicators = _indicators()
    frame = frame.copy()
    frame["label_en"] = frame["indicator"].map(indicators["label_en"])
    frame["label_zh"] = frame["indicator"].map(indicators["label_zh"])
    frame["definition"] = frame["indicator"].map(indicators["definition"])
    # A count keeps its noun (projects, teams): the display unit of a count is empty.
    frame["stated"] = [formatting.figure(float(v), u, q) + ("" if formatting.in_display_unit(float(v), u)[1] else f" {u}")
                       for v, u, q in zip(frame["value"], frame["unit"], frame["qualifier"])]
    frame["persons"] = [formatting.in_display_unit(float(v), u)[0] for v, u in zip(frame["value"], frame["unit"])]
    return frame


# --- the zone's counts, definition by definition -----------------------------------------------

def talent_counts(entity_ids: list[str] | None = None) -> pd.DataFrame:
    """Talent counts (persons, or teams and projects for :data:`COUNT_EXTRA`) for the zone, or
    for ``entity_ids``.

    Columns: entity_id, scope, indicator, label_en, label_zh, definition, data_year, as_of,
    value, unit, qualifier, stated, persons (the count in persons or items), note, source_id.
    Sorted by label, entity and data year.
    """
    rows = _used()
    rows = rows[rows["entity_id"].isin(entity_ids or [HOME]) & rows["indicator"].isin(_talent_ids())]
    rows = _describe(rows).sort_values(["label_en", "entity_id", "data_year"])
    return rows[["entity_id", "scope", "indicator", "label_en", "label_zh", "definition", "data_year", "as_of", "value",
                 "unit", "qualifier", "stated", "persons", "note", "source_id"]].reset_index(drop=True)


def counts_table(entity_ids: list[str] | None = None, caption: str = "Talent counts, definition by definition"):
    """:func:`talent_counts` as a reader table."""
    from ..tables import Column, reader_table

    return reader_table(talent_counts(entity_ids), [
        Column("Entity", "entity_id", "entity"), Column("Count of", "label_en"), Column("口径", "label_zh"),
        Column("Year", "data_year", "year"), Column("Scope", lambda r: r["scope"].replace("_", " ")),
        Column("Figure", "stated"), Column("Definition (the book's)", "definition", "quote"),
        Column("What the source says", "note", "quote"), Column("Source", "source_id", "source"),
    ], caption=caption)


def nearest_counts(year: int | None = None) -> pd.DataFrame:
    """For each definition, the zone's count nearest to ``year`` (default: the article's year for
    h6-talents); ties go to the earlier year. Columns as :func:`talent_counts` plus gap (years).
    """
    if year is None:
        year = int(_one(claims.article_figures(HIGHLAND), figure_id="h6-talents")["data_year"])
    counts = talent_counts()
    counts["gap"] = (counts["data_year"] - year).abs()
    nearest = counts.sort_values(["indicator", "gap", "data_year"]).groupby("indicator").head(1)
    return nearest.sort_values(["gap", "label_en"]).reset_index(drop=True)


def nearest_table(max_gap: int = 2):
    """:func:`nearest_counts` within ``max_gap`` years of the article's, as a reader table."""
    from ..tables import Column, reader_table

    nearest = nearest_counts()
    return reader_table(nearest[nearest["gap"] <= max_gap], [
        Column("Count of", "label_en"), Column("口径", "label_zh"), Column("Year", "data_year", "year"),
        Column("Years from the article's", "gap", "number"), Column("Scope", lambda r: r["scope"].replace("_", " ")),
        Column("Figure", "stated"), Column("Definition (the book's)", "definition", "quote"),
        Column("Source", "source_id", "source"),
    ], caption="The zone's published counts nearest to the article's year, one per definition (at most two years away)")


@figure_builder("fig-talent-counts")
def fig_talent_counts():
    """One panel per definition with at least two published years: the zone's counts by data
    year, one line per scope (a change of scope is a new line); the article's 698 as a grey star
    in the high-level talents panel. Definitions published once are in the table.

    Returns (fig, frame): the plotted counts (and the article's figure) with source_id.
    """
    counts = talent_counts()
    years = counts.groupby("indicator")["data_year"].nunique()
    shown = list(years[years >= 2].sort_values(ascending=False).index)
    article = _one(claims.article_figures(HIGHLAND), figure_id="h6-talents")
    reading = _one(data.load("claim_readings"), figure_id="h6-talents")
    labels = _indicators()
    columns = 2
    rows_n = -(-len(shown) // columns)
    fig, axes = plt.subplots(rows_n, columns, figsize=(7.5, 2.7 * rows_n + 1.0), sharex=True, squeeze=False)
    for ax, indicator in zip(axes.flat, shown):
        panel = counts[counts["indicator"] == indicator]
        charts.series_lines(ax, panel, x="data_year", y="persons", basis=("entity_id", "scope", "indicator"),
                            label=lambda f: f["scope"].replace("_", " "))
        if indicator == reading["measure"]:
            ax.scatter([int(article["data_year"])], [float(article["value"])], marker="*", s=170, color="#777777", zorder=5)
            ax.annotate("article", (int(article["data_year"]), float(article["value"])), xytext=(6, -3),
                        textcoords="offset points", fontsize=8, color="#555555")
        top = max(panel["persons"].max(), float(article["value"]) if indicator == reading["measure"] else 0)
        ax.set_ylim(0, top * 1.25)
        ax.set_title(f"{labels.loc[indicator, 'label_en']}  {labels.loc[indicator, 'label_zh']}", fontsize=9.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    for ax in list(axes.flat)[len(shown):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("persons")
    scopes = list(dict.fromkeys(counts[counts["indicator"].isin(shown)]["scope"]))
    handles = [Line2D([], [], color=colours.home(), linestyle=colours.scope_style(s)[0], label=s.replace("_", " "))
               for s in scopes]
    handles += charts.qualifier_handles(counts[counts["indicator"].isin(shown)]["qualifier"])
    handles.append(Line2D([], [], marker="*", color="#777777", linestyle="", markersize=10,
                          label=f"the article's {formatting.number(float(article['value']))} (no independent source)"))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0), ncol=3, fontsize=8, frameon=False)
    fig.suptitle("The zone's talent counts, one panel per definition  人才数量（按口径）", x=0.01, ha="left", fontsize=12)
    fig.tight_layout(rect=(0, 0.6 / fig.get_figheight(), 1, 1))
    frame = counts[counts["indicator"].isin(shown)]
    star = pd.DataFrame([{"entity_id": HOME, "scope": reading["scope"], "indicator": reading["measure"],
                          "label_en": "the article's figure", "data_year": int(article["data_year"]),
                          "value": float(article["value"]), "unit": article["unit"], "qualifier": article["qualifier"],
                          "persons": float(article["value"]), "source_id": "article:h6-talents"}])
    frame = pd.concat([frame, star], ignore_index=True)
    return fig, frame[["entity_id", "scope", "indicator", "label_en", "data_year", "as_of", "value", "unit", "qualifier",
                       "persons", "source_id"]]


# --- peers ------------------------------------------------------------------------------------

def peer_counts() -> pd.DataFrame:
    """Talent counts of the zone and its peers for the definitions the zone and at least one peer
    publish; for the zone only its first and last published year per definition.

    Columns as :func:`talent_counts` plus name (short entity name).
    """
    counts = talent_counts([HOME, *PEERS])
    peers = counts[counts["entity_id"] != HOME]
    home = counts[(counts["entity_id"] == HOME) & counts["indicator"].isin(set(peers["indicator"]))]
    first = home.groupby("indicator")["data_year"].transform("min")
    last = home.groupby("indicator")["data_year"].transform("max")
    home = home[(home["data_year"] == first) | (home["data_year"] == last)]
    frame = pd.concat([home, peers[peers["indicator"].isin(set(home["indicator"]))]], ignore_index=True)
    frame["name"] = frame["entity_id"].map(colours.name)
    return frame.sort_values(["label_en", "entity_id", "data_year"]).reset_index(drop=True)


@figure_builder("fig-talent-peers")
def fig_talent_peers():
    """One dot-strip panel per definition that the zone and a peer both publish; each point is
    labelled with its count and data year, hollow markers are bounds.

    Returns (fig, frame) as :func:`peer_counts`.
    """
    frame = peer_counts()
    labels = _indicators()
    indicators = list(dict.fromkeys(frame["indicator"]))
    sizes = [frame[frame["indicator"] == i]["name"].nunique() for i in indicators]
    fig, axes = plt.subplots(len(indicators), 1, figsize=(7.5, 0.55 * sum(sizes) + 0.75 * len(indicators) + 0.9),
                             height_ratios=[n + 0.8 for n in sizes])
    for ax, indicator in zip(axes, indicators):
        panel = frame[frame["indicator"] == indicator].assign(value=lambda f: f["persons"])
        order = charts.dot_strip(ax, panel, size=50)
        for y, name in enumerate(order):
            points = panel[panel["name"] == name].sort_values("data_year")
            texts = [f"{formatting.with_qualifier(p, q)} ({yr}, {sc.replace('_', ' ')})"
                     for p, q, yr, sc in zip(points["persons"], points["qualifier"], points["data_year"], points["scope"])]
            ax.annotate(" · ".join(texts), (points["persons"].max(), y), xytext=(7, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.set_ylim(-0.7, len(order) - 0.3)
        ax.set_xlim(0, panel["persons"].max() * 1.9)
        ax.set_title(f"{labels.loc[indicator, 'label_en']}  {labels.loc[indicator, 'label_zh']}", fontsize=9.5)
        ax.tick_params(axis="both", labelsize=8)
    axes[-1].set_xlabel("persons; label: count (data year, scope)")
    fig.legend(handles=charts.qualifier_handles(frame["qualifier"]), loc="lower left", bbox_to_anchor=(0.01, 0),
               ncol=2, fontsize=8, frameon=False)
    fig.suptitle("Talent counts of the zone and its peers, each definition apart", x=0.01, ha="left", fontsize=12)
    fig.tight_layout(rect=(0, 0.45 / fig.get_figheight(), 1, 1 - 0.25 / fig.get_figheight()))
    return fig, frame[["entity_id", "name", "scope", "indicator", "label_en", "data_year", "as_of", "value", "unit",
                       "qualifier", "persons", "source_id"]]


def peer_years() -> pd.DataFrame:
    """For each peer (and the zone), the data years of its talent counts and of its GDP.

    Columns: entity_id, talent_years (text), talent_since_2019 (text), gdp_years (text).
    """
    counts = talent_counts([HOME, *PEERS])
    gdp = _used()
    gdp = gdp[gdp["indicator"] == "gdp"]

    def years(values) -> str:
        values = sorted({int(v) for v in values})
        return ", ".join(str(v) for v in values) if values else ""

    rows = []
    for entity in [HOME, *PEERS]:
        mine = counts[counts["entity_id"] == entity]
        rows.append({"entity_id": entity, "talent_years": years(mine["data_year"]),
                     "talent_since_2019": years(mine[mine["data_year"] >= 2019]["data_year"]),
                     "gdp_years": years(gdp[gdp["entity_id"] == entity]["data_year"])})
    return pd.DataFrame(rows)


def peer_years_table():
    """:func:`peer_years` as a reader table."""
    from ..tables import Column, reader_table

    return reader_table(peer_years(), [
        Column("Entity", "entity_id", "entity"), Column("Years with a talent count", "talent_years"),
        Column("Of which since 2019", "talent_since_2019"), Column("Years with a GDP", "gdp_years"),
    ], caption="Which years have a talent count, and which a GDP")


# --- talent relative to GDP -------------------------------------------------------------------

def talents_per_gdp() -> pd.DataFrame:
    """The zone's talent counts (:data:`RATIO_INDICATORS`, and the article's figure) per 100
    billion yuan of GDP of the same year.

    The GDP is the zone's of the same year in one of :data:`GDP_SCOPES`: of the count's own scope
    where there is one, else an exact figure, else a bound; :func:`highlands.bounds.ratio` labels
    the result (another scope or an approximate input makes it indicative). Counts without a GDP
    of their year are left out. Columns: talent (in words), indicator, data_year, count_scope,
    gdp_scope, per_100bn, bound, label, reason, computed_as, source_id.
    """
    counts = talent_counts()
    counts = counts[counts["indicator"].isin(RATIO_INDICATORS)].copy()
    article = _one(claims.article_figures(HIGHLAND), figure_id="h6-talents")
    reading = _one(data.load("claim_readings"), figure_id="h6-talents")
    counts = pd.concat([counts, pd.DataFrame([{
        "indicator": "article", "label_en": f"The article's {reading['measure'].replace('_', '-')}", "scope": reading["scope"],
        "data_year": int(article["data_year"]), "value": float(article["value"]), "unit": article["unit"],
        "qualifier": article["qualifier"], "persons": float(article["value"]), "stated": article["stated"],
        "source_id": "article:h6-talents"}])], ignore_index=True)
    gdp = _used()
    gdp = gdp[(gdp["entity_id"] == HOME) & (gdp["indicator"] == "gdp") & gdp["scope"].isin(GDP_SCOPES)]
    rows = []
    for _, count in counts.iterrows():
        candidates = gdp[gdp["data_year"] == count["data_year"]].copy()
        if candidates.empty:
            continue
        candidates["rank"] = list(zip(candidates["scope"] != count["scope"], candidates["qualifier"] != "exact",
                                      candidates["scope"]))
        denominator = candidates.sort_values("rank").head(1).squeeze(axis=0)
        derived = bounds.ratio(
            bounds.Quantity(float(count["persons"]), count["qualifier"], count["scope"], int(count["data_year"])),
            bounds.Quantity(float(denominator["value_base"]) / 1e11, denominator["qualifier"], denominator["scope"],
                            int(denominator["data_year"])))
        rows.append({"talent": count["label_en"], "indicator": count["indicator"], "data_year": int(count["data_year"]),
                     "count_scope": count["scope"], "gdp_scope": denominator["scope"],
                     "per_100bn": round(derived.value, 1), "bound": derived.bound, "label": derived.label,
                     "reason": derived.reason,
                     "computed_as": f"{count['stated']} ÷ ("
                                    f"{formatting.figure(float(denominator['value']), denominator['unit'], denominator['qualifier'])}"
                                    " ÷ 1,000)",
                     "source_id": f"{count['source_id']};{denominator['source_id']}"})
    return pd.DataFrame(rows).sort_values(["talent", "data_year"]).reset_index(drop=True)


def per_gdp_table():
    """:func:`talents_per_gdp` as a reader table."""
    from ..tables import Column, reader_table

    frame = talents_per_gdp()
    frame["result"] = [formatting.bounded(v, lab, 1) for v, lab in zip(frame["per_100bn"], frame["label"])]
    return reader_table(frame, [
        Column("Talent count", "talent"), Column("Year", "data_year", "year"),
        Column("Scopes (count / GDP)", lambda r: f"{r['count_scope']} / {r['gdp_scope']}".replace("_", " ")),
        Column("Computed as", "computed_as"), Column("Per 100 bn yuan of GDP", "result"), Column("Bound", "label"),
        Column("Why", "reason", "quote"), Column("Sources", "source_id", "source"),
    ], caption="Talent counts per 100 billion yuan of GDP of the same year")


@figure_builder("fig-talent-per-gdp")
def fig_talent_per_gdp():
    """Dots of talents per 100 billion yuan of GDP, one row per count and year, the marker giving
    the bound label (exact, at least, at most, indicative); the article's figure in grey.

    Returns (fig, frame) as :func:`talents_per_gdp`.
    """
    frame = talents_per_gdp().sort_values(["talent", "data_year"], ascending=[False, False]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(frame) + 1.6))
    for y, row in frame.iterrows():
        colour = "#777777" if row["indicator"] == "article" else colours.home()
        filled = row["label"] == "exact"
        ax.scatter(row["per_100bn"], y, marker=BOUND_MARKERS[row["label"]], s=60, linewidths=1.5, zorder=3,
                   facecolors=colour if filled else "white", edgecolors=colour)
        ax.annotate(formatting.bounded(row["per_100bn"], row["label"], 1, short=True), (row["per_100bn"], y),
                    xytext=(7, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(frame)), [f"{t}, {y}" for t, y in zip(frame["talent"], frame["data_year"])], fontsize=8.5)
    ax.set_xlim(0, frame["per_100bn"].max() * 1.3)
    ax.set_ylim(-0.7, len(frame) - 0.3)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("persons per 100 billion yuan of GDP of the same year")
    ax.set_title("Talent relative to the economy  人才密度")
    handles = [Line2D([], [], marker=m, linestyle="", color="#444444", markerfacecolor="#444444" if lab == "exact" else "white",
                      label=lab) for lab, m in BOUND_MARKERS.items() if lab in set(frame["label"])]
    handles.append(Line2D([], [], marker="o", linestyle="", color="#777777", label="the article's figure (unverified)"))
    charts.legend_below(ax, handles, ncol=3)
    fig.tight_layout()
    return fig, frame


# --- the policy ------------------------------------------------------------------------------

def policy_versions() -> pd.DataFrame:
    """The talent-policy milestones (kind policy, 'talent' in the event id) of the zone and its
    peers. Columns: entity_id, event_id, date, year, version (label_en, or '<year> measures')."""
    milestones = data.load("milestones")
    rows = milestones[milestones["use"] & (milestones["kind"] == "policy")
                      & milestones["event_id"].str.contains("talent") & milestones["entity_id"].isin([HOME, *PEERS])].copy()
    rows["year"] = rows["date"].str[:4].astype(int)
    rows["version"] = [lab if isinstance(lab, str) and lab else f"{y} measures" for lab, y in zip(rows["label_en"], rows["year"])]
    return rows[["entity_id", "event_id", "date", "year", "version", "source_id"]].sort_values(["entity_id", "date"]) \
        .reset_index(drop=True)


def policy_amounts() -> pd.DataFrame:
    """Per-person and per-team amounts the talent measures offer (indicators of accumulation
    'amount' in yuan), each under the latest policy version of its entity issued by its data
    year; an item restated later under the same version keeps its first statement.

    Columns: entity_id, name, version, version_year, indicator, item (label_en), data_year,
    value, unit, qualifier, wan_yuan (万元), stated ('≤ 500 万元' style), source_id.
    """
    indicators = _indicators()
    amounts = indicators[(indicators["accumulation"] == "amount") & (indicators["quantity"] == "money_cny")].index
    rows = _used()
    rows = rows[rows["indicator"].isin(amounts) & rows["entity_id"].isin([HOME, *PEERS])].copy()
    versions = policy_versions()
    chosen = []
    for _, row in rows.iterrows():
        mine = versions[(versions["entity_id"] == row["entity_id"]) & (versions["year"] <= row["data_year"])]
        if mine.empty:
            raise LookupError(f"no talent-policy milestone for {row['entity_id']} by {row['data_year']}")
        latest = mine[mine["year"] == mine["year"].max()].squeeze(axis=0)
        chosen.append((latest["version"], int(latest["year"])))
    rows["version"] = [v for v, _ in chosen]
    rows["version_year"] = [y for _, y in chosen]
    rows = rows.sort_values(["entity_id", "version_year", "indicator", "data_year"])
    rows = rows.groupby(["entity_id", "version", "indicator"]).head(1)
    rows["name"] = rows["entity_id"].map(colours.name)
    rows["item"] = rows["indicator"].map(indicators["label_en"])
    rows["wan_yuan"] = rows["value_base"].astype(float) / 1e4
    rows["stated"] = [f"{formatting.with_qualifier(w, q)} 万元" for w, q in zip(rows["wan_yuan"], rows["qualifier"])]
    return rows[["entity_id", "name", "version", "version_year", "indicator", "item", "data_year", "value", "unit",
                 "qualifier", "wan_yuan", "stated", "source_id"]].reset_index(drop=True)


def policy_table():
    """:func:`policy_amounts` as a reader table."""
    from ..tables import Column, reader_table

    return reader_table(policy_amounts(), [
        Column("Entity", "entity_id", "entity"), Column("Version", "version"), Column("Item", "item"),
        Column("Amount", "stated"), Column("Stated in", "data_year", "year"), Column("Source", "source_id", "source"),
    ], caption="Talent policy amounts by version (万元; ≤ = up to)")


def money_totals_table():
    """Talent money that is a total, not a per-person amount (funds, yearly spending), as a reader table."""
    from ..tables import Column, reader_table

    indicators = _indicators()
    ids = indicators[(indicators["quantity"] == "money_cny") & (indicators["accumulation"] != "amount")
                     & indicators.index.str.startswith("talent_")].index
    rows = _used()
    rows = rows[rows["indicator"].isin(ids) & rows["entity_id"].isin([HOME, *PEERS])].copy()
    rows["what"] = rows["indicator"].map(indicators["label_en"])
    return reader_table(rows.sort_values(["entity_id", "data_year"]), [
        Column("Entity", "entity_id", "entity"), Column("What", "what"), Column("Year", "data_year", "year"),
        Column("Figure", ("value", "unit", "qualifier"), "figure"), Column("Note", "note", "quote"),
        Column("Source", "source_id", "source"),
    ], caption="Talent money published as totals")


@figure_builder("fig-talent-policy")
def fig_talent_policy():
    """Dot chart (log scale, 万元) of the talent measures' amounts, grouped by entity and version,
    each item named above its row; hollow down-triangles are caps ("up to").

    Returns (fig, frame) as :func:`policy_amounts`.
    """
    frame = policy_amounts().sort_values(["entity_id", "version_year", "indicator"], key=lambda s: s.map(
        lambda v: (v != HOME, v) if s.name == "entity_id" else v)).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 0.48 * len(frame) + 1.6))
    for y, row in frame.iterrows():
        colour = colours.colour(row["entity_id"])
        filled = row["qualifier"] == "exact"
        ax.scatter(row["wan_yuan"], y, marker=charts.MARKERS[row["qualifier"]], s=55, linewidths=1.5, zorder=3,
                   facecolors=colour if filled else "white", edgecolors=colour)
        ax.annotate(f"{row['name']} · {row['version']} · {row['item']}", (1, y - 0.22), fontsize=8, va="bottom",
                    color="#333333")
        ax.annotate(formatting.with_qualifier(row["wan_yuan"], row["qualifier"]), (row["wan_yuan"], y), xytext=(7, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: formatting.number(v)))
    ax.set_xlim(1, frame["wan_yuan"].max() * 8)
    ax.set_ylim(len(frame) - 0.4, -0.9)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("万元 (10,000 yuan), log scale")
    ax.set_title("Talent policy amounts by version  人才政策额度")
    handles = [Line2D([], [], marker="o", linestyle="", color="#444444", label="fixed amount"),
               Line2D([], [], marker="v", linestyle="", color="#444444", markerfacecolor="white", label="cap (最高, up to)")]
    handles += [Line2D([], [], marker="s", linestyle="", color=colours.colour(e), label=colours.name(e))
                for e in dict.fromkeys(frame["entity_id"])]
    charts.legend_below(ax, handles, ncol=3)
    fig.tight_layout()
    return fig, frame


# --- plans and the record since 2019 ---------------------------------------------------------

@figure_builder("fig-talent-plans")
def fig_plans():
    """The highland's commitments with the date of the step their source reports (plans.status_chart)."""
    count = len(plans.commitments(HIGHLAND))
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * count + 1.6))
    frame = plans.status_chart(ax, HIGHLAND, labels_above=True)
    ax.set_title("Talent plans: the latest step found  人才成功区的计划")
    fig.tight_layout()
    return fig, frame


@figure_builder("fig-talent-record")
def fig_record_talents():
    """High-level talents of the zone and its peers since 2019: levels and nominal growth (record.figure)."""
    fig, levels, rates = record.figure("high_level_talents", [HOME, *PEERS],
                                       "High-level talents since 2019  高层次人才", since=2019)
    frame = pd.concat([levels.assign(panel="level"), rates.assign(panel="growth, % on the year before")],
                      ignore_index=True)
    return fig, frame[["panel", "entity_id", "scope", "data_year", "as_of", "value", "unit", "qualifier",
                       "value_display", "growth_pct", "source_id"]]


# --- glued values --------------------------------------------------------------------------------

def key_values() -> dict:
    """Every number, date, verdict and bound label the chapter's prose glues, selected by key.

    Values are Python floats, ints or strings.
    """
    values: dict = {}
    article = claims.article_figures(HIGHLAND)
    talents = _one(article, figure_id="h6-talents")
    values["article_talents"] = int(talents["value"])
    values["article_year"] = int(talents["data_year"])
    values["article_articles"] = int(_one(article, figure_id="h6-policy-articles")["value"])
    for figure_id, key in (("h6-talents", "talents"), ("h6-policy-articles", "articles")):
        found = verdict(figure_id)
        values[f"verdict_{key}"] = VERDICT_LABELS[found.verdict]
        if found.basis:
            values[f"verdict_{key}_basis"] = formatting.date_at_precision(found.basis["value"]) \
                if found.basis["unit"] == "date" else str(found.basis["value"])
    searches = data.load("search_log")
    values["searches_talents"] = int(((searches["subject_table"] == "seed_figures") & (searches["subject_id"] == "h6-talents")).sum())
    values["verdicts"] = verdict_summary(HIGHLAND)
    values["headline"] = "; ".join(f"{row['indicator_en']}: {row['stated']}" for _, row in article.iterrows()
                                   if row["qualifier"] != "qualitative")

    counts = talent_counts()
    for indicator, key in (("academicians", "acad"), ("high_level_talents", "hlt")):
        mine = counts[counts["indicator"] == indicator]
        first, last = int(mine["data_year"].min()), int(mine["data_year"].max())
        values[f"{key}_first"], values[f"{key}_first_year"] = int(_one(mine, data_year=first)["persons"]), first
        values[f"{key}_last"], values[f"{key}_last_year"] = int(_one(mine, data_year=last)["persons"]), last
        values[f"{key}_last_stated"] = formatting.with_qualifier(float(_one(mine, data_year=last)["persons"]),
                                                                 _one(mine, data_year=last)["qualifier"])
    values["hlt_2023"] = int(_one(counts, indicator="high_level_talents", data_year=2023)["persons"])
    values["lead_2023"] = int(_one(counts, indicator="leading_experts", data_year=2023)["persons"])
    values["acad_2018"] = int(_one(counts, indicator="academicians", data_year=2018)["persons"])
    values["nobel_2018"] = int(_one(counts, indicator="nobel_laureates", data_year=2018)["persons"])
    values["strat_2020"] = int(_one(counts, indicator="strategic_scientists", data_year=2020)["persons"])
    values["definitions"] = int(counts["indicator"].nunique())
    years = counts.groupby("indicator")["data_year"].nunique()
    charted = counts[counts["indicator"].isin(years[years >= 2].index)]
    values["counts_years"] = f"{int(charted['data_year'].min())}–{int(charted['data_year'].max())}"
    compared = peer_counts()
    values["peer_counts_years"] = f"{int(compared['data_year'].min())}–{int(compared['data_year'].max())}"
    nearest = nearest_counts()
    values["nearest_gap"] = int(nearest["gap"].min())
    values["nearest_n"] = int((nearest["gap"] == nearest["gap"].min()).sum())

    peers = talent_counts(PEERS)
    for entity, indicator, key in (("shenzhen_nanshan", "academicians", "nanshan_acad"),
                                   ("shenzhen_nanshan", "high_level_talents", "nanshan_hlt"),
                                   ("teda", "academicians", "teda_acad"), ("teda", "high_level_talents", "teda_hlt"),
                                   ("teda", "talent_total", "teda_pool"), ("beijing_etown", "talent_total", "etown_pool")):
        row = _one(peers, entity_id=entity, indicator=indicator)
        values[key], values[f"{key}_year"] = float(row["persons"]), int(row["data_year"])
        values[f"{key}_stated"] = formatting.with_qualifier(float(row["persons"]), row["qualifier"])
    years = peer_years()
    values["peers_with_counts_since_2019"] = int((years[years["entity_id"] != HOME]["talent_since_2019"] != "").sum())
    values["peers_n"] = len(PEERS)

    ratios = talents_per_gdp()
    for indicator, year, key in (("high_level_talents", 2023, "hlt_per_gdp_2023"), ("academicians", 2023, "acad_per_gdp_2023"),
                                 ("article", 2019, "article_per_gdp"), ("academicians", 2018, "acad_per_gdp_2018"),
                                 ("high_level_talents", 2024, "hlt_per_gdp_2024")):
        row = _one(ratios, indicator=indicator, data_year=year)
        values[key], values[f"{key}_label"] = float(row["per_100bn"]), row["label"]
        values[f"{key}_text"] = formatting.bounded(float(row["per_100bn"]), row["label"], 1)
        values[f"{key}_reason"] = row["reason"]
    values["per_gdp_years"] = f"{int(ratios['data_year'].min())}–{int(ratios['data_year'].max())}"

    amounts = policy_amounts()
    home = amounts[amounts["entity_id"] == HOME]
    project = _one(home, indicator="talent_project_funding_max")
    values["proj_max"], values["proj_max_version"] = float(project["wan_yuan"]), project["version"]
    housing = _one(home, indicator="talent_housing_purchase_subsidy_max")
    values["housing_max"], values["housing_version"] = float(housing["wan_yuan"]), housing["version"]
    sip = _one(amounts, entity_id="sip", indicator="talent_housing_purchase_subsidy_max")
    values["sip_housing_max"], values["sip_housing_year"] = float(sip["wan_yuan"]), int(sip["data_year"])
    share = _one(_used(), entity_id=HOME, indicator="talent_housing_purchase_subsidy_share")
    values["housing_share"], values["housing_share_year"] = float(share["value"]), int(share["data_year"])
    versions = policy_versions()
    for entity, key in (("teda", "teda_policy_date"), ("sip", "sip_policy_date")):
        values[key] = formatting.date_at_precision(_one(versions, entity_id=entity)["date"])
    versions = versions[versions["entity_id"] == HOME]
    for n, (_, row) in enumerate(versions[versions["event_id"].str.startswith("talent-measures")].iterrows(), start=1):
        values[f"version_{n}"], values[f"version_{n}_date"] = row["version"], formatting.date_at_precision(row["date"])
    values["versions_n"] = int(versions["event_id"].str.startswith("talent-measures").sum())
    values["policy_years"] = f"{int(amounts['data_year'].min())}–{int(amounts['data_year'].max())}"

    counts_plan = plans.status_counts(HIGHLAND)
    values["plans_total"] = sum(counts_plan.values())
    for status, n in counts_plan.items():
        values[f"plans_{status}"] = n
    commitments = plans.commitments(HIGHLAND)
    values["plans_searches_no_evidence"] = int(commitments.loc[commitments["status"] == "no_evidence", "searches"].sum())
    dated = commitments["status_date"].dropna().str[:4].astype(int)
    values["plans_no_evidence_items"] = "; ".join(commitments.loc[commitments["status"] == "no_evidence", "commitment_en"])
    done = commitments[commitments["status"] == "done"]
    values["plans_done_items"] = "; ".join(f"{c} ({formatting.date_at_precision(d)})"
                                           for c, d in zip(done["commitment_en"], done["status_date"])) or "none"
    values["plans_years"] = f"{int(dated.min())}–{int(dated.max())}"

    series = record.series("high_level_talents", [HOME, *PEERS], since=2019)
    values["record_years"] = f"{int(series['data_year'].min())}–{int(series['data_year'].max())}"
    values["record_peers"] = int(series[series["entity_id"] != HOME]["entity_id"].nunique())
    growth = record.growth(series)
    growth = growth[growth["entity_id"] == HOME]
    if len(growth):
        row = _one(growth, data_year=growth["data_year"].max())
        values["record_growth"], values["record_growth_year"] = float(row["growth_pct"]), int(row["data_year"])
    return values
