"""The article's figures, written with their qualifiers kept ("3,500+", not "3,500")."""
from __future__ import annotations

import pandas as pd

from .data import load

# How each qualifier is written next to a number; a lower bound stays a lower bound in prose.
_MARKS = {"exact": ("", ""), "lower_bound": ("", "+"), "approximate": ("about ", ""),
          "upper_bound": ("under ", "")}


def format_number(value: float, unit: str = "") -> str:
    """1234.5 -> '1,234.5'; 7603.0 -> '7,603'; a year stays '2018'. No rounding."""
    if unit in ("年", "year"):
        return f"{value:.0f}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def format_figure(row: pd.Series) -> str:
    """A seed-figure row as prose: '3,500+ 家', 'about 1,000 亿元', or 'no figure given'."""
    if row["qualifier"] == "qualitative":
        return "no figure given"
    before, after = _MARKS[row["qualifier"]]
    return f"{before}{format_number(float(row['value']), row['unit'])}{after} {row['unit']}".strip()


def article_figures(highland: int) -> pd.DataFrame:
    """The article's figures for one highland (0 = preamble), with a 'stated' column for display."""
    seed = load("seed_figures")
    rows = seed[seed["highland"] == highland].copy()
    rows["stated"] = [format_figure(row) for _, row in rows.iterrows()]
    return rows


def claims_table(highland: int) -> pd.DataFrame:
    """The table each chapter shows under 'The claim'."""
    rows = article_figures(highland)
    table = rows[["figure_id", "indicator_en", "stated", "data_year", "quote"]]
    return table.rename(columns={"figure_id": "id", "indicator_en": "indicator", "data_year": "year",
                                 "quote": "article (verbatim)"}).reset_index(drop=True)


def _independent(table: str, row: pd.Series) -> str:
    """One independent observation in words, with its scope and year."""
    if table in ("zone_indicators", "etdz_national_totals"):
        before, after = _MARKS[row["qualifier"]]
        when = row["as_of"] if "as_of" in row and pd.notna(row["as_of"]) else str(row["data_year"])
        scope = f", {row['scope']} scope" if "scope" in row else ""
        return f"{before}{format_number(float(row['value']))}{after} {row['unit']} ({when}{scope})"
    if table == "mofcom_etdz_ranking":
        of = f" of {row['zones_evaluated']}" if pd.notna(row["zones_evaluated"]) else ""
        return f"rank {row['rank']}{of}, {row['category']} (edition {row['edition']}, data {row['data_year']})"
    if table == "district_rankings":
        return f"rank {row['rank']} on {row['list']} (edition {row['edition']})"
    if table == "milestones":
        return f"{row['event_en']} ({row['date']})"
    if table == "first_batch_etdz":
        return f"approved {row['approval_date']} ({row['date_precision']} precision)"
    raise ValueError(table)


CHECK_COLUMNS = ["id", "article", "independent figure", "verdict", "source", "note"]


def checks_table(highland: int) -> pd.DataFrame:
    """The article's figures for a highland beside the book's verdict and the independent figure."""
    from .data import _FACT_KEY  # the same key columns the loader validates

    figures = article_figures(highland).set_index("figure_id")
    checks = load("claim_checks")
    checks = checks[checks["figure_id"].isin(figures.index)]
    rows = []
    for _, check in checks.iterrows():
        independent = "none found"
        if pd.notna(check["table"]):
            table = load(check["table"])
            key = table[list(_FACT_KEY[check["table"]])].astype(str).agg("|".join, axis=1)
            match = table[(key == check["key"]) & (table["source_id"] == check["source_id"])].iloc[0]
            independent = _independent(check["table"], match)
        rows.append({"id": check["figure_id"], "article": figures.loc[check["figure_id"], "stated"],
                     "independent figure": independent, "verdict": check["verdict"],
                     "source": check["source_id"] if pd.notna(check["source_id"]) else "",
                     "note": check["note"]})
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def headline(highland: int, figure_ids: list[str] | None = None) -> str:
    """A highland's headline figures in words, for the intro page's table.

    ``figure_ids`` picks the figures; by default the first three with a number.
    """
    rows = article_figures(highland)
    numeric = rows[rows["qualifier"] != "qualitative"]
    chosen = numeric.set_index("figure_id").loc[figure_ids].reset_index() if figure_ids else numeric.head(3)
    if chosen.empty:
        return f"no figures: {len(rows)} claims without numbers"
    return "; ".join(f"{row['indicator_en']}: {row['stated']}" for _, row in chosen.iterrows())


def glue_headline(highland: int, figure_ids: list[str] | None = None) -> None:
    """Glue `headline` (and the book's version) for the intro page, which pastes them."""
    from . import __version__
    from .figures import glue_value
    glue_value("headline", headline(highland, figure_ids))
    glue_value("verdicts", verdict_summary(highland))
    glue_value("book_version", __version__)


def verdict_summary(highland: int) -> str:
    """The book's verdicts on a highland's figures, counted per figure (e.g. "2 confirmed, 1 differs")."""
    figures = article_figures(highland)["figure_id"]
    checks = checks_table(highland)
    # A figure checked against several sources has one row per source; the loader makes their verdicts agree.
    verdicts = checks.drop_duplicates("id").set_index("id")["verdict"].reindex(figures).fillna("not_checked")
    order = ["confirmed", "differs", "not_verifiable", "not_checked"]
    counts = verdicts.value_counts()
    return " · ".join(f"{counts[v]} {v.replace('_', ' ')}" for v in order if v in counts)


CHAPTERS = {1: "01-open-economy", 2: "02-industrial-clusters", 3: "03-sci-tech-innovation",
            4: "04-outward-cooperation", 5: "05-land-and-energy", 6: "06-talent", 7: "07-institutions"}


def ledger() -> pd.DataFrame:
    """Every figure of the article with the book's verdict, independent figure and sources."""
    rows = []
    for highland in range(0, 8):
        figures = article_figures(highland)
        checks = checks_table(highland) if highland else pd.DataFrame(columns=CHECK_COLUMNS)
        for _, figure in figures.iterrows():
            found = checks[checks["id"] == figure["figure_id"]]
            rows.append({
                "highland": highland,
                "id": figure["figure_id"],
                "article (verbatim)": figure["quote"],
                "stated": figure["stated"],
                "verdict": "; ".join(found["verdict"].unique()) if len(found) else "not checked",
                "independent figure": "; ".join(found["independent figure"]) if len(found) else "",
                "sources": "; ".join(s for s in found["source"] if s) if len(found) else "",
                "chapter": CHAPTERS.get(highland, ""),
            })
    return pd.DataFrame(rows)
