"""Declared against alleged (issue 20): the matcher's suggestions with the DEFAULT
settings (fixed before this evaluation: --days 1, --km 60, the day-before rule) against
the Airwars Syria archive's own strike statuses, and on Iraq Body Count's air-strike
incidents in Iraq (--any-party); other --km/--days values as a table. Nothing here feeds
back into the defaults.

    .venv/bin/python -m benchmarks.bench_strikes   (needs ../shared/data)

Writes benchmarks/results/strikes.md and strikes.json.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from civcas.model.filters import IncidentFilter
from civcas.store import Store
from civcas.store import strikes as ss
from civcas.strikes import import_strike_releases
from civcas.strikes.match import Alleged, MatchSettings, match
from civcas.strikes.service import declared, match_store, place_from_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "benchmarks" / "results"
FIRST, LAST = dt.date(2014, 12, 1), dt.date(2016, 10, 31)
GRID = [(d, k) for d in (0, 1, 2) for k in (10, 30, 60, 100)]
AIR = re.compile(
    r"air\s*strike|airstrike|air raid|air attack|aerial|warplane|bomb(?:ed|ing) by", re.I
)


def parsing(releases: Path, store: Store) -> dict[str, object]:
    t = time.time()
    r = import_strike_releases(store, releases)
    kept = r.inserted + r.updated + r.unchanged
    with store.connect() as conn:
        reps = ss.reports(conn)
    syria = [x for x in reps if x["country"] == "Syria"]
    return {
        "rows": r.rows_read,
        "duplicates_skipped": r.duplicates,
        "reports": kept,
        "number_agree": kept - len(r.number_disagrees),
        "number_disagrees": r.number_disagrees,
        "syria_lines": len(syria),
        "syria_located": sum(1 for x in syria if x["latitude"] is not None),
        "unlocated": r.unlocated,
        "seconds": round(time.time() - t, 2),
    }


def airwars(store: Store) -> dict[str, object]:
    import sqlalchemy as sa

    f = IncidentFilter(date_from=FIRST, date_to=LAST, include_unpublished=True)
    with store.connect() as conn:
        status = dict(conn.execute(sa.text("SELECT code, strike_status FROM incident")).all())
        days = set(ss.report_days(conn))
    table = []
    detail = {}
    for d, k in GRID:
        s = MatchSettings(days=d, km=float(k))
        results, _ = match_store(store, s, f)
        by: dict[str, Counter[str]] = {}
        for r in results:
            by.setdefault(status.get(r.incident.code) or "blank", Counter())[r.suggested.value] += 1
        table.append({"days": d, "km": k, "by_status": {a: dict(c) for a, c in by.items()}})
        if (d, k) == (1, 60):
            for r in results:
                if status.get(r.incident.code) == "declared":
                    a = r.incident
                    assert a.date_start is not None
                    own = a.date_start + dt.timedelta(days=1) in days  # release of the next day
                    detail[a.code] = {**r.to_json(), "release_for_that_day": own}
    return {"grid": table, "declared_at_defaults": detail}


MONTHS = ("january february march april may june july august september october november "
          "december").split()  # fmt: skip


def _url_date(url: str, incident: dt.date) -> dt.date | None:
    """The release date a URL names: YYYYMMDD, or "/october-9-military-..." (the year
    taken from the incident, the nearest one)."""
    m = re.search(r"(20[12]\d)(\d\d)(\d\d)", url)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.search(r"/(" + "|".join(MONTHS) + r")-(\d{1,2})-", url.lower())
        if m:
            cands = [dt.date(y, MONTHS.index(m[1]) + 1, int(m[2])) for y in
                     (incident.year - 1, incident.year, incident.year + 1)]  # fmt: skip
            return min(cands, key=lambda d: abs((d - incident).days))
    except ValueError:
        return None
    return None


def day_rule_check() -> dict[str, int]:
    """The evaluation's own check of the day rule (the matcher never reads these URLs):
    release date in the URL of the release Airwars consulted, minus the incident's date,
    for the coalition incidents of the window."""
    out: Counter[str] = Counter()
    path = SHARED / "syrian-archive-airwars" / "derived" / "airwars_syria_incidents.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            url, day = row["coalition_strike_report_url"], row["incident_date"]
            if not url or not day or not FIRST.isoformat() <= day <= LAST.isoformat():
                continue
            inc = dt.date.fromisoformat(day)
            rel = _url_date(url, inc)
            if rel is None:
                out["no date in the URL"] += 1
                continue
            off = (rel - inc).days
            kind = "YYYYMMDD" if re.search(r"20[12]\d\d{4}", url) else "month-day title"
            span = f"{off:+d}" if -3 <= off <= 7 else ("< -3" if off < -3 else "> +7")
            out[f"{kind} {span}"] += 1
    return dict(sorted(out.items()))


def ibc_incidents() -> list[Alleged]:
    out = []
    with (SHARED / "ipsed" / "derived" / "ibc-incidents.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            day = dt.date.fromisoformat(row["date_start"])
            if not FIRST <= day <= LAST or not AIR.search(f"{row['weapons']} {row['target']}"):
                continue
            end = dt.date.fromisoformat(row["date_end"]) if row["date_end"] else None
            a = Alleged(f"IBC-{row['ibc_code']}", day, end,
                        "range" if end and end != day else "day", row["location"])  # fmt: skip
            found = place_from_text(row["location"], "Iraq")
            if found:
                p, how = found
                a.latitude, a.longitude, a.located_by = p.lat, p.lon, how
                a.precision = (
                    p.precision if p.precision in ("town", "neighbourhood") else "governorate"
                )
            out.append(a)
    return out


def ibc(store: Store) -> dict[str, object]:
    incidents = ibc_incidents()
    with store.connect() as conn:
        reps = [declared(r) for r in ss.reports(conn)]
    table = []
    examples = []
    for d, k in GRID:
        results, summary = match(incidents, reps, MatchSettings(party=None, days=d, km=float(k)))
        table.append(
            {
                "days": d,
                "km": k,
                **{
                    x: summary[x] for x in ("incidents", "declared", "none_declared", "cannot_tell")
                },
            }
        )
        if (d, k) == (1, 60):
            examples = [r.to_json() for r in results[:: max(1, len(results) // 12)]][:12]
    located = sum(1 for a in incidents if a.latitude is not None)
    return {"incidents": len(incidents), "placed": located, "grid": table, "examples": examples}


def main(argv: list[str] | None = None) -> None:
    releases = SHARED / "centcom-strikes" / "strike-releases.csv"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        p = parsing(releases, store)
        from civcas.io.importers import import_file

        import_file(store, "airwars-archive", SHARED / "syrian-archive-airwars")
        a = airwars(store)
        a["day_rule_check"] = day_rule_check()
        i = ibc(store)
        store.engine.dispose()
    OUT.mkdir(exist_ok=True)
    (OUT / "strikes.json").write_text(
        json.dumps({"parsing": p, "airwars": a, "ibc": i}, indent=1, default=str)
    )
    import os
    import platform

    lines = [
        "# Declared against alleged (issue 20): `python -m benchmarks strikes`",
        "",
        f"Machine: {platform.machine()}, nproc = {os.cpu_count()}, Python "
        f"{platform.python_version()}; run at {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. "
        "Settings: the defaults of `civcas strikes match` (the strikes of a release are "
        "those of the day before it; `--days 1`, `--km 60` plus the incident's precision "
        "radius), fixed before this evaluation and not tuned on it; the other rows of the "
        "grids are for comparison only. The matcher never reads the release URL Airwars "
        "attached. Hand-checked examples: docs/strikes.md.",
        "",
        "## parsing",
        "",
    ]
    lines.append(
        f"- {p['rows']} rows, {p['duplicates_skipped']} exact duplicates skipped, {p['reports']} reports"
    )
    lines.append(
        f"- strike count read from the text = the file's `number`: {p['number_agree']} / {p['reports']}"
    )
    lines.append(
        f"- Syria lines located: {p['syria_located']} / {p['syria_lines']}; not located: {p['unlocated']}"
    )
    lines += [
        "",
        "## Airwars Syria, US-led Coalition incidents Dec 2014 - Oct 2016",
        "",
        "Each cell: incidents suggested `declared` / incidents, by Airwars' own strike status.",
        "",
    ]
    statuses = ["declared", "likely", "contested", "single_source", "blank"]
    lines.append("| days | km | " + " | ".join(f"{s}: suggested declared" for s in statuses) + " |")
    lines.append("|---|---|" + "---|" * len(statuses))
    for row in a["grid"]:  # type: ignore[union-attr]
        cells = []
        for s in statuses:
            c = row["by_status"].get(s, {})
            cells.append(f"{c.get('declared', 0)}/{sum(c.values())}")
        lines.append(f"| {row['days']} | {row['km']} | " + " | ".join(cells) + " |")
    lines += ["", "Declared-strike incidents at the defaults:", ""]
    for code, d in a["declared_at_defaults"].items():  # type: ignore[union-attr]
        m = d["matches"][0] if d["matches"] else {}
        lines.append(
            f"- {code} {d['date']} {d['place']}: {d['suggested_status']}; nearest {m.get('place')} {m.get('km')} km, offset {m.get('day_offset')}; release for that day: {d['release_for_that_day']}"
        )
    rule = a["day_rule_check"]  # type: ignore[union-attr]
    lines += [
        "",
        "Day rule, checked on the releases Airwars consulted (the URL's release date minus "
        "the incident's date, in days; read by this benchmark only, never by the matcher): "
        + ", ".join(f"{k}: {v}" for k, v in rule.items()),
    ]
    lines += [
        "",
        f"## IBC air-strike incidents in Iraq (--any-party): {i['incidents']}, placed {i['placed']}",
        "",
    ]
    lines.append("| days | km | declared | none declared | cannot tell |")
    lines.append("|---|---|---|---|---|")
    for row in i["grid"]:  # type: ignore[union-attr]
        lines.append(
            f"| {row['days']} | {row['km']} | {row['declared']} | {row['none_declared']} | {row['cannot_tell']} |"
        )
    (OUT / "strikes.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
