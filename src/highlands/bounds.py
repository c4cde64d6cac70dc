"""Shares and ratios that say what they are: exact, a lower or upper bound, or only indicative.

A share is a bound only when its inputs guarantee the direction: a lower-bound numerator over an
exact denominator is at least the share; but if the numerator covers a wider area than the
members of the denominator (a whole district against the total of all ETDZs), or the two are of
different years, nothing is guaranteed and the result is *indicative*. The label and the reason
travel with the number, so key findings glue both.
"""
from __future__ import annotations

from dataclasses import dataclass

# Qualifier of a quotient a/b from the qualifiers of a and b (exact, lower, upper). "about" or a
# mixed pair leaves no direction.
_QUOTIENT = {
    ("exact", "exact"): "exact",
    ("lower_bound", "exact"): "lower_bound", ("upper_bound", "exact"): "upper_bound",
    ("exact", "lower_bound"): "upper_bound", ("exact", "upper_bound"): "lower_bound",
    ("lower_bound", "upper_bound"): "lower_bound", ("upper_bound", "lower_bound"): "upper_bound",
}
LABELS = {"exact": "exact", "lower_bound": "at least", "upper_bound": "at most", "indicative": "indicative"}
# Which scopes lie inside the unit a total counts (a share of all ETDZs is meaningful for an
# ETDZ's own figure, not for the district around it).
INSIDE = {
    "etdz": {"etdz"},
    "city": {"etdz", "zone", "district", "zone_and_district", "high_tech_zone", "park", "new_area", "city"},
    "any": None,
}
# What a total adds up, and one of its members, in words (for the reason of an indicative share).
_MEMBERS_EN = {"etdz": "national ETDZs", "city": "areas inside the city"}
_MEMBER_EN = {"etdz": "ETDZ", "city": "area"}


@dataclass(frozen=True)
class Quantity:
    """An input of a derived number: value in base units, qualifier, scope and data year."""

    value: float
    qualifier: str = "exact"
    scope: str = "any"
    year: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Derived:
    """A derived number with its bound label ('exact', 'at least', 'at most', 'indicative') and why."""

    value: float
    bound: str
    reason: str

    @property
    def label(self) -> str:
        """The bound in words (at least, at most, exact, indicative)."""
        return LABELS[self.bound]


def ratio(numerator: Quantity, denominator: Quantity, total_counts: str = "any", scale: float = 1.0) -> Derived:
    """numerator ÷ denominator × scale, labelled by what its inputs guarantee.

    ``total_counts`` is the scope of the members the denominator adds up ("etdz" for a total of
    all national ETDZs, "city" for a city total, "any" when it is not a total). When it is not a
    total, two inputs of different scopes (neither "any") make the ratio indicative. Raises
    ZeroDivisionError for a zero denominator.
    """
    value = numerator.value / denominator.value * scale
    reasons = []
    bound = _QUOTIENT.get((numerator.qualifier, denominator.qualifier), "indicative")
    if bound == "indicative":
        reasons.append(f"the inputs are {numerator.qualifier.replace('_', ' ')} and "
                       f"{denominator.qualifier.replace('_', ' ')}, which fix no direction")
    members = INSIDE.get(total_counts)
    if members is None and "any" not in (numerator.scope, denominator.scope) and numerator.scope != denominator.scope:
        # Not a share of a total: a count for one area over a measure of another fixes no direction.
        bound = "indicative"
        reasons.append(f"the numerator covers the {numerator.scope.replace('_', ' ')} and the denominator the "
                       f"{denominator.scope.replace('_', ' ')}")
    if members is not None and numerator.scope not in members:
        bound = "indicative"
        reasons.append(f"the numerator covers the {numerator.scope.replace('_', ' ')}, while the total adds up only "
                       f"{_MEMBERS_EN[total_counts]}, so the share overstates what the "
                       f"{_MEMBER_EN[total_counts]} itself holds")
    if numerator.year is not None and denominator.year is not None and numerator.year != denominator.year:
        bound = "indicative"
        reasons.append(f"the data years differ ({numerator.year} and {denominator.year})")
    if not reasons:
        reasons.append({"exact": "both inputs are exact",
                        "lower_bound": "the numerator is a floor (or the denominator a ceiling) of the same scope and year",
                        "upper_bound": "the numerator is a ceiling (or the denominator a floor) of the same scope and year",
                        }[bound])
    return Derived(value, bound, "; ".join(reasons))
