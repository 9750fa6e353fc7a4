"""The public shape of an incident: what the store returns minus internal keys.

Link fields are checked on the way out (:func:`civcas.report.links.checked_links`): a
stored ``javascript:`` (or any value that is not an http/https link) is answered as
``"url": null`` with the text under ``"url_unsafe"``, in every JSON twin and API answer.
"""

from __future__ import annotations

from typing import Any

from ..report.links import checked_links

INTERNAL = {"id", "raw_id", "import_id", "published", "incident_id", "raw", "belligerent_key"}


def _strip(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k in INTERNAL:
            continue
        if isinstance(v, list):
            v = [_strip(x) if isinstance(x, dict) else x for x in v]
        out[k] = v
    return out


def public(row: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = checked_links(_strip(row))
    return result
