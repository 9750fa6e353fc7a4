"""The monthly chart of declared strikes beside alleged incidents and likely deaths:
three small panels sharing the month axis, each with its own scale (server-side SVG, no
script, no inline style: presentation attributes only, as civcas.report.svg)."""

from __future__ import annotations

from html import escape
from typing import Any

W, PANEL_H, PAD_L, PAD_R, PAD_T, GAP, AXIS = 760, 90, 64, 12, 18, 26, 56
SERIES = (
    ("strikes", "declared_strikes", "#1f5f8b"),
    ("alleged", "alleged_incidents", "#d9531e"),
    ("likely_killed_max", "likely_deaths_max", "#8b1a1a"),
)


def monthly_svg(rows: list[dict[str, Any]], labels: dict[str, str]) -> str:
    """``rows``: civcas.strikes.monthly(); ``labels``: title and one label per series key
    (declared_strikes, alleged_incidents, likely_deaths_max)."""
    months = [r["month"] for r in rows]
    n = max(len(months), 1)
    h = PAD_T + len(SERIES) * (PANEL_H + GAP) + AXIS
    title = labels.get("title", "")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" role="img" '
        f'class="chart" aria-label="{escape(title)}" font-family="sans-serif" font-size="12" '
        f'direction="ltr"><title>{escape(title)}</title>'
    ]
    bw = (W - PAD_L - PAD_R) / n
    for p, (key, label, colour) in enumerate(SERIES):
        top = PAD_T + p * (PANEL_H + GAP)
        values = [int(r.get(key) or 0) for r in rows]
        vmax = max(values, default=0) or 1
        out.append(
            f'<text x="{PAD_L}" y="{top - 4}" fill="#333">{escape(labels.get(label, label))}'
            f" (max {max(values, default=0):,})</text>"
            f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{top + PANEL_H}" y2="{top + PANEL_H}" '
            f'stroke="#c9ced3"/>'
        )
        for i, v in enumerate(values):
            bh = PANEL_H * v / vmax
            x = PAD_L + i * bw
            out.append(
                f'<rect x="{x + 0.5:.1f}" y="{top + PANEL_H - bh:.1f}" width="{max(bw - 1, 0.5):.1f}" '
                f'height="{bh:.1f}" fill="{colour}"><title>{escape(months[i])}: {v:,}</title></rect>'
            )
    base = PAD_T + len(SERIES) * (PANEL_H + GAP) - GAP + 14
    step = max(1, n // 18)
    for i, m in enumerate(months):
        if i % step:
            continue
        x = PAD_L + bw * (i + 0.5)
        out.append(
            f'<text x="{x:.1f}" y="{base}" text-anchor="end" fill="#333" '
            f'transform="rotate(-45 {x:.1f} {base})">{escape(m)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
