"""Victims' name search keys: a derived table kept in step with ``victim``.

The keys themselves come from the linkage package (``civcas.link.name_search``): the store
does not know how a name is spelt, only which rows are out of date. A row is out of date
when it is missing or its ``source`` (the names it was made from) differs from the
victim's names now, so any writer (import, merge, a person's edit) may change a name
without knowing about this table; the next search brings the keys up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, func, insert, literal, or_, select
from sqlalchemy.exc import IntegrityError

from .engine import Store
from .schema import victim, victim_name_key

SEPARATOR = "\x1f"  # unit separator: never part of a name
BATCH = 5000

NameKeyer = Callable[[str | None, str | None], tuple[str, str]]


@dataclass(frozen=True)
class NameQuery:
    """A name search: every key must be one of the name's word keys, or the name's
    normalised spellings contain ``text`` (a part of a word being typed)."""

    keys: tuple[str, ...]
    texts: tuple[str, ...]


def names_source(name: str | None, name_ar: str | None) -> str:
    return (name or "") + SEPARATOR + (name_ar or "")


def _source_sql() -> ColumnElement[str]:
    return (
        func.coalesce(victim.c.name, "") + literal(SEPARATOR) + func.coalesce(victim.c.name_ar, "")
    )


def refresh_name_keys(store: Store, keyer: NameKeyer) -> int:
    """Compute the keys of every victim whose row is missing or stale; return how many."""
    k = victim_name_key.c
    stale = (
        select(victim.c.id, victim.c.name, victim.c.name_ar, k.victim_id.label("keyed"))
        .outerjoin(victim_name_key, k.victim_id == victim.c.id)
        .where(or_(k.victim_id.is_(None), k.source != _source_sql()))
    )
    with store.connect() as conn:
        rows = conn.execute(stale).all()
    if not rows:
        return 0
    for i in range(0, len(rows), BATCH):
        batch = rows[i : i + BATCH]
        values = []
        for r in batch:
            keys, text = keyer(r.name, r.name_ar)
            values.append(
                {"victim_id": r.id, "source": names_source(r.name, r.name_ar), "word_keys": keys,
                 "text": text}
            )  # fmt: skip
        changed = [r.id for r in batch if r.keyed is not None]  # new victims: insert only
        try:
            with store.begin() as conn:
                if changed:
                    conn.execute(delete(victim_name_key).where(k.victim_id.in_(changed)))
                conn.execute(insert(victim_name_key), values)
        except IntegrityError:
            # another worker wrote the same rows first: theirs are the same keys
            continue
    return len(rows)


def name_condition(q: NameQuery) -> ColumnElement[bool]:
    """SQL for one name search over ``victim_name_key`` (joined to the victim)."""
    k = victim_name_key.c
    parts: list[ColumnElement[bool]] = []
    if q.keys:
        parts.append(and_(*[k.word_keys.contains(f" {key} ", autoescape=True) for key in q.keys]))
    parts.extend(k.text.contains(t, autoescape=True) for t in q.texts if t)
    return or_(*parts) if parts else literal(False)


def person_records(store: Store, record_ids: Sequence[str]) -> dict[str, list[dict[str, str]]]:
    """The linked person of each record (``victim-ID``) from the last linkage run, with all
    of that person's records: {record_id: [records of its person]}; records not linked
    are left out. Reads ``person_record`` without the linkage module (which needs pandas)."""
    from sqlalchemy import column, table

    pr = table(
        "person_record",
        column("person_id"), column("record_id"), column("list"), column("name"),
        column("name_ar"), column("date_of_death"), column("place"),
    )  # fmt: skip
    if not record_ids:
        return {}
    with store.connect() as conn:
        mine = conn.execute(
            select(pr.c.record_id, pr.c.person_id).where(pr.c.record_id.in_(list(record_ids)))
        ).all()
        persons = {r.person_id for r in mine}
        if not persons:
            return {}
        all_rows = conn.execute(
            select(pr).where(pr.c.person_id.in_(persons)).order_by(pr.c.person_id, pr.c.record_id)
        ).all()
    by_person: dict[str, list[dict[str, str]]] = {}
    for r in all_rows:
        by_person.setdefault(r.person_id, []).append(dict(r._mapping))
    return {r.record_id: by_person[r.person_id] for r in mine}


__all__ = [
    "NameKeyer",
    "NameQuery",
    "name_condition",
    "names_source",
    "person_records",
    "refresh_name_keys",
]
