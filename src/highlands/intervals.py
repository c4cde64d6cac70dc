"""What a figure as written allows the true value to be: an interval, in base units.

A source's number carries its precision and its qualifier. "7,603 亿元" (exact, written to the
unit) allows 7,602.5-7,603.5 亿元; "3,500多家" (a lower bound) allows 3,500 or more; "约40%"
allows about 40 (here: within 5 % of it, or half its last digit if that is wider); "千亿级" (a
class) allows 1,000 亿元 up to, but not including, ten times that. Two figures are compatible when
their intervals overlap, and one *confirms* another when its interval lies inside the other's.
Dates are intervals too: "1984-12" is December 1984, which lies inside "1984".

Used by the conflicts check (:mod:`highlands.rules`) and the verdict rule (:mod:`highlands.verdicts`).
"""
from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

# How far "about" (约, 近, approximately) reaches when the figure's own rounding is narrower.
APPROXIMATE = Decimal("0.05")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class Interval:
    """A closed interval [low, high] of values (floats; ±inf for open ends)."""

    low: float
    high: float

    def overlaps(self, other: Interval) -> bool:
        """True if some value lies in both intervals.

        Intervals that only touch at an end do not overlap unless one of them is a single point
        (a day): "229" (228.5-229.5) and "230" (229.5-230.5) are two rounded counts that
        disagree, while 30 June 2010 lies inside "2010-06".
        """
        low, high = max(self.low, other.low), min(self.high, other.high)
        return low < high or (low == high and (self.low == self.high or other.low == other.high))

    def inside(self, other: Interval) -> bool:
        """True if every value of this interval lies in ``other``."""
        return other.low <= self.low and self.high <= other.high


def is_date(text: str) -> bool:
    """True for YYYY, YYYY-MM or YYYY-MM-DD."""
    return bool(_DATE.match(text or ""))


def date_interval(text: str) -> Interval:
    """The days a date at its precision covers, as ordinal day numbers ("1984" = all of 1984)."""
    year, month, day = _DATE.match(text).groups()
    year = int(year)
    if day:
        start = end = date(year, int(month), int(day))
    elif month:
        start = date(year, int(month), 1)
        end = date(year, int(month), calendar.monthrange(year, int(month))[1])
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
    return Interval(start.toordinal(), end.toordinal())


def value_interval(value: str, qualifier: str = "exact", factor: float = 1.0) -> Interval:
    """The values a number as written allows, times ``factor`` (the unit's size in base units).

    ``value`` is the text of the number as recorded ("7603", "2.25"); its last written digit sets
    the rounding. ``qualifier`` is exact, lower_bound, upper_bound, approximate or class.
    Raises ValueError for a qualifier it does not know or a value that is not a number.
    """
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(f"not a number: {value!r}") from error
    factor_ = Decimal(str(factor))
    half_step = Decimal(1).scaleb(number.as_tuple().exponent) / 2
    centre = number * factor_
    if qualifier == "exact":
        low, high = (number - half_step) * factor_, (number + half_step) * factor_
    elif qualifier == "lower_bound":
        low, high = centre, Decimal("Infinity")
    elif qualifier == "upper_bound":
        low, high = Decimal("-Infinity"), centre
    elif qualifier == "approximate":
        reach = max(abs(number) * APPROXIMATE, half_step) * factor_
        low, high = centre - reach, centre + reach
    elif qualifier == "class":
        low, high = centre, number * 10 * factor_ - Decimal("1e-9")
    else:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    return Interval(float(low), float(high) if high.is_finite() else math.inf)
