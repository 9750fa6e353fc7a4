"""The incident editor's forms: from posted fields to the library's changes, and back.

A form posts flat names; the library takes structures. ``belligerents-3-assessment``
is the ``assessment`` of the fourth row of the belligerents list; a row whose
``remove`` box is ticked is left out, and a blank new row (no party chosen, nothing
typed) is ignored. What was typed is kept as typed (:class:`Posted`), so a refused save
shows the form again exactly as it was sent, with each problem beside its field
(:func:`field_errors`). Nothing here checks a value: the library does, for the page and
the JSON API alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from ...model.errors import InputError
from ...workflow import fields

BELL = "belligerents"
_ROW = re.compile(rf"{BELL}-(\d+)-([a-z_]+)")
_PROBLEM = re.compile(rf"{BELL}\[(\d+)\](?:\.([a-z_]+))?")
MAX_ROWS = 200
# dropdowns of a new row that always hold a value: choosing nothing leaves the row blank
_CHOSEN = frozenset(("role", "assessment"))
# the form's own fields, not the incident's
_OWN = frozenset(("csrf_token", "expected_version", "reason"))


@dataclass
class Posted:
    """A posted incident form: the changes for the library and what was typed."""

    changes: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None
    reason: str | None = None
    typed: dict[str, str] = field(default_factory=dict)
    rows: list[dict[str, str]] = field(default_factory=list)
    # the position in ``changes["belligerents"]`` -> the row's number in the form
    row_of: list[int] = field(default_factory=list)


def _text(form: FormData, name: str) -> str:
    v = form.get(name)
    return v if isinstance(v, str) else ""


def incident_form(form: FormData) -> Posted:
    """The edit form as the library's ``changes`` (scalars and the belligerents list)."""
    out = Posted()
    v = _text(form, "expected_version")
    out.expected_version = int(v) if v.isdigit() else None
    out.reason = _text(form, "reason").strip() or None
    out.typed["reason"] = _text(form, "reason")
    for name in form:
        if name in _OWN or name.startswith(f"{BELL}-"):
            continue
        # every other field goes to the library, which refuses one the incident does
        # not have (``published`` posted to the edit form is a 422, never ignored)
        out.typed[name] = _text(form, name)
        out.changes[name] = out.typed[name]
    rows: dict[int, dict[str, str]] = {}
    for key in form:
        m = _ROW.fullmatch(key)
        if m and int(m.group(1)) < MAX_ROWS:
            rows.setdefault(int(m.group(1)), {})[m.group(2)] = _text(form, key)
    out.rows = [rows[i] for i in sorted(rows)]
    if f"{BELL}-present" in form:  # the form edits the list (an empty list removes all)
        items: list[dict[str, Any]] = []
        for n, row in enumerate(out.rows):
            if row.get("remove"):
                continue
            item = {k: v for k, v in row.items() if k in fields.ASSESSMENT or k == "id"}
            typed = [v for k, v in item.items() if k not in _CHOSEN and v.strip()]
            if not row.get("id") and not typed:
                continue  # the blank row for a new party, left blank
            items.append(item)
            out.row_of.append(n)
        out.changes[BELL] = items
    return out


def field_errors(exc: InputError, row_of: list[int] | None = None) -> dict[str, str]:
    """Form field name -> what is expected there, for every problem of ``exc``; a
    problem of the belligerents list is put beside the row's field in the form."""
    out: dict[str, str] = {}
    for p in exc.problems:
        name = p.field
        m = _PROBLEM.fullmatch(name)
        if m:
            i = int(m.group(1))
            n = row_of[i] if row_of is not None and i < len(row_of) else i
            name = f"{BELL}-{n}-{m.group(2) or 'belligerent'}"
        out.setdefault(name, f"expected {p.expected}")
    if not out:
        out["_form"] = exc.message
    return out


def stored_rows(inc: dict[str, Any]) -> list[dict[str, str]]:
    """The incident's assessments as the form shows them (exactly what is stored)."""
    out = []
    for r in inc.get(BELL) or []:
        if not isinstance(r, dict) or r.get("withdrawn_import_id") is not None:
            continue
        row = {"id": str(r["id"])}
        for k in fields.ASSESSMENT:
            row[k] = "" if r.get(k) is None else str(r[k])
        out.append(row)
    return out


def stored_values(inc: dict[str, Any]) -> dict[str, str]:
    """The incident's scalar fields as the form shows them (dates as YYYY-MM-DD)."""
    out = {}
    for k in fields.INCIDENT:
        v = inc.get(k)
        out[k] = "" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v))
    return out


def child_form(form: FormData, kind: str) -> tuple[dict[str, str], int | None, str | None]:
    """A posted add-a-record form: (values typed, expected version, reason)."""
    values = {
        k: _text(form, k) for k in form if k not in ("csrf_token", "expected_version", "reason")
    }
    v = _text(form, "expected_version")
    return values, (int(v) if v.isdigit() else None), (_text(form, "reason").strip() or None)


__all__ = [
    "Posted",
    "child_form",
    "field_errors",
    "incident_form",
    "stored_rows",
    "stored_values",
]
