"""Claims -> draft reports in the store, each linked to its candidate incidents."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..model.urls import safe_url
from ..store import drafts
from ..store.engine import Store
from .extractor import Report
from .intake import SourceText


def draft_reports(store: Store, src: SourceText, report: Report, km: float = 5.0) -> list[int]:
    """One draft per claim that states a death or injury toll; returns the draft ids."""
    ids: list[int] = []
    for claim in report.claims:
        killed = claim.count("civilians_killed")
        injured = claim.count("injured")
        if killed is None and injured is None:
            continue
        day = _date(claim.date.value.get("date") if claim.date else None)
        place: dict[str, Any] = claim.place.value if claim.place else {}
        actor = claim.actor.value if claim.actor else None
        cands = drafts.candidate_incidents(
            store, day, place.get("lat"), place.get("lon"), actor, km
        )
        ids.append(
            drafts.add_draft(
                store,
                {
                    "source_id": src.id[:200],
                    "source_path": src.path,
                    "source_sha256": src.sha256,
                    "url": safe_url(src.url),  # a link that fails the allowlist is not kept
                    "lang": report.lang,
                    "published": report.published,
                    "date": day,
                    "place": place.get("name"),
                    "latitude": place.get("lat"),
                    "longitude": place.get("lon"),
                    "killed_min": killed.min if killed else None,
                    "killed_max": killed.max if killed else None,
                    "injured_min": injured.min if injured else None,
                    "injured_max": injured.max if injured else None,
                    "actor": actor,
                    "weapon": claim.weapon.value if claim.weapon else None,
                    "claim_json": claim.to_json(),
                    "candidates_json": cands,
                },
            )  # fmt: skip
        )
    return ids


def _date(v: str | None) -> date | None:
    try:
        return date.fromisoformat(v) if v else None
    except ValueError:
        return None
