"""Months as a calendar, and the earliest date a tally places on it.

A monthly series is read as time: a month with no incident is a zero, not a missing
bar, and an incident dated 1970-01-01 (a placeholder for "no usable date") must not
stretch the axis back forty years. Dates before the earliest plausible date are counted
apart with the undated ones and listed, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import os

from ..model.errors import InputError
from ..model.filters import parse_date

# The first day UCDP GED covers, the earliest of the conflict data civcas reads: a date
# before it is a placeholder or a typing error in any of them. A monitor of one conflict
# sets its own start (for Syria, 2011-03-15) with CIVCAS_MIN_DATE or --min-date.
DEFAULT_MIN_DATE = dt.date(1989, 1, 1)
MIN_DATE_SETTING = "CIVCAS_MIN_DATE"


def min_date(value: str | None = None) -> dt.date:
    """``value`` (YYYY-MM-DD), else the CIVCAS_MIN_DATE setting, else the default."""
    if value:
        got = parse_date(value, "min-date")
        assert got is not None
        return got
    setting = os.environ.get(MIN_DATE_SETTING, "").strip()
    if setting:
        try:
            return dt.date.fromisoformat(setting)
        except ValueError:
            raise InputError(
                f"setting {MIN_DATE_SETTING}: {setting!r} is not a date; expected YYYY-MM-DD"
            ) from None
    return DEFAULT_MIN_DATE


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (both YYYY-MM), in order."""
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
