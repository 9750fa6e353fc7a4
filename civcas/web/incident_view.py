"""An incident page a reader understands (issue 19): what the page adds to the stored
incident, in its JSON twin too.

- the grade's definition in English and Arabic, and where the grade came from when no
  reason is recorded with it (an imported record carries its publisher's grade);
- which statement and source links are archived copies, and the web captures (hash and
  day) kept for a source;
- the other spellings linkage found for each victim;
- interviews and site visits as anonymised facts: exactly the public interview view of
  :func:`civcas.workflow.protected.public_interviews` (consent recorded as yes, linked to a
  published incident; kind, month, governorates and published incident codes, nothing
  else), so the page can never show more than the public export does;
- the revision: the date of the last change and the incident's version.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from ..model.filters import IncidentFilter
from ..model.vocab import GRADE_DEFINITIONS, Grade
from ..report.credits import KNOWN, credits
from ..report.words import translator as report_words
from ..store.reader_extras import other_spellings, web_captures
from .service import Service

#: hosts whose pages are archived copies of another page
ARCHIVES = (
    "web.archive.org", "archive.org", "archive.is", "archive.ph", "archive.today",
    "archive.li", "archive.vn", "archive.md", "perma.cc", "webcitation.org",
    "ghostarchive.org",
)  # fmt: skip


def is_archive(url: str | None) -> bool:
    host = (urlsplit(url or "").hostname or "").lower()
    host = host.removeprefix("www.")
    return any(host == a or host.endswith("." + a) for a in ARCHIVES)


def grade_definitions(grade: str | None) -> dict[str, str] | None:
    """The grade's definition in both languages (the report's Arabic wording)."""
    try:
        g = Grade(grade or "")
    except ValueError:
        return None
    return {"en": GRADE_DEFINITIONS[g], "ar": report_words("ar")(f"gd_{g.value}")}


@cache
def publisher(source_kind: str) -> str:
    """Who publishes a source's records (read once: Airwars' credit is in the demo file)."""
    return credits([source_kind])[0].publisher


def field_work(service: Service, code: str) -> list[dict[str, Any]]:
    """The public interview view's rows that concern this incident, as page facts: kind,
    month, governorates and the other published incidents the same record concerns."""
    from ..workflow.protected import public_interviews

    rows = service.memo(
        "public-interviews", IncidentFilter(), lambda: public_interviews(service.store)
    )
    out = []
    for r in rows:
        if code not in r["incidents"]:
            continue
        out.append(
            {
                "kind": r["kind"],
                "month": r["month"],
                "governorates": list(r["governorates"]),
                "also": [c for c in r["incidents"] if c != code],
            }
        )
    return out


def reader_view(service: Service, raw: dict[str, Any], inc: dict[str, Any]) -> dict[str, Any]:
    """Add the reader's facts to ``inc`` (the public shape of ``raw``, same child order)."""
    store = service.store
    inc["grade_definition"] = grade_definitions(raw.get("grade"))
    inc["grade_by"] = None
    kind = raw.get("source_kind")
    if raw.get("grade") and not raw.get("grade_reason") and (kind == "airwars" or kind in KNOWN):
        inc["grade_by"] = publisher(kind)  # the publisher whose grade it is
    for s in inc.get("statements", []):
        s["archived"] = is_archive(s.get("url"))
    captures = web_captures(store, [s["id"] for s in raw.get("sources", [])])
    for s, r in zip(inc.get("sources", []), raw.get("sources", []), strict=True):
        s["archived"] = is_archive(s.get("url"))
        s["captures"] = captures.get(r["id"], [])
    spellings = other_spellings(store, [v["id"] for v in raw.get("victims", [])])
    for v, r in zip(inc.get("victims", []), raw.get("victims", []), strict=True):
        v["other_spellings"] = spellings.get(r["id"], [])
    inc["field_work"] = field_work(service, inc["code"])
    updated = raw.get("updated_at")
    inc["revised"] = updated.date().isoformat() if isinstance(updated, dt.datetime) else None
    inc["version"] = raw.get("version")
    return inc


__all__ = ["ARCHIVES", "field_work", "grade_definitions", "is_archive", "publisher", "reader_view"]
