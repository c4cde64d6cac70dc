"""The verdict on each figure of the article, computed from the data by one written rule.

The rule (also on the methods page, "Verdicts"):

1. **plan** — the figure is something the zone *will* do (``claim_readings.claim_kind`` = plan).
   It is tracked as a commitment, never checked.
2. For a fact, the *candidates* are the used rows of the table named by the figure's reading
   (``claim_readings.csv``) for the same entity and measure in the figure's year(s).
   The article's figure and each candidate are turned into intervals of values
   (:mod:`highlands.intervals`: precision, 多/约/级 …).
3. **confirmed** — a candidate of the same measure and scope lies inside the article's interval
   (for an "always" claim over several years: every candidate does).
4. **differs** — a candidate of the same measure, scope and year lies outside it (both shown).
5. **confirmed with a different scope or measure** (``confirmed_other_basis``) — no candidate of
   the same scope and measure, but one of another scope, or of a measure the reading names as
   close but different (``other_measures``), lies inside. Another scope or measure never makes
   a figure *differ*.
6. **not verifiable** — anything else: no independent figure for the measure and year, or one
   that overlaps the article's interval without lying inside it. The searches made are in
   ``search_log.csv``.

A verdict may be set by hand only with a written reason (``override_verdict``,
``override_reason``); the rule's verdict is kept beside it and both are shown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from . import data
from .intervals import Interval, date_interval, value_interval
from .observations import observations

ORDER = ["confirmed", "confirmed_other_basis", "differs", "not_verifiable", "plan"]
LABELS = {
    "confirmed": "confirmed",
    "confirmed_other_basis": "confirmed with a different scope or measure",
    "differs": "differs",
    "not_verifiable": "not verifiable",
    "plan": "plan (tracked as a commitment)",
}


@dataclass
class Verdict:
    """The verdict on one article figure.

    ``verdict`` is the one the book shows (the override where there is one), ``rule_verdict``
    the rule's; ``basis`` the observation it rests on (a row of :func:`observations`, or None);
    ``reason`` one sentence saying why; ``context`` figures found that did not decide it.
    """

    figure_id: str
    verdict: str
    rule_verdict: str
    reason: str
    basis: dict | None = None
    context: list[dict] = field(default_factory=list)
    override_reason: str = ""


def _units() -> dict[str, tuple[float, str]]:
    quantities = {q["quantity"]: q["family"] for q in data.read_rows("quantities")[1]}
    return {u["unit"]: (float(u["factor"]), quantities.get(u["quantity"], u["quantity"]))
            for u in data.read_rows("units")[1]}


def _years(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    first, _, last = text.partition("-")
    return int(first), int(last or first)


def _text(row: pd.Series, column: str) -> str:
    """A text cell, '' when empty (pandas gives <NA>, which has no truth value)."""
    value = row[column]
    return "" if value is None or pd.isna(value) else str(value)


def _article_interval(figure: pd.Series, reading: pd.Series, date_measure: bool) -> Interval | None:
    """What the article's figure allows, or None for a claim of existence."""
    if _text(reading, "compare_qualifier") == "exists":
        return None
    units = _units()
    if pd.notna(reading["compare_value"]):
        value, qualifier, unit = f"{reading['compare_value']:g}", reading["compare_qualifier"], figure["unit"]
    else:
        value, qualifier, unit = figure["value_text"], figure["qualifier"], figure["unit"]
    if date_measure:
        if pd.notna(reading["compare_value"]):
            return date_interval(value)
        return date_interval(figure["as_of"] if pd.notna(figure["as_of"]) else value)
    factor = units[unit][0] if unit in units else 1.0
    return value_interval(value, qualifier, factor)


def _candidate_interval(row: pd.Series) -> Interval:
    if row["unit"] == "date":
        return date_interval(row["value"])
    units = _units()
    factor = units[row["unit"]][0] if row["unit"] in units else 1.0
    return value_interval(row["value"], row["qualifier"] or "exact", factor)


@lru_cache(maxsize=1)
def _measure_names() -> dict[tuple[str, str], str]:
    """Readers' names of measures: indicator labels, MOFCOM items, ranking lists, event labels."""
    names = {}
    for row in data.read_rows("indicators")[1]:
        names[("indicator", row["indicator_id"])] = row["label_en"].lower()
    for row in data.read_rows("ranking_lists")[1]:
        names[("list", row["list_id"])] = row["title_en"]
    for row in data.read_rows("milestones")[1]:
        names.setdefault(("event", row["event_id"]), row["label_en"] or row["event_en"])
    return names


_MOFCOM_ITEMS = {"overall": "MOFCOM overall rank", "foreign_investment": "MOFCOM foreign-investment rank",
                 "foreign_trade": "MOFCOM foreign-trade rank", "sci_tech_innovation": "MOFCOM sci-tech innovation rank",
                 "industrial_base": "MOFCOM industrial-base rank"}


def describe(row: pd.Series | dict) -> str:
    """One observation in words: 'at least 3,500 enterprises (district, 2019; foreign-invested enterprises)'."""
    from .formatting import figure, scope

    row = dict(row)
    names = _measure_names()
    if row["unit"] == "date":
        event = names.get(("event", row["measure"]), row["measure"].replace("-", " "))
        if row["table"] == "first_batch_etdz":
            event = "approval as a national ETDZ"
        return f"{row['value']} ({event})"
    if row["unit"] == "rank":
        item = _MOFCOM_ITEMS.get(row["measure"]) or names.get(("list", row["measure"]), row["measure"])
        place = f"rank {row['value']}" if row["value"] else "listed"
        return f"{place} ({item}, {row['year']} edition)"
    shown = figure(float(row["value"]), row["unit"], row["qualifier"] or "exact")
    measure = names.get(("indicator", row["measure"]), row["measure"].replace("_", " "))
    return f"{shown} ({scope(row['scope'])}, {row['year']}; {measure})"


def _judge(figure: pd.Series, reading: pd.Series, found: pd.DataFrame) -> Verdict:
    figure_id = figure["figure_id"]
    if _text(reading, "claim_kind") == "plan":
        return Verdict(figure_id, "plan", "plan", "A plan: " + reading["reading"])
    if not _text(reading, "table"):
        return Verdict(figure_id, "not_verifiable", "not_verifiable", reading["reading"])
    years = _years(_text(reading, "years"))
    rows = found[(found["table"] == reading["table"]) & (found["entity_id"] == reading["entity_id"])]
    if years:
        rows = rows[rows["year"].between(*years)]
    others = [m for m in _text(reading, "other_measures").split(";") if m]
    if reading["measure"] == "*":
        same_measure, other_measure = rows, rows.iloc[0:0]
    else:
        same_measure = rows[rows["measure"] == reading["measure"]]
        other_measure = rows[rows["measure"].isin(others)]
    any_scope = _text(reading, "scope") in ("", "any")
    same = same_measure if any_scope else same_measure[same_measure["scope"] == reading["scope"]]
    other_scope = same_measure.drop(same.index)
    date_measure = reading["table"] in ("milestones", "first_batch_etdz")
    article = _article_interval(figure, reading, date_measure)

    def fits(row) -> str:
        if article is None:
            return "inside"
        found_ = _candidate_interval(row)
        return "inside" if found_.inside(article) else "outside" if not found_.overlaps(article) else "overlaps"

    if len(same):
        results = [fits(row) for _, row in same.iterrows()]
        first = same.iloc[0]
        if all(r == "inside" for r in results):
            what = f"all {len(same)} independent rows agree" if len(same) > 1 else f"{describe(first)} agrees"
            return Verdict(figure_id, "confirmed", "confirmed",
                           f"{what} with the article's figure (same measure and scope).",
                           basis=first.to_dict(), context=[r.to_dict() for _, r in same.iloc[1:].iterrows()])
        if "outside" in results:
            bad = same.iloc[results.index("outside")]
            return Verdict(figure_id, "differs", "differs",
                           f"an independent figure for the same measure and year, {describe(bad)}, lies outside "
                           "what the article's figure allows.", basis=bad.to_dict())
        return Verdict(figure_id, "not_verifiable", "not_verifiable",
                       f"{describe(first)} is compatible with the article's figure but does not pin it down.",
                       basis=first.to_dict())
    for kind, pool in (("scope", other_scope), ("measure", other_measure)):
        inside = [row for _, row in pool.iterrows() if fits(row) == "inside"]
        if inside:
            row = inside[0]
            measure = _measure_names().get(("indicator", row["measure"]), row["measure"].replace("_", " "))
            what = (f"another scope ({row['scope'].replace('_', ' ')})" if kind == "scope"
                    else f"a different measure ({measure})")
            return Verdict(figure_id, "confirmed_other_basis", "confirmed_other_basis",
                           f"{describe(row)}: the same figure for {what}.", basis=row.to_dict())
    context = pd.concat([other_scope, other_measure])
    nearby = found[(found["table"] == reading["table"]) & (found["entity_id"] == reading["entity_id"])
                   & (found["measure"].isin([reading["measure"], *others]))]
    nearby = nearby.drop(context.index, errors="ignore")
    reason = "no independent figure for the same measure and year was found"
    if len(context):
        reason += f"; figures of another scope or measure do not match ({describe(context.iloc[0])})"
    elif len(nearby):
        reason += f"; nearest: {describe(nearby.iloc[(nearby['year'] - (years or (0, 0))[0]).abs().argmin()])}"
    return Verdict(figure_id, "not_verifiable", "not_verifiable", reason + ".",
                   context=[r.to_dict() for _, r in pd.concat([context, nearby]).iterrows()])


def _combine(figure_id: str, parts: list[Verdict]) -> Verdict:
    if len(parts) == 1:
        return parts[0]
    kinds = [p.verdict for p in parts]
    for verdict in ("differs", "not_verifiable", "confirmed_other_basis", "confirmed", "plan"):
        if verdict in kinds:
            chosen = parts[kinds.index(verdict)]
            break
    reason = " ".join(f"{p.basis['entity_id'] if p.basis else 'One part'}: {p.reason}" for p in parts)
    return Verdict(figure_id, chosen.verdict, chosen.verdict, reason, basis=chosen.basis,
                   context=[p.basis for p in parts if p.basis and p is not chosen])


@lru_cache(maxsize=1)
def _verdicts() -> dict[str, Verdict]:
    figures = data.load("seed_figures")
    figures["value_text"] = [r["value"] for r in data.read_rows("seed_figures")[1]]
    readings = data.load("claim_readings")
    found = observations()
    verdicts = {}
    for _, figure in figures.iterrows():
        mine = readings[readings["figure_id"] == figure["figure_id"]]
        if mine.empty:
            raise data.DataError(f"data/claim_readings.csv: no reading for {figure['figure_id']}")
        result = _combine(figure["figure_id"], [_judge(figure, r, found) for _, r in mine.iterrows()])
        override = mine["override_verdict"].dropna()
        if len(override):
            result.verdict = override.iloc[0]
            result.override_reason = mine["override_reason"].dropna().iloc[0]
        verdicts[figure["figure_id"]] = result
    return verdicts


def verdict(figure_id: str) -> Verdict:
    """The verdict on one figure of the article (see the module docstring for the rule).

    Raises KeyError for an unknown figure and DataError when the data do not validate or a
    figure has no reading in ``claim_readings.csv``.
    """
    return _verdicts()[figure_id]


def ledger() -> pd.DataFrame:
    """The computed ledger: one row per article figure.

    Columns: figure_id, highland (0 = preamble), verdict, verdict_label, rule_verdict (equal to
    verdict unless overridden), override_reason, independent_table, independent_row (1 = first
    data row), independent_figure (in words), source_id, reason. Published with the book as
    ``claims_ledger.csv``.
    """
    figures = data.load("seed_figures")
    rows = []
    for _, figure in figures.iterrows():
        v = verdict(figure["figure_id"])
        rows.append({
            "figure_id": v.figure_id, "highland": int(figure["highland"]),
            "verdict": v.verdict, "verdict_label": LABELS[v.verdict], "rule_verdict": v.rule_verdict,
            "override_reason": v.override_reason,
            "independent_table": v.basis["table"] if v.basis else "",
            "independent_row": int(v.basis["row"]) if v.basis else None,
            "independent_figure": describe(v.basis) if v.basis else "",
            "source_id": v.basis["source_id"] if v.basis else "",
            "reason": v.reason,
        })
    frame = pd.DataFrame(rows)
    frame["independent_row"] = frame["independent_row"].astype("Int64")
    return frame


def counts(highland: int | None = None) -> dict[str, int]:
    """Number of figures per verdict (in ORDER), for one highland or the whole article."""
    frame = ledger()
    if highland is not None:
        frame = frame[frame["highland"] == highland]
    tally = frame["verdict"].value_counts()
    return {v: int(tally[v]) for v in ORDER if v in tally}


def summary(highland: int | None = None) -> str:
    """Verdict counts in words: '2 confirmed · 1 not verifiable · 3 plan (tracked as a commitment)'."""
    return " · ".join(f"{n} {LABELS[v]}" for v, n in counts(highland).items())
