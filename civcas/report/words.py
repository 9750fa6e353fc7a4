"""The report's words in English and Arabic: its catalogue, its title and its scope.

The report has its own small catalogue (``i18n/{en,ar}.json``) rather than the web app's:
it is printed text (a title, captions, the methodology), and the report package sits
below the web package. A key missing from the Arabic catalogue falls back to English;
a catalogue that defines a key twice is refused, like the web app's.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..model.filters import IncidentFilter

LANGS = ("en", "ar")
CATALOGUES = Path(__file__).parent / "i18n"


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"report catalogue defines {k!r} twice")
        out[k] = v
    return out


@cache
def catalogue(lang: str) -> dict[str, Any]:
    if lang not in LANGS:
        raise ValueError(f"report language {lang!r}: expected one of {', '.join(LANGS)}")
    text = (CATALOGUES / f"{lang}.json").read_text(encoding="utf-8")
    words: dict[str, Any] = json.loads(text, object_pairs_hook=_no_duplicates)
    return words


Translate = Callable[..., str]


def translator(lang: str) -> Translate:
    """t(key, **values): the text in ``lang`` (English when Arabic lacks it, else the key)."""
    own, en = catalogue(lang), catalogue("en")

    def t(key: str, /, **kw: object) -> str:
        text = own.get(key, en.get(key, key))
        return str(text).format(**kw) if kw else str(text)

    return t


FSI, PDI = "\u2068", "\u2069"  # first-strong isolate: a Latin name or a date in Arabic text


def iso(text: str, lang: str) -> str:
    """In the Arabic edition, a Latin name or a date kept in its own direction (a date
    read right to left came out 01-06-2017)."""
    return f"{FSI}{text}{PDI}" if lang == "ar" and text else text


def party(name: str, lang: str = "en") -> str:
    """A belligerent's name in the edition's language (the catalogue's ``party_`` words),
    else as recorded."""
    key = f"party_{name}"
    words = catalogue(lang)
    return str(words[key]) if lang != "en" and key in words else iso(name, lang)


def period(first: dt.date | None, last: dt.date | None, lang: str = "en") -> str:
    """ "June–October 2017" (whole months), "3–17 June 2017" style only when the dates are
    not whole months: then both dates in full."""
    if first is None or last is None:
        return ""
    months: list[str] = catalogue(lang)["months"]
    whole = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
    if not whole:
        return f"{_day(first, months)}–{_day(last, months)}"
    a, b = months[first.month - 1], months[last.month - 1]
    if (first.year, first.month) == (last.year, last.month):
        return f"{a} {first.year}"
    if first.year == last.year:
        return f"{a}–{b} {first.year}"
    return f"{a} {first.year}–{b} {last.year}"


def _day(d: dt.date, months: list[str]) -> str:
    return f"{d.day} {months[d.month - 1]} {d.year}"


def data_period(
    f: IncidentFilter, by_month: dict[str, Any]
) -> tuple[dt.date | None, dt.date | None]:
    """The filter's dates, or where the filter leaves them open, the data's first and
    last months (a report on "everything" still says when it is about)."""
    months = sorted(by_month)
    first = f.date_from
    last = f.date_to
    if first is None and months:
        first = dt.date.fromisoformat(months[0] + "-01")
    if last is None and months:
        y, m = (int(p) for p in months[-1].split("-"))
        last = dt.date(y, m, calendar.monthrange(y, m)[1])
    return first, last


def _governorate(f: IncidentFilter, lang: str, name: str | None) -> str:
    if not f.governorate:
        return ""
    shown = name or f.governorate
    return translator(lang)("governorate", name=shown if name else iso(shown, lang))


def title(
    f: IncidentFilter,
    by_month: dict[str, Any],
    lang: str = "en",
    *,
    governorate: str | None = None,
) -> str:
    """A title from the scope: "Civilian harm from US-led Coalition strikes in Raqqa
    governorate, June–October 2017". ``governorate``: its name in the edition's language
    (the records' Arabic name for the Arabic edition), else the filter's."""
    t = translator(lang)
    when = period(*data_period(f, by_month), lang=lang)
    if not when:
        return t("title_nodate")
    where = _governorate(f, lang, governorate)
    who = party(f.belligerent, lang) if f.belligerent else ""
    if who and where:
        return t("title_by_in", who=who, where=where, when=when)
    if who:
        return t("title_by", who=who, when=when)
    if where:
        return t("title_in", where=where, when=when)
    return t("title_all", when=when)


def scope(f: IncidentFilter, lang: str = "en", *, governorate: str | None = None) -> str:
    """The filter in words (the same parts as ``civcas tally`` prints)."""
    t = translator(lang)
    parts = []
    if f.governorate:
        parts.append(_governorate(f, lang, governorate))
    if f.date_from or f.date_to:
        a = iso(f.date_from.isoformat(), lang) if f.date_from else t("scope_first")
        b = iso(f.date_to.isoformat(), lang) if f.date_to else t("scope_last")
        parts.append(t("scope_from_to", a=a, b=b))
    if f.grades:
        parts.append(t("scope_graded", grades=" + ".join(t(g.value) for g in f.grades)))
    if f.near:
        near = f.near
        parts.append(t("scope_near", km=f"{near.km:g}", lat=f"{near.latitude:g}",
                       lon=f"{near.longitude:g}"))  # fmt: skip
    if f.belligerent:
        parts.append(t("scope_party", who=party(f.belligerent, lang)))
    sep = "، " if lang == "ar" else ", "
    return sep.join(parts) if parts else t("scope_all")


__all__ = [
    "LANGS",
    "catalogue",
    "data_period",
    "iso",
    "party",
    "period",
    "scope",
    "title",
    "translator",
]
