"""The raw originals kept beside the incidents (``raw_record``), read back in batches.

An exchange format that gives a source's own values back (the UCDP GED export of
incidents that came from GED) reads them from here instead of rebuilding them from the
derived columns, which hold civcas's reading of the row, not the row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from .engine import Store
from .schema import raw_record


def raw_originals(store: Store, raw_ids: Iterable[int]) -> dict[int, Any]:
    """{raw_record id: the original record (parsed JSON)} for the ids given."""
    ids = sorted({int(i) for i in raw_ids})
    out: dict[int, Any] = {}
    with store.connect() as conn:
        for n in range(0, len(ids), 500):
            for rid, raw in conn.execute(
                select(raw_record.c.id, raw_record.c.raw).where(
                    raw_record.c.id.in_(ids[n : n + 500])
                )
            ):
                out[int(rid)] = json.loads(raw)
    return out
