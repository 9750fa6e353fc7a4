"""What the public filters offer: the parties and governorates the published record holds.

The dashboard's belligerent and governorate filters are lists to choose from, not free
text a reader has to guess the spelling of ("Russia" or "Russian Military"?). One
grouped query each over the published incidents; the web service caches the answer per
data version.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from .engine import Store
from .schema import incident, incident_belligerent


def filter_choices(store: Store) -> dict[str, list[dict[str, Any]]]:
    """``{"belligerents": [{name, incidents}], "governorates": [{en, ar, incidents}]}``,
    most incidents first, over published incidents only (unpublished ones are not
    counted, so their parties are not named either)."""
    c, ib = incident.c, incident_belligerent.c
    n = func.count(func.distinct(c.id)).label("n")
    parties = (
        select(ib.belligerent, n)
        .select_from(incident_belligerent.join(incident, ib.incident_id == c.id))
        .where(c.published.is_(True))
        .group_by(ib.belligerent)
        .order_by(n.desc(), ib.belligerent)
    )
    places = (
        select(c.governorate_en, func.max(c.governorate_ar), func.count().label("n"))
        .where(c.published.is_(True), c.governorate_en.is_not(None), c.governorate_en != "")
        .group_by(c.governorate_en)
        .order_by(func.count().desc(), c.governorate_en)
    )
    with store.connect() as conn:
        belligerents = [{"name": b, "incidents": int(k)} for b, k in conn.execute(parties)]
        governorates = [
            {"en": en, "ar": ar or en, "incidents": int(k)} for en, ar, k in conn.execute(places)
        ]
    return {"belligerents": belligerents, "governorates": governorates}
