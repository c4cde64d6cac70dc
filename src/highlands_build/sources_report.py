"""How well the book's data are sourced: grade shares overall and per chapter (``make sources-report``).

- **Used data rows**: the rows with ``use = true`` of every table that has ``source_id`` and
  ``use`` columns (the benchmark tables, milestones, commitment evidence).
- **Well sourced**: the row's source is graded ``official`` or ``reputable-media`` (the grading
  rule on the methods page, enforced from the URL host by ``source_hosts.csv``).
- **Per chapter**: the used rows whose source the chapter cites, i.e. whose source id appears in
  the chapter notebook (its tables, captions and figure notes, as stored with its outputs).

The sources page shows the same figures (``highlands_build.sphinx.pages``).
Run: ``python -m highlands_build.sources_report`` (add ``--csv`` for machine-readable output).
"""
from __future__ import annotations

import re
import sys
from functools import cache

import pandas as pd

from highlands import data, paths
from highlands.claims import CHAPTERS

GOOD = ("official", "reputable-media")
GRADES = ["official", "reputable-media", "repost-or-mirror", "aggregator"]


def sourced_tables() -> list[str]:
    """Tables whose rows name a source and say whether the book uses them (package order)."""
    names = []
    for name in data.table_names():
        fields = {f["name"] for f in data.resource(name)["schema"]["fields"]}
        if {"source_id", "use"} <= fields:
            names.append(name)
    return names


def used_rows() -> pd.DataFrame:
    """Every used data row: table, row (1 = first data row), source_id, grade."""
    grades = {s["source_id"]: s["reliability"] for s in data.read_rows("sources")[1]}
    records = []
    for name in sourced_tables():
        for number, row in enumerate(data.read_rows(name)[1], start=1):
            if row["use"] == "true":
                records.append({"table": name, "row": number, "source_id": row["source_id"],
                                "grade": grades[row["source_id"]]})
    return pd.DataFrame(records, columns=["table", "row", "source_id", "grade"])


def chapter_notebook(highland: int):
    """The chapter notebook of a highland (1-7)."""
    return paths.ROOT / "notebooks" / f"{CHAPTERS[highland]}.ipynb"


@cache
def _cited(highland: int, stamp: float) -> frozenset[str]:
    text = chapter_notebook(highland).read_text(encoding="utf-8")
    ids = {s["source_id"] for s in data.read_rows("sources")[1]}
    # An id counts only as a whole token (ids are slugs; one may be the start of another): the
    # notebook's maximal runs of slug characters, intersected with the ids.
    return frozenset(ids & set(re.findall(r"[a-z0-9-]+", text)))


def cited_by_chapter(highland: int) -> frozenset[str]:
    """Source ids that a chapter's notebook names (empty if the notebook is missing)."""
    path = chapter_notebook(highland)
    if not path.exists():
        return frozenset()
    return _cited(highland, path.stat().st_mtime)


def _share_row(rows: pd.DataFrame) -> dict:
    sources = rows.drop_duplicates("source_id")
    good_rows = int(rows["grade"].isin(GOOD).sum())
    good_sources = int(sources["grade"].isin(GOOD).sum())
    return {
        "rows": len(rows), "rows_good": good_rows,
        "rows_good_pct": round(100 * good_rows / len(rows), 1) if len(rows) else None,
        "sources": len(sources), "sources_good": good_sources,
        "sources_good_pct": round(100 * good_sources / len(sources), 1) if len(sources) else None,
        **{f"rows_{g}": int((rows["grade"] == g).sum()) for g in GRADES},
    }


def shares() -> pd.DataFrame:
    """Grade shares: one row for all used data rows ('all') and one per chapter (1-7).

    Columns: rows, rows_good, rows_good_pct, sources, sources_good, sources_good_pct (distinct
    used sources), and rows_<grade> for each grade. Percentages are rounded to 0.1.
    """
    rows = used_rows()
    table = {"all": _share_row(rows)}
    for highland in CHAPTERS:
        table[str(highland)] = _share_row(rows[rows["source_id"].isin(cited_by_chapter(highland))])
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index.name = "scope"
    return frame


def report() -> str:
    """The shares as a short text table for the terminal."""
    frame = shares()
    lines = ["Grade shares of the book's sources (official or reputable-media)",
             "used data rows: rows with use=true of " + ", ".join(sourced_tables()),
             "",
             f"{'scope':<10}{'rows':>7}{'good':>7}{'share':>8}   {'sources':>8}{'good':>7}{'share':>8}"]
    for scope, row in frame.iterrows():
        name = "all" if scope == "all" else f"chapter {scope}"
        lines.append(f"{name:<10}{int(row['rows']):>7}{int(row['rows_good']):>7}{row['rows_good_pct']:>7.1f}%"
                     f"   {int(row['sources']):>8}{int(row['sources_good']):>7}{row['sources_good_pct']:>7.1f}%")
    overall = frame.loc["all"]
    lines += ["", "used rows by grade: " + ", ".join(f"{g} {int(overall['rows_' + g])}" for g in GRADES)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report (or, with --csv, the shares as CSV)."""
    argv = sys.argv[1:] if argv is None else argv
    if "--csv" in argv:
        shares().to_csv(sys.stdout)
    else:
        print(report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
