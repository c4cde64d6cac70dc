"""Chapter 4, outward cooperation (外向型园区 · 开放型合作新高地): the tables, figures and glued values.

The article names cooperation platforms rather than numbers: China–EU, China–Singapore,
China–Israel and China–Saudi cooperation, Greater Bay Area projects with Hong Kong and Macao, and
the "one zone, three parks" of the Guangzhou–Qingyuan cooperation zone. This module reads:

- ``cooperation_platforms``: the book's list of the platforms (partner, kind, role, order), with
  Suzhou Industrial Park and the Tianjin Eco-City as earlier China–Singapore references;
- ``milestones``: the platforms' dated steps (with the declared correction in ``corrections.csv``
  that files the district's HK–Macao youth policy with the youth base);
- ``zone_indicators``: the platforms' areas and sums, the zone's and peers' trade, trade links;
- ``etdz_national_totals``: all national ETDZs' trade;
- ``mofcom_etdz_ranking``: MOFCOM's import-export item;
- ``commitments`` / ``commitment_evidence`` (through :mod:`highlands.plans`) for the plans.

Every value the prose glues comes from :func:`key_values`, selected by key (entity, scope,
indicator, year or event), never by row position. Verdicts come from :mod:`highlands.verdicts`,
bound labels from :mod:`highlands.bounds`.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from highlands import bounds, charts, claims, colours, data, formatting, plans, record, verdicts
from highlands.figures import figure_builder
from highlands.tables import Column, reader_table

HIGHLAND = 4
ZONE = "guangzhou_dz"
ARTICLE_YEAR = 2019
# Peers with a trade figure in the data (areas differ; currencies are never converted).
TRADE_PEERS = ["sip", "pudong", "nansha", "kunshan_etdz", "shenzhen_nanshan"]
# The record chart leaves out Pudong: a whole new area trading several times what the zone does, it
# would flatten every other line (its figures are in the peers' table).
RECORD_PEERS = ["sip", "nansha", "kunshan_etdz", "shenzhen_nanshan"]
TRADE = "import_export"
TRADE_PART_YEAR = "import_export_partial_year"
# A platform's area: the whole of it, or a part (start-up area, core, a phase) drawn hatched.
WHOLE_AREAS = ["planned_area_km2", "area_km2"]
PART_AREAS = ["start_area_km2", "core_area", "cooperation_zone_area_km2", "sub_area_km2"]
# Marker and legend label for each kind of dated step on the timeline.
STEP_MARKERS = {"founding": ("o", "founded 成立"), "approval": ("s", "approved or named 批复/授牌"),
                "platform": ("D", "set up (agreement, project) 签约"), "policy": ("^", "policy 政策"),
                "other": ("X", "other step 其他")}
FIRST_STEP_KINDS = ["founding", "approval", "platform"]
FIGURES = ["h4-platforms", "h4-qingyuan-parks"]


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


def _label(indicator: str) -> str:
    """An indicator's English label (indicators.csv)."""
    return data.load("indicators").set_index("indicator_id").loc[indicator, "label_en"]


def _colour(entity_id: str, role: str) -> str:
    """Platforms of the zone in Guangzhou's colour; reference projects in their own (grey if none)."""
    return colours.home() if role == "platform" else colours.colour(entity_id)


# ---------------------------------------------------------------------------------------------
# The platforms


def platform_list() -> pd.DataFrame:
    """The platforms and reference projects (``cooperation_platforms.csv``) in display order.

    Columns: entity_id, partner_en, platform_kind_en, role (platform / reference), display_order,
    name (short English name from entities.csv).
    """
    frame = data.load("cooperation_platforms").sort_values("display_order").reset_index(drop=True)
    frame["name"] = frame["entity_id"].map(colours.name)
    return frame


def platform_steps() -> pd.DataFrame:
    """Every dated step of the platforms (used rows of ``milestones``), by platform and date; for
    a reference project only the steps of its beginning (no later policies).

    Columns: entity_id, name, role, event_id, date (YYYY[-MM[-DD]]), date_precision, kind,
    event_en, source_id, drawn_at (a timestamp: month-only dates mid-month, year-only mid-year).
    The district's HK–Macao youth policy is filed with the youth base by a declared correction.
    """
    platforms = platform_list().set_index("entity_id")
    steps = _used("milestones")
    steps = steps[steps["entity_id"].isin(platforms.index)].copy()
    steps["name"] = steps["entity_id"].map(colours.name)
    steps["role"] = steps["entity_id"].map(platforms["role"])
    # A reference project is shown by how it began, not by its later policies.
    steps = steps[(steps["role"] == "platform") | steps["kind"].isin(FIRST_STEP_KINDS + ["other"])]
    steps["order"] = steps["entity_id"].map(platforms["display_order"])
    middle = {"day": "", "month": "-15", "year": "-07-01"}
    steps["drawn_at"] = pd.to_datetime([d + middle[p] for d, p in zip(steps["date"], steps["date_precision"])])
    steps = steps.sort_values(["order", "date"]).reset_index(drop=True)
    return steps[["entity_id", "name", "role", "event_id", "date", "date_precision", "kind", "event_en", "source_id",
                  "drawn_at"]]


def first_steps() -> pd.DataFrame:
    """Each platform's first dated founding, approval or set-up (kinds in FIRST_STEP_KINDS).

    Columns: entity_id, date, date_precision, kind, event_en, source_id; one row per platform that
    has such a step.
    """
    steps = platform_steps()
    steps = steps[steps["kind"].isin(FIRST_STEP_KINDS)].sort_values(["entity_id", "date"])
    return steps.groupby("entity_id").head(1)[["entity_id", "date", "date_precision", "kind", "event_en",
                                               "source_id"]].reset_index(drop=True)


def platform_figures() -> pd.DataFrame:
    """The figures published for each platform (used ``zone_indicators`` rows): every figure for
    the zone's platforms, the areas only for the reference projects.

    A figure a later source repeats (same platform, measure, value and qualifier) is kept once,
    at its first year. Columns: those of zone_indicators plus name, role, label (indicator in
    English), value_display (in the book's display unit) and stated ('Planned area 123 km² (2010)').
    """
    platforms = platform_list().set_index("entity_id")
    rows = _used("zone_indicators")
    rows = rows[rows["entity_id"].isin(platforms.index)].copy()
    rows["role"] = rows["entity_id"].map(platforms["role"])
    rows = rows[(rows["role"] == "platform") | rows["indicator"].isin(WHOLE_AREAS + PART_AREAS)].copy()
    rows["name"] = rows["entity_id"].map(colours.name)
    rows["label"] = rows["indicator"].map(_label)
    rows["value_display"] = [formatting.in_display_unit(float(v), u)[0] for v, u in zip(rows["value"], rows["unit"])]
    # A figure a later source repeats (same platform, measure and value) is kept at its first year.
    rows = rows.sort_values(["data_year", "source_id"]).drop_duplicates(["entity_id", "indicator", "value_display",
                                                                         "qualifier"])
    rows["stated"] = [f"{label} {formatting.figure(v, u, q)} ({y})" for label, v, u, q, y in
                      zip(rows["label"], rows["value"], rows["unit"], rows["qualifier"], rows["data_year"])]
    return rows.sort_values(["entity_id", "data_year", "indicator"]).reset_index(drop=True)


def platforms() -> pd.DataFrame:
    """One row per platform: partner, kind, first dated step and the figures published for it.

    Columns: entity_id, name, partner_en, platform_kind_en, role, first_step (date text or <NA>),
    first_step_source, figures ('; '-joined stated figures or <NA>), figure_sources.
    """
    frame = platform_list()
    first = first_steps().set_index("entity_id")
    figures = platform_figures()
    frame["first_step"] = frame["entity_id"].map(first["date"])
    frame["first_step_source"] = frame["entity_id"].map(first["source_id"])
    joined = figures.groupby("entity_id").agg(figures=("stated", "; ".join),
                                              figure_sources=("source_id", lambda s: ";".join(sorted(set(s)))))
    frame = frame.join(joined, on="entity_id")
    frame["source_id"] = [";".join(dict.fromkeys(x for cell in (a, b) if isinstance(cell, str) for x in cell.split(";")))
                          for a, b in zip(frame["first_step_source"], frame["figure_sources"])]
    return frame


def platforms_table():
    """:func:`platforms` for readers."""
    return reader_table(platforms(), [
        Column("Platform", "entity_id", "entity"), Column("Partner", "partner_en"), Column("Kind", "platform_kind_en"),
        Column("First dated founding or approval", "first_step", "date"), Column("Figures published", "figures", "quote"),
        Column("Sources", "source_id", "source"),
    ], caption="The zone's cooperation platforms and two earlier China–Singapore projects (reference)")


def steps_table():
    """:func:`platform_steps` for readers."""
    return reader_table(platform_steps(), [
        Column("Platform", "entity_id", "entity"), Column("Date", "date", "date"), Column("Kind of step", "kind"),
        Column("Step", "event_en", "quote"), Column("Source", "source_id", "source"),
    ], caption="Dated steps of the cooperation platforms, at their sources' precision")


@figure_builder("fig-coop-timeline")
def timeline_figure():
    """Timeline of the platforms' dated steps, one row per platform (the zone's in Guangzhou's
    colour, the reference projects below a dotted line), marker shape by kind of step.

    Returns (fig, frame) with the plotted steps (entity_id, date, date_precision, kind, event_en,
    source_id, year = the year drawn).
    """
    steps = platform_steps()
    rows = platform_list().iloc[::-1].reset_index(drop=True)  # first platform at the top
    fig, ax = plt.subplots(figsize=(7.5, 6.6))
    for y, row in rows.iterrows():
        points = steps[steps["entity_id"] == row["entity_id"]]
        colour = _colour(row["entity_id"], row["role"])
        if points.empty:
            ax.annotate("no dated step found", (pd.Timestamp("2009-01-01"), y), va="center", fontsize=8,
                        color="#666666", style="italic")
            continue
        ax.plot(points["drawn_at"], [y] * len(points), color=colour, linewidth=0.8, alpha=0.5)
        for kind, group in points.groupby("kind", sort=True):
            ax.scatter(group["drawn_at"], [y] * len(group), marker=STEP_MARKERS[kind][0], s=46, color=colour,
                       edgecolors="white", linewidths=0.6, zorder=3)
    references = int((rows["role"] == "reference").sum())
    ax.axhline(references - 0.5, color=colours.OTHER, linewidth=0.8, linestyle=":")
    ax.set_yticks(range(len(rows)), [f"{n}\n({p})" for n, p in zip(rows["name"], rows["partner_en"])], fontsize=8)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(pd.Timestamp("1992-01-01"), pd.Timestamp("2025-06-30"))
    ax.set_xlabel("date of the step (year)")
    fig.suptitle("Cooperation platforms: dated steps  合作平台时间线", x=0.01, ha="left", fontsize=11)
    ax.grid(axis="y", visible=False)
    handles = [Line2D([], [], marker=m, linestyle="", color="#444444", label=label)
               for kind, (m, label) in STEP_MARKERS.items() if kind in set(steps["kind"])]
    charts.legend_below(ax, handles, ncol=2)
    fig.tight_layout()
    frame = steps.assign(year=steps["drawn_at"].dt.year)
    return fig, frame[["entity_id", "event_id", "date", "date_precision", "kind", "event_en", "year", "source_id"]]


# ---------------------------------------------------------------------------------------------
# Areas


def platform_areas() -> pd.DataFrame:
    """Published areas of the platforms and the reference projects, in km².

    A figure a later source repeats is kept once, at its first year (:func:`platform_figures`);
    for a reference project only its latest figure of each measure is kept. Columns:
    entity_id, name, role, indicator, label, part (True for a start-up area, core, phase or
    cooperation area), data_year, value, unit, qualifier, km2, source_id; in display order, then
    by year.
    """
    rows = platform_figures()
    rows = rows[rows["indicator"].isin(WHOLE_AREAS + PART_AREAS)].copy()
    rows["km2"] = rows["value_display"]
    latest = rows.groupby(["entity_id", "indicator"])["data_year"].transform("max")
    rows = rows[(rows["role"] == "platform") | (rows["data_year"] == latest)].copy()
    rows["part"] = rows["indicator"].isin(PART_AREAS)
    order = platform_list().set_index("entity_id")["display_order"]
    rows["order"] = rows["entity_id"].map(order)
    rows = rows.sort_values(["order", "data_year", "indicator"]).reset_index(drop=True)
    return rows[["entity_id", "name", "role", "indicator", "label", "part", "data_year", "value", "unit", "qualifier",
                 "km2", "source_id"]]


@figure_builder("fig-coop-areas")
def areas_figure():
    """Horizontal bars of the published areas (km²), one bar per figure at its data year; parts
    (start-up, core, phase, cooperation area) hatched; the zone's platforms in Guangzhou's colour.

    Returns (fig, frame) with frame = :func:`platform_areas`.
    """
    frame = platform_areas()
    drawn = frame.iloc[::-1].reset_index(drop=True)  # first platform at the top
    fig, ax = plt.subplots(figsize=(7.5, 6.0))
    for y, row in drawn.iterrows():
        colour = _colour(row["entity_id"], row["role"])
        ax.barh(y, row["km2"], color=colour, alpha=0.35 if row["part"] else 1.0, hatch="///" if row["part"] else "",
                edgecolor=colour)
        ax.annotate(formatting.number(row["km2"]), (row["km2"], y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=8)
    labels = [f"{r['name']} · {r['label']}, {r['data_year']}" for _, r in drawn.iterrows()]
    ax.set_yticks(range(len(drawn)), [t.replace(" · ", "\n") if len(t) > 44 else t for t in labels], fontsize=8)
    ax.set_ylim(-0.6, len(drawn) - 0.4)
    ax.set_xlim(0, drawn["km2"].max() * 1.12)
    ax.set_xlabel("area (km²); label = data year of the figure")
    fig.suptitle("Areas of cooperation platforms and bilateral parks  合作平台面积", x=0.01, ha="left", fontsize=11)
    ax.grid(axis="y", visible=False)
    references = frame[frame["role"] == "reference"]["entity_id"].unique()
    handles = [Patch(color=colours.home(), label="the zone's platforms")]
    handles += [Patch(color=colours.colour(e), label=colours.name(e)) for e in references]
    handles += [Patch(facecolor="white", edgecolor="#444444", hatch="///", label="a part: start-up, core, phase")]
    charts.legend_below(ax, handles, ncol=2)
    fig.tight_layout()
    return fig, frame


def knowledge_city_plans() -> tuple[pd.Series, pd.Series]:
    """The Knowledge City's first and latest planned area (rows of :func:`platform_areas`)."""
    areas = platform_areas()
    plans_ = areas[(areas["entity_id"] == "sino_singapore_knowledge_city") & (areas["indicator"] == "planned_area_km2")]
    return (_only(plans_, data_year=int(plans_["data_year"].min())),
            _only(plans_, data_year=int(plans_["data_year"].max())))


def singapore_projects() -> pd.DataFrame:
    """The three China–Singapore projects compared: ages at the article and ratios of areas and
    of GDP to area, each ratio labelled by :func:`highlands.bounds.ratio`.

    Columns: key, quantity (in words), value, unit, bound_label (empty for an age), computed
    (how), source_id. Raises LookupError when a keyed row is missing.
    """
    first = first_steps().set_index("entity_id")
    areas = platform_areas()

    def area(entity: str, indicator: str) -> pd.Series:
        return _only(areas, entity_id=entity, indicator=indicator)

    def year(entity: str) -> int:
        return int(str(first.loc[entity, "date"])[:4])

    rows = []
    for key, entity, what in (("sip_age", "sip", "Suzhou Industrial Park: years from approval to the article"),
                              ("tj_age", "tianjin_eco_city", "Tianjin Eco-City: years from agreement to the article"),
                              ("kc_age", "sino_singapore_knowledge_city",
                               "Knowledge City: years from founding to the article")):
        rows.append({"key": key, "quantity": what, "value": ARTICLE_YEAR - year(entity), "unit": "years",
                     "bound_label": "", "computed": f"{ARTICLE_YEAR} − {year(entity)}",
                     "source_id": first.loc[entity, "source_id"]})
    kc_first, kc_last = knowledge_city_plans()
    sip_gdp = _only(_used("zone_indicators"), entity_id="sip", indicator="gdp", data_year=2020)
    pairs = [
        ("kc_over_tj", "Knowledge City (first plan) ÷ Tianjin Eco-City", kc_first, area("tianjin_eco_city", "area_km2"),
         "times", 1),
        ("kc_over_sip_coop", "Knowledge City (latest plan) ÷ SIP China–Singapore cooperation area", kc_last,
         area("sip", "cooperation_zone_area_km2"), "times", 1),
        ("kc_over_sip", "Knowledge City (latest plan) ÷ Suzhou Industrial Park, whole", kc_last, area("sip", "area_km2"),
         "times", 1),
    ]
    for key, what, top, bottom, unit, scale in pairs:
        derived = bounds.ratio(bounds.Quantity(float(top["km2"]), top["qualifier"], year=int(top["data_year"])),
                               bounds.Quantity(float(bottom["km2"]), bottom["qualifier"], year=int(bottom["data_year"])),
                               scale=scale)
        rows.append({"key": key, "quantity": what, "value": round(derived.value, 2), "unit": unit,
                     "bound_label": derived.label, "computed": f"{formatting.number(top['km2'])} km² ({top['data_year']}) "
                     f"÷ {formatting.number(bottom['km2'])} km² ({bottom['data_year']})",
                     "source_id": f"{top['source_id']};{bottom['source_id']}"})
    sip_area = area("sip", "area_km2")
    gdp_yi = formatting.in_display_unit(float(sip_gdp["value"]), sip_gdp["unit"])[0]
    derived = bounds.ratio(bounds.Quantity(gdp_yi, sip_gdp["qualifier"], year=int(sip_gdp["data_year"])),
                           bounds.Quantity(float(sip_area["km2"]), sip_area["qualifier"], year=int(sip_area["data_year"])))
    rows.append({"key": "sip_gdp_km2", "quantity": f"Suzhou Industrial Park GDP per km², {sip_gdp['data_year']}",
                 "value": round(derived.value, 1), "unit": "亿元/km²", "bound_label": derived.label,
                 "computed": f"{formatting.number(gdp_yi)} 亿元 ÷ {formatting.number(sip_area['km2'])} km²",
                 "source_id": f"{sip_gdp['source_id']};{sip_area['source_id']}"})
    return pd.DataFrame(rows)


def singapore_table():
    """:func:`singapore_projects` for readers."""
    return reader_table(singapore_projects(), [
        Column("Quantity", "quantity"), Column("Value", "value", "number"), Column("Unit", "unit"),
        Column("Bound", "bound_label"), Column("Computed as", "computed"), Column("Sources", "source_id", "source"),
    ], caption="Three China–Singapore projects: ages at the article and ratios, computed in this chapter")


# ---------------------------------------------------------------------------------------------
# Trade


def zone_trade() -> pd.DataFrame:
    """The zone's import-export as published (used rows): full years and part years, every scope.

    Columns: those of zone_indicators plus value_display (亿元), display_unit, basis (the area
    counted; a part-year figure says where its period ends: 'zone, year to Nov 2022'),
    stated. Ordered by year and scope.
    """
    rows = _used("zone_indicators")
    rows = rows[(rows["entity_id"] == ZONE) & rows["indicator"].isin([TRADE, TRADE_PART_YEAR])].copy()
    shown = [formatting.in_display_unit(float(v), u) for v, u in zip(rows["value"], rows["unit"])]
    rows["value_display"] = [v for v, _ in shown]
    rows["display_unit"] = [u for _, u in shown]
    rows["basis"] = [s.replace("_", " ") + (f", year to {formatting.date_at_precision(a)}" if i == TRADE_PART_YEAR
                                            else "")
                     for s, i, a in zip(rows["scope"], rows["indicator"], rows["as_of"])]
    rows["stated"] = [formatting.figure(v, u, q) for v, u, q in zip(rows["value"], rows["unit"], rows["qualifier"])]
    return rows.sort_values(["data_year", "scope"]).reset_index(drop=True)


def zone_trade_table():
    """:func:`zone_trade` for readers."""
    return reader_table(zone_trade(), [
        Column("Area counted", "basis"), Column("Data year", "data_year", "year"),
        Column("Import-export", ("value", "unit", "qualifier"), "figure"),
        Column("As published", lambda r: f"{formatting.with_qualifier(float(r['value']), r['qualifier'])} {r['unit']}"),
        Column("Source", "source_id", "source"),
    ], caption="Import-export value reported for Guangzhou Development Zone, by area counted")


def etdz_trade() -> pd.DataFrame:
    """All national ETDZs' import-export (亿元) and their share of China's trade, by data year.

    Columns: data_year, trade_yi (亿元), trade_source, share_national_pct, share_source; one row
    per year with either figure. Source: ``etdz_national_totals`` (used rows).
    """
    totals = _used("etdz_national_totals")
    trade = totals[totals["indicator"] == TRADE].set_index("data_year")
    share = totals[totals["indicator"] == "import_export_share_national"].set_index("data_year")
    frame = pd.DataFrame({
        "trade_yi": [formatting.in_display_unit(float(v), u)[0] for v, u in zip(trade["value"], trade["unit"])],
        "trade_source": trade["source_id"]}, index=trade.index)
    frame = frame.join(pd.DataFrame({"share_national_pct": share["value"].astype(float),
                                     "share_source": share["source_id"]}), how="outer")
    frame = frame.rename_axis("data_year").reset_index()
    frame["source_id"] = [";".join(dict.fromkeys(s for s in (a, b) if isinstance(s, str)))
                          for a, b in zip(frame["trade_source"], frame["share_source"])]
    return frame


def etdz_trade_table():
    """:func:`etdz_trade` for readers."""
    return reader_table(etdz_trade(), [
        Column("Data year", "data_year", "year"), Column("All national ETDZs' import-export (亿元)", "trade_yi", "number"),
        Column("Share of China's trade (%)", "share_national_pct", "number"), Column("Sources", "source_id", "source"),
    ], caption="Import-export of all national ETDZs (MOFCOM)")


def trade_shares() -> pd.DataFrame:
    """Guangzhou's (and Suzhou Industrial Park's, where in yuan) trade as a share of all national
    ETDZs' trade in the same year, each labelled by :func:`highlands.bounds.ratio` with
    ``total_counts="etdz"``: a zone, district or joint figure covers more than the ETDZ MOFCOM
    counts, so such a share is indicative; a part-year figure is a floor of the full year.

    Columns: key (entity_scope_year[_part]), entity_id, scope, basis, data_year, numerator_yi,
    total_yi, share_pct, bound, bound_label, reason, source_id.
    """
    totals = etdz_trade().set_index("data_year")
    zone = zone_trade()
    zone["part"] = zone["indicator"] == TRADE_PART_YEAR
    peers = _used("zone_indicators")
    peers = peers[(peers["entity_id"] == "sip") & (peers["indicator"] == TRADE)].copy()
    peers["value_display"] = [formatting.in_display_unit(float(v), u)[0] for v, u in zip(peers["value"], peers["unit"])]
    peers["display_unit"] = [formatting.in_display_unit(float(v), u)[1] for v, u in zip(peers["value"], peers["unit"])]
    peers = peers[peers["display_unit"] == "亿元"].assign(part=False, basis="Suzhou Industrial Park")
    rows = []
    for _, row in pd.concat([zone, peers], ignore_index=True).iterrows():
        year = int(row["data_year"])
        if year not in totals.index or pd.isna(totals.loc[year, "trade_yi"]):
            continue
        qualifier = "lower_bound" if row["part"] else row["qualifier"]  # part of a year: a floor of the year
        derived = bounds.ratio(bounds.Quantity(float(row["value_display"]), qualifier, row["scope"], year),
                               bounds.Quantity(float(totals.loc[year, "trade_yi"]), "exact", "etdz", year),
                               total_counts="etdz", scale=100)
        rows.append({"key": f"{row['entity_id']}_{row['scope']}_{year}" + ("_part" if row["part"] else ""),
                     "entity_id": row["entity_id"], "scope": row["scope"], "basis": row["basis"], "data_year": year,
                     "numerator_yi": float(row["value_display"]), "total_yi": float(totals.loc[year, "trade_yi"]),
                     "share_pct": round(derived.value, 2), "bound": derived.bound, "bound_label": derived.label,
                     "reason": derived.reason, "source_id": f"{row['source_id']};{totals.loc[year, 'trade_source']}"})
    return pd.DataFrame(rows)


def trade_shares_table():
    """:func:`trade_shares` for readers."""
    return reader_table(trade_shares(), [
        Column("Area", "basis"), Column("Data year", "data_year", "year"),
        Column("Import-export (亿元)", "numerator_yi", "number", 1), Column("All ETDZs (亿元)", "total_yi", "number", 0),
        Column("Share (%)", "share_pct", "number", 2), Column("Bound", "bound_label"), Column("Why", "reason", "quote"),
        Column("Sources", "source_id", "source"),
    ], caption="Shares of all national ETDZs' import-export, computed in this chapter")


@figure_builder("fig-coop-trade")
def trade_figure():
    """Left: the zone's import-export (亿元) by area counted, one line per basis. Right: those
    figures (and SIP's where in yuan) as shares of all national ETDZs' trade, hollow where the
    bound rule calls the share indicative. Points are named where they are drawn.

    Returns (fig, frame): levels (kind = level, value_display in 亿元) and shares (kind = share,
    share_pct), each with its source_id.
    """
    levels = zone_trade()
    shares = trade_shares()
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 4.6))
    charts.series_lines(left, levels, basis=("entity_id", "basis"), label=lambda f: f["basis"])
    _name_points(left, levels, "value_display")
    left.set_ylim(0, levels["value_display"].max() * 1.3)
    left.set_xlim(levels["data_year"].min() - 0.4, levels["data_year"].max() + 0.4)
    left.set_title("Guangzhou: import-export (亿元)", fontsize=10)
    left.set_xlabel("data year")
    left.set_ylabel("亿元")
    charts.year_axis(left)
    for _, row in shares.iterrows():
        colour = colours.colour(row["entity_id"])
        right.scatter(row["data_year"], row["share_pct"], marker="o", s=55, linewidths=1.6, zorder=3,
                      facecolors=colour if row["bound"] == "exact" else "white", edgecolors=colour)
    _name_points(right, shares.assign(basis=[b if e == ZONE else colours.name(e) for b, e in
                                             zip(shares["basis"], shares["entity_id"])]), "share_pct")
    right.set_ylim(0, shares["share_pct"].max() * 1.3)
    right.set_xlim(shares["data_year"].min() - 0.4, shares["data_year"].max() + 0.4)
    right.set_title("Share of all national ETDZs' trade (%)", fontsize=10)
    right.set_xlabel("data year")
    right.set_ylabel("%")
    charts.year_axis(right)
    handles = charts.qualifier_handles(levels["qualifier"])
    handles += [Line2D([], [], marker="o", linestyle="", color="#444444", markerfacecolor="white",
                       label=f"share: {label}") for label in sorted(set(shares["bound_label"]) - {"exact"})]
    fig.suptitle("Foreign trade of Guangzhou Development Zone  进出口总额", fontsize=11)
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, 0.08), ncol=3, fontsize=8, frameon=False)
    frame = pd.concat([
        levels[["entity_id", "scope", "indicator", "data_year", "as_of", "value", "unit", "qualifier", "value_display",
                "source_id"]].assign(kind="level"),
        shares[["entity_id", "scope", "data_year", "share_pct", "bound", "source_id"]].assign(kind="share"),
    ], ignore_index=True)
    return fig, frame


def _name_points(ax, frame: pd.DataFrame, y: str) -> None:
    """Write each point's basis beside it (a comma starts a new line); of two points in one year
    the lower is named below; names at the first and last year lean inwards."""
    first, last = frame["data_year"].min(), frame["data_year"].max()
    for year, points in frame.groupby("data_year"):
        points = points.sort_values(y)
        for i, (_, row) in enumerate(points.iterrows()):
            below = len(points) > 1 and i == 0
            text = row["basis"].replace(", ", ",\n")
            ax.annotate(text, (row["data_year"], row[y]), xytext=(0, -8 if below else 8), textcoords="offset points",
                        ha="left" if year == first else "right" if year == last else "center",
                        va="top" if below else "bottom", fontsize=8, color=colours.colour(row["entity_id"]))


def peer_trade() -> pd.DataFrame:
    """Peers' import-export as published (used rows), in their own currency: listed, not compared.

    Columns: those of zone_indicators plus name; ordered by name and year.
    """
    rows = _used("zone_indicators")
    rows = rows[rows["entity_id"].isin(TRADE_PEERS) & (rows["indicator"] == TRADE)].copy()
    rows["name"] = rows["entity_id"].map(colours.name)
    return rows.sort_values(["name", "data_year"]).reset_index(drop=True)


def peer_trade_table():
    """:func:`peer_trade` for readers (each figure in its own currency)."""
    return reader_table(peer_trade(), [
        Column("Peer", "entity_id", "entity"), Column("Area counted", lambda r: r["scope"].replace("_", " ")),
        Column("Data year", "data_year", "year"), Column("Import-export", ("value", "unit", "qualifier"), "figure"),
        Column("Source", "source_id", "source"),
    ], caption="Peers' import-export as published (yuan and US dollars, not converted)")


def trade_ranks() -> pd.DataFrame:
    """MOFCOM's import-export item: the places found in the sources, by edition (used rows).

    Columns: edition, data_year, rank, entity_id, zone_zh, name, source_id.
    """
    ranks = _used("mofcom_etdz_ranking")
    ranks = ranks[ranks["category"] == "foreign_trade"].copy()
    ranks["name"] = ranks["entity_id"].map(colours.name)
    return ranks.sort_values(["edition", "rank"])[["edition", "data_year", "rank", "entity_id", "zone_zh", "name",
                                                   "source_id"]].reset_index(drop=True)


def trade_ranks_table():
    """:func:`trade_ranks` for readers."""
    return reader_table(trade_ranks(), [
        Column("Edition", "edition", "year"), Column("Data year", "data_year", "year"), Column("Rank", "rank", "number"),
        Column("Zone", "entity_id", "entity"), Column("As the source names it", "zone_zh"),
        Column("Source", "source_id", "source"),
    ], caption="MOFCOM's import-export top ten: places found in the sources")


@figure_builder("fig-coop-trade-ranks")
def trade_ranks_figure():
    """Dots of the places found on MOFCOM's import-export item, by edition, each zone in its
    book-wide colour; editions with no place found are marked.

    Returns (fig, frame) with frame = :func:`trade_ranks`.
    """
    frame = trade_ranks()
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    for entity, group in frame.groupby("entity_id", sort=True):
        home = colours.is_home(entity)
        ax.scatter(group["edition"], group["rank"], color=colours.colour(entity), s=80 if home else 50, zorder=3,
                   edgecolors="#333333" if colours.colour(entity) == colours.OTHER else "none",
                   label=f"{colours.name(entity)}  {group['zone_zh'].iloc[0]}")
        if colours.colour(entity) == colours.OTHER:  # grey zones are told apart by name
            for _, row in group.iterrows():
                ax.annotate(colours.name(entity), (row["edition"], row["rank"]), xytext=(7, 0), textcoords="offset points",
                            va="center", fontsize=8, color="#555555")
    editions = range(int(frame["edition"].min()), int(frame["edition"].max()) + 1)
    for edition in [e for e in editions if e not in set(frame["edition"])]:
        ax.annotate("no place\nfound", (edition, 5.5), ha="center", va="center", fontsize=8, color="#666666")
    ax.set_xticks(list(editions))
    ax.set_ylim(10.8, 0.2)
    ax.set_yticks(range(1, 11))
    ax.set_xlabel("edition (rates the previous year's data)")
    ax.set_ylabel("rank on import-export (1 = largest)")
    fig.suptitle("MOFCOM top ten ETDZs by import-export  进出口总额前十", x=0.01, ha="left", fontsize=11)
    ax.grid(axis="x", visible=False)
    charts.legend_below(ax, ncol=2)
    fig.tight_layout()
    return fig, frame


# ---------------------------------------------------------------------------------------------
# Plans and the record since 2019


def plans_table():
    """The highland's commitments (:func:`highlands.plans.commitments`) for readers."""
    return reader_table(plans.commitments(HIGHLAND), [
        Column("Commitment", "commitment_en"), Column("Status", "status_label"),
        Column("Date of the step", "status_date", "date"), Column("Source", "source_id", "source"),
        Column("What the source shows", "evidence_note", "quote"),
    ], caption="The article's outward-cooperation commitments and what followed")


@figure_builder("fig-coop-plans")
def plans_figure():
    """The highland's commitments by status and date (:func:`highlands.plans.status_chart`).

    Returns (fig, frame) with the plotted commitments.
    """
    count = len(plans.commitments(HIGHLAND))
    fig, ax = plt.subplots(figsize=(7.5, 1.4 + 0.36 * count))
    frame = plans.status_chart(ax, HIGHLAND)
    fig.suptitle("Outward-cooperation commitments of 2019: the step each source reports", x=0.01, ha="left",
                 fontsize=11)
    fig.tight_layout()
    return fig, frame


def trade_links() -> pd.DataFrame:
    """Countries and regions with trade links reported for Guangzhou (used rows of
    ``zone_indicators``, indicator trade_partner_countries), by year and scope.

    Columns: those of zone_indicators plus scope_en and stated ('100+').
    """
    rows = _used("zone_indicators")
    rows = rows[(rows["entity_id"] == ZONE) & (rows["indicator"] == "trade_partner_countries")].copy()
    rows["scope_en"] = rows["scope"].str.replace("_", " ")
    rows["stated"] = [formatting.with_qualifier(float(v), q) for v, q in zip(rows["value"], rows["qualifier"])]
    return rows.sort_values(["data_year", "scope"]).reset_index(drop=True)


def trade_links_table():
    """:func:`trade_links` for readers."""
    return reader_table(trade_links(), [
        Column("Area counted", "scope_en"), Column("Data year", "data_year", "year"), Column("As of", "as_of", "date"),
        Column("Countries and regions with trade links", "stated"), Column("Source", "source_id", "source"),
    ], caption="Countries and regions with trade links, as reported for Guangzhou")


@figure_builder("fig-trade-record")
def record_figure():
    """Import-export since 2015 for the zone and its peers (:func:`highlands.record.figure`):
    yuan and US-dollar figures in separate panels (no exchange rate), one line per entity and
    area counted, and nominal growth where two consecutive exact years of one basis exist.

    Returns (fig, frame): the plotted levels and growth rates (kind = level / growth).
    """
    fig, levels, growth = record.figure(TRADE, [ZONE, *RECORD_PEERS],
                                        "Import-export since 2015: Guangzhou and peers  进出口总额")
    frame = pd.concat([levels.assign(kind="level"), growth.assign(kind="growth")], ignore_index=True)
    return fig, frame[["kind", "entity_id", "scope", "indicator", "data_year", "value", "unit", "qualifier",
                       "value_display", "display_unit", "growth_pct", "source_id"]]


# ---------------------------------------------------------------------------------------------
# Everything the prose glues


def key_values() -> dict:
    """Every number, date, verdict label and bound label the chapter's prose glues, selected by key.

    Keys: verdict_platforms, verdict_qingyuan_parks, verdict_summary; n_platforms, n_undated;
    first-step dates (date_<event>); Knowledge City and reference areas (kc_plan_first,
    kc_plan_first_year, kc_area_2020, kc_plan_latest, kc_plan_latest_year, sip_coop, sip_area,
    tj_area); China–Singapore ages and ratios (with *_label); trade levels (trade_<key>) and
    shares (share_<key>, share_<key>_label) from :func:`trade_shares`; MOFCOM trade ranks
    (gz_trade_rank, gz_trade_rank_edition, sip_first, leader_editions,
    rank_editions_missing); trade links
    (links_<scope>_<year>); peers' latest trade; plans (plans_<status>, plans_total).
    Raises LookupError when a keyed row is missing or not unique.
    """
    values: dict = {
        "verdict_platforms": claims.verdict_of("h4-platforms"),
        "verdict_qingyuan_parks": claims.verdict_of("h4-qingyuan-parks"),
        "verdict_summary": verdicts.summary(HIGHLAND),
    }
    listed = platform_list()
    own = listed[listed["role"] == "platform"]
    first = first_steps()
    values["n_platforms"] = len(own)
    values["n_undated"] = int((~own["entity_id"].isin(first["entity_id"])).sum())

    steps = platform_steps()
    for event in ("china-eu-pilot-named", "china-israel-key-region", "knowledge-city-founded",
                  "knowledge-city-state-level", "jazan-project-set-up", "hk-macao-youth-10-measures",
                  "platform-framework-agreement-hong-kongs-sun"):
        row = _only(steps, event_id=event)
        values["date_" + event.replace("-", "_")] = formatting.date_at_precision(row["date"])
        values["year_" + event.replace("-", "_")] = int(str(row["date"])[:4])

    areas = platform_areas()
    kc = areas[(areas["entity_id"] == "sino_singapore_knowledge_city")]
    kc_first, kc_last = knowledge_city_plans()
    values["kc_plan_first"], values["kc_plan_first_year"] = float(kc_first["km2"]), int(kc_first["data_year"])
    values["kc_plan_latest"], values["kc_plan_latest_year"] = float(kc_last["km2"]), int(kc_last["data_year"])
    values["kc_area_2020"] = float(_only(kc, indicator="area_km2", data_year=2020)["km2"])
    values["sip_coop"] = float(_only(areas, entity_id="sip", indicator="cooperation_zone_area_km2")["km2"])
    values["sip_area"] = float(_only(areas, entity_id="sip", indicator="area_km2")["km2"])
    values["tj_area"] = float(_only(areas, entity_id="tianjin_eco_city", indicator="area_km2")["km2"])
    values["tj_area_year"] = int(_only(areas, entity_id="tianjin_eco_city", indicator="area_km2")["data_year"])
    values["suigang_plan_2021"] = float(_only(areas, entity_id="suigang_smart_manufacturing_zone",
                                              indicator="area_km2", data_year=2021)["km2"])
    values["suigang_phase2_2024"] = float(_only(areas, entity_id="suigang_smart_manufacturing_zone",
                                                indicator="sub_area_km2", data_year=2024)["km2"])

    compared = singapore_projects().set_index("key")
    for key in compared.index:
        value = compared.loc[key, "value"]
        values[key] = int(value) if compared.loc[key, "unit"] == "years" else float(value)
        if compared.loc[key, "bound_label"]:
            values[key + "_label"] = compared.loc[key, "bound_label"]

    trade = zone_trade()
    for scope, indicator, year, key in (("zone_and_district", TRADE, 2019, "zd_2019"), ("zone", TRADE, 2021, "zone_2021"),
                                        ("district", TRADE, 2021, "district_2021"),
                                        ("zone", TRADE_PART_YEAR, 2022, "zone_2022_part")):
        row = _only(trade, scope=scope, indicator=indicator, data_year=year)
        values["trade_" + key] = float(row["value_display"])
        values["trade_" + key + "_text"] = row["stated"]
    shares = trade_shares().set_index("key")
    for key, name in (("guangzhou_dz_zone_and_district_2019", "zd_2019"), ("guangzhou_dz_zone_2021", "zone_2021"),
                      ("guangzhou_dz_district_2021", "district_2021"), ("guangzhou_dz_zone_2022_part", "zone_2022_part"),
                      ("sip_zone_2023", "sip_2023")):
        values["share_" + name] = float(shares.loc[key, "share_pct"])
        values["share_" + name + "_label"] = shares.loc[key, "bound_label"]
    values["share_labels"] = ", ".join(sorted(set(shares["bound_label"])))

    ranks = trade_ranks()
    gz = _only(ranks, entity_id=ZONE)
    values["gz_trade_rank"], values["gz_trade_rank_edition"] = int(gz["rank"]), int(gz["edition"])
    values["sip_first"] = int(((ranks["entity_id"] == "sip") & (ranks["rank"] == 1)).sum())
    values["leader_editions"] = int(ranks.loc[ranks["rank"] == 1, "edition"].nunique())
    editions = range(int(ranks["edition"].min()), int(ranks["edition"].max()) + 1)
    values["rank_editions_missing"] = ", ".join(str(e) for e in editions if e not in set(ranks["edition"])) or "none"

    links = trade_links()
    for scope, year in (("zone", 2021), ("district", 2021), ("zone_and_district", 2022)):
        values[f"links_{scope}_{year}"] = _only(links, scope=scope, data_year=year)["stated"]

    peers = peer_trade()
    for entity, scope, year in (("sip", "zone", 2022), ("sip", "zone", 2023), ("pudong", "new_area", 2022),
                                ("nansha", "district", 2022), ("kunshan_etdz", "city", 2023),
                                ("shenzhen_nanshan", "district", 2025)):
        row = _only(peers, entity_id=entity, scope=scope, data_year=year)
        values[f"{entity}_trade_{year}_text"] = formatting.figure(row["value"], row["unit"], row["qualifier"])

    status = plans.status_counts(HIGHLAND)
    for key, count in status.items():
        values[f"plans_{key}"] = count
    values["plans_total"] = sum(status.values())
    return values
