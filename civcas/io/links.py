"""Imported links, checked: a URL cell that is not a safe link is reported, never stored.

Every importer goes through :func:`scrub_rows` (``import_file`` and the demo loader), so
one check covers Airwars, UCDP, ACLED, IBC, mapped CSV/XLSX and the demo. A bad value
(``javascript:``, ``data:``, ``//host``, ``java<TAB>script:``...) does not stop a
real-data import: the row is kept, its original cell stays in the stored raw record, the
link field is left empty and the value is listed in the import's ``unmapped`` report.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model.records import Incident
from ..model.urls import safe_url
from .common import Unmapped, note_unmapped
from .pipeline import Parsed

REPORT_KEY = "url not stored (not an http/https link)"


def _checked(value: str | None, where: str, unmapped: Unmapped | None) -> str | None:
    if value is None or safe_url(value) is not None:
        return value
    note_unmapped(unmapped, f"{REPORT_KEY}: {where}", value)
    return None


def scrub_incident(inc: Incident, unmapped: Unmapped | None) -> None:
    """Empty every link field of ``inc`` that fails the URL allowlist (in place)."""
    inc.url = _checked(inc.url, "incident.url", unmapped)
    for s in inc.sources:
        s.url = _checked(s.url, "source.url", unmapped)
    for st in inc.statements:
        st.url = _checked(st.url, "statement.url", unmapped)
    for b in inc.belligerents:
        b.strike_report_url = _checked(
            b.strike_report_url, "assessment.strike_report_url", unmapped
        )


def scrub_rows(rows: Iterator[Parsed], unmapped: Unmapped | None) -> Iterator[Parsed]:
    """The reader's rows with their unsafe links dropped and reported."""
    for p in rows:
        if p.incident is not None:
            scrub_incident(p.incident, unmapped)
        yield p


__all__ = ["REPORT_KEY", "scrub_incident", "scrub_rows"]
