"""The public shape of an incident: what the store returns minus internal keys."""

from __future__ import annotations

from typing import Any

INTERNAL = {"id", "raw_id", "import_id", "published", "incident_id", "raw", "belligerent_key"}


def public(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k in INTERNAL:
            continue
        if isinstance(v, list):
            v = [public(x) if isinstance(x, dict) else x for x in v]
        out[k] = v
    return out
