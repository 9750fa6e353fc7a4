"""Small server-side SVG charts (no JavaScript, no CDN), used by the web app and the report.

Each chart returns one ``<svg>`` string sized by its viewBox, so it scales with the page
and prints sharply. Labels come from the caller, so the same chart serves English and
Arabic pages.
"""

from __future__ import annotations

from html import escape
from typing import Any

GRADE_COLOURS = {
    "Confirmed": "#8b1a1a",
    "Fair": "#d9531e",
    "Weak": "#e8a33d",
    "Contested": "#7a6fa8",
    "Discounted": "#9aa3ab",
    "Ungraded": "#c9ced3",
}
CONCEDED_COLOUR = "#1f5f8b"
ALL_COLOUR = "#7d8791"  # killed in every matching incident, any grade
W, H = 760, 300
# the bottom pad holds the month labels (slanted, up to 40 px tall) and, below them, the
# legend row (the last 16 px): they used to run into each other (issue 19)
PAD_L, PAD_R, PAD_T, PAD_B = 56, 12, 16, 84


def _nice_max(v: float) -> float:
    """A round top for the axis; at least 4, so that its quarter ticks on a chart of a
    few deaths are whole numbers (a top of 1 labelled its ticks 0, 0, 0, 1, 1)."""
    if v <= 4:
        return 4.0
    mag = 10 ** (len(str(int(v))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return float(step * mag)
    return float(10 * mag)


def _tick(v: float) -> str:
    """An axis label: 2.5 stays 2.5 (rounded to 2 it named the wrong line)."""
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _axes(ymax: float, months: list[str], title: str) -> list[str]:
    plot_h = H - PAD_T - PAD_B
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
        f'class="chart" aria-label="{escape(title)}" font-family="sans-serif" font-size="13" '
        f'direction="ltr"><title>{escape(title)}</title>'
    ]
    for i in range(5):
        v = ymax * i / 4
        y = PAD_T + plot_h - plot_h * i / 4
        out.append(
            f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e6e8"/>'
            f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{_tick(v)}</text>'
        )
    bw = (W - PAD_L - PAD_R) / max(len(months), 1)
    for pos, label in month_ticks(months):
        x = PAD_L + bw * pos
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{H - PAD_B}" y2="{H - PAD_B + 5}" '
            f'stroke="#555"/><text x="{x + 2:.1f}" y="{H - PAD_B + 14}" text-anchor="end" '
            f'fill="#333" transform="rotate(-45 {x + 2:.1f} {H - PAD_B + 14})">{escape(label)}</text>'
        )
    return out


def month_ticks(months: list[str]) -> list[tuple[float, str]]:
    """Where to mark a calendar axis of consecutive months (YYYY-MM), and how.

    Up to two years: every month (every second one past 18); longer: each January,
    labelled with its year (every n-th year past 18 years), so that a tick is a
    fixed length of time and a gap in the data shows as a gap, not as a shorter axis.
    Positions are in bar widths from the axis start: a month's label sits under its bar,
    a year's at the start of its January.
    """
    if len(months) <= 24:
        step = 1 if len(months) <= 18 else 2
        return [(i + 0.5, m) for i, m in enumerate(months) if i % step == 0]
    years = [(i, m[:4]) for i, m in enumerate(months) if m.endswith("-01")]
    every = max(1, -(-len(years) // 18))
    return [(float(i), y) for n, (i, y) in enumerate(years) if n % every == 0]


def _legend(items: list[tuple[str, str, float]]) -> str:
    x, parts = PAD_L, []
    for label, colour, opacity in items:
        parts.append(
            f'<rect x="{x}" y="{H - 14}" width="10" height="10" fill="{colour}" '
            f'fill-opacity="{opacity}"/><text x="{x + 14}" y="{H - 5}" fill="#333">'
            f"{escape(label)}</text>"
        )
        x += 28 + 8 * len(label)  # the swatch, the label at ~8 px a character, a gap
    return "".join(parts)


def monthly_chart(month_grade: dict[str, dict[str, dict[str, int]]], labels: dict[str, str]) -> str:
    """Civilians killed per month, stacked by grade: solid to the minimum, pale to the maximum."""
    months = list(month_grade)
    title = labels.get("title", "Civilians killed per month, by grade")
    if not months:
        return f'<p class="empty">{escape(labels.get("empty", "No incidents match."))}</p>'
    ymax = _nice_max(max(sum(c["killed_max"] for c in g.values()) for g in month_grade.values()))
    plot_h = H - PAD_T - PAD_B
    bw = (W - PAD_L - PAD_R) / len(months)
    out = _axes(ymax, months, title)
    grades_seen: list[str] = []
    for i, m in enumerate(months):
        x = PAD_L + bw * i + bw * 0.12
        width = bw * 0.76
        for field, opacity in (("killed_max", 0.35), ("killed_min", 1.0)):
            base = 0.0
            for g, cell in month_grade[m].items():
                v = cell[field]
                if g not in grades_seen:
                    grades_seen.append(g)
                if not v:
                    continue
                h = plot_h * v / ymax
                y = PAD_T + plot_h - plot_h * base / ymax - h
                tip = f"{m} · {labels.get(g, g)}: {cell['killed_min']:,}–{cell['killed_max']:,}"
                out.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" '
                    f'fill="{GRADE_COLOURS.get(g, "#888")}" fill-opacity="{opacity}">'
                    f"<title>{escape(tip)}</title></rect>"
                )
                base += v
    legend = [
        (labels.get(g, g), GRADE_COLOURS.get(g, "#888"), 1.0)
        for g in GRADE_COLOURS
        if g in grades_seen
    ]
    legend.append((labels.get("max", "pale: up to maximum"), "#888", 0.35))
    out.append(_legend(legend))
    out.append("</svg>")
    return "".join(out)


def comparison_chart(
    summary: dict[str, Any],
    likely_by_month: dict[str, dict[str, int]],
    labels: dict[str, str],
    all_by_month: dict[str, dict[str, int]] | None = None,
) -> str:
    """Likely deaths (min solid, max pale) beside deaths conceded, per month.

    With ``all_by_month`` (the killed of every matching incident, any grade) a grey bar
    first gives the scale: a party whose incidents are all Contested still shows the
    deaths alleged, beside a likely 0 and a conceded 0, rather than an empty frame."""
    conceded = summary.get("conceded_by_month") or {}
    # the calendar of the monthly series (likely_by_month has every month of it); a
    # concession on an off-calendar incident is counted in the totals, not drawn
    months = list(likely_by_month) or sorted(set(conceded))
    title = labels.get("title", "Likely civilian deaths vs deaths conceded, per month")
    if not months:
        return f'<p class="empty">{escape(labels.get("empty", "No incidents match."))}</p>'
    zero = {"killed_min": 0, "killed_max": 0}
    czero = {"deaths_min": 0, "deaths_max": 0}
    ymax = _nice_max(
        max(
            max(
                likely_by_month.get(m, zero)["killed_max"],
                conceded.get(m, czero)["deaths_max"],
                (all_by_month or {}).get(m, zero)["killed_max"],
            )
            for m in months
        )
    )
    plot_h = H - PAD_T - PAD_B
    bw = (W - PAD_L - PAD_R) / len(months)
    out = _axes(ymax, months, title)

    def bar(x: float, width: float, v: int, colour: str, opacity: float, tip: str) -> None:
        if not v:
            return
        h = plot_h * v / ymax
        out.append(
            f'<rect x="{x:.1f}" y="{PAD_T + plot_h - h:.1f}" width="{width:.1f}" '
            f'height="{h:.1f}" fill="{colour}" fill-opacity="{opacity}">'
            f"<title>{escape(tip)}</title></rect>"
        )

    for i, m in enumerate(months):
        x0 = PAD_L + bw * i + bw * 0.1
        half = bw * 0.4
        lk, cd = likely_by_month.get(m, zero), conceded.get(m, czero)
        if all_by_month is not None:
            half = bw * 0.8 / 3
            al = all_by_month.get(m, zero)
            tip_a = (
                f"{m} · {labels.get('all', 'killed')}: {al['killed_min']:,}–{al['killed_max']:,}"
            )
            bar(x0, half, al["killed_max"], ALL_COLOUR, 0.35, tip_a)
            bar(x0, half, al["killed_min"], ALL_COLOUR, 1.0, tip_a)
            x0 += half
        tip_l = f"{m} · {labels.get('likely', 'likely')}: {lk['killed_min']:,}–{lk['killed_max']:,}"
        tip_c = (
            f"{m} · {labels.get('conceded', 'conceded')}: {cd['deaths_min']:,}–{cd['deaths_max']:,}"
        )
        bar(x0, half, lk["killed_max"], GRADE_COLOURS["Fair"], 0.35, tip_l)
        bar(x0, half, lk["killed_min"], GRADE_COLOURS["Fair"], 1.0, tip_l)
        bar(x0 + half, half, cd["deaths_max"], CONCEDED_COLOUR, 0.35, tip_c)
        bar(x0 + half, half, cd["deaths_min"], CONCEDED_COLOUR, 1.0, tip_c)
    keys = [
        (labels.get("likely", "Likely deaths (Confirmed + Fair)"), GRADE_COLOURS["Fair"], 1.0),
        (labels.get("conceded", "Deaths conceded"), CONCEDED_COLOUR, 1.0),
        (labels.get("max", "pale: up to maximum"), "#888", 0.35),
    ]
    if all_by_month is not None:
        keys.insert(0, (labels.get("all", "Killed, any grade"), ALL_COLOUR, 1.0))
    out.append(_legend(keys))
    out.append("</svg>")
    return "".join(out)


def likely_by_month(
    month_grade: dict[str, dict[str, dict[str, int]]], likely_grades: list[str]
) -> dict[str, dict[str, int]]:
    """Likely deaths per month, for every month of the calendar (zeros included)."""
    out: dict[str, dict[str, int]] = {}
    for m, grades in month_grade.items():
        cells = [c for g, c in grades.items() if g in likely_grades]
        out[m] = {
            "killed_min": sum(c["killed_min"] for c in cells),
            "killed_max": sum(c["killed_max"] for c in cells),
        }
    return out
