"""Search victims by name in any spelling and either script, with linkage's own keys.

A name is read exactly as linkage reads it (:func:`text_words`: Abd/Abu joined, bin and
al- dropped, Arabic hamza seats, taa marbuta, alif maqsura, diacritics and tatweel
folded) and each word becomes its consonant key (:func:`skeleton`), the key that
Mohammed, Mohammad, Muhammad, Mohamed and محمد share. A search matches a victim when
each of its words' keys is one of the victim's word keys (from the Latin and the Arabic
name alike), or when the victim's normalised spelling contains the search as typed (a
word half typed). Victims that a linkage run joined into one person come back together.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..model.filters import IncidentFilter
from ..store import queries
from ..store.engine import Store
from ..store.name_keys import NameQuery, person_records, refresh_name_keys
from .normalise import has_arabic, normalise_arabic, normalise_latin, skeleton, text_words


def _word_keys(text: str | None, *, kunya: bool = False) -> list[str]:
    """Keys of the words of ``text``; with ``kunya``, Abu X and Abd X also give X's key
    (linkage joins them into one word: Walid Abu Mohammed is found by Muhammad)."""
    if not text:
        return []
    _script, words = text_words(text)
    keys = [skeleton(w) for w in words]
    if kunya:
        keys += [skeleton(w[3:]) for w in words if w[:3] in _JOINED and len(w) > 4]
    return keys


_JOINED = {"abu", "abd"}


@lru_cache(maxsize=200_000)
def victim_name_keys(name: str | None, name_ar: str | None) -> tuple[str, str]:
    """(" key key ... ", normalised spellings) of one victim's names, both scripts."""
    keys = dict.fromkeys(_word_keys(name, kunya=True) + _word_keys(name_ar, kunya=True))
    texts = [
        normalise_arabic(name) if has_arabic(name) else normalise_latin(name),
        normalise_arabic(name_ar),
    ]
    return " " + " ".join(k for k in keys if k) + " ", " | ".join(t for t in texts if t)


def name_query(q: str) -> NameQuery:
    """The keys and the normalised text of what a reader typed."""
    text = normalise_arabic(q) if has_arabic(q) else normalise_latin(q)
    keys = tuple(k for k in dict.fromkeys(_word_keys(q)) if k)
    return NameQuery(keys=keys, texts=(text,) if text else ())


def _group_by_person(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark each victim with its linked person and the person's other records, and put
    one person's records side by side (at the place of the first of them)."""
    linked = person_records(store, [f"victim-{r['id']}" for r in rows])
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        rid = f"victim-{r['id']}"
        records = linked.get(rid, [])
        person = records[0]["person_id"] if records else rid
        r["person_id"] = records[0]["person_id"] if records else None
        r["other_records"] = [
            {k: rec[k] for k in ("record_id", "list", "name", "name_ar", "place")}
            for rec in records
            if rec["record_id"] != rid
        ]
        groups.setdefault(person, []).append(r)
    out = []
    for members in groups.values():
        for i, r in enumerate(members):
            r["group_size"] = len(members)
            r["group_first"] = i == 0
            out.append(r)
    return out


def search_victims(
    store: Store, f: IncidentFilter, q: str | None, *, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """Victims of the incidents ``f`` selects whose names match ``q`` in any spelling."""
    query = None
    if q and q.strip():
        refresh_name_keys(store, victim_name_keys)
        query = name_query(q)
    total, rows = queries.search_victims(store, f, query, limit=limit, offset=offset)
    return total, _group_by_person(store, rows)


__all__ = ["name_query", "search_victims", "victim_name_keys"]
