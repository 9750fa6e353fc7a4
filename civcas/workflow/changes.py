"""What a revision changed, field by field, in words a reviewer reads (issue 24).

A revision of the audit trail (:mod:`civcas.workflow.audit`) holds ``before`` and
``after`` documents; this turns one into a list of :class:`Change` (field, before,
after), so the incident's history can show ``killed max: 4 → 6`` instead of an action
name. A list of assessments (an incident's belligerents) is compared row by row, by
its id: a party added, removed, or one of its fields changed, each a line of its own.
Nothing here reads the database: it describes what the chain already holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: bookkeeping a history does not show as a change
SKIP = frozenset(
    (
        "version",
        "incident_version",
        "updated_at",
        "id",
        "incident_id",
        "content_hash",
        "row_digest",
        "raw_id",
        "import_id",
        "month",
        "origin",
        "belligerent_key",
        "withdrawn_import_id",
        "source_kind",
        "source_id",
    )
)
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    """One line of a revision: ``field`` went from ``before`` to ``after`` (texts)."""

    field: str
    before: str
    after: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "before": self.before, "after": self.after}


def show(v: Any) -> str:
    """A stored value as text: empty is a dash, booleans yes/no, lists joined."""
    if v is None or v == "" or v == []:
        return EMPTY
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, list):
        return "; ".join(show(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {show(x)}" for k, x in v.items() if x not in (None, ""))
    return str(v)


def _party(row: dict[str, Any]) -> str:
    return str(row.get("belligerent") or row.get("id") or "?")


def _row_text(row: dict[str, Any]) -> str:
    keep = {k: v for k, v in row.items() if k not in SKIP and k != "belligerent"}
    return show(keep)


def assessments(before: list[Any], after: list[Any], field: str = "belligerents") -> list[Change]:
    """Row-level changes between two lists of assessments (matched by id, else name)."""

    def key(r: dict[str, Any]) -> Any:
        return ("id", r["id"]) if r.get("id") is not None else ("name", _party(r))

    old = {key(r): r for r in before if isinstance(r, dict)}
    new = {key(r): r for r in after if isinstance(r, dict)}
    out: list[Change] = []
    for k, r in old.items():
        if k not in new:
            out.append(Change(f"{field}: {_party(r)}", _row_text(r), "(removed)"))
    for k, r in new.items():
        if k not in old:
            out.append(Change(f"{field}: {_party(r)}", "(added)", _row_text(r)))
            continue
        o = old[k]
        for f in [x for x in {**o, **r} if x not in SKIP]:
            if o.get(f) != r.get(f):
                out.append(Change(f"{field}: {_party(o)} · {f}", show(o.get(f)), show(r.get(f))))
    return out


def describe(rev: dict[str, Any]) -> list[Change]:
    """The field-level changes of one revision (``before``/``after`` as audit.log gives)."""
    before = rev.get("before") if isinstance(rev.get("before"), dict) else {}
    after = rev.get("after") if isinstance(rev.get("after"), dict) else {}
    assert isinstance(before, dict) and isinstance(after, dict)
    out: list[Change] = []
    for f in [k for k in {**before, **after} if k not in SKIP]:
        b, a = before.get(f), after.get(f)
        if isinstance(b, list) or isinstance(a, list):
            if all(isinstance(x, dict) for x in [*(b or []), *(a or [])]):
                out += assessments(list(b or []), list(a or []), f)
                continue
        if b != a and not (b is None and a in ("", [])):
            out.append(Change(f, show(b), show(a)))
    return out


__all__ = ["Change", "assessments", "describe", "show"]
