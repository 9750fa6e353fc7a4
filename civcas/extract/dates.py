"""Dates in English and Arabic news text, made absolute.

"on Wednesday" and "يوم الأربعاء" resolve to the latest such weekday on or before the
publication date; "yesterday"/"أمس" to the day before. Syrian (Levantine) month names
(كانون الثاني, شباط, آذار, نيسان, أيار, حزيران, تموز, آب, أيلول, تشرين الأول, ...) and
Hijri dates ("15 رمضان 1438 هـ", converted with the tabular Islamic calendar, which can
be a day off the observed calendar) are understood.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .numbers import normalise_ar

MONTHS_EN = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split()
)}  # fmt: skip
for _k, _v in list(MONTHS_EN.items()):
    MONTHS_EN[_k[:3]] = _v
MONTHS_EN["sept"] = 9
_MON_EN = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
WEEKDAYS_EN = {
    d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())
}

# Levantine and Egyptian/Gulf month names, normalised (see numbers.normalise_ar)
MONTHS_AR = {
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7,
    "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}  # fmt: skip
_MON_AR = "|".join(sorted(MONTHS_AR, key=len, reverse=True))
HIJRI_MONTHS = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع الثاني": 4, "ربيع الاخر": 4,
    "جمادي الاولي": 5, "جمادي الاول": 5, "جمادي الثانيه": 6, "جمادي الاخره": 6,
    "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعده": 11, "ذي القعده": 11,
    "ذو الحجه": 12, "ذي الحجه": 12,
}  # fmt: skip
_HIJ = "|".join(sorted(HIJRI_MONTHS, key=len, reverse=True))
WEEKDAYS_AR = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4,
               "السبت": 5, "الاحد": 6}  # fmt: skip
_WD_AR = "|".join(WEEKDAYS_AR)

RE_DMY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MON_EN})\.?,?\s+(\d{{4}})\b", re.I
)
RE_MDY = re.compile(rf"\b({_MON_EN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
RE_MD = re.compile(
    rf"\b(?:on\s+)({_MON_EN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})", re.I
)
RE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
RE_WD = re.compile(
    r"\b(?:on|late|early|last|this)\s+(?:(?:late|early)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)
RE_YEST = re.compile(r"\byesterday\b", re.I)
RE_AR_DMY = re.compile(
    rf"(\d{{1,2}})\s+(?:من\s+)?(?:شهر\s+)?({_MON_AR})(?:\s*\(\s*[^)]{{1,12}}\))?(?:\s+(?:من\s+)?(?:عام\s+|سنه\s+)?(\d{{4}}))?"
)
RE_AR_HIJRI = re.compile(
    rf"(\d{{1,2}})\s+({_HIJ})\s+(?:عام\s+|سنه\s+)?(\d{{4}})\s*(?:هـ|ه\b|للهجره)"
)
RE_AR_WD = re.compile(rf"(?:يوم\s+)?({_WD_AR})(?![\u0621-\u064a])")
RE_AR_YEST = re.compile(r"(?:يوم\s+)?(?:امس|البارحه)(?![\u0621-\u064a])")


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """Tabular (arithmetic) Islamic calendar; observed dates may differ by a day."""
    jd = day + int(29.5 * (month - 1) + 0.99) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439
    return date.fromordinal(jd - 1721425)


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _weekday_before(pub: date, wd: int) -> date:
    return pub - timedelta(days=(pub.weekday() - wd) % 7)


def find_dates(
    text: str, published: date | None, lang: str = "en"
) -> list[tuple[int, int, date, str, float]]:
    """(start, end, date, how, confidence) for every date expression, in text order."""
    out: list[tuple[int, int, date, str, float]] = []
    d: date | None
    if lang == "ar":
        norm = normalise_ar(text)
        for m in RE_AR_HIJRI.finditer(norm):
            try:
                d = hijri_to_gregorian(int(m.group(3)), HIJRI_MONTHS[m.group(2)], int(m.group(1)))
            except (ValueError, OverflowError):
                continue
            out.append((m.start(), m.end(), d, "hijri", 0.8))
        for m in RE_AR_DMY.finditer(norm):
            year = int(m.group(3)) if m.group(3) else (published.year if published else None)
            if year is None:
                continue
            d2 = _safe(year, MONTHS_AR[m.group(2)], int(m.group(1)))
            if d2 and published and not m.group(3) and d2 > published:
                d2 = _safe(year - 1, d2.month, d2.day)
            if d2:
                out.append((m.start(), m.end(), d2, "absolute", 0.9 if m.group(3) else 0.75))
        if published:
            for m in RE_AR_WD.finditer(norm):
                out.append(
                    (
                        m.start(),
                        m.end(),
                        _weekday_before(published, WEEKDAYS_AR[m.group(1)]),
                        "weekday",
                        0.7,
                    )
                )
            for m in RE_AR_YEST.finditer(norm):
                out.append((m.start(), m.end(), published - timedelta(days=1), "yesterday", 0.7))
    else:
        for m in RE_DMY.finditer(text):
            d = _safe(int(m.group(3)), MONTHS_EN[m.group(2).lower()], int(m.group(1)))
            if d:
                out.append((m.start(), m.end(), d, "absolute", 0.9))
        for m in RE_MDY.finditer(text):
            d = _safe(int(m.group(3)), MONTHS_EN[m.group(1).lower()], int(m.group(2)))
            if d:
                out.append((m.start(), m.end(), d, "absolute", 0.9))
        for m in RE_ISO.finditer(text):
            d = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                out.append((m.start(), m.end(), d, "absolute", 0.9))
        if published:
            for m in RE_MD.finditer(text):
                d = _safe(published.year, MONTHS_EN[m.group(1).lower()], int(m.group(2)))
                if d and d > published:
                    d = _safe(published.year - 1, d.month, d.day)
                if d:
                    out.append((m.start(), m.end(), d, "month-day", 0.75))
            for m in RE_WD.finditer(text):
                wd = WEEKDAYS_EN[m.group(1).lower()]
                out.append((m.start(), m.end(), _weekday_before(published, wd), "weekday", 0.7))
            for m in RE_YEST.finditer(text):
                out.append((m.start(), m.end(), published - timedelta(days=1), "yesterday", 0.7))
    out.sort()
    return out


_PUB_PATTERNS = (RE_DMY, RE_MDY, RE_ISO)


def guess_published(text: str) -> date | None:
    """A dateline in the first 120 characters ("Sun 16 Apr 2017 ...", "Published July 5 2015")."""
    head = text[:120]
    for pat in _PUB_PATTERNS:
        m = pat.search(head)
        if m:
            found = find_dates(m.group(0), None)
            if found:
                return found[0][2]
    return None
