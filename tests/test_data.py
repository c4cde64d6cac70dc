"""Every table reads through its schema, and broken data fails loudly with file, row and column."""
import csv

import pytest
from frictionless import Package, system

from conftest import edit_cell
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


def test_every_source_id_is_cited_with_a_url_and_excerpt():
    sources = data.load("sources")
    assert sources["url"].str.match(r"^https?://").all()
    assert (sources["excerpt"].str.len() > 0).all()


def _problem(data_dir, table):
    with pytest.raises(DataError) as caught:
        data.validate(table, data_dir)
    return str(caught.value)


def test_non_numeric_value_names_file_row_and_column(data_copy):
    edit_cell(data_copy, "seed_figures", 5, "value", "3500多")
    message = _problem(data_copy, "seed_figures")
    assert "data/seed_figures.csv, row 5 (line 6), column 'value'" in message
    assert "not a plain number" in message


def test_changed_number_is_caught(data_copy):
    edit_cell(data_copy, "seed_figures", 5, "value", "3600")
    assert "row 5 (line 6), column 'value': 3600 does not appear in the quote" in _problem(data_copy, "seed_figures")


def test_quote_not_in_article(data_copy):
    edit_cell(data_copy, "seed_figures", 2, "quote", "致力打造8个“新高地”")
    assert "row 2 (line 3), column 'quote': is not a verbatim part of data/raw/article.txt" in _problem(
        data_copy, "seed_figures")


def test_missing_column(data_copy):
    path = data_copy / "seed_figures.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    drop = rows[0].index("unit")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:drop] + r[drop + 1:] for r in rows])
    assert "data/seed_figures.csv, column 'unit': column is missing from the header" in _problem(
        data_copy, "seed_figures")


def test_duplicate_key(data_copy):
    edit_cell(data_copy, "seed_figures", 3, "figure_id", "p-anniversary")
    message = _problem(data_copy, "seed_figures")
    assert "row 3 (line 4), column 'figure_id': 'p-anniversary' repeats row 1" in message


def test_bad_enum(data_copy):
    edit_cell(data_copy, "seed_figures", 4, "qualifier", "roughly")
    assert "row 4 (line 5), column 'qualifier': 'roughly' is not one of" in _problem(data_copy, "seed_figures")


def test_short_row(data_copy):
    path = data_copy / "article_non_figures.csv"
    path.write_text(path.read_text(encoding="utf-8") + "只有一格\n", encoding="utf-8")
    assert "row 6 (line 7): has 1 cells, the header has 3" in _problem(data_copy, "article_non_figures")


def test_one_figure_one_verdict(data_copy):
    edit_cell(data_copy, "claim_checks", 23, "verdict", "differs")
    assert ("row 23 (line 24), column 'verdict': h4-platforms already has verdict 'confirmed'"
            in _problem(data_copy, "claim_checks"))


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
