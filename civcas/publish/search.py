"""The prebuilt search index a static site's victims page loads (no server to ask).

Names are keyed by linkage's own reading (:mod:`civcas.link.normalise`): each word of a
victim's Latin and Arabic names becomes its consonant key (:func:`skeleton`), the key
Mohammed, Muhammad, Mohamed and محمد share. The index maps every spelling it knows
(the victims' own words, and the given and family names of
``civcas/link/data/name_frequencies.csv`` in both scripts) to its key, so a reader who
types any of them finds every victim whose name has that key, in either script. A
spelling the index has never seen still finds the names that contain it as typed.

The browser folds what a reader types with normalise.py's own tables, shipped in the
index (``fold``), so both sides read text the same way. Incidents are found by code,
alias, place and governorate, folded the same way.
"""

from __future__ import annotations

import csv
from typing import Any

from ..link import normalise as nz
from ..link.vocabulary import NAME_TABLE
from .filenames import file_stem

FORMAT = "civcas-search/1"


def fold(text: str | None) -> str:
    """Text as search compares it: normalise.py's Arabic or Latin folding."""
    if not text:
        return ""
    return nz.normalise_arabic(text) if nz.has_arabic(text) else nz.normalise_latin(text)


def _words(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return nz.text_words(text)[1]


def _add_word(words: dict[str, str], word: str) -> str | None:
    key = nz.skeleton(word)
    if not key:
        return None
    words.setdefault(fold(word), key)
    return key


def fold_tables() -> dict[str, Any]:
    """normalise.py's folding tables, for the browser to apply to a query."""
    return {
        "ar_map": {chr(k): v for k, v in nz._AR_FOLD.items()},
        "ar_diacritics": nz._AR_DIACRITICS.pattern,
        "tatweel": nz._TATWEEL,
        "ar_letters": nz._AR_LETTERS.pattern,
        "ar_other": nz._AR_OTHER.pattern,
        "apostrophes": nz._APOSTROPHES.pattern,
        "latin_other": nz._LATIN_OTHER.pattern,
    }


def _stem_or_none(code: str) -> str | None:
    stem = file_stem(code)
    return None if stem == code else stem


def build_index(victims: list[dict[str, Any]], incidents: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole index: words -> key, victims with their keys, incidents with their text."""
    words: dict[str, str] = {}
    vrows: list[list[Any]] = []
    for v in victims:
        keys: dict[str, None] = {}
        for w in _words(v.get("name")) + _words(v.get("name_ar")):
            k = _add_word(words, w)
            if k:
                keys[k] = None
        text = " | ".join(t for t in (fold(v.get("name")), fold(v.get("name_ar"))) if t)
        vrows.append(
            [
                v.get("name") or "",
                v.get("name_ar") or "",
                v["code"],
                _stem_or_none(v["code"]),
                v.get("date"),
                " ".join(keys),
                text,
            ]
        )
    with NAME_TABLE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for col in ("name_en", "name_ar"):
                for w in _words(row.get(col)):
                    _add_word(words, w)
    irows: list[list[Any]] = []
    for i in incidents:
        parts = [i["code"], *(a for a in i.get("aliases") or [] if a), i.get("place"),
                 i.get("place_ar"), i.get("governorate")]  # fmt: skip
        text = " | ".join(t for t in (fold(p) for p in parts if p) if t)
        irows.append([i["code"], _stem_or_none(i["code"]), i.get("date"), i.get("place") or "",
                      i.get("place_ar") or "", text])  # fmt: skip
    return {
        "format": FORMAT,
        "fold": fold_tables(),
        "words": words,
        "victim_fields": ["name", "name_ar", "code", "file", "date", "keys", "text"],
        "victims": vrows,
        "incident_fields": ["code", "file", "date", "place", "place_ar", "text"],
        "incidents": irows,
    }
