"""Messy fields read, not refused: ages, dates and sexes as real lists write them.

Real lists write ages as "3 months", "four-years-old", "53/54", "25-30", "60s", "-1"
(unknown) or "334" (a typo): :func:`parse_age` turns each into years or a blank, and
says what it did. The reader counts every value it changed by value (like the
importers' "not mapped" report); with ``strict`` it refuses the file instead, naming
file, row and field. Nothing here guesses a value a person could not read off the cell:
a range too wide to be one guess, two readings far apart, a number out of 0-130 are
blanked, not averaged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_AGE = 130.0

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}  # fmt: skip
_UNITS = {
    "year": 1.0, "years": 1.0, "yr": 1.0, "yrs": 1.0, "y": 1.0, "سنة": 1.0, "سنوات": 1.0,
    "عام": 1.0, "أعوام": 1.0, "اعوام": 1.0, "month": 1 / 12, "months": 1 / 12, "mo": 1 / 12,
    "شهر": 1 / 12, "أشهر": 1 / 12, "اشهر": 1 / 12, "شهور": 1 / 12, "week": 7 / 365.25,
    "weeks": 7 / 365.25, "day": 1 / 365.25, "days": 1 / 365.25, "يوم": 1 / 365.25,
    "أيام": 1 / 365.25, "ايام": 1 / 365.25, "hour": 0.0, "hours": 0.0,
}  # fmt: skip
_INFANT = ("baby", "infant", "newborn", "new-born", "رضيع", "رضيعة", "مولود", "مولودة")
_FILLER = re.compile(r"\b(old|aged|age|about|approx\.?|approximately|around|roughly|nearly|"
                     r"almost|c\.|ca\.)\b|~|عمره|عمرها|حوالي")  # fmt: skip
_NUM = r"\d+(?:\.\d+)?"


@dataclass(frozen=True)
class Parsed:
    """An age in years (None: blank) and what was done: ``number`` (as written),
    ``unit`` (months, days, words...), ``range`` (the middle of a narrow range or of
    close readings), ``bound`` (80+, over 80: the bound), or ``blank: why``."""

    years: float | None
    how: str


def _spread_ok(lo: float, hi: float) -> bool:
    """A range narrow enough to be one guess: 25-30, 60-70, 53/54; not 1-10, 48 or 84."""
    return hi - lo <= max(3.0, 0.35 * hi)


def _words_to_numbers(s: str) -> str:
    s = re.sub(r"\b(?:and\s+)?(?:a\s+)?half\b", " .5 ", s)
    for w in sorted(_WORDS, key=len, reverse=True):
        if len(w) > 2:
            s = re.sub(rf"\b{w}\b", f" {_WORDS[w]} ", s)
    s = re.sub(r"\b(\d+)\s+(\d)\b", lambda m: str(int(m[1]) + int(m[2]))
               if int(m[1]) % 10 == 0 and int(m[1]) >= 20 else m[0], s)  # twenty five  # fmt: skip
    return re.sub(r"\ban?\b(?=\s+(?:year|month|week|day|hour))", " 1 ", s)


def _amount(s: str) -> float | None:
    """A sum of NUMBER UNIT terms ("1 year, 3 months"; "2 .5" = 2.5; a bare number is years)."""
    s = re.sub(r"(\d)\s+\.5", lambda m: f"{m[1]}.5", s)
    s = re.sub(
        r"(\d+)\s*([^\d\s,.;&+-]+)\s+\.5", lambda m: f"{m[1]}.5 {m[2]}", s
    )  # a year and a half
    s = re.sub(r"^\s*\.5", "0.5", s)
    terms = re.findall(rf"({_NUM})\s*([^\d\s,.;&+-]+)?", s)
    if not terms:
        return None
    total = 0.0
    for num, unit in terms:
        unit = (unit or "").strip()
        if unit in ("and", "و"):
            unit = ""
        if unit and unit not in _UNITS:
            return None
        total += float(num) * (_UNITS[unit] if unit else 1.0)
    return total


def parse_age(text: str) -> Parsed:
    """Years from an age as real lists write it (see the module docstring)."""
    raw = text.strip()
    if raw == "":
        return Parsed(None, "empty")
    s = raw.translate(_DIGITS).lower().replace("،", ",").replace("-years", " years")
    try:
        v = float(s)
    except ValueError:
        pass
    else:
        if v < 0:
            return Parsed(None, "blank: negative (an unknown-age code)")
        if v > MAX_AGE:
            return Parsed(None, f"blank: not an age 0-{MAX_AGE:.0f}")
        return Parsed(v, "number")
    if not re.search(r"\d", s) and any(w in s for w in _INFANT) or re.search(r"\bhours?\b", s):
        return Parsed(0.0, "unit")
    s = _FILLER.sub(" ", s)
    s = re.sub(r"[()]", " ", s).replace("also reported as", " or ")
    s = _words_to_numbers(s)
    m = re.fullmatch(rf"\s*(under|below|less than)\s+({_NUM})\s*(\w+)?\s*", s)
    if m:
        top = _amount(f"{m[2]} {m[3] or ''}")
        return Parsed(
            None if top is None else top / 2, "bound" if top is not None else "blank: unread"
        )
    m = re.fullmatch(r"\s*(?:(early|mid|late|mid-late)\s*-?\s*)?(\d+)0'?s\s*", s)
    if m:  # 60s, mid 20s
        base = int(m[2]) * 10
        lo, hi = {"early": (0, 3), "mid": (3, 6), "late": (6, 9), "mid-late": (4, 9)}.get(
            m[1] or "", (0, 9)
        )
        return Parsed(base + (lo + hi) / 2, "range")
    m = re.fullmatch(
        rf"\s*(?:over|above|more than)?\s*({_NUM})\s*(?:\+|plus|or older|or more|and over)?\s*", s
    )
    if m and re.search(r"over|above|more than|\+|plus|older|more", s):
        return Parsed(float(m[1]), "bound")
    alts = [a for a in re.split(r"\s*(?:/|\bor\b|\bto\b|-|–)\s*", s) if a.strip()]
    if len(alts) > 1:
        unit = re.search(r"[^\d\s.]+\s*$", alts[-1])  # 7-9 months: the unit of the last
        vals = []
        for a in alts:
            if unit and not re.search(r"[^\d\s.]", a):
                a = a + " " + unit[0]
            v2 = _amount(a)
            if v2 is None:
                return Parsed(None, "blank: unread")
            vals.append(v2)
        lo, hi = min(vals), max(vals)
        if hi > MAX_AGE:
            return Parsed(None, f"blank: not an age 0-{MAX_AGE:.0f}")
        if not _spread_ok(lo, hi):
            return Parsed(None, "blank: readings too far apart")
        return Parsed((lo + hi) / 2, "range")
    v3 = _amount(s)
    if v3 is None:
        return Parsed(None, "blank: unread")
    if v3 > MAX_AGE:
        return Parsed(None, f"blank: not an age 0-{MAX_AGE:.0f}")
    return Parsed(round(v3, 3), "unit")


_SEX = {"m": "male", "male": "male", "man": "male", "ذكر": "male", "boy": "male",
        "f": "female", "female": "female", "woman": "female", "أنثى": "female",
        "انثى": "female", "girl": "female"}  # fmt: skip


def parse_sex(text: str) -> str | None:
    return _SEX.get(text.strip().lower())


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")


def parse_date(text: str) -> tuple[str | None, str]:
    """An ISO date from YYYY-MM-DD (a time after it ignored), DD/MM/YYYY, DD-MM-YYYY,
    YYYY/MM/DD, DD.MM.YYYY or YYYYMMDD; else blank. Returns (date or None, what was done)."""
    from datetime import datetime

    s = text.strip()
    if not s:
        return None, "empty"
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]", s):
        s = s[:10]
    for fmt in _DATE_FORMATS:
        try:
            d = datetime.strptime(s, fmt).date()
        except ValueError:
            continue
        return d.isoformat(), "date" if fmt == "%Y-%m-%d" and s == text.strip() else "reformatted"
    return None, "blank: not a date (YYYY-MM-DD or DD/MM/YYYY)"
