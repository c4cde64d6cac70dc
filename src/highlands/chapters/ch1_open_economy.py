"""Chapter 1 — Foreign investment and the open economy (外资集聚地 · 开放型经济新高地).

The tables, figures and glued values of ``notebooks/01-open-economy.ipynb``, each from one
function. Every value comes from the data package by key (entity, scope, indicator, year);
verdicts come from :mod:`highlands.verdicts`, bound labels from :mod:`highlands.bounds`.

Data: ``zone_indicators`` (Fortune Global 500 counts on three bases, foreign-invested
enterprises, foreign capital), ``etdz_national_totals`` (all national ETDZs' actually used
foreign capital), ``mofcom_etdz_ranking``, ``first_batch_etdz``, ``commitments`` and
``commitment_evidence`` (highland 1), ``seed_figures`` (the article).
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

HIGHLAND = 1
HOME = "guangzhou_dz"
# Peer zones compared throughout the book's first two chapters.
PEERS = ["sip", "teda", "beijing_etown", "kunshan_etdz", "nansha"]
# Fortune Global 500 counts by basis: (projects, companies) indicators and what the basis is.
F500_BASES = [
    ("fortune500_projects", "fortune500_companies", "basis not stated"),
    ("fortune500_foreign_projects", "fortune500_foreign_companies", "foreign firms only"),
    ("fortune500_projects_incl_chinese", "fortune500_companies_incl_chinese", "incl. Chinese firms"),
]
FIE_KINDS = [("fie_count", "present, or basis not stated"), ("fie_attracted_cumulative", "attracted over the years (累计引进)")]
FDI_KINDS = ["fdi_actual", "fdi_contracted", "fdi_actual_cumulative", "fdi_contracted_cumulative",
             "foreign_investment_total_cumulative"]
SHOWN = ["entity_id", "scope", "indicator", "data_year", "as_of", "value", "unit", "qualifier", "value_display",
         "display_unit", "source_id"]


# ---------------------------------------------------------------------------------------------
# Selection helpers


def used_rows(indicators: list[str], entity_ids: list[str], since: int = 1978) -> pd.DataFrame:
    """Used ``zone_indicators`` rows of some indicators and entities, in display units.

    Columns: those of zone_indicators plus value_display (in the book's display unit) and
    display_unit ("" for counts). Raises DataError if the data do not validate.
    """
    frames = [record.series(indicator, entity_ids, since) for indicator in indicators]
    return pd.concat(frames, ignore_index=True).sort_values(["entity_id", "indicator", "scope", "data_year"])


def one(frame: pd.DataFrame, **keys) -> pd.Series:
    """The single row of ``frame`` matching every key (column = value). Raises LookupError otherwise."""
    rows = frame
    for column, value in keys.items():
        rows = rows[rows[column] == value]
    if len(rows) != 1:
        raise LookupError(f"expected one row for {keys}, found {len(rows)}")
    return rows.iloc[0]


def _article(figure_id: str) -> pd.Series:
    return one(claims.article_figures(HIGHLAND), figure_id=figure_id)


def _quantity(row: pd.Series, label: str = "") -> bounds.Quantity:
    """A zone_indicators row as an input of a ratio, in its display unit."""
    return bounds.Quantity(float(row["value_display"]), row["qualifier"], row["scope"], int(row["data_year"]), label)


# ---------------------------------------------------------------------------------------------
# Fortune Global 500


def fortune500() -> pd.DataFrame:
    """Fortune Global 500 counts of Guangzhou and its peers on every basis.

    Columns: SHOWN plus kind ("projects" or "companies") and basis ("basis not stated",
    "foreign firms only", "incl. Chinese firms"). Counts are cumulative stocks at as_of.
    """
    frames = []
    for projects, companies, basis in F500_BASES:
        for indicator, kind in ((projects, "projects"), (companies, "companies")):
            rows = used_rows([indicator], [HOME, *PEERS])
            frames.append(rows.assign(kind=kind, basis=basis))
    return pd.concat(frames, ignore_index=True)[[*SHOWN, "kind", "basis"]]


def points(ax, frame: pd.DataFrame) -> None:
    """Counts as points not joined by lines (their bases may differ): colour by entity, marker by qualifier."""
    for entity, group in frame.groupby("entity_id", sort=True):
        colour = colours.colour(entity)
        for qualifier, part in group.groupby("qualifier", sort=True):
            filled = qualifier == "exact"
            ax.scatter(part["data_year"], part["value_display"], marker=charts.MARKERS[qualifier], s=46, zorder=3,
                       linewidths=1.4, facecolors=colour if filled else "white", edgecolors=colour)
        ax.plot([], [], marker="s", linestyle="", color=colour, label=colours.name(entity))


def _panels(frame: pd.DataFrame, groups: list[tuple[list[str], str]], widths: list[float], ylabel: str,
            title: str, extra=None, draw=charts.series_lines):
    """Small multiples: one panel per basis (a line never crosses from one panel to another)."""
    fig, axes = plt.subplots(1, len(groups), figsize=(7.5, 4.4), sharey=True,
                             gridspec_kw={"width_ratios": widths})
    for ax, (indicators, heading), width in zip(axes, groups, widths):
        part = frame[frame["indicator"].isin(indicators)]
        draw(ax, part)
        years = part["data_year"]
        ax.set_xlim(years.min() - 0.8, years.max() + 0.8)
        ax.set_title(heading, fontsize=9.5, loc="left")
        ax.set_xlabel("data year", fontsize=9)
        charts.year_axis(ax, nbins=max(3, round(3 * width)))
        if extra:
            extra(ax, indicators)
    axes[0].set_ylabel(ylabel)
    axes[0].set_ylim(bottom=0, top=frame["value_display"].max() * 1.12)
    handles, seen = [], set()
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if label not in seen:
                seen.add(label)
                handles.append(handle)
    handles += charts.qualifier_handles(frame["qualifier"])
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, 0.0), ncol=3, fontsize=8, frameon=False)
    return fig


@figure_builder("fig-f500-projects")
def fig_f500_projects():
    """Fortune Global 500 projects by basis, Guangzhou and peers: (figure, plotted rows)."""
    rows = fortune500()
    projects = rows[rows["kind"] == "projects"]
    groups = [([p], basis) for p, _, basis in F500_BASES]
    fig = _panels(projects, groups, [2.4, 1, 1], "projects (count)",
                  "Fortune Global 500 projects, by what the count includes  世界500强项目")
    return fig, projects.reset_index(drop=True)


def projects_per_company() -> pd.DataFrame:
    """Projects ÷ companies where a source gives both for one entity, scope, year and basis.

    Columns: entity_id, scope, data_year, basis, companies, projects, qualifiers, ratio, bound
    (bounds label: exact, at least, at most, indicative), reason, source_id.
    """
    rows = fortune500()
    out = []
    for (entity, scope, year, basis), group in rows.groupby(["entity_id", "scope", "data_year", "basis"], sort=True):
        if set(group["kind"]) != {"projects", "companies"}:
            continue
        p, c = one(group, kind="projects"), one(group, kind="companies")
        derived = bounds.ratio(_quantity(p), _quantity(c))
        out.append({"entity_id": entity, "scope": scope, "data_year": int(year), "basis": basis,
                    "companies": formatting.with_qualifier(c["value_display"], c["qualifier"]),
                    "projects": formatting.with_qualifier(p["value_display"], p["qualifier"]),
                    "ratio": round(derived.value, 2), "bound": derived.label, "reason": derived.reason,
                    "source_id": ";".join(sorted({p["source_id"], c["source_id"]}))})
    return pd.DataFrame(out)


def projects_per_company_table():
    """The projects-per-company table for readers."""
    return reader_table(projects_per_company(), [
        Column("Zone", "entity_id", "entity"), Column("Scope", lambda r: formatting.scope(r["scope"])),
        Column("Year", "data_year", "year"), Column("Count includes", "basis"),
        Column("Companies", "companies"), Column("Projects", "projects"),
        Column("Projects per company", "ratio", "number", 2), Column("Ratio is", "bound"),
        Column("Source", "source_id", "source"),
    ], caption="Fortune Global 500 projects per company, where one source gives both counts")


# ---------------------------------------------------------------------------------------------
# Foreign-invested enterprises


def fie_counts() -> pd.DataFrame:
    """Counts of foreign-invested enterprises of Guangzhou and peers, both kinds, plus the article's.

    Columns: SHOWN. The article's "3,500+ attracted" is a row with source_id
    ``article:h1-fie-count`` and scope "article".
    """
    rows = used_rows([k for k, _ in FIE_KINDS], [HOME, *PEERS])[SHOWN]
    article = _article("h1-fie-count")
    claim = pd.DataFrame([{"entity_id": HOME, "scope": "article", "indicator": "fie_attracted_cumulative",
                           "data_year": int(article["data_year"]), "as_of": pd.NA, "value": float(article["value"]),
                           "unit": article["unit"], "qualifier": article["qualifier"],
                           "value_display": float(article["value"]), "display_unit": "",
                           "source_id": "article:h1-fie-count"}])
    return pd.concat([rows, claim], ignore_index=True)


@figure_builder("fig-fie-count")
def fig_fie_count():
    """Foreign-invested enterprises, present vs attracted over the years: (figure, plotted rows)."""
    rows = fie_counts()
    claim = rows[rows["scope"] == "article"]
    drawn = rows[rows["scope"] != "article"]

    def article_star(ax, indicators):
        if "fie_attracted_cumulative" in indicators:
            ax.scatter(claim["data_year"], claim["value_display"], marker="*", s=170, color="#222222", zorder=5,
                       label="article: 3500多家 (2019)")
    fig = _panels(drawn, [([k], heading) for k, heading in FIE_KINDS], [1.3, 1], "enterprises (count)",
                  "Foreign-invested enterprises: two kinds of count  外资企业数", extra=article_star, draw=points)
    return fig, rows


def fie_table():
    """Guangzhou's counts of foreign-invested enterprises, kind by kind, for readers."""
    rows = fie_counts()
    rows = rows[(rows["entity_id"] == HOME) & (rows["scope"] != "article")]
    evidence = data.load("zone_indicators").set_index(["entity_id", "scope", "indicator", "data_year", "source_id"])["evidence"]
    rows = rows.assign(evidence=[evidence.loc[(HOME, r["scope"], r["indicator"], r["data_year"], r["source_id"])]
                                 for _, r in rows.iterrows()], kind=rows["indicator"].map(dict(FIE_KINDS)))
    return reader_table(rows.sort_values(["indicator", "data_year", "scope"]), [
        Column("Kind of count", "kind"), Column("Scope", lambda r: formatting.scope(r["scope"])),
        Column("Year", "data_year", "year"), Column("Enterprises", ("value", "unit", "qualifier"), "figure"),
        Column("The source says", "evidence", "quote"), Column("Source", "source_id", "source"),
    ], caption="Foreign-invested enterprises reported for Guangzhou Development Zone and Huangpu District")


# ---------------------------------------------------------------------------------------------
# Foreign capital: total, contracted, actually used


def fdi_measures() -> pd.DataFrame:
    """Guangzhou's foreign capital by measure (actually used, contracted, total; yearly and cumulative).

    Columns: SHOWN, in display units (亿美元).
    """
    return used_rows(FDI_KINDS, [HOME])[SHOWN]


def fdi_measures_table():
    """Guangzhou's foreign-capital figures for readers."""
    labels = data.load("indicators").set_index("indicator_id")["label_en"]
    return reader_table(fdi_measures(), [
        Column("Measure", lambda r: labels[r["indicator"]]), Column("Scope", lambda r: formatting.scope(r["scope"])),
        Column("Year", "data_year", "year"), Column("As stated", ("value", "unit", "qualifier"), "figure"),
        Column("Source", "source_id", "source"),
    ], caption="Foreign capital reported for Guangzhou Development Zone and Huangpu District, by measure (亿美元)")


def total_vs_actual() -> pd.DataFrame:
    """The article's cumulative investment set against the cumulative actually used capital.

    Rows: the article's 投资额, the latest cumulative actually used foreign capital, their ratio,
    the article's enterprises and investment per enterprise. Columns: quantity, value, unit,
    bound (bounds label), reason (why that label), source_id.
    """
    claim, fie = _article("h1-fdi-total"), _article("h1-fie-count")
    cumulative = used_rows(["fdi_actual_cumulative"], [HOME])
    latest = one(cumulative, scope="district", data_year=int(cumulative[cumulative["scope"] == "district"]["data_year"].max()))
    claimed, _ = formatting.in_display_unit(float(claim["value"]), claim["unit"])
    total = bounds.Quantity(claimed, claim["qualifier"], "district", int(claim["data_year"]), "article")
    times = bounds.ratio(total, _quantity(latest))
    per_firm = bounds.ratio(total, bounds.Quantity(float(fie["value"]), fie["qualifier"], "district",
                                                   int(fie["data_year"])), scale=100)  # 亿美元 -> USD million
    return pd.DataFrame([
        {"quantity": "article: cumulative investment (投资额), 2019", "value": claimed, "unit": "亿美元",
         "bound": bounds.LABELS[claim["qualifier"]], "reason": "as the article states it", "source_id": "article:h1-fdi-total"},
        {"quantity": f"district: cumulative actually used foreign capital, {int(latest['data_year'])}",
         "value": float(latest["value_display"]), "unit": "亿美元", "bound": bounds.LABELS[latest["qualifier"]],
         "reason": "as the source states it", "source_id": latest["source_id"]},
        {"quantity": "article's investment ÷ actually used capital", "value": round(times.value, 2), "unit": "times",
         "bound": times.label, "reason": times.reason, "source_id": f"article:h1-fdi-total;{latest['source_id']}"},
        {"quantity": "article's investment ÷ its enterprises", "value": round(per_firm.value, 1),
         "unit": "USD million per enterprise", "bound": per_firm.label, "reason": per_firm.reason,
         "source_id": "article:h1-fdi-total;article:h1-fie-count"},
    ])


def total_vs_actual_table():
    """The arithmetic of 'investment over USD 300 billion' for readers."""
    return reader_table(total_vs_actual(), [
        Column("Quantity", "quantity"), Column("Value", "value", "number"), Column("Unit", "unit"),
        Column("Bound", "bound"), Column("Why", "reason", "quote"), Column("Source", "source_id", "source"),
    ], caption="Total investment against capital actually paid in")


def peers_cumulative() -> pd.DataFrame:
    """Peers' cumulative foreign capital, total (contracted) and actually used. Columns: SHOWN."""
    return used_rows(["fdi_actual_cumulative", "foreign_investment_total_cumulative"], PEERS)[SHOWN]


def peers_cumulative_table():
    """Peers' cumulative foreign capital for readers."""
    labels = data.load("indicators").set_index("indicator_id")["label_en"]
    return reader_table(peers_cumulative(), [
        Column("Zone", "entity_id", "entity"), Column("Measure", lambda r: labels[r["indicator"]]),
        Column("Year", "data_year", "year"), Column("As of", "as_of", "date"),
        Column("Value (亿美元)", ("value", "unit", "qualifier"), "figure"), Column("Source", "source_id", "source"),
    ], caption="Peers' cumulative foreign capital: total investment and capital actually used")


# ---------------------------------------------------------------------------------------------
# Share of all national ETDZs


def fdi_share() -> pd.DataFrame:
    """Guangzhou's actually used foreign capital as a share of all national ETDZs', per year and scope.

    One row per used Guangzhou fdi_actual row whose year has a national total. Columns:
    data_year, scope, zone_value, zone_qualifier, national_value (亿美元), share_pct, bound
    (exact, at least, at most, indicative: :func:`highlands.bounds.ratio` with the total counting
    ETDZs only), reason, source_id (zone's;national's).
    """
    zone = used_rows(["fdi_actual"], [HOME])
    zone = zone[zone["display_unit"] == "亿美元"]
    national = data.load("etdz_national_totals")
    national = national[national["use"] & (national["indicator"] == "fdi_actual")]
    out = []
    for _, row in zone.iterrows():
        match = national[national["data_year"] == row["data_year"]]
        if match.empty:
            continue
        total = one(match, data_year=row["data_year"])
        total_value, unit = formatting.in_display_unit(float(total["value"]), total["unit"])
        assert unit == "亿美元", unit
        derived = bounds.ratio(_quantity(row), bounds.Quantity(total_value, total["qualifier"], "etdz",
                                                               int(total["data_year"])), total_counts="etdz", scale=100)
        out.append({"data_year": int(row["data_year"]), "scope": row["scope"], "zone_value": float(row["value_display"]),
                    "zone_qualifier": row["qualifier"], "national_value": total_value,
                    "share_pct": round(derived.value, 2), "bound": derived.label, "reason": derived.reason,
                    "source_id": f"{row['source_id']};{total['source_id']}"})
    return pd.DataFrame(out).sort_values(["data_year", "scope"]).reset_index(drop=True)


@figure_builder("fig-fdi-share")
def fig_fdi_share():
    """Share of all national ETDZs' actually used foreign capital, by year and scope: (figure, rows)."""
    share = fdi_share()
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    home = colours.home()
    names = [f"{y}\n{formatting.scope(s)}".replace(" and ", "\nand ") for y, s in zip(share["data_year"], share["scope"])]
    for x, (_, row) in enumerate(share.iterrows()):
        bound = row["bound"] in ("exact", "at least", "at most")
        ax.bar(x, row["share_pct"], color=home if bound else "white", edgecolor=home, hatch=None if bound else "///",
               linewidth=1.4, width=0.65)
        mark = {"at least": "≥ ", "at most": "≤ ", "exact": ""}.get(row["bound"], "≈ ")
        ax.annotate(f"{mark}{row['share_pct']:.1f}%", (x, row["share_pct"]), xytext=(0, 3), textcoords="offset points",
                    ha="center", fontsize=9)
    ax.set_xticks(range(len(share)), names, fontsize=8.5)
    ax.set_ylim(0, share["share_pct"].max() * 1.3)
    ax.grid(axis="x", visible=False)
    ax.set_ylabel("% of all national ETDZs")
    ax.set_title("Share of all national ETDZs' actually used foreign capital  占全国经开区实际使用外资比重", fontsize=11)
    fig.tight_layout()
    fig.legend(handles=[Patch(facecolor=home, edgecolor=home, label="a bound the inputs guarantee (≥ at least)"),
                        Patch(facecolor="white", edgecolor=home, hatch="///",
                              label="indicative: scope wider than the ETDZ, so no bound")],
               loc="upper left", bbox_to_anchor=(0.01, 0.0), ncol=1, fontsize=8.5, frameon=False)
    return fig, share


# ---------------------------------------------------------------------------------------------
# MOFCOM's evaluation


def mofcom_ranks() -> pd.DataFrame:
    """Guangzhou ETDZ's used ranks in MOFCOM's evaluation (overall and foreign investment).

    Columns: edition, data_year, category, rank, rank_basis (stated or inferred),
    zones_evaluated (from mofcom_editions where known), source_id.
    """
    ranks = data.load("mofcom_etdz_ranking")
    ranks = ranks[ranks["use"] & (ranks["entity_id"] == HOME) & ranks["category"].isin(["overall", "foreign_investment"])]
    editions = data.load("mofcom_editions")
    editions = editions[editions["use"]][["edition", "zones_evaluated"]]
    frame = ranks[["edition", "data_year", "category", "rank", "rank_basis", "source_id"]].merge(
        editions, on="edition", how="left")
    return frame.sort_values(["category", "edition"]).reset_index(drop=True)


@figure_builder("fig-mofcom-ranks")
def fig_mofcom_ranks():
    """Guangzhou ETDZ's overall and foreign-investment ranks by edition: (figure, plotted rows)."""
    ranks = mofcom_ranks()
    home = colours.home()
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    styles = {"overall": ("-", "o", "overall 综合"), "foreign_investment": ("--", "s", "foreign investment 利用外资")}
    for category, (linestyle, marker, label) in styles.items():
        group = ranks[ranks["category"] == category].sort_values("edition")
        xs, ys = list(group["edition"].astype(int)), list(group["rank"].astype(int))
        for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
            ax.plot([x0, x1], [y0, y1], color=home, linewidth=1.5, linestyle=linestyle if x1 - x0 == 1 else ":")
        for x, y, basis in zip(xs, ys, group["rank_basis"]):
            ax.scatter(x, y, marker=marker, s=60, zorder=3, linewidths=1.5, edgecolors=home,
                       facecolors="white" if basis == "inferred" else home)
        ax.plot([], [], color=home, linestyle=linestyle, marker=marker, label=label)
    ax.scatter([], [], marker="o", facecolors="white", edgecolors="#444444", label="inferred edition or rank")
    first, last = int(ranks["edition"].min()), int(ranks["edition"].max())
    for edition in range(first, last + 1):
        if edition not in set(ranks["edition"]):
            ax.annotate("no source\nfound", (edition, 4.5), ha="center", fontsize=8, color="#666666")
    ax.set_xticks(range(first, last + 1))
    ax.set_ylim(5, 0.5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_xlabel("edition (rates the previous year's data)")
    ax.set_ylabel("rank (1 = top)")
    ax.set_title("Guangzhou ETDZ in MOFCOM's evaluation  商务部国家级经开区考核评价")
    charts.legend_below(ax, ncol=3)
    fig.tight_layout()
    return fig, ranks


# ---------------------------------------------------------------------------------------------
# The first batch


def first_batch() -> pd.DataFrame:
    """The first fourteen national ETDZs with their approval dates at the precision the sources give.

    Columns: entity_id, zone_zh, approval_date (YYYY[-MM[-DD]]), date_precision (day, month,
    year), span_end (ISO date: end of the stretch the date covers), rank_2021_edition (overall,
    where in the published top 30), note, source_id.
    """
    first = data.load("first_batch_etdz")
    first = first[first["use"]].copy()
    ranks = data.load("mofcom_etdz_ranking")
    top30 = ranks[ranks["use"] & (ranks["edition"] == 2021) & (ranks["category"] == "overall")][["entity_id", "rank"]]
    first = first.merge(top30, on="entity_id", how="left").rename(columns={"rank": "rank_2021_edition"})
    first["span_end"] = [f"{charts.date_span(d, p)[1]:%Y-%m-%d}" for d, p in zip(first["approval_date"], first["date_precision"])]
    columns = ["entity_id", "zone_zh", "approval_date", "date_precision", "span_end", "rank_2021_edition", "note", "source_id"]
    return first[columns].sort_values(["approval_date", "entity_id"]).reset_index(drop=True)


@figure_builder("fig-first-batch")
def fig_first_batch():
    """Approval dates of the first 14 national ETDZs drawn at their precision: (figure, plotted rows)."""
    first = first_batch()
    ordered = first.iloc[::-1].reset_index(drop=True).assign(row=lambda f: range(len(f)))
    fig, ax = plt.subplots(figsize=(7.5, 5.0))
    charts.date_bars(ax, ordered.assign(date=ordered["approval_date"]))
    for _, item in ordered.iterrows():
        _, end = charts.date_span(item["approval_date"], item["date_precision"])
        rank = "" if pd.isna(item["rank_2021_edition"]) else f"  #{int(item['rank_2021_edition'])} (2021 ed.)"
        ax.annotate(f"{colours.name(item['entity_id'])}{rank}", (end, item["row"]), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=8.5,
                    color=colours.colour(item["entity_id"]) if colours.colour(item["entity_id"]) != colours.OTHER else "#444444")
    ax.set_yticks([])
    ax.set_xlim(pd.Timestamp("1984-07-01"), pd.Timestamp("1989-09-30"))
    ax.set_title(f"Approval of the first {len(first)} national ETDZs  首批国家级经开区获批时间")
    ax.set_xlabel("approval date (bar length = precision of the date: a day, a month or a year)")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig, ordered.drop(columns=["note"])


# ---------------------------------------------------------------------------------------------
# Plans and the record since 2019


def plans_table():
    """Highland 1's commitments with their status, for readers."""
    return reader_table(plans.commitments(HIGHLAND), [
        Column("Commitment", "commitment_en"), Column("Article (verbatim)", "quote", "quote"),
        Column("Status", "status_label"), Column("Since", "status_date", "date"),
        Column("What the source shows", "evidence_note", "quote"), Column("Source", "source_id", "source"),
    ], caption="What happened to highland 1's plans (status as of the latest source found)")


@figure_builder("fig-plans-open-economy")
def fig_plans():
    """Highland 1's commitments on a time line, by status: (figure, plotted rows)."""
    count = len(plans.commitments(HIGHLAND))
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.3 * count))
    frame = plans.status_chart(ax, HIGHLAND)
    ax.set_title("Highland 1's commitments: date of the step a source reports", fontsize=11)
    fig.tight_layout()
    return fig, frame


RECORD_PEERS = PEERS


def f500_record(year: int = 2019) -> pd.DataFrame:
    """Fortune Global 500 projects by entity and basis: the last count up to ``year`` and the latest.

    No change is computed: counts of different scopes, dates and qualifiers are set side by side.
    Columns: entity_id, basis, before (text with qualifier), before_year, before_scope, latest,
    latest_year, latest_scope, source_id.
    """
    def last(group: pd.DataFrame, prefix: str) -> dict:
        if group.empty:
            return {prefix: None, f"{prefix}_year": None, f"{prefix}_scope": None, "source": []}
        row = group.sort_values(["data_year", "scope"]).iloc[-1]  # the latest year (scopes in a fixed order)
        return {prefix: formatting.with_qualifier(row["value_display"], row["qualifier"]),
                f"{prefix}_year": int(row["data_year"]), f"{prefix}_scope": formatting.scope(row["scope"]),
                "source": [row["source_id"]]}

    rows = fortune500()
    rows = rows[rows["kind"] == "projects"]
    out = []
    for (entity, basis), group in rows.groupby(["entity_id", "basis"], sort=True):
        before, after = last(group[group["data_year"] <= year], "before"), last(group[group["data_year"] > year], "latest")
        sources = before.pop("source") + after.pop("source")
        out.append({"entity_id": entity, "basis": basis, **before, **after, "source_id": ";".join(sources)})
    return pd.DataFrame(out)


def f500_record_table():
    """Fortune Global 500 projects up to 2019 and the latest count, for readers."""
    return reader_table(f500_record(), [
        Column("Zone", "entity_id", "entity"), Column("Count includes", "basis"),
        Column("Up to 2019", "before"), Column("Year", "before_year", "year"), Column("Scope", "before_scope"),
        Column("Latest", "latest"), Column("Year", "latest_year", "year"), Column("Scope", "latest_scope"),
        Column("Sources", "source_id", "source"),
    ], caption="Fortune Global 500 projects: the last count up to 2019 and the latest, basis by basis")


@figure_builder("fig-record-fdi")
def fig_record_fdi():
    """Actually used foreign capital since 2015, zone and peers, levels and nominal growth: (figure, rows)."""
    fig, levels, growth = record.figure("fdi_actual", [HOME, *RECORD_PEERS],
                                        "Actually used foreign capital since 2015  实际使用外资 (亿美元)",
                                        display_unit="亿美元")
    return fig, pd.concat([levels[SHOWN], growth], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Values the prose glues


def key_values() -> dict:
    """Every number, date, verdict and bound label the chapter's prose glues, selected by key.

    Raises LookupError when a keyed row is missing or not unique (the data changed shape).
    """
    f500 = fortune500()
    home = f500[f500["entity_id"] == HOME]
    v: dict = {"verdicts": verdicts.summary(HIGHLAND)}
    for figure_id in ("h1-fortune500", "h1-fie-count", "h1-fdi-total", "h1-mofcom-fdi", "h1-first-batch",
                      "h1-trade-partners"):
        v[f"verdict_{figure_id[3:].replace('-', '_')}"] = claims.verdict_of(figure_id)
    row = one(home, indicator="fortune500_projects", data_year=2019)
    v["f500_2019"], v["f500_2019_date"] = int(row["value"]), formatting.date_at_precision(row["as_of"])
    v["article_f500"] = claims.stated(_article("h1-fortune500"))
    v["article_fie"] = claims.stated(_article("h1-fie-count"))
    v["article_fdi_total"] = claims.stated(_article("h1-fdi-total"))
    foreign = home[home["basis"] == "foreign firms only"]
    year = int(foreign["data_year"].min())
    v["f500_foreign_year"] = year
    v["f500_foreign_projects"] = int(one(foreign, kind="projects", data_year=year, scope="zone_and_district")["value"])
    v["f500_foreign_companies"] = int(one(foreign, kind="companies", data_year=year, scope="zone_and_district")["value"])
    incl = home[home["basis"] == "incl. Chinese firms"]
    latest = int(incl["data_year"].max())
    p, c = one(incl, kind="projects", data_year=latest), one(incl, kind="companies", data_year=latest)
    v["f500_incl_projects"], v["f500_incl_companies"] = int(p["value"]), int(c["value"])
    v["f500_incl_date"] = formatting.date_at_precision(p["as_of"] if pd.notna(p["as_of"]) else str(latest))
    ratios = projects_per_company()
    mine = one(ratios, entity_id=HOME, basis="foreign firms only", data_year=year, scope="zone_and_district")
    v["f500_foreign_per_company"], v["f500_foreign_per_company_bound"] = float(mine["ratio"]), mine["bound"]

    fie = fie_counts()
    gz = fie[(fie["entity_id"] == HOME) & (fie["scope"] != "article")]
    attracted = gz[gz["indicator"] == "fie_attracted_cumulative"]
    row = one(attracted, data_year=int(attracted["data_year"].max()))
    v["fie_attracted_latest"] = formatting.with_qualifier(row["value"], row["qualifier"])
    v["fie_attracted_year"] = int(row["data_year"])
    present = gz[(gz["indicator"] == "fie_count") & (gz["scope"] == "district")]
    row = one(present, data_year=2023)
    v["fie_district_2023"] = formatting.with_qualifier(row["value"], row["qualifier"])
    v["fie_district_2023_date"] = formatting.date_at_precision(row["as_of"])
    row = one(gz, indicator="fie_count", scope="district", data_year=2019)
    v["fie_district_2019"] = formatting.with_qualifier(row["value"], row["qualifier"])
    teda = fie[fie["entity_id"] == "teda"]
    row = one(teda, indicator="fie_attracted_cumulative", data_year=int(teda[teda["indicator"] == "fie_attracted_cumulative"]["data_year"].max()))
    v["teda_attracted"], v["teda_attracted_year"] = int(row["value"]), int(row["data_year"])
    row = one(teda, indicator="fie_count", data_year=int(teda[teda["indicator"] == "fie_count"]["data_year"].max()))
    v["teda_present"], v["teda_present_year"] = int(row["value"]), int(row["data_year"])

    arithmetic = total_vs_actual().set_index("quantity")
    times = arithmetic.loc["article's investment ÷ actually used capital"]
    v["total_vs_actual"], v["total_vs_actual_bound"] = float(times["value"]), times["bound"]
    v["total_vs_actual_reason"] = times["reason"]
    cumulative = used_rows(["fdi_actual_cumulative"], [HOME])
    row = one(cumulative, scope="district", data_year=int(cumulative[cumulative["scope"] == "district"]["data_year"].max()))
    v["fdi_cumulative_year"] = int(row["data_year"])
    v["fdi_cumulative"] = formatting.figure(row["value"], row["unit"], row["qualifier"])

    peers = peers_cumulative()
    for key, indicator in (("teda_total_cum", "foreign_investment_total_cumulative"), ("teda_actual_cum", "fdi_actual_cumulative")):
        mine = peers[(peers["entity_id"] == "teda") & (peers["indicator"] == indicator)]
        row = one(mine, data_year=int(mine["data_year"].max()))
        v[key] = formatting.figure(row["value"], row["unit"], row["qualifier"])
        v[key + "_year"] = int(row["data_year"])

    share = fdi_share()
    etdz = one(share, scope="etdz")
    v["share_etdz_year"], v["share_etdz"] = int(etdz["data_year"]), float(etdz["share_pct"])
    v["share_etdz_bound"] = etdz["bound"]
    wide = share[share["scope"] != "etdz"]
    v["share_wide_min"], v["share_wide_max"] = float(wide["share_pct"].min()), float(wide["share_pct"].max())
    v["share_wide_bounds"] = ", ".join(sorted(set(wide["bound"])))
    v["share_wide_reason"] = one(share, scope="district", data_year=int(wide[wide["scope"] == "district"]["data_year"].min()))["reason"]

    ranks = mofcom_ranks()
    fdi_ranks = ranks[ranks["category"] == "foreign_investment"]
    v["fdi_first_editions"] = int((fdi_ranks["rank"] == 1).sum())
    v["fdi_editions"] = len(fdi_ranks)
    overall = ranks[(ranks["category"] == "overall") & (ranks["edition"] >= 2018)]
    v["overall_second_from"] = 2018 if set(overall["rank"]) == {2} else 0
    v["overall_editions"] = len(overall)

    first = first_batch()
    gz_first = one(first, entity_id=HOME)
    v["approval"] = formatting.date_at_precision(gz_first["approval_date"])
    v["approval_precision"] = gz_first["date_precision"]
    years = first["approval_date"].str[:4].astype(int)
    v["batch_size"], v["batch_first_year"], v["batch_last_year"] = len(first), int(years.min()), int(years.max())

    status = plans.status_counts(HIGHLAND)
    v.update({f"plans_{k}": n for k, n in status.items()})
    v["plans_total"] = sum(status.values())
    commitments = plans.commitments(HIGHLAND)
    bonded = one(commitments, commitment_id="c1-bonded-zone")
    v["bonded_zone_status"] = bonded["status_label"]
    v["bonded_zone_date"] = formatting.date_at_precision(bonded["status_date"])

    fdi = used_rows(["fdi_actual"], [HOME])
    row = one(fdi, scope="zone", data_year=int(fdi[fdi["scope"] == "zone"]["data_year"].max()))
    v["fdi_zone_latest"] = formatting.figure(row["value"], row["unit"], row["qualifier"])
    v["fdi_zone_latest_year"] = int(row["data_year"])
    row = one(fdi, scope="district", data_year=2018)
    v["fdi_district_2018"] = formatting.figure(row["value"], row["unit"], row["qualifier"])
    row = one(fdi, scope="district", data_year=2021)
    v["fdi_district_2021"] = formatting.figure(row["value"], row["unit"], row["qualifier"])
    row = one(fdi, scope="district", data_year=2022)
    v["fdi_district_2022"] = formatting.figure(row["value"], row["unit"], row["qualifier"])
    return v
