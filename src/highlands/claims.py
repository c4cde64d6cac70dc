"""The article's figures and the book's verdicts on them, as chapters and the ledger show them."""
from __future__ import annotations

import pandas as pd

from . import data, formatting, verdicts
from .tables import Column, reader_table

HIGHLANDS = {
    0: ("Preamble", "序言"),
    1: ("Foreign investment and the open economy", "外资集聚地 · 开放型经济新高地"),
    2: ("Industrial clusters", "产业集群区 · 创新型产业新高地"),
    3: ("Sci-tech innovation", "科技创新园 · 核心技术新高地"),
    4: ("Outward cooperation", "外向型园区 · 开放型合作新高地"),
    5: ("Land and energy", "要素集聚区 · 核心资源运用新高地"),
    6: ("Talent", "人才成功区 · 人才发展新高地"),
    7: ("Institutions and business environment", "制度先行区 · 营商环境新高地"),
}
CHAPTERS = {1: "01-open-economy", 2: "02-industrial-clusters", 3: "03-sci-tech-innovation",
            4: "04-outward-cooperation", 5: "05-land-and-energy", 6: "06-talent", 7: "07-institutions"}


def stated(row: pd.Series) -> str:
    """A seed figure as the article states it, qualifier kept: '3,500+ 家', '176 个', 'no figure given'."""
    if row["qualifier"] == "qualitative":
        return "no figure given"
    if row["unit"] in ("年",):
        return str(int(row["value"]))
    return f"{formatting.with_qualifier(float(row['value']), row['qualifier'])} {row['unit']}".strip()


def article_figures(highland: int) -> pd.DataFrame:
    """The article's figures for one highland (0 = preamble), with a ``stated`` column.

    Columns: those of seed_figures.csv plus stated. Raises DataError if the data do not validate.
    """
    seed = data.load("seed_figures")
    rows = seed[seed["highland"] == highland].copy()
    rows["stated"] = [stated(row) for _, row in rows.iterrows()]
    return rows.reset_index(drop=True)


def figure_value(figure_id: str) -> float:
    """The number an article figure states (raises KeyError for an unknown id, ValueError if it has none)."""
    row = data.load("seed_figures").set_index("figure_id").loc[figure_id]
    if pd.isna(row["value"]):
        raise ValueError(f"{figure_id} states no number")
    return float(row["value"])


def claim_table(highland: int):
    """The table under 'The claim': each figure as stated, with the quote and its English rendering."""
    return reader_table(article_figures(highland), [
        Column("Figure", "figure_id"), Column("What it counts", "indicator_en"),
        Column("As stated", "stated"), Column("Year", "data_year", "year"),
        Column("Article (verbatim)", "quote", "quote"), Column("In English", "quote_en", "quote"),
    ], caption=f"The article's figures for highland {highland}")


def check_table(highland: int):
    """The table under 'Check of the claim': verdict by the rule, the independent figure, source, reason."""
    figures = article_figures(highland).set_index("figure_id")
    ledger = verdicts.ledger().set_index("figure_id")
    rows = ledger.loc[figures.index].reset_index()
    rows["stated"] = list(figures["stated"])
    return reader_table(rows, [
        Column("Figure", "figure_id"), Column("Article says", "stated"), Column("Verdict", "verdict", "verdict"),
        Column("Independent figure", "independent_figure"), Column("Source", "source_id", "source"),
        Column("Why", "reason", "quote"),
    ], caption=f"Checks of highland {highland}'s figures")


def verdict_of(figure_id: str) -> str:
    """A figure's verdict in words ('confirmed', 'not verifiable' …), for gluing into prose."""
    return verdicts.LABELS[verdicts.verdict(figure_id).verdict]
