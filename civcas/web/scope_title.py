"""The dashboard's title: what it covers and what it counts, in the reader's language.

A reader landing on the dashboard sees at once which incidents the figures are about
("Civilian harm in Raqqa governorate, June–October 2017") and the inclusion rule of the
headline ("likely deaths: incidents graded Confirmed or Fair"). The title itself is the
report's (:func:`civcas.report.words.title`), so the page and the PDF never name the
same scope two ways.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..model.filters import IncidentFilter
from ..report.words import party, title


def scope_title(
    f: IncidentFilter,
    summary: dict[str, Any],
    choices: dict[str, list[dict[str, Any]]],
    t: Callable[..., str],
    lang: str,
) -> dict[str, str]:
    """``{"title", "rule"}``: the report's title for this scope, and the inclusion rule.

    Where the whole record holds a single governorate, the title names it even without
    a governorate filter (every matching incident is there); in Arabic the records' own
    Arabic name is used.
    """
    places = choices.get("governorates") or []
    scoped = f
    name: str | None = None
    if f.governorate:
        match = [g for g in places if f.governorate.lower() in (g["en"].lower(), g["ar"])]
        name = match[0]["ar"] if match and lang == "ar" else None
    elif len(places) == 1:
        scoped = replace(f, governorate=places[0]["en"])
        name = places[0]["ar"] if lang == "ar" else None
    head = title(scoped, summary.get("by_month") or {}, lang, governorate=name)
    word_or = t("word_or")
    if f.grades:
        rule = t("scope_rule_graded", grades=word_or.join(t(g.value) for g in f.grades))
    else:
        grades = summary.get("likely", {}).get("grades") or []
        rule = t("scope_rule_likely", grades=word_or.join(t(g) for g in grades))
    return {"title": head, "rule": rule}


def party_label(name: str, lang: str) -> str:
    """A party's name for a filter's list: the report catalogue's Arabic name when it has
    one, else as recorded."""
    return party(name, lang).strip("\u2068\u2069")
