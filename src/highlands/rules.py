"""The book's reading rules for data rows, declared per table in ``data/datapackage.json``.

A table lists the rules that apply to it under ``"highlands": {"rules": {name: params}}``;
:func:`check` runs them. Each rule reads the rows as text (as written in the CSV) and reports
problems by row and column through :class:`highlands.data.Problems`. The rules encode how a
careful reader reads a Chinese statistical sentence:

- the evidence is a verbatim part of the source's excerpt, and the figure appears in it;
- the unit written after the number is the row's unit (亿元 is not 万元);
- a year stated in the evidence is the row's data year, unless ``year_basis`` says how else the
  year is known (and that basis is checked);
- markers next to the number decide the qualifier (多/超/以上 lower bound; 约/近/左右 about;
  不到/最高 at most; 级 a class), and 累计 cannot describe a flow;
- a figure that is the total of a list in the same sentence is not a single category's figure;
- one fact, one used row; different values for one fact are listed in ``conflicts.csv``;
- a source's reliability class follows from its URL's host by ``source_hosts.csv`` (the grading
  rule on the methods page): the same kind of host always gets the same grade.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from itertools import combinations
from pathlib import Path
from urllib.parse import urlparse

from . import data
from .intervals import Interval, date_interval, value_interval
from .numerals import list_position, number_spans, value_in_text

Rule = Callable[[str, list[dict[str, str]], "data.Problems", Path, dict], None]
RULES: dict[str, Rule] = {}


def rule(function: Rule) -> Rule:
    """Register a rule function under its name, so datapackage.json can ask for it."""
    RULES[function.__name__] = function
    return function


def check(name: str, rows: list[dict[str, str]], problems: data.Problems, data_dir: Path) -> None:
    """Run every rule the package declares for table ``name`` on its rows (text).

    Raises DataError if the package names a rule that does not exist.
    """
    for rule_name, params in data.rules_of(name, data_dir).get("rules", {}).items():
        if rule_name not in RULES:
            raise data.DataError(f"data/datapackage.json: table '{name}' asks for unknown rule '{rule_name}'")
        RULES[rule_name](name, rows, problems, data_dir, params or {})
    if name == "conflicts":
        _check_conflicts(rows, problems, data_dir)


def _rows(name: str, data_dir: Path) -> list[dict[str, str]]:
    return data.read_rows(name, data_dir)[1]


def _excerpts(data_dir: Path) -> dict[str, str]:
    return {s["source_id"]: s["excerpt"] for s in _rows("sources", data_dir)}


def _sources(data_dir: Path) -> dict[str, dict[str, str]]:
    return {s["source_id"]: s for s in _rows("sources", data_dir)}


# ---------------------------------------------------------------------------------------------
# Quotes of the article


@rule
def quote_in_article(name, rows, problems, data_dir, params):
    """The quote is a verbatim part of data/raw/article.txt."""
    article = data.article_text()
    column = params.get("column", "quote")
    for number, row in enumerate(rows, start=1):
        if row[column] not in article:
            problems.add(number, column, "is not a verbatim part of data/raw/article.txt")


@rule
def value_in_quote(name, rows, problems, data_dir, params):
    """A seed figure's value appears in its quote; no value exactly when it is qualitative."""
    for number, row in enumerate(rows, start=1):
        if (row["value"] == "") != (row["qualifier"] == "qualitative"):
            problems.add(number, "value", "must be empty exactly when the qualifier is qualitative")
        if row["value"] and not value_in_text(row["value"], row["quote"]):
            problems.add(number, "value", f"{row['value']} does not appear in the quote")


@rule
def numeral_in_quote(name, rows, problems, data_dir, params):
    """A numeral listed as 'not a figure' occurs in its quote."""
    for number, row in enumerate(rows, start=1):
        if row["numeral"] not in row["quote"]:
            problems.add(number, "numeral", f"{row['numeral']!r} is not in the quote")


# ---------------------------------------------------------------------------------------------
# Evidence


@rule
def evidence_in_excerpt(name, rows, problems, data_dir, params):
    """The evidence is a verbatim part of its source's excerpt."""
    excerpts = _excerpts(data_dir)
    for number, row in enumerate(rows, start=1):
        excerpt = excerpts.get(row["source_id"])
        if excerpt is not None and row["evidence"] not in excerpt:
            problems.add(number, "evidence", f"is not a verbatim part of the excerpt of {row['source_id']}")


@rule
def figure_in_evidence(name, rows, problems, data_dir, params):
    """The figure appears in the evidence as a number, or (a rank) as a place in an ordered list."""
    column, list_name = params["column"], params.get("list_name")
    unless = params.get("unless", {})
    for number, row in enumerate(rows, start=1):
        value = row[column]
        if unless and all(row[k] == v for k, v in unless.items()):
            # An inferred figure ("third in a row" -> first in the two editions before) says how in its note.
            if not row["note"]:
                problems.add(number, "note", f"an inferred {column} must say in the note how it was worked out")
            continue
        if not value or value_in_text(value, row["evidence"]):
            continue
        if list_name and list_position(row[list_name], row["evidence"]) == int(value):
            continue
        problems.add(number, column, f"{value} does not appear in the evidence"
                     + (" nor is it the place in an ordered list" if list_name else ""))


@rule
def date_in_evidence(name, rows, problems, data_dir, params):
    """The year of a dated event appears in its evidence (or, failing that, in the excerpt)."""
    column = params["column"]
    excerpts = _excerpts(data_dir)
    for number, row in enumerate(rows, start=1):
        year = row[column][:4]
        # As a substring: tables write "1986.08" and lists run numbers into dates ("219841018日").
        if year not in row["evidence"] and year not in excerpts.get(row["source_id"], ""):
            problems.add(number, column, f"year {year} appears neither in the evidence nor in the excerpt")


def _spans_of(value: str, text: str) -> list[tuple[int, int]]:
    try:
        wanted = Decimal(value)
    except InvalidOperation:
        return []
    return [(start, end) for start, end, found in number_spans(text) if found == wanted]


_UNIT_SKIP = re.compile(r"^[\s多余逾+]*")
_COUNTER = re.compile(r"^(亿|億|万|萬|名|人|개|명|か所|カ所|ヵ所|件|社|家|个|個|位|項|项)")


def _unit_table(data_dir: Path) -> dict[str, tuple[float, str]]:
    units = {u["unit"]: (float(u["factor"]), u["quantity"]) for u in _rows("units", data_dir)}
    families = {q["quantity"]: q["family"] for q in _rows("quantities", data_dir)}
    return {unit: (factor, families.get(quantity, quantity)) for unit, (factor, quantity) in units.items()}


def unit_after(text: str, end: int, units: dict[str, tuple[float, str]]) -> str | None:
    """The unit written right after a number ending at ``end`` (skipping 多/余/+ and spaces)."""
    rest = text[end:end + 40]
    rest = rest[_UNIT_SKIP.match(rest).end():]
    for unit in sorted(units, key=len, reverse=True):
        if rest.startswith(unit):
            return unit
    return None


# A multiplier written without a noun (38万, 3.45 million) says the size, not what is counted.
_BARE = {"万", "亿", "億", "million", "billion"}
_PER_AREA = re.compile("每平方公里|每平方千米|/平方公里|per (square )?(km|kilometre)|/km|km²当たり|平方キロ当たり")


def _same_unit(stated: str, unit: str, text: str, units: dict[str, tuple[float, str]]) -> bool:
    factor, family = units[stated]
    row_factor, row_family = units[unit]
    if stated in _BARE or family in ("count", "persons") and row_family in ("count", "persons"):
        return factor == row_factor
    if row_family.endswith("per_km2") and _PER_AREA.search(text):
        return factor == row_factor
    return (factor, family) == (row_factor, row_family)


@rule
def unit_in_evidence(name, rows, problems, data_dir, params):
    """Where the evidence writes a unit after the figure, it is the row's unit (same size and kind)."""
    units = _unit_table(data_dir)
    for number, row in enumerate(rows, start=1):
        if not row["value"] or row["unit"] not in units:
            continue
        stated = {unit_after(row["evidence"], end, units) for _, end in _spans_of(row["value"], row["evidence"])}
        stated.discard(None)
        if stated and not any(_same_unit(s, row["unit"], row["evidence"], units) for s in stated):
            problems.add(number, "unit", f"{row['unit']!r}, but the evidence writes {sorted(stated)[0]!r} after "
                                         f"{row['value']}")


_YEAR = re.compile(r"(?<!\d)(?<!\d[.,])(19[5-9]\d|20[0-4]\d)"
                   r"(?!\d|[.,]\d|\s*(?:亿|億|万|萬|家|个|個|人|元|km|平方|%|社|件|billion|million|yuan))")


def years_in(text: str) -> set[int]:
    """Four-digit years (1950-2049) written in ``text``, not counting amounts such as 2018亿元."""
    return {int(y) for y in _YEAR.findall(text)}


@rule
def year_in_evidence(name, rows, problems, data_dir, params):
    """A year stated in the evidence is the data year; otherwise ``year_basis`` says how it is known."""
    column = params["column"]
    sources = _sources(data_dir)
    for number, row in enumerate(rows, start=1):
        year = int(row[column])
        stated = years_in(row["evidence"])
        basis = row.get("year_basis", "")
        source = sources.get(row["source_id"], {})
        published = int(source["published"][:4]) if source.get("published") else None
        if stated and year not in stated:
            if basis == "period" and min(stated) < year:
                continue
            if basis == "inferred" and row.get("note"):
                continue
            problems.add(number, column, f"{year}, but the evidence states {sorted(stated)}: fix the year or give "
                                         "year_basis 'period' (a span ending in the data year) or 'inferred' with a note")
            continue
        if stated or basis == "":
            if not stated:
                problems.add(number, "year_basis", "the evidence states no year: say how the data year is known "
                                                  "(excerpt, published, published_minus_1, as_of, period, inferred)")
            continue
        ok = {
            "excerpt": year in years_in(source.get("excerpt", "")),
            "published": published == year,
            "published_minus_1": published is not None and published - 1 == year,
            "as_of": row.get("as_of", "")[:4] == str(year),
            "period": False,
            "inferred": bool(row.get("note")),
        }[basis]
        if not ok:
            problems.add(number, "year_basis", f"{basis!r} does not give {year} (source published "
                                              f"{source.get('published') or 'undated'}, as_of {row.get('as_of') or 'empty'})")


@rule
def edition_year(name, rows, problems, data_dir, params):
    """A MOFCOM edition rates the previous year's data."""
    for number, row in enumerate(rows, start=1):
        if int(row["data_year"]) != int(row["edition"]) - 1:
            problems.add(number, "data_year", f"{row['data_year']}, but edition {row['edition']} rates "
                                             f"{int(row['edition']) - 1}")


# Words next to a number that make it a bound, an approximation or a class, in the languages of
# the sources. "Before" words end right before the number; "after" words follow the number or its
# unit (3500多家, 420億ドルを超え, 3,500개 이상, 40%近く, 10分内).
_BEFORE = {
    "lower_bound": r"(超过|超過|超|逾|突破|超出|不少于|不低于|至少|升到|more than|over|above|at least|not less than|"
                   r"no less than|to top|exceed(ed|ing)?|surpass(ed|ing)?|topp(ed|ing)|über|mehr als)",
    "approximate": r"(约|約|大约|大約|近|接近|将近|about|around|approximately|nearly|roughly|some|およそ|約|약|"
                   r"beinahe|fast|rund|etwa)",
    "upper_bound": r"(不到|不足|未满|最高|最多|不超过|(?<!not )(?<!no )less than|under|below|up to|given up|"
                   r"(a )?maximum of( an?)?|max\.?)",
}
_AFTER = {
    "lower_bound": r"^(多|余|餘|以上|\+|あまり|余り|超|強|を超え|を突破|を上回|이상|여|[를을]?\s?(초과|넘))",
    "approximate": r"^(左右|上下|前後|ほど|近く|가량|정도|안팎)",
    "upper_bound": r"^(以内|以下|未満|内|이하|미만|不等)",
    "class": r"^(级|級)",
}
def qualifier_marks(value: str, text: str, units: dict[str, tuple[float, str]] | None = None) -> set[str]:
    """The qualifiers that the words around each occurrence of ``value`` in ``text`` imply."""
    found: set[str] = set()
    for start, end in _spans_of(value, text):
        before = text[max(0, start - 16):start].rstrip().lower()
        after = text[end:end + 16]
        skipped = _UNIT_SKIP.match(after).end()
        unit = unit_after(text, end, units) if units else None
        rest = after[skipped:]
        after_unit = rest[len(unit):] if unit and rest.startswith(unit) else rest
        # A multiplier or counter word may stand between the number and the marker:
        # 千亿级, 38万名以上, 100か所以上, 3,500개 이상.
        after_unit = _COUNTER.sub("", after_unit.lstrip(), count=1).lstrip()
        for kind, words in _BEFORE.items():
            if re.search(words + r"$", before):
                found.add(kind)
        for kind, words in _AFTER.items():
            if re.match(words, after.lstrip()) or re.match(words, after_unit):
                found.add(kind)
        # A word before the first item of a list (约40%工业产值、44%实际利用外资…) qualifies every item.
        clause_start = max(text.rfind(mark, 0, start) for mark in "，,。；;：:") + 1
        clause = text[clause_start:start]
        if "、" in clause:
            first = number_spans(clause)
            if first:
                lead = clause[max(0, first[0][0] - 16):first[0][0]].rstrip().lower()
                found.update(kind for kind, words in _BEFORE.items() if re.search(words + r"$", lead))
        # The second number of a range ("ranged from 12 to 45 seconds", "50萬—500萬元不等") is its top.
        if re.search(r"(—|–|~|～)$", before) or (re.search(r"\bto$", before)
                                               and re.search(r"rang(ed|ing)|between", text[max(0, start - 60):start])):
            found.add("upper_bound")
    return found


@rule
def qualifier_in_text(name, rows, problems, data_dir, params):
    """The qualifier agrees with the words around the figure (多/超 lower bound, 约/近 about, 级 class …)."""
    text_column = params.get("text", "evidence")
    units = _unit_table(data_dir)
    indicators = {i["indicator_id"]: i for i in _rows("indicators", data_dir)}
    for number, row in enumerate(rows, start=1):
        if not row.get("value") or row["qualifier"] == "qualitative":
            continue
        marks = qualifier_marks(row["value"], row[text_column], units)
        qualifier = row["qualifier"]
        if "近" in row[text_column] and marks & {"approximate", "upper_bound"}:
            marks |= {"approximate", "upper_bound"}
        if marks and qualifier not in marks:
            problems.add(number, "qualifier", f"{qualifier!r}, but the words around {row['value']} make it "
                                              f"{' or '.join(sorted(marks))}")
        elif not marks and qualifier not in ("exact",):
            problems.add(number, "qualifier", f"{qualifier!r}, but no word around {row['value']} says so "
                                              "(多/超/以上, 约/近, 不到/最高, 级)")
        indicator = indicators.get(row.get("indicator", ""))
        if indicator and indicator["accumulation"] in ("flow", "partial_year"):
            for start, _ in _spans_of(row["value"], row[text_column]):
                window = row[text_column][max(0, start - 20):start]
                # 全年累计 / 1-9月累计 add up a year or part of one: still a flow.
                if re.search("累计|累積|cumulative", window) and not re.search("(全年|月)累计", window):
                    problems.add(number, "indicator", f"{row['indicator']!r} is a yearly flow, but the evidence "
                                                      "says 累计 (cumulative)")
                    break


@rule
def unit_matches_indicator(name, rows, problems, data_dir, params):
    """A row's unit measures what its indicator measures (no 亿元 for a count)."""
    units = _unit_table(data_dir)
    unit_quantity = {u["unit"]: u["quantity"] for u in _rows("units", data_dir)}
    indicators = {i["indicator_id"]: i["quantity"] for i in _rows("indicators", data_dir)}
    for number, row in enumerate(rows, start=1):
        wanted = indicators.get(row["indicator"])
        if wanted is None or row["unit"] not in units:
            continue
        if wanted not in (unit_quantity[row["unit"]], units[row["unit"]][1]):
            problems.add(number, "unit", f"{row['unit']!r} measures {unit_quantity[row['unit']]}, but "
                                         f"{row['indicator']!r} measures {wanted}")


_SENTENCE_END = re.compile(r"[。；;！？!?]|…")


_TOTAL_WORD = re.compile(r"(计|計|共计|共計|合计|合計|总计|總計|共|in total|altogether|a total of|insgesamt)\s*$", re.I)


@rule
def not_a_list_total(name, rows, problems, data_dir, params):
    """A figure written as the total (计/共/in total) of a list of other categories in its sentence
    (上场企业49社、新三板121社の計170件) is not the figure of any one of them."""
    excerpts = _excerpts(data_dir)
    for number, row in enumerate(rows, start=1):
        excerpt = excerpts.get(row["source_id"], "")
        at = excerpt.find(row["evidence"])
        if at < 0 or not row["value"]:
            continue
        starts = [m.end() for m in _SENTENCE_END.finditer(excerpt[:at])]
        start = starts[-1] if starts else 0
        end_match = _SENTENCE_END.search(excerpt, at + len(row["evidence"]))
        sentence = excerpt[start:end_match.start() if end_match else len(excerpt)]
        value = Decimal(row["value"])
        for begin, _ in _spans_of(row["value"], sentence):
            if not _TOTAL_WORD.search(sentence[max(0, begin - 12):begin]):
                continue
            earlier = [v for s, e, v in number_spans(sentence[:begin]) if v > 0 and not (1950 <= v <= 2049)]
            if any(sum(combo) == value for size in (2, 3, 4) for combo in combinations(earlier, size)):
                problems.add(number, "value", f"{row['value']} is the total (计/共) of a list of other numbers in its "
                                              "sentence, not the figure of one category")
                break


@rule
def one_used_row_per_fact(name, rows, problems, data_dir, params):
    """Of the rows giving one fact (the table's factKey), exactly one has use=true."""
    groups: dict[str, list[int]] = defaultdict(list)
    for number, row in enumerate(rows, start=1):
        groups[data.fact_key(name, row, data_dir)].append(number)
    for key, numbers in groups.items():
        used = [n for n in numbers if rows[n - 1]["use"] == "true"]
        if len(used) != 1:
            problems.add(numbers[0], "use", f"{len(used)} rows of {key!r} have use=true; exactly one must")


@rule
def done_has_date(name, rows, problems, data_dir, params):
    """A commitment reported done carries the date it was done."""
    for number, row in enumerate(rows, start=1):
        if row["status"] == "done" and not row["status_date"]:
            problems.add(number, "status_date", "a commitment reported done needs the date it was done")
        if bool(row["status_date"]) != bool(row["date_precision"]):
            problems.add(number, "date_precision", "give the precision exactly when a date is given")


@rule
def event_in_milestones(name, rows, problems, data_dir, params):
    """An (entity_id, event_id) pair names an event with one used row in milestones.csv."""
    used = defaultdict(int)
    for event in _rows("milestones", data_dir):
        used[(event["entity_id"], event["event_id"])] += event["use"] == "true"
    for number, row in enumerate(rows, start=1):
        if row["event_id"] and used[(row["entity_id"], row["event_id"])] != 1:
            problems.add(number, "event_id", f"{row['entity_id']}|{row['event_id']} is not an event with "
                                             "one used row in milestones.csv")
        if row["entity_id"] and not row["event_id"]:
            problems.add(number, "event_id", "an entity_id here names an event: give its event_id")


@rule
def override_has_reason(name, rows, problems, data_dir, params):
    """A verdict set by hand says why."""
    for number, row in enumerate(rows, start=1):
        if bool(row["override_verdict"]) != bool(row["override_reason"]):
            problems.add(number, "override_reason", "an override verdict and its reason go together")
        if row["claim_kind"] == "plan" and row["table"]:
            problems.add(number, "table", "a plan is not checked against data: leave table empty")


@rule
def reading_points_at_known_measure(name, rows, problems, data_dir, params):
    """A reading names an indicator, MOFCOM category or ranking list that exists."""
    indicators = {i["indicator_id"] for i in _rows("indicators", data_dir)}
    lists = {r["list_id"] for r in _rows("ranking_lists", data_dir)}
    categories = set(next(f for f in data.resource("mofcom_etdz_ranking", data_dir)["schema"]["fields"]
                          if f["name"] == "category")["constraints"]["enum"])
    known = {"zone_indicators": indicators, "etdz_national_totals": indicators, "district_rankings": lists,
             "mofcom_etdz_ranking": categories}
    for number, row in enumerate(rows, start=1):
        if row["table"] in known and row["measure"] not in known[row["table"]]:
            problems.add(number, "measure", f"{row['measure']!r} is not a measure of {row['table']}")
        if row["table"] and not row["entity_id"]:
            problems.add(number, "entity_id", "a reading that points at a table names the entity")
        for other in filter(None, row["other_measures"].split(";")):
            if other not in indicators:
                problems.add(number, "other_measures", f"{other!r} is not in indicators.csv")


# ---------------------------------------------------------------------------------------------
# Grading sources by host


def _prefix_parts(prefix: str) -> tuple[str, bool, str]:
    host, _, path = prefix.partition("/")
    wildcard = host.startswith("*.")
    return (host[2:] if wildcard else host).lower().rstrip("."), wildcard, path.strip("/")


def host_of(url: str) -> str:
    """The host of a URL, lower case, without port or trailing dot ('' if it has none)."""
    return (urlparse(url).hostname or "").lower().rstrip(".")


def host_grade(url: str, hosts: list[dict[str, str]]) -> dict[str, str] | None:
    """The row of ``source_hosts.csv`` that grades ``url``, or None when no row matches.

    A row matches when its host equals the URL's host ('*.example.com' also matches any
    subdomain of example.com) and, if it gives a path, the URL's path starts with it at a '/'
    boundary. Of several matches the most specific wins: a longer path, then an exact host over
    a wildcard, then a longer host.
    """
    host = host_of(url)
    path = urlparse(url).path.strip("/")
    best, best_key = None, None
    for row in hosts:
        name, wildcard, prefix = _prefix_parts(row["host_prefix"])
        if not (host == name or (wildcard and host.endswith("." + name))):
            continue
        if prefix and not (path == prefix or path.startswith(prefix + "/")):
            continue
        key = (prefix.count("/") + 1 if prefix else 0, not wildcard, len(name))
        if best_key is None or key > best_key:
            best, best_key = row, key
    return best


@rule
def grade_by_host(name, rows, problems, data_dir, params):
    """The reliability class is the one ``source_hosts.csv`` gives the URL's host (most specific
    prefix); a host it does not list is an error: classify it there by the grading rule first."""
    hosts = _rows(params.get("hosts", "source_hosts"), data_dir)
    column = params.get("column", "reliability")
    for number, row in enumerate(rows, start=1):
        match = host_grade(row["url"], hosts)
        if match is None:
            problems.add(number, "url", f"host {host_of(row['url'])!r} is not in source_hosts.csv: classify it "
                                        "there by the grading rule (methods page) before citing it")
        elif match["grade"] != row[column]:
            problems.add(number, column, f"{row[column]!r}, but source_hosts.csv grades {match['host_prefix']!r} "
                                         f"{match['grade']!r} ({match['owner']})")


# ---------------------------------------------------------------------------------------------
# Conflicts: every disagreement between sources is listed, every listed one exists.


def disagreements(data_dir: Path | None = None) -> dict[tuple[str, str], dict]:
    """Facts on which the rows of a table disagree: {(table, fact_key): {values, used_source_id}}.

    Two rows disagree when the values they allow do not overlap (:mod:`highlands.intervals`):
    1984 and 1984-12 agree (a date to the year and to the month), 38.2 billion USD and 381.6
    亿美元 agree (the second rounds to the first), "exceeded 650 billion" and 652.7 billion agree;
    a rank left empty by one source agrees with any.
    """
    data_dir = data._data_dir(data_dir)
    units = _unit_table(data_dir)
    found = {}
    for table in data.table_names(data_dir):
        declared = data.rules_of(table, data_dir)
        if "factKey" not in declared or "factValue" not in declared:
            continue
        column = declared["factValue"]
        dates = declared.get("observation", {}).get("unit") == "=date"
        groups: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in _rows(table, data_dir):
            groups[data.fact_key(table, row, data_dir)].append(row)
        for key, group in groups.items():
            rows = [row for row in group if row[column]]
            spans = [_interval(row, column, dates, units) for row in rows]
            if any(not a.overlaps(b) for a, b in combinations(spans, 2)):
                used = [r["source_id"] for r in group if r["use"] == "true"]
                shown = sorted({" ".join(filter(None, (r[column], r.get("unit"), _MARK.get(r.get("qualifier", ""), ""))))
                                for r in rows})
                found[(table, key)] = {"values": shown, "used_source_id": used[0] if used else ""}
    return found


_MARK = {"lower_bound": "(at least)", "upper_bound": "(at most)", "approximate": "(about)", "class": "(class)"}


def _interval(row: dict[str, str], column: str, dates: bool, units: dict[str, tuple[float, str]]) -> Interval:
    if dates:
        return date_interval(row[column])
    factor = units[row["unit"]][0] if row.get("unit") in units else 1.0
    return value_interval(row[column], row.get("qualifier") or "exact", factor)


def facts_in_two_tables(data_dir: Path | None = None) -> list[tuple[tuple, list[str]]]:
    """Facts that two tables both give as used rows (one fact must be read from one place).

    A fact is (entity, measure, year) for figures and (entity, measure) for dates; returns
    [(fact, ["table row N", ...])] for every fact used in more than one table.
    """
    data_dir = data._data_dir(data_dir)
    seen: dict[tuple, list[str]] = defaultdict(list)
    for table in data.table_names(data_dir):
        spec = data.rules_of(table, data_dir).get("observation")
        if not spec:
            continue
        for number, row in enumerate(_rows(table, data_dir), start=1):
            if row["use"] != "true":
                continue
            def field(key, spec=spec, row=row):
                name = spec.get(key)
                return "" if name is None else name[1:] if name.startswith("=") else row.get(name, "")
            is_date = spec.get("unit") == "=date"
            fact = (field("entity"), field("measure")) if is_date else (field("entity"), field("scope"),
                                                                         field("measure"), field("year"))
            seen[fact].append(f"{table} row {number}")
    return [(fact, places) for fact, places in seen.items()
            if len({p.split(" row ")[0] for p in places}) > 1]


def _check_conflicts(rows, problems, data_dir):
    for fact, places in facts_in_two_tables(data_dir):
        problems.add(None, None, f"one fact, two tables: {fact} is a used row in {' and '.join(places)}; "
                                 "keep it in one table (the other rows use=false or removed)")
    found = disagreements(data_dir)
    listed = {}
    for number, row in enumerate(rows, start=1):
        key = (row["table"], row["fact_key"])
        listed[key] = number
        if key not in found:
            problems.add(number, "fact_key", f"{row['table']} has no disagreement on {row['fact_key']!r} "
                                             "(fixed? then remove this row)")
        elif found[key]["used_source_id"] != row["used_source_id"]:
            problems.add(number, "used_source_id", f"the used row of {row['fact_key']!r} is from "
                                                   f"{found[key]['used_source_id']!r}")
    for (table, key), info in sorted(found.items()):
        if (table, key) not in listed:
            problems.add(None, None, f"{table}.csv: sources disagree on {key!r} ({' vs '.join(info['values'])}); "
                                     "add a row to conflicts.csv saying which value the book uses and why")
