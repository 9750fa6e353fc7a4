"""A campaign's progress for the team: items done, agreement, volunteers active, and the
answers over time as an SVG line (no script, so it passes the strict CSP)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from html import escape
from typing import Any

from ..store import Store
from ..store import tasks as st
from ..workflow.roles import Actor, require
from .combine import agreement

ACTIVE_FOR = dt.timedelta(days=1)


def overview(store: Store, actor: Actor) -> list[dict[str, Any]]:
    require(actor, "manage_tasks")
    with store.connect() as conn:
        return [{**c, **st.progress(conn, c["id"])} for c in st.campaigns(conn)]


def _bucket(times: list[dt.datetime]) -> dt.timedelta:
    span = (times[-1] - times[0]) if len(times) > 1 else dt.timedelta(0)
    for b in (dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)):
        if span <= b * 60:
            return b
    return dt.timedelta(days=7)


def campaign_progress(store: Store, actor: Actor, name: str) -> dict[str, Any]:
    require(actor, "manage_tasks")
    with store.connect() as conn:
        c = st.campaign_by_name(conn, name)
        if c is None:
            from ..model.errors import NotFoundError

            raise NotFoundError(f"no task campaign named {name!r}")
        prog = st.progress(conn, c["id"])
        times = st.answer_times(conn, c["id"])
        rows = st.answers(conn, [c["id"]])
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_item[r["item_key"]].append(json.loads(r["answer"]))
    agree = [agreement(a) for a in by_item.values() if len(a) >= 2]
    parsed = [dt.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ") for t, _ in times]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    active = {v for (_, v), t in zip(times, parsed, strict=True) if now - t <= ACTIVE_FOR}
    series: list[tuple[str, int]] = []
    if parsed:
        b = _bucket(parsed)
        start = parsed[0]
        counts = Counter(int((t - start) / b) for t in parsed)
        total = 0
        for i in range(max(counts) + 1):
            total += counts.get(i, 0)
            series.append(((start + b * i).strftime("%Y-%m-%d %H:%M"), total))
    return {
        "campaign": c,
        **prog,
        "mean_agreement": round(sum(agree) / len(agree), 3) if agree else None,
        "volunteers": len({v for _, v in times}),
        "volunteers_active": len(active),
        "series": series,
    }


def chart_svg(series: list[tuple[str, int]], *, width: int = 640, height: int = 200) -> str:
    """Cumulative answers over time as an inline SVG (no style attributes: classes only)."""
    if not series:
        return ""
    pad = 30
    n = len(series)
    top = max(v for _, v in series) or 1
    pts = []
    for i, (_, v) in enumerate(series):
        x = pad + (width - 2 * pad) * (i / max(n - 1, 1))
        y = height - pad - (height - 2 * pad) * (v / top)
        pts.append(f"{x:.1f},{y:.1f}")
    first, last = escape(series[0][0]), escape(series[-1][0])
    return (
        f'<svg class="task-chart" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="answers over time">'
        f'<line class="axis" x1="{pad}" y1="{height - pad}" x2="{width - pad}"'
        f' y2="{height - pad}"/>'
        f'<polyline class="series" points="{" ".join(pts)}"/>'
        f'<text x="{pad}" y="{height - 8}">{first}</text>'
        f'<text x="{width - pad}" y="{height - 8}" text-anchor="end">{last}</text>'
        f'<text x="{pad}" y="{pad - 10}">{top}</text>'
        "</svg>"
    )


__all__ = ["campaign_progress", "chart_svg", "overview"]
