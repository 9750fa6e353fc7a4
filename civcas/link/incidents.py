"""Incident clustering: reports from different sources that describe the same event.

Two incidents are candidates when their dates are within ``days`` of each other and they
are within ``km`` (both have coordinates) or share a named place. A candidate is merged
when, in addition, the belligerents are compatible (they share one, or one side names
none) and the civilian death counts are compatible (ranges overlap, or the larger is at
most ``count_ratio`` times the smaller). Candidates that fail only the belligerent or
count test go to review. Merged incidents become one event: the first code (oldest
date, then code) is canonical and the others are its aliases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .cluster import cluster_pairs
from .normalise import place_key


@dataclass
class IncidentClusters:
    pairs: pd.DataFrame  # code_a, code_b, days, km, same_place, belligerent_ok, counts_ok, status
    canonical: dict[str, str]  # code -> canonical code (merged events only)

    @property
    def review(self) -> pd.DataFrame:
        return self.pairs[self.pairs["status"] == "review"]


def _haversine(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    r = np.radians
    dlat, dlon = r(lat2 - lat1), r(lon2 - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(r(lat1)) * np.cos(r(lat2)) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def _counts_ok(amin: Any, amax: Any, bmin: Any, bmax: Any, ratio: float) -> bool:
    lo_a, hi_a = (amin if amin == amin else amax), (amax if amax == amax else amin)
    lo_b, hi_b = (bmin if bmin == bmin else bmax), (bmax if bmax == bmax else bmin)
    if any(v != v for v in (lo_a, hi_a, lo_b, hi_b)):  # unknown counts do not contradict
        return True
    if lo_a <= hi_b and lo_b <= hi_a:
        return True
    small, big = min(hi_a, hi_b), max(lo_a, lo_b)
    return bool(big <= max(1.0, small) * ratio)


def cluster_incidents(
    df: pd.DataFrame, *, days: int = 1, km: float = 2.0, count_ratio: float = 2.0
) -> IncidentClusters:
    """``df`` columns: code, date (datetime64 or ISO text), latitude, longitude, place,
    belligerents (";"-joined, may be empty), killed_min, killed_max."""
    d = df.reset_index(drop=True).copy()
    d["day"] = (pd.to_datetime(d["date"], errors="coerce") - pd.Timestamp("1970-01-01")).dt.days
    d = d.dropna(subset=["day"])
    d["bucket"] = (d["day"] // (days + 1)).astype(int)
    d["pkey"] = d["place"].fillna("").map(lambda p: place_key(p) or "")
    d["bset"] = (
        d["belligerents"]
        .fillna("")
        .map(lambda s: frozenset(x.strip().lower() for x in str(s).split(";") if x.strip()))
    )
    parts = []
    for shift in (0, 1):
        right = d.assign(bucket=d["bucket"] - shift)
        parts.append(d.merge(right, on="bucket", suffixes=("_a", "_b")))
    m = pd.concat(parts, ignore_index=True)
    m = m[(m["code_a"] < m["code_b"]) & ((m["day_a"] - m["day_b"]).abs() <= days)]
    dist = _haversine(
        *(m[c].astype(float) for c in ("latitude_a", "longitude_a", "latitude_b", "longitude_b"))
    )
    same_place = (m["pkey_a"] != "") & (m["pkey_a"] == m["pkey_b"])
    near = (dist <= km).fillna(False) | same_place
    m = m[near].assign(km=dist[near], same_place=same_place[near])
    bell = [not a or not b or bool(a & b) for a, b in zip(m["bset_a"], m["bset_b"], strict=True)]
    counts = [
        _counts_ok(*(float(x) if x is not None else np.nan for x in row), count_ratio)
        for row in zip(
            m["killed_min_a"], m["killed_max_a"], m["killed_min_b"], m["killed_max_b"], strict=True
        )  # fmt: skip
    ]
    m = m.assign(belligerent_ok=bell, counts_ok=counts, days=(m["day_a"] - m["day_b"]).abs())
    m["status"] = np.where(m["belligerent_ok"] & m["counts_ok"], "merge", "review")
    pairs = m[
        ["code_a", "code_b", "days", "km", "same_place", "belligerent_ok", "counts_ok", "status"]
    ]
    pairs = pairs.drop_duplicates(["code_a", "code_b"]).reset_index(drop=True)
    ordered = d.sort_values(["day", "code"])["code"].tolist()
    merged = pairs[pairs["status"] == "merge"]
    roots, _ = cluster_pairs(
        ordered,
        merged["code_a"].to_numpy(dtype=object),
        merged["code_b"].to_numpy(dtype=object),
        np.ones(len(merged)),
        0.5,
    )
    first: dict[int, str] = {}
    for code, root in zip(ordered, roots.tolist(), strict=True):
        first.setdefault(root, code)
    canonical = {c: first[r] for c, r in zip(ordered, roots.tolist(), strict=True) if first[r] != c}
    return IncidentClusters(pairs, canonical)


def cluster_store_incidents(
    store: Any, *, days: int = 1, km: float = 2.0, out: str | None = None
) -> dict[str, Any]:
    """Cluster the incidents in the record; merged ones get aliases, the rest a review list."""
    from ..store.linkage import incidents_frame, save_incident_links

    df = incidents_frame(store)
    result = cluster_incidents(df, days=days, km=km)
    save_incident_links(store, result.pairs, result.canonical)
    if out:
        from ..io.csvsafe import safe_frame  # formula-safe text cells

        safe_frame(result.pairs).to_csv(out, index=False)
    return {
        "incidents": len(df),
        "clusters": len(df) - len(result.canonical),
        "merged": len(result.canonical),
        "review": int((result.pairs["status"] == "review").sum()),
    }
