"""Verdicts follow from the data by the written rule (issue 16), and derived numbers carry the
bound label their inputs guarantee."""
import pandas as pd
import pytest

from highlands import bounds, data, intervals, verdicts
from highlands.bounds import Quantity
from highlands.observations import observations


def test_every_figure_has_a_verdict_on_the_scale():
    ledger = verdicts.ledger()
    assert list(ledger["figure_id"]) == list(data.load("seed_figures")["figure_id"])
    assert set(ledger["verdict"]) <= set(verdicts.ORDER)


def test_overrides_keep_the_rule_beside_them():
    """A verdict differs from the rule's only where a written reason is stored beside it."""
    ledger = verdicts.ledger()
    overridden = ledger[ledger["verdict"] != ledger["rule_verdict"]]
    assert (overridden["override_reason"].str.len() > 20).all(), overridden


def test_no_used_row_the_rule_would_use_is_ignored():
    """Issue 16 case 1 as a kind: whenever the data hold a used row of the figure's own measure,
    scope and year, the verdict rests on it (confirmed, differs or a not-pinned match), never on
    'nothing found'."""
    readings = data.load("claim_readings")
    found = observations()
    for _, reading in readings[readings["table"].notna()].iterrows():
        v = verdicts.verdict(reading["figure_id"])
        first, _, last = (reading["years"] or "").partition("-")
        rows = found[(found["table"] == reading["table"]) & (found["entity_id"] == reading["entity_id"])
                     & (found["measure"] == reading["measure"]) & found["year"].between(int(first), int(last or first))]
        if reading["scope"] not in ("any", None) and pd.notna(reading["scope"]):
            rows = rows[rows["scope"] == reading["scope"]]
        if len(rows) and reading["compare_qualifier"] != "exists":
            assert v.basis is not None and v.basis["table"] == reading["table"], (reading["figure_id"], v)


def test_case_1_a_matching_row_confirms():
    v = verdicts.verdict("h2-output")
    assert v.verdict == "confirmed" and v.basis["value"] == "7602.67"


def test_case_2_absence_is_not_contradiction():
    """A 2002 description of four zones cannot contradict a 2019 figure of five."""
    assert verdicts.verdict("h7-five-zones").verdict != "differs"


@pytest.mark.parametrize("figure_id", ["h1-trade-partners", "h1-fortune500", "h1-fie-count"])
def test_case_3_another_measure_is_never_plain_confirmed(figure_id):
    assert verdicts.verdict(figure_id).verdict in ("confirmed_other_basis", "not_verifiable")


@pytest.mark.parametrize("figure_id", ["h2-industrial-areas", "h2-value-parks", "h2-world-class-clusters", "p-highlands"])
def test_case_4_plans_are_not_counted_as_unverifiable(figure_id):
    assert verdicts.verdict(figure_id).verdict == "plan"


def _judge(figure_id, extra_rows):
    """The rule applied to the real reading with extra observations added (what a new source would do)."""
    figures = data.load("seed_figures")
    figures["value_text"] = [r["value"] for r in data.read_rows("seed_figures")[1]]
    figure = figures.set_index("figure_id").loc[figure_id].copy()
    figure["figure_id"] = figure_id
    reading = data.load("claim_readings").set_index("figure_id").loc[figure_id]
    found = pd.concat([observations(), pd.DataFrame(extra_rows)], ignore_index=True)
    return verdicts._judge(figure, reading, found)


def _row(**cells):
    base = {"table": "zone_indicators", "row": 999, "entity_id": "guangzhou_dz", "scope": "district",
            "measure": "high_level_talents", "year": 2019, "value": "698", "unit": "persons", "qualifier": "exact",
            "precision": "", "as_of": "", "source_id": "test", "use": True, "note": ""}
    return {**base, **cells}


def test_the_rule_confirms_differs_and_reads_other_scopes():
    assert _judge("h6-talents", []).verdict == "not_verifiable"
    assert _judge("h6-talents", [_row()]).verdict == "confirmed"
    assert _judge("h6-talents", [_row(value="650")]).verdict == "differs"
    assert _judge("h6-talents", [_row(value="690", qualifier="lower_bound")]).verdict == "not_verifiable"
    assert _judge("h6-talents", [_row(scope="zone")]).verdict == "confirmed_other_basis"
    assert _judge("h6-talents", [_row(scope="zone", value="650")]).verdict == "not_verifiable"
    assert _judge("h6-talents", [_row(year=2021)]).verdict == "not_verifiable"


def test_rounding_and_qualifiers():
    article = intervals.value_interval("7603", "exact", 1e8)
    assert intervals.value_interval("7602.67", "exact", 1e8).inside(article)
    assert not intervals.value_interval("7602.4", "exact", 1e8).overlaps(article)
    assert intervals.value_interval("3700", "exact").inside(intervals.value_interval("3500", "lower_bound"))
    assert not intervals.value_interval("3000", "lower_bound").inside(intervals.value_interval("3500", "lower_bound"))
    assert intervals.date_interval("1984-12").inside(intervals.date_interval("1984"))
    assert not intervals.date_interval("1985-01").overlaps(intervals.date_interval("1984"))


# --- bounds (issue 16 case 5) ------------------------------------------------------------------

def test_share_of_all_etdzs_from_a_district_figure_is_indicative():
    share = bounds.ratio(Quantity(20e8, "lower_bound", "district", 2021), Quantity(381.6e8, "exact", "etdz", 2021),
                         total_counts="etdz", scale=100)
    assert share.bound == "indicative" and "overstates" in share.reason


def test_share_of_the_same_scope_keeps_its_bound():
    share = bounds.ratio(Quantity(20e8, "lower_bound", "etdz", 2021), Quantity(381.6e8, "exact", "etdz", 2021),
                         total_counts="etdz", scale=100)
    assert share.bound == "lower_bound" and share.label == "at least"


def test_two_data_years_make_a_ratio_indicative():
    ratio = bounds.ratio(Quantity(3000e8, "lower_bound", "district", 2019), Quantity(350e8, "lower_bound", "district", 2022))
    assert ratio.bound == "indicative" and "2019 and 2022" in ratio.reason


@pytest.mark.parametrize("numerator, denominator, expected", [
    ("exact", "exact", "exact"), ("lower_bound", "exact", "lower_bound"), ("exact", "lower_bound", "upper_bound"),
    ("lower_bound", "lower_bound", "indicative"), ("approximate", "exact", "indicative"),
])
def test_quotient_direction(numerator, denominator, expected):
    assert bounds.ratio(Quantity(1, numerator), Quantity(2, denominator)).bound == expected
