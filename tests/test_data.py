"""Every table reads through its schema and the book's reading rules; broken data fail loudly with
file, row and column. Each rule has a failing input here (a scratch copy of data/ broken once)."""
import csv

import pytest
from conftest import append_row, edit_cell, find_row
from frictionless import Package, system

from highlands import data, paths
from highlands.data import DataError


@pytest.mark.parametrize("name", data.table_names())
def test_table_loads_through_schema(name):
    frame = data.load(name)
    _, rows = data.read_rows(name)
    assert len(frame) == len(rows)  # nothing dropped


def test_datapackage_validates_with_frictionless():
    with system.use_context(trusted=True):
        report = Package(str(paths.DATAPACKAGE)).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_every_csv_under_data_is_described():
    described = {res["path"] for res in data.package()["resources"]}
    on_disk = {p.relative_to(paths.DATA).as_posix() for p in paths.DATA.rglob("*.csv")}
    assert on_disk == described


def test_no_unused_sources():
    assert data.unused_sources() == []


def _problem(data_dir, table):
    with pytest.raises(DataError) as caught:
        data.validate(table, data_dir)
    return str(caught.value)


# --- schema (Frictionless) -------------------------------------------------------------------

def test_a_value_that_is_not_a_number_stops_the_package_check_with_its_cell(data_copy):
    """Found by a newcomer: another table's rule (conflicts) read the bad value first and raised a
    bare ValueError. The whole package's form is checked before any rule."""
    edit_cell(data_copy, "zone_indicators", 2, "value", "abc")
    with pytest.raises(DataError) as caught:
        data.validate_package(data_copy)
    assert "data/zone_indicators.csv, row 2 (line 3), column 'value'" in str(caught.value)


def test_non_numeric_value_names_file_row_and_column(data_copy):
    edit_cell(data_copy, "seed_figures", 5, "value", "3500多")
    message = _problem(data_copy, "seed_figures")
    assert "data/seed_figures.csv, row 5 (line 6), column 'value'" in message
    assert "not a plain number" in message


def test_bad_enum(data_copy):
    edit_cell(data_copy, "seed_figures", 4, "qualifier", "roughly")
    assert "row 4 (line 5), column 'qualifier': 'roughly' is not one of" in _problem(data_copy, "seed_figures")


def test_duplicate_key(data_copy):
    edit_cell(data_copy, "seed_figures", 3, "figure_id", "p-anniversary")
    assert "row 3 (line 4), column 'figure_id': 'p-anniversary' repeats row 1" in _problem(data_copy, "seed_figures")


def test_unknown_entity_is_a_foreign_key_error(data_copy):
    edit_cell(data_copy, "mofcom_etdz_ranking", 1, "entity_id", "atlantis_etdz")
    assert "row 1 (line 2), column 'entity_id': 'atlantis_etdz' is not in entities.csv" in _problem(
        data_copy, "mofcom_etdz_ranking")


def test_missing_column(data_copy):
    path = data_copy / "seed_figures.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    drop = rows[0].index("unit")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:drop] + r[drop + 1:] for r in rows])
    assert "data/seed_figures.csv, column 'unit': column is missing from the header" in _problem(
        data_copy, "seed_figures")


def test_short_row(data_copy):
    path = data_copy / "article_non_figures.csv"
    path.write_text(path.read_text(encoding="utf-8") + "只有一格\n", encoding="utf-8")
    assert "row 6 (line 7): has 1 cells, the header has 3" in _problem(data_copy, "article_non_figures")


# --- the book's reading rules (highlands.rules) ------------------------------------------------

def test_changed_number_is_caught(data_copy):
    edit_cell(data_copy, "seed_figures", 5, "value", "3600")
    assert "row 5 (line 6), column 'value': 3600 does not appear in the quote" in _problem(data_copy, "seed_figures")


def test_quote_not_in_article(data_copy):
    edit_cell(data_copy, "seed_figures", 2, "quote", "致力打造8个“新高地”")
    assert "row 2 (line 3), column 'quote': is not a verbatim part of data/raw/article.txt" in _problem(
        data_copy, "seed_figures")


def test_wrong_unit_against_the_evidence(data_copy):
    """Issue 16 case 10: 2570 亿元 recorded as 万元 passes no more."""
    row = find_row(data_copy, "zone_indicators", entity_id="sip", indicator="gdp", data_year="2018", value="2570")
    edit_cell(data_copy, "zone_indicators", row, "unit", "万元")
    assert f"row {row} (line {row + 1}), column 'unit': '万元', but the evidence writes '亿元' after 2570" in _problem(
        data_copy, "zone_indicators")


def test_wrong_year_against_the_evidence(data_copy):
    """Issue 16 case 10: the evidence says 2018年; data_year 2017 fails."""
    row = find_row(data_copy, "zone_indicators", entity_id="sip", indicator="gdp", data_year="2018", value="2570")
    edit_cell(data_copy, "zone_indicators", row, "data_year", "2017")
    assert f"row {row} (line {row + 1}), column 'data_year': 2017, but the evidence states [2018]" in _problem(
        data_copy, "zone_indicators")


def test_year_basis_is_checked(data_copy):
    """A year not in the evidence needs a stated basis, and the basis must give that year."""
    row = find_row(data_copy, "zone_indicators", entity_id="sip", indicator="gdp", data_year="2012", value="1738")
    edit_cell(data_copy, "zone_indicators", row, "year_basis", "")
    assert f"row {row} (line {row + 1}), column 'year_basis': the evidence states no year" in _problem(
        data_copy, "zone_indicators")
    edit_cell(data_copy, "zone_indicators", row, "year_basis", "published")
    assert "column 'year_basis': 'published' does not give 2012" in _problem(data_copy, "zone_indicators")


def test_lower_bound_marker_sets_the_qualifier(data_copy):
    """多 makes a lower bound: 3500多家 recorded as exact fails (the seed's quote and a data row)."""
    edit_cell(data_copy, "seed_figures", 5, "qualifier", "exact")
    assert "row 5 (line 6), column 'qualifier': 'exact', but the words around 3500 make it lower_bound" in _problem(
        data_copy, "seed_figures")


def test_class_marker_is_not_exact(data_copy):
    """Issue 16 case 9: a 460 MW级 unit is a class, not an exact size."""
    row = find_row(data_copy, "zone_indicators", indicator="chp_unit_capacity", value="460")
    edit_cell(data_copy, "zone_indicators", row, "qualifier", "exact")
    assert f"row {row} (line {row + 1}), column 'qualifier': 'exact', but the words around 460 make it class" in \
        _problem(data_copy, "zone_indicators")


def test_exact_figure_without_marker_cannot_be_a_bound(data_copy):
    row = find_row(data_copy, "zone_indicators", entity_id="sip", indicator="gdp", data_year="2018", value="2570")
    edit_cell(data_copy, "zone_indicators", row, "qualifier", "lower_bound")
    assert "'lower_bound', but no word around 2570 says so" in _problem(data_copy, "zone_indicators")


def test_a_total_over_a_list_is_rejected(data_copy):
    """Issue 16 case 9: '上場企業49社、新三板121社の計170件' is not a count of Fortune 500 projects."""
    append_row(data_copy, "zone_indicators", {
        "entity_id": "guangzhou_dz", "scope": "district", "indicator": "fortune500_projects", "data_year": "2018",
        "year_basis": "excerpt", "value": "170", "unit": "projects", "qualifier": "lower_bound",
        "source_id": "chinadaily-gddjp-20220415-huangpu-profile",
        "evidence": "計170件あまりの投資プロジェクトが集まっている", "use": "true", "note": "test row"})
    assert "column 'value': 170 is the total (计/共) of a list of other numbers in its sentence" in _problem(
        data_copy, "zone_indicators")


def test_flow_indicator_cannot_be_cumulative(data_copy):
    row = find_row(data_copy, "zone_indicators", indicator="fdi_actual_cumulative", entity_id="sip", data_year="2019")
    edit_cell(data_copy, "zone_indicators", row, "indicator", "fdi_actual")
    assert "'fdi_actual' is a yearly flow, but the evidence says 累计" in _problem(data_copy, "zone_indicators")


def test_unit_of_the_wrong_quantity(data_copy):
    row = find_row(data_copy, "zone_indicators", entity_id="sip", indicator="gdp", data_year="2018", value="2570")
    edit_cell(data_copy, "zone_indicators", row, "indicator", "high_tech_enterprises")
    assert "'亿元' measures money_cny, but 'high_tech_enterprises' measures count" in _problem(
        data_copy, "zone_indicators")


def test_one_used_row_per_fact(data_copy):
    row = find_row(data_copy, "mofcom_editions", edition="2018", source_id="xkb-20190103-mofcom-2018-getdz")
    edit_cell(data_copy, "mofcom_editions", row, "use", "true")
    assert "2 rows of '2018' have use=true; exactly one must" in _problem(data_copy, "mofcom_editions")


def test_edition_rates_the_previous_year(data_copy):
    edit_cell(data_copy, "mofcom_etdz_ranking", 1, "data_year", "2017")
    assert "row 1 (line 2), column 'data_year': 2017, but edition 2017 rates 2016" in _problem(
        data_copy, "mofcom_etdz_ranking")


# --- conflicts, one fact one row, corrections --------------------------------------------------

def test_every_disagreement_is_recorded(data_copy):
    """Issue 20: removing a recorded conflict makes the disagreement an error."""
    path = data_copy / "conflicts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:1] + lines[2:]) + "\n", encoding="utf-8")
    assert "sources disagree on" in _problem(data_copy, "conflicts")


def test_a_recorded_conflict_must_exist(data_copy):
    append_row(data_copy, "conflicts", {"table": "zone_indicators", "fact_key": "sip|zone|gdp|2018",
                                        "values_seen": "2570", "used_source_id": "yybnet-20200417-sip-2019-gdp",
                                        "reason": "none", "chapter": ""})
    assert "has no disagreement on 'sip|zone|gdp|2018'" in _problem(data_copy, "conflicts")


def test_one_fact_in_two_tables_fails(data_copy):
    """Issue 16 case 7: the ETDZ's approval given by first_batch_etdz and again by milestones."""
    append_row(data_copy, "milestones", {
        "entity_id": "guangzhou_dz", "event_id": "etdz-approval", "date": "1984", "date_precision": "year",
        "kind": "approval", "event_zh": "广州经济技术开发区成立", "event_en": "State Council approves Guangzhou ETDZ",
        "label_en": "", "source_id": "gethgdk-guangzhou-etdz-encyclopedia", "evidence": "成立于1984年",
        "use": "true", "note": "test"})
    assert "one fact, two tables: ('guangzhou_dz', 'etdz-approval')" in _problem(data_copy, "conflicts")


def test_correction_that_matches_no_row_fails(data_copy):
    append_row(data_copy, "corrections", {"table": "zone_indicators", "row_key": "nowhere|zone|gdp|2018|x",
                                          "column": "entity_id", "old_value": "nowhere", "new_value": "sip",
                                          "reason": "test"})
    row = find_row(data_copy, "corrections", row_key="nowhere|zone|gdp|2018|x")
    assert (f"data/corrections.csv, row {row} (line {row + 1}), column 'row_key': 'nowhere|zone|gdp|2018|x' matches no row"
            in _problem(data_copy, "zone_indicators"))


def test_correction_with_a_stale_old_value_fails(data_copy):
    append_row(data_copy, "corrections", {"table": "zone_indicators",
                                          "row_key": "sip|zone|gdp|2018|yybnet-20200417-sip-2019-gdp",
                                          "column": "note", "old_value": "not what is there", "new_value": "x",
                                          "reason": "test"})
    assert "column 'old_value': zone_indicators.csv has" in _problem(data_copy, "zone_indicators")


def test_correction_is_applied(data_copy):
    append_row(data_copy, "corrections", {"table": "zone_indicators",
                                          "row_key": "sip|zone|gdp|2018|yybnet-20200417-sip-2019-gdp",
                                          "column": "note", "old_value": "The Paper citing SIP administrative committee website",
                                          "new_value": "corrected note", "reason": "test"})
    rows = data.validate("zone_indicators", data_copy)
    assert any(r["note"] == "corrected note" for r in rows)


def test_statement_names_an_event_with_one_used_row(data_copy):
    edit_cell(data_copy, "article_statements", 1, "event_id", "etdz-regulations-1988")
    assert ("row 1 (line 2), column 'event_id': guangzhou_dz|etdz-regulations-1988 is not an event"
            in _problem(data_copy, "article_statements"))


def test_adjacent_rounded_counts_disagree():
    """229 and 230 zones (each exact to the unit) are a conflict, not two readings of one number."""
    from highlands.intervals import date_interval, value_interval

    assert not value_interval("229").overlaps(value_interval("230"))
    assert value_interval("229").overlaps(value_interval("229.4"))
    assert date_interval("2010-06-30").overlaps(date_interval("2010-06"))
    assert not date_interval("2010-06").overlaps(date_interval("2010-07"))
