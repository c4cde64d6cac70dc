"""Chapter 5, land and energy (要素集聚区 · 核心资源运用新高地): what the chapter shows, from the data.

The article names urban renewal (三旧改造) as the zone's lever for land, plans "industry
upstairs" and skyscraper factories, and an energy reform benchmarked on Singapore's grid. It
gives no figures. This module builds the chapter's tables, figures and glued values:

- :func:`area_history` / :func:`fig_area_history`: what "the zone" covered, step by step. Each
  step is a change of scope (the ETDZ, four zones under one administration, Luogang District,
  Huangpu District), never growth; dates come from ``first_batch_etdz`` and ``milestones``.
- :func:`gdp_per_km2` / :func:`fig_gdp_per_km2`: GDP ÷ area only where both have the same
  entity and scope, labelled by :func:`highlands.bounds.ratio`.
- :func:`renewal_figures` / :func:`fig_renewal` / :func:`renewal_ratios`: renewal figures by
  kind of figure (``indicators.accumulation``: target, part of a year, one batch, running
  total, list at a date), never joined into a series.
- :func:`energy_table` / :func:`fig_energy_outage` / :func:`energy_intensity`: what is public
  about energy, and the grid benchmark against Singapore.
- :func:`fig_plans`, :func:`fig_record_gdp`, :func:`record_per_km2`: the plans and the record
  since 2019.
- :func:`key_values`: every number and label the prose glues, selected by key.

Data: ``zone_indicators``, ``indicators``, ``quantities``, ``first_batch_etdz``, ``milestones``,
``commitments``, ``commitment_evidence``, ``search_log``, ``seed_figures``, ``claim_readings``
(all through :func:`highlands.load`). Every function raises :class:`highlands.DataError` when the
data do not validate, and ``LookupError`` when a key it needs matches no row or several.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from .. import bounds, charts, claims, colours, data, formatting, plans, record
from ..figures import figure_builder
from ..verdicts import LABELS as VERDICT_LABELS
from ..verdicts import summary as verdict_summary
from ..verdicts import verdict

HIGHLAND = 5
HOME = "guangzhou_dz"
# Peers with a GDP series of their own (scope zone, district or new area).
PEERS = ["sip", "beijing_etown", "shenzhen_nanshan", "qingdao_west_coast"]
# The zone's changes of scope, in order: (table, event id, scope of the area row of that year).
# Dates, labels and areas are read from the data by these keys.
SCOPE_STEPS = (
    ("first_batch_etdz", "approval", "zone"),
    ("milestones", "four-zones-one-administration", "zone"),
    ("milestones", "luogang-district-approval", "district"),
    ("milestones", "huangpu-merger-approval", "district"),
)
FIRST_BATCH_LABEL = "Guangzhou ETDZ (first batch)"
RENEWAL_PREFIXES = ("urban_renewal_", "old_village_", "urban_village_", "resettlement_")
RENEWAL_EXTRA = ("industrial_floor_area_in_renewal_schemes",)
# Kinds of renewal figure (indicators.accumulation), in the order the chapter shows them.
KINDS = {"target": "annual target", "partial_year": "part of a year", "batch": "one launch batch",
         "cumulative": "running total", "stock": "list at a date"}
# Fill of a bar by kind of figure (every renewal bar is Guangzhou's, so the colour stays its own).
KIND_HATCH = {"target": None, "partial_year": "....", "batch": "////", "cumulative": "", "stock": "xxx"}
ENERGY_PREFIXES = ("energy_", "avg_outage_time", "substation_", "chp_", "green_industry_")
SINGLE_SCOPE = ("zone", "district", "new_area")


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


def _quantity(row: pd.Series, label: str = "") -> bounds.Quantity:
    """A zone_indicators row as an input of a ratio, in base units (yuan, km², m², persons …)."""
    return bounds.Quantity(float(row["value_base"]), row["qualifier"], row["scope"], int(row["data_year"]), label)


# --- the zone's area, scope by scope ---------------------------------------------------------

def area_history() -> pd.DataFrame:
    """The zone's changes of scope with the area of each new scope.

    One row per step of :data:`SCOPE_STEPS`. Columns: step (1 …), event_id, label (the step in
    words), date (YYYY[-MM[-DD]] as the source gives it), date_precision, date_text ('Dec 1984'),
    year (of the date), scope, area_km2, qualifier, source_id (area source; date source).
    The date of the 1984 approval comes from ``first_batch_etdz`` (one fact, one value), the
    others from ``milestones``; the area is the used ``area_km2`` row of the zone for that scope
    and year.
    """
    areas = _used()
    areas = areas[(areas["entity_id"] == HOME) & (areas["indicator"] == "area_km2")]
    milestones = data.load("milestones")
    milestones = milestones[milestones["use"] & (milestones["entity_id"] == HOME)]
    first_batch = data.load("first_batch_etdz")
    first_batch = first_batch[first_batch["use"]]
    rows = []
    for step, (table, event_id, scope) in enumerate(SCOPE_STEPS, start=1):
        if table == "first_batch_etdz":
            event = _one(first_batch, entity_id=HOME)
            date, precision, label = event["approval_date"], event["date_precision"], FIRST_BATCH_LABEL
        else:
            event = _one(milestones, event_id=event_id)
            date, precision, label = event["date"], event["date_precision"], event["label_en"]
        year = int(str(date)[:4])
        area = _one(areas, scope=scope, data_year=year)
        rows.append({"step": step, "event_id": event_id, "label": label, "date": date,
                     "date_precision": precision, "date_text": formatting.date_at_precision(date), "year": year,
                     "scope": scope, "area_km2": float(area["value_base"]), "qualifier": area["qualifier"],
                     "source_id": f"{area['source_id']};{event['source_id']}"})
    return pd.DataFrame(rows)


def later_district_areas() -> pd.DataFrame:
    """District areas published after the last change of scope (sources round differently).

    Columns: data_year, area_km2, qualifier, source_id, note.
    """
    last = int(area_history()["year"].max())
    areas = _used()
    areas = areas[(areas["entity_id"] == HOME) & (areas["indicator"] == "area_km2") & (areas["scope"] == "district")
                  & (areas["data_year"] > last)]
    return (areas.assign(area_km2=areas["value_base"].astype(float))[["data_year", "area_km2", "qualifier", "source_id", "note"]]
            .sort_values("data_year").reset_index(drop=True))


@figure_builder("fig-land-area-history")
def fig_area_history():
    """Step chart (log scale) of the area of each scope the zone has had, each step marked as a
    change of scope with its date at the source's precision; later district figures as dots.

    Returns (fig, frame): frame has one row per drawn point (kind = scope start, segment end,
    later figure) with year, date, area_km2, qualifier, scope, label, source_id.
    """
    steps = area_history()
    later = later_district_areas()
    end = pd.Timestamp(f"{int(later['data_year'].max()) + 1}-12-31")
    starts = [charts.date_span(d, p)[0] for d, p in zip(steps["date"], steps["date_precision"])]
    stops = starts[1:] + [end]
    home = colours.home()
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    for (_, step), start, stop in zip(steps.iterrows(), starts, stops):
        linestyle, _ = colours.scope_style(step["scope"])
        ax.plot([start, stop], [step["area_km2"]] * 2, color=home, linewidth=2.2, linestyle=linestyle, zorder=3)
        ax.scatter([start], [step["area_km2"]], color=home, s=36, zorder=4)
        ax.axvline(start, color="#888888", linestyle=":", linewidth=0.9, zorder=1)
        below = step["step"] == 3  # Luogang's label would run into the Huangpu step above it
        ax.annotate(f"{step['date_text']}: {step['label']}\n{formatting.number(step['area_km2'])} km² ({step['scope']})",
                    (start, step["area_km2"]), xytext=(4, -8 if below else 6), textcoords="offset points",
                    fontsize=8, ha="left", va="top" if below else "bottom")
    later_at = [pd.Timestamp(f"{y}-07-01") for y in later["data_year"]]
    for qualifier, group in later.assign(at=later_at).groupby("qualifier", sort=True):
        ax.scatter(group["at"], group["area_km2"], marker=charts.MARKERS[qualifier], s=30, zorder=4, linewidths=1.2,
                   facecolors="white" if qualifier != "exact" else "#777777", edgecolors="#777777")
    ax.set_yscale("log")
    ax.set_ylim(4, 2000)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlim(pd.Timestamp("1982-01-01"), end + pd.Timedelta(days=400))
    ax.set_title("What “the zone” covered, scope by scope  开发区范围的变化")
    ax.set_xlabel("date (a dotted line marks each change of scope)")
    ax.set_ylabel("km² (log scale)")
    handles = [plt.Line2D([], [], color=home, linewidth=2.2, linestyle=colours.scope_style(s)[0], label=f"area of the {s}")
               for s in dict.fromkeys(steps["scope"])]
    handles.append(plt.Line2D([], [], color="#777777", marker="o", linestyle="", label="district area, later sources"))
    handles += [h for h in charts.qualifier_handles(later["qualifier"]) if h.get_label() != "exact"]
    charts.legend_below(ax, handles, ncol=2)
    fig.tight_layout()
    frame = pd.concat([
        steps.assign(kind="scope start", year=[s.year for s in starts]),
        steps.assign(kind="segment end", year=[s.year for s in stops], date=[s.strftime("%Y-%m-%d") for s in stops]),
        later.assign(kind="later figure", year=later["data_year"], scope="district", label="district area"),
    ], ignore_index=True)
    return fig, frame[["kind", "year", "date", "date_precision", "scope", "label", "area_km2", "qualifier", "source_id"]]


# --- GDP per km² ----------------------------------------------------------------------------

def gdp_per_km2(max_gap: int = 0, entity_ids: list[str] | None = None) -> pd.DataFrame:
    """GDP per km² for each GDP figure with an area of the same entity and scope.

    The area is the one of the same year, or with ``max_gap`` > 0 the nearest year within that
    many years (ties: the later area); :func:`highlands.bounds.ratio` labels each result (a
    bound only when the qualifiers guarantee it; two data years make it indicative).
    Columns: entity_id, name, scope, gdp_year, area_year, gdp_yi (亿元), gdp_qualifier, area_km2,
    area_qualifier, per_km2 (亿元 per km², 2 decimals), bound, label, reason, computed_as,
    source_id (GDP source; area source). Sorted by entity, scope and GDP year.
    """
    used = _used()
    if entity_ids is not None:
        used = used[used["entity_id"].isin(entity_ids)]
    gdp = used[used["indicator"] == "gdp"]
    area = used[used["indicator"] == "area_km2"]
    pairs = gdp.merge(area, on=["entity_id", "scope"], suffixes=("_gdp", "_area"))
    pairs["gap"] = (pairs["data_year_gdp"] - pairs["data_year_area"]).abs()
    pairs = pairs[pairs["gap"] <= max_gap]
    pairs = (pairs.sort_values(["entity_id", "scope", "data_year_gdp", "gap", "data_year_area"],
                               ascending=[True, True, True, True, False])
             .groupby(["entity_id", "scope", "data_year_gdp"]).head(1))
    rows = []
    for _, pair in pairs.iterrows():
        gdp_yi = float(pair["value_base_gdp"]) / 1e8
        area_km2 = float(pair["value_base_area"])
        derived = bounds.ratio(
            bounds.Quantity(gdp_yi, pair["qualifier_gdp"], pair["scope"], int(pair["data_year_gdp"])),
            bounds.Quantity(area_km2, pair["qualifier_area"], pair["scope"], int(pair["data_year_area"])))
        rows.append({"entity_id": pair["entity_id"], "name": colours.name(pair["entity_id"]), "scope": pair["scope"],
                     "gdp_year": int(pair["data_year_gdp"]), "area_year": int(pair["data_year_area"]),
                     "gdp_yi": round(gdp_yi, 2), "gdp_qualifier": pair["qualifier_gdp"], "area_km2": area_km2,
                     "area_qualifier": pair["qualifier_area"], "per_km2": round(derived.value, 2),
                     "bound": derived.bound, "label": derived.label, "reason": derived.reason,
                     "computed_as": f"{formatting.number(gdp_yi, 2)} 亿元 ÷ {formatting.number(area_km2)} km²",
                     "source_id": f"{pair['source_id_gdp']};{pair['source_id_area']}"})
    columns = ["entity_id", "name", "scope", "gdp_year", "area_year", "gdp_yi", "gdp_qualifier", "area_km2",
               "area_qualifier", "per_km2", "bound", "label", "reason", "computed_as", "source_id"]
    return pd.DataFrame(rows, columns=columns).sort_values(["entity_id", "scope", "gdp_year"]).reset_index(drop=True)


def gdp_per_km2_table(max_gap: int = 0, entity_ids: list[str] | None = None):
    """:func:`gdp_per_km2` as a reader table (entity, scope, years, computation, result and its label)."""
    from ..tables import Column, reader_table

    frame = gdp_per_km2(max_gap, entity_ids)
    frame["result"] = [formatting.bounded(v, lab, 2) for v, lab in zip(frame["per_km2"], frame["label"])]
    return reader_table(frame, [
        Column("Entity", "entity_id", "entity"), Column("Scope", "scope"),
        Column("GDP year", "gdp_year", "year"), Column("Area year", "area_year", "year"),
        Column("Computed as", "computed_as"), Column("GDP per km² (亿元)", "result"),
        Column("Bound", "label"), Column("Why", "reason", "quote"), Column("Sources", "source_id", "source"),
    ], caption="GDP per km², GDP and area of the same entity and scope")


@figure_builder("fig-land-gdp-per-km2")
def fig_gdp_per_km2():
    """Bars of GDP per km² for every pair of GDP and area with the same entity, scope and year;
    hatched where the ratio is not exact (its label is printed at the bar).

    Returns (fig, frame) with the rows of :func:`gdp_per_km2` that are drawn.
    """
    pairs = gdp_per_km2(max_gap=0).sort_values("per_km2").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for y, row in pairs.iterrows():
        colour = colours.colour(row["entity_id"])
        exact = row["bound"] == "exact"
        ax.barh(y, row["per_km2"], color=colour if exact else "white", edgecolor=colour, linewidth=1.4,
                hatch=None if exact else "///", height=0.7)
        ax.annotate(f"{formatting.bounded(row['per_km2'], row['label'], 1, short=True)}  "
                    f"({row['gdp_year']}; {formatting.number(row['area_km2'])} km²)",
                    (row["per_km2"], y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8.5)
    ax.set_yticks(range(len(pairs)), [f"{n}\n{s.replace('_', ' ')}" for n, s in zip(pairs["name"], pairs["scope"])],
                  fontsize=8.5)
    ax.set_xlim(0, pairs["per_km2"].max() * 1.55)
    ax.set_title("GDP per km², same entity, scope and year  单位面积GDP")
    ax.set_xlabel("亿元 of GDP per km² (current prices); label: data year and area")
    ax.grid(axis="y", visible=False)
    charts.legend_below(ax, [Patch(facecolor="#777777", label="exact"),
                             Patch(facecolor="white", edgecolor="#777777", hatch="///",
                                   label="a bound or indicative (label says which)")], ncol=2)
    fig.tight_layout()
    return fig, pairs


def published_ratios() -> pd.DataFrame:
    """GDP per km² as the zones publish it (indicator gdp_per_km2), in 亿元 per km².

    Columns: entity_id, scope, data_year, value, unit, qualifier, per_km2 (亿元/km²), note, source_id.
    """
    rows = _used()
    rows = rows[rows["indicator"] == "gdp_per_km2"].copy()
    rows["per_km2"] = rows["value_base"].astype(float) / 1e8
    return rows[["entity_id", "scope", "data_year", "value", "unit", "qualifier", "per_km2", "note", "source_id"]] \
        .sort_values(["entity_id", "data_year"]).reset_index(drop=True)


def published_ratios_table():
    """:func:`published_ratios` as a reader table."""
    from ..tables import Column, reader_table

    return reader_table(published_ratios(), [
        Column("Entity", "entity_id", "entity"), Column("Scope", "scope"), Column("Year", "data_year", "year"),
        Column("As published", ("value", "unit", "qualifier"), "figure"), Column("What it covers", "note", "quote"),
        Column("Source", "source_id", "source"),
    ], caption="GDP per km² as the zones publish it")


# --- urban renewal by kind of figure ----------------------------------------------------------

def _period(kind: str, year: int, as_of) -> str:
    """When a renewal figure applies, in words, from its kind, data year and as_of."""
    year = int(year)
    if kind == "target":
        return f"{year} target"
    if kind == "partial_year":
        # Every part-year figure here counts from January to the month in as_of.
        return f"Jan–{pd.Timestamp(as_of + '-01'):%b %Y}"
    when = formatting.date_at_precision(as_of) if pd.notna(as_of) else str(year)
    return {"cumulative": f"to {when}", "batch": f"launched {when}"}.get(kind, f"as of {when}")


def renewal_figures() -> pd.DataFrame:
    """The zone's urban-renewal figures, each with its kind of figure.

    The kind is the indicator's ``accumulation`` in ``indicators.csv`` (target, partial_year,
    batch, cumulative, stock); figures of different kinds are never a series. Columns:
    indicator, label_en, label_zh, scope, kind, kind_label, period, data_year, as_of, value,
    unit, qualifier, quantity, value_display, display_unit (亿元, km², 万m², or the noun of a
    count), source_id. Ordered by kind (as :data:`KINDS`), quantity and date.
    """
    indicators = _indicators()
    rows = _used()
    chosen = rows["indicator"].str.startswith(RENEWAL_PREFIXES) | rows["indicator"].isin(RENEWAL_EXTRA)
    rows = rows[chosen & (rows["entity_id"] == HOME)].copy()
    rows["kind"] = rows["indicator"].map(indicators["accumulation"])
    unknown = set(rows["kind"]) - set(KINDS)
    if unknown:
        raise LookupError(f"renewal figures of an unexpected kind: {sorted(unknown)}")
    rows["kind_label"] = rows["kind"].map(KINDS)
    rows["label_en"] = rows["indicator"].map(indicators["label_en"])
    rows["label_zh"] = rows["indicator"].map(indicators["label_zh"])
    rows["period"] = [_period(k, y, a) for k, y, a in zip(rows["kind"], rows["data_year"], rows["as_of"])]
    shown = [formatting.in_display_unit(float(v), u) for v, u in zip(rows["value"], rows["unit"])]
    rows["value_display"] = [round(v, 2) for v, _ in shown]
    nouns = rows["indicator"].map(indicators["display_unit"])
    rows["display_unit"] = [u if u else (n if isinstance(n, str) else "") for (_, u), n in zip(shown, nouns)]
    rows["kind_order"] = rows["kind"].map({k: i for i, k in enumerate(KINDS)})
    rows = rows.sort_values(["kind_order", "quantity", "data_year", "as_of", "indicator"])
    return rows[["indicator", "label_en", "label_zh", "scope", "kind", "kind_label", "period", "data_year", "as_of",
                 "value", "unit", "qualifier", "quantity", "value_display", "display_unit", "source_id"]] \
        .reset_index(drop=True)


def renewal_table():
    """:func:`renewal_figures` as a reader table, grouped by kind of figure."""
    from ..tables import Column, reader_table

    frame = renewal_figures()
    frame["shown"] = [f"{formatting.with_qualifier(v, q)} {u}".strip()
                      for v, q, u in zip(frame["value_display"], frame["qualifier"], frame["display_unit"])]
    return reader_table(frame, [
        Column("Kind of figure", "kind_label"), Column("What", "label_en"),
        Column("When", "period"), Column("Scope", lambda r: r["scope"].replace("_", " ")), Column("Figure", "shown"),
        Column("Source", "source_id", "source"),
    ], caption="Urban-renewal figures for the zone, by kind of figure")


@figure_builder("fig-land-renewal")
def fig_renewal():
    """Horizontal bars of the renewal figures, one panel per quantity (projects, flats, land,
    floor area, investment), the fill giving the kind of figure; bars are not a time series.
    Each bar's label sits above it, so the bars keep the full width on a phone.

    Returns (fig, frame): the rows of :func:`renewal_figures` that are drawn.
    """
    rows = renewal_figures()
    quantities = data.load("quantities").set_index("quantity")
    order = {q: i for i, q in enumerate(("count", "area", "floor_area", "money_cny"))}
    def panel_order(panel):
        quantity, unit = panel
        return order.get(quantity, 9), -int(((rows["quantity"] == quantity) & (rows["display_unit"] == unit)).sum())

    panels = sorted(dict.fromkeys(zip(rows["quantity"], rows["display_unit"])), key=panel_order)
    sizes = [int(((rows["quantity"] == q) & (rows["display_unit"] == u)).sum()) for q, u in panels]
    heights = [n + 0.9 for n in sizes]
    fig, axes = plt.subplots(len(panels), 1, figsize=(7.5, 0.38 * sum(heights) + 1.4), height_ratios=heights)
    home = colours.home()
    for ax, (quantity, unit) in zip(axes, panels):
        panel = rows[(rows["quantity"] == quantity) & (rows["display_unit"] == unit)].reset_index(drop=True)
        top = panel["value_display"].max()
        for y, row in panel.iterrows():
            hatch = KIND_HATCH[row["kind"]]
            ax.barh(y + 0.18, row["value_display"], height=0.42, edgecolor=home, linewidth=1.1, hatch=hatch,
                    color=home if hatch == "" else "white")
            ax.annotate(formatting.with_qualifier(row["value_display"], row["qualifier"]),
                        (row["value_display"], y + 0.18), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=8)
            where = " (district)" if row["scope"] == "district" else ""
            ax.annotate(f"{row['label_en']} · {row['period']}{where}", (0, y - 0.1), fontsize=8, va="bottom",
                        ha="left", color="#333333")
        ax.set_yticks([])
        ax.set_ylim(len(panel) - 0.35, -0.75)
        ax.set_xlim(0, top * 1.15)
        ax.set_title(f"{quantities.loc[quantity, 'label_en']} ({unit})", fontsize=9.5, loc="left")
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
    handles = [Patch(facecolor=home if KIND_HATCH[k] == "" else "white", edgecolor=home, hatch=KIND_HATCH[k], label=label)
               for k, label in KINDS.items() if k in set(rows["kind"])]
    fig.legend(handles=handles, loc="lower left", ncol=3, fontsize=8.5, frameon=False, bbox_to_anchor=(0.01, 0),
               title="kind of figure (fill of the bar)", title_fontsize=8.5, alignment="left")
    fig.suptitle("Urban renewal in the zone and Huangpu, by kind of figure  城市更新", x=0.01, ha="left", fontsize=12)
    fig.tight_layout(rect=(0, 0.75 / fig.get_figheight(), 1, 1 - 0.3 / fig.get_figheight()))
    return fig, rows


def renewal_ratios() -> pd.DataFrame:
    """Ratios derived from the renewal and land figures, each labelled by :func:`highlands.bounds.ratio`.

    Columns: key, quantity (in words), value, unit, label, reason, computed_as, source_id.
    Keys: batch_plot_ratio, suigang_floor_to_land, completed_share, resettlement_share,
    village_land_share.
    """
    used = _used()
    home = used[used["entity_id"] == HOME]
    batch_floor = _one(home, indicator="urban_renewal_batch_floor_area")
    batch_land = _one(home, indicator="urban_renewal_batch_land_area")
    # The Sui-Gang plan's rows are filed under the cooperation zone they describe (chapter 4).
    suigang = used[used["entity_id"] == "suigang_smart_manufacturing_zone"]
    plan_floor = _one(suigang, indicator="planned_industrial_floor_area")
    plan_land = _one(suigang, indicator="planned_industrial_land")
    started = _one(home, indicator="urban_renewal_floor_area_started_cumulative", data_year=2023)
    completed = _one(home, indicator="urban_renewal_floor_area_completed_cumulative", data_year=2023)
    flats_part = _one(home, indicator="resettlement_housing_units_partial_year", data_year=2023)
    flats_all = _one(home, indicator="resettlement_housing_units_cumulative", data_year=2023)
    village_land = _one(home, indicator="urban_village_land_area")
    district = home[(home["indicator"] == "area_km2") & (home["scope"] == "district")]
    nearest = (district["data_year"] - int(village_land["data_year"])).abs()
    district_area = _one(district[nearest == nearest.min()].nlargest(1, "data_year"), indicator="area_km2")

    def m2(row):  # land (km² base) and floor area (m² base) in m²
        q = _quantity(row)
        return bounds.Quantity(q.value * (1e6 if row["quantity"] == "area" else 1), q.qualifier, q.scope, q.year)

    def text(row):
        return formatting.figure(float(row["value"]), row["unit"], row["qualifier"])

    items = [
        ("batch_plot_ratio", "floor area per m² of land, launch batch of " + formatting.date_at_precision(batch_floor["as_of"]),
         m2(batch_floor), m2(batch_land), 1, "m² per m²", batch_floor, batch_land),
        ("suigang_floor_to_land", "industrial floor area per m² of industrial land, Sui-Gang phase 2 plan (derived)",
         m2(plan_floor), m2(plan_land), 1, "m² per m²", plan_floor, plan_land),
        ("completed_share", f"renewal floor area completed ÷ started, to {formatting.date_at_precision(completed['as_of'])}",
         _quantity(completed), _quantity(started), 100, "%", completed, started),
        ("resettlement_share", (f"resettlement flats built {_period('partial_year', flats_part['data_year'], flats_part['as_of'])}"
                                f" ÷ all built to {formatting.date_at_precision(flats_all['as_of'])}"),
         _quantity(flats_part), _quantity(flats_all), 100, "%", flats_part, flats_all),
        ("village_land_share", "land of the key urban-village projects ÷ the district's area",
         _quantity(village_land), _quantity(district_area), 100, "%", village_land, district_area),
    ]
    rows = []
    for key, words, numerator, denominator, scale, unit, a, b in items:
        derived = bounds.ratio(numerator, denominator, scale=scale)
        rows.append({"key": key, "quantity": words, "value": round(derived.value, 2), "unit": unit,
                     "label": derived.label, "reason": derived.reason,
                     "computed_as": f"{text(a)} ÷ {text(b)}" + (" × 100" if scale == 100 else ""),
                     "source_id": f"{a['source_id']};{b['source_id']}"})
    return pd.DataFrame(rows)


def renewal_ratios_table():
    """:func:`renewal_ratios` as a reader table."""
    from ..tables import Column, reader_table

    frame = renewal_ratios()
    frame["result"] = [f"{formatting.bounded(v, lab, 1)} {u}" for v, lab, u in
                       zip(frame["value"], frame["label"], frame["unit"])]
    return reader_table(frame, [
        Column("Ratio", "quantity"), Column("Computed as", "computed_as"), Column("Result", "result"),
        Column("Bound", "label"), Column("Why", "reason", "quote"), Column("Sources", "source_id", "source"),
    ], caption="Ratios derived from the renewal figures")


# --- energy ------------------------------------------------------------------------------------

def energy_table():
    """Every energy figure the data hold for the zone, Guangzhou city and Singapore, as a reader table."""
    from ..tables import Column, reader_table

    indicators = _indicators()
    rows = _used()
    rows = rows[rows["indicator"].str.startswith(ENERGY_PREFIXES)].copy()
    rows["what"] = rows["indicator"].map(indicators["label_en"])
    rows = rows.sort_values(["indicator", "entity_id", "data_year"])
    return reader_table(rows, [
        Column("Entity", "entity_id", "entity"), Column("Scope", lambda r: r["scope"].replace("_", " ")),
        Column("What", "what"), Column("Year", "data_year", "year"),
        Column("Figure", ("value", "unit", "qualifier"), "figure"), Column("Note", "note", "quote"),
        Column("Source", "source_id", "source"),
    ], caption="Energy figures found")


def outage_figures() -> pd.DataFrame:
    """Average outage time per customer (and the 2024 target) in minutes per year.

    Columns: entity_id, indicator, data_year, value, unit, qualifier, minutes, label, source_id.
    """
    rows = _used()
    rows = rows[rows["indicator"].isin(["avg_outage_time", "avg_outage_time_target"])].copy()
    rows["minutes"] = [round(formatting.in_display_unit(float(v), u)[0], 2) for v, u in zip(rows["value"], rows["unit"])]
    rows["label"] = [f"{colours.name(e)}, {'target for ' if i.endswith('_target') else ''}{y}"
                     for e, i, y in zip(rows["entity_id"], rows["indicator"], rows["data_year"])]
    return rows.sort_values(["entity_id", "indicator", "data_year"])[
        ["entity_id", "indicator", "data_year", "value", "unit", "qualifier", "minutes", "label", "source_id"]] \
        .reset_index(drop=True)


@figure_builder("fig-energy-outage")
def fig_energy_outage():
    """Bars of average outage time per customer: Guangzhou city by year, its target, Singapore.

    Hatched bars are at-most values (a target or the top of a range). Returns (fig, frame) as
    :func:`outage_figures`.
    """
    rows = outage_figures()
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    for y, row in rows.iterrows():
        colour = colours.colour(row["entity_id"])
        bound = row["qualifier"] == "upper_bound"
        ax.barh(y, row["minutes"], color="white" if bound else colour, edgecolor=colour, linewidth=1.4,
                hatch="///" if bound else None, height=0.7)
        ax.annotate(f"{formatting.with_qualifier(row['minutes'], row['qualifier'])} min", (row["minutes"], y),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=8.5)
    ax.set_yticks(range(len(rows)), rows["label"], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, rows["minutes"].max() * 1.25)
    ax.set_title("Average outage time per customer per year  户均停电时间")
    ax.set_xlabel("minutes per customer per year")
    ax.grid(axis="y", visible=False)
    charts.legend_below(ax, [Patch(facecolor="#999999", label="reported"),
                             Patch(facecolor="white", edgecolor="#999999", hatch="///", label="at most (target or top of a range)")],
                        ncol=2)
    fig.tight_layout()
    return fig, rows


def energy_intensity() -> pd.DataFrame:
    """Huangpu District's energy use per 10,000 yuan of GDP, for the year its energy use is published.

    Columns: year, value (tce per 万元), label, reason, computed_as, source_id.
    """
    used = _used()
    home = used[used["entity_id"] == HOME]
    energy = _one(home, indicator="energy_consumption_total")
    gdp = _one(home, indicator="gdp", scope=energy["scope"], data_year=int(energy["data_year"]))
    derived = bounds.ratio(_quantity(energy), _quantity(gdp), scale=1e4)  # tce per yuan -> tce per 万元
    return pd.DataFrame([{
        "year": int(energy["data_year"]), "value": round(derived.value, 3), "label": derived.label, "reason": derived.reason,
        "computed_as": f"{formatting.figure(float(energy['value']), energy['unit'])} ÷ "
                       f"{formatting.figure(float(gdp['value']), gdp['unit'])} (× 10⁴ yuan per 万元)",
        "source_id": f"{energy['source_id']};{gdp['source_id']}"}])


# --- plans and the record since 2019 ---------------------------------------------------------

@figure_builder("fig-land-plans")
def fig_plans():
    """The highland's commitments with the date of the step their source reports (plans.status_chart)."""
    count = len(plans.commitments(HIGHLAND))
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * count + 1.6))
    frame = plans.status_chart(ax, HIGHLAND, labels_above=True)
    ax.set_title("Land and energy plans: the latest step found  要素集聚区的计划")
    fig.tight_layout()
    return fig, frame


@figure_builder("fig-land-record-gdp")
def fig_record_gdp():
    """GDP of the zone (zone and district scopes) and its peers since 2015, levels and nominal growth."""
    fig, levels, rates = record.figure("gdp", [HOME, *PEERS], "GDP of the zone and its peers  地区生产总值",
                                       scopes=list(SINGLE_SCOPE))
    frame = pd.concat([levels.assign(panel="level"), rates.assign(panel="growth, % (nominal)")], ignore_index=True)
    return fig, frame[["panel", "entity_id", "scope", "data_year", "value", "unit", "qualifier", "value_display",
                       "display_unit", "growth_pct", "source_id"]]


def record_per_km2(since: int = 2019):
    """GDP per km² from ``since`` on, GDP and area of the same entity, scope and year, as a reader table."""
    from ..tables import Column, reader_table

    frame = gdp_per_km2(max_gap=0, entity_ids=[HOME, *PEERS])
    frame = frame[frame["gdp_year"] >= since].copy()
    frame["result"] = [formatting.bounded(v, lab, 2) for v, lab in zip(frame["per_km2"], frame["label"])]
    return reader_table(frame, [
        Column("Entity", "entity_id", "entity"), Column("Scope", "scope"), Column("Year", "gdp_year", "year"),
        Column("Computed as", "computed_as"), Column("GDP per km² (亿元)", "result"), Column("Bound", "label"),
        Column("Sources", "source_id", "source"),
    ], caption=f"GDP per km² since {since}, same entity, scope and year")


# --- glued values --------------------------------------------------------------------------------

def key_values() -> dict:
    """Every number, date, verdict and bound label the chapter's prose glues, selected by key.

    Keys name what they hold (``area_<step>``, ``per_km2_<entity>``, ``renewal_…``,
    ``outage_…``, ``plans_…``, ``gdp_…``). Values are Python floats, ints or strings.
    """
    values: dict = {}
    steps = area_history()
    for _, step in steps.iterrows():
        n = int(step["step"])
        values[f"area_{n}"] = float(step["area_km2"])
        values[f"area_{n}_date"] = step["date_text"]
        values[f"area_{n}_label"] = step["label"]
    later = later_district_areas()
    values["district_min"] = float(later["area_km2"].min())
    values["district_max"] = float(later["area_km2"].max())
    values["area_steps"] = len(steps)
    values["scope_changes"] = len(steps) - 1
    values["area_years"] = f"{int(steps['year'].min())}–{int(later['data_year'].max())}"

    pairs = gdp_per_km2(max_gap=0)
    values["per_km2_years"] = f"{int(pairs['gdp_year'].min())}–{int(pairs['gdp_year'].max())}"
    for key, entity, scope, year in (("gz", HOME, "district", 2021), ("sip", "sip", "zone", 2020),
                                     ("etown", "beijing_etown", "zone", 2020), ("qingdao", "qingdao_west_coast", "new_area", 2017)):
        pair = _one(pairs, entity_id=entity, scope=scope, gdp_year=year)
        values[f"per_km2_{key}"] = float(pair["per_km2"])
        values[f"per_km2_{key}_label"] = pair["label"]
        values[f"per_km2_{key}_year"] = int(pair["gdp_year"])
        values[f"per_km2_{key}_area"] = float(pair["area_km2"])
    for key in ("gz", "sip", "etown", "qingdao"):
        values[f"per_km2_{key}_text"] = formatting.bounded(values[f"per_km2_{key}"], values[f"per_km2_{key}_label"], 1)
    gz22 = _one(pairs, entity_id=HOME, scope="district", gdp_year=2022)
    values["per_km2_gz22"], values["per_km2_gz22_label"] = float(gz22["per_km2"]), gz22["label"]
    values["per_km2_gz22_reason"] = gz22["reason"]
    near = gdp_per_km2(max_gap=3, entity_ids=[HOME])
    near = near[near["scope"] == "district"]
    for year in (2018, 2024):
        row = _one(near, gdp_year=year)
        values[f"per_km2_gz_{year}"] = float(row["per_km2"])
        values[f"per_km2_gz_{year}_label"] = row["label"]
        values[f"per_km2_gz_{year}_area_year"] = int(row["area_year"])
        values[f"per_km2_gz_{year}_text"] = formatting.bounded(float(row["per_km2"]), row["label"], 1)
    published = published_ratios()
    values["sip_published_per_km2"] = float(_one(published, entity_id="sip", data_year=2020)["per_km2"])
    coop = _used()
    values["sip_coop_area"] = float(_one(coop, entity_id="sip", indicator="cooperation_zone_area_km2")["value_base"])

    renewal = renewal_figures()
    values["renewal_kinds"] = int(renewal["kind"].nunique())
    values["renewal_years"] = f"{int(renewal['data_year'].min())}–{int(renewal['data_year'].max())}"
    started = _one(renewal, indicator="urban_renewal_floor_area_started_cumulative", data_year=2023)
    completed = _one(renewal, indicator="urban_renewal_floor_area_completed_cumulative", data_year=2023)
    values["renewal_started"] = float(started["value_display"])
    values["renewal_completed"] = float(completed["value_display"])
    values["renewal_as_of"] = formatting.date_at_precision(started["as_of"])
    values["village_projects"] = int(_one(renewal, indicator="urban_village_projects_key")["value"])
    ratios = renewal_ratios().set_index("key")
    for key in ratios.index:
        values[key] = float(ratios.loc[key, "value"])
        values[f"{key}_label"] = ratios.loc[key, "label"]
        values[f"{key}_text"] = formatting.bounded(values[key], values[f"{key}_label"], 1)

    outage = outage_figures()
    values["outage_2015"] = float(_one(outage, entity_id="guangzhou_city", indicator="avg_outage_time", data_year=2015)["minutes"])
    values["outage_2020"] = float(_one(outage, entity_id="guangzhou_city", indicator="avg_outage_time", data_year=2020)["minutes"])
    target = _one(outage, indicator="avg_outage_time_target")
    values["outage_target"], values["outage_target_year"] = float(target["minutes"]), int(target["data_year"])
    values["outage_sg"] = float(_one(outage, entity_id="singapore", indicator="avg_outage_time")["minutes"])
    intensity = energy_intensity()
    row = _one(intensity)  # the district publishes one year of energy use
    values["intensity"], values["intensity_label"], values["intensity_year"] = float(row["value"]), row["label"], int(row["year"])
    values["intensity_text"] = formatting.bounded(values["intensity"], values["intensity_label"], 2)
    values["intensity_decline"] = float(_one(_used(), entity_id=HOME, indicator="energy_intensity_decline")["value"])

    for figure_id in ("h5-renewal-pilot", "h5-energy-demo"):
        short = figure_id.split("-", 1)[1].replace("-", "_")
        values[f"verdict_{short}"] = VERDICT_LABELS[verdict(figure_id).verdict]
    searches = data.load("search_log")
    searches = searches[searches["subject_table"] == "seed_figures"]
    values["searches_renewal_pilot"] = int((searches["subject_id"] == "h5-renewal-pilot").sum())
    values["searches_energy_demo"] = int((searches["subject_id"] == "h5-energy-demo").sum())
    values["verdicts"] = verdict_summary(HIGHLAND)
    values["headline"] = headline()

    counts = plans.status_counts(HIGHLAND)
    values["plans_total"] = sum(counts.values())
    for status, n in counts.items():
        values[f"plans_{status}"] = n
    commitments = plans.commitments(HIGHLAND)
    dated = commitments["status_date"].dropna().str[:4].astype(int)
    values["plans_years"] = f"{int(dated.min())}–{int(dated.max())}"
    values["plans_searches_no_evidence"] = int(commitments.loc[commitments["status"] == "no_evidence", "searches"].sum())

    gdp = record.series("gdp", [HOME], scopes=["district"])
    first, last = int(gdp["data_year"].min()), int(gdp["data_year"].max())
    since = 2019
    values["gdp_2019"] = float(_one(gdp, data_year=since)["value_display"])
    values["gdp_last"], values["gdp_last_year"] = float(_one(gdp, data_year=last)["value_display"]), last
    values["gdp_first_year"] = first
    shown = record.series("gdp", [HOME, *PEERS], scopes=list(SINGLE_SCOPE))
    values["record_years"] = f"{int(shown['data_year'].min())}–{int(shown['data_year'].max())}"
    return values


def headline() -> str:
    """The article's figures for this highland in words, for the intro page's table."""
    figures = claims.article_figures(HIGHLAND)
    numeric = figures[figures["qualifier"] != "qualitative"]
    if numeric.empty:
        return f"no figures: {len(figures)} claims without numbers"
    return "; ".join(f"{row['indicator_en']}: {row['stated']}" for _, row in numeric.iterrows())
