"""Import and tally: the IBC file and a 1,000,000-incident synthetic CSV, vs bare pandas.

    python -m benchmarks store [--rows N] [--skip-big] [--skip-reimport-big]

Every measurement runs in its own subprocess, so each peak memory (ru_maxrss) is that
measurement's alone. The synthetic file has IBC's columns (so it goes through the same
reader) and is generated once into benchmarks/_work/ (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"
RESULTS = ROOT / "benchmarks" / "results" / "store.md"
IBC = ROOT.parent / "shared" / "data" / "ipsed" / "derived" / "ibc-incidents.csv"
HEADER = (
    "ibc_code,start_date,end_date,time,location,target,weapons,reported_minimum,"
    "reported_maximum,sources,date_start,date_end,days_since_start\n"
)


def synthetic(rows: int) -> Path:
    """IBC-shaped rows with realistic spread: dates 2003–2017, skewed counts, one source."""
    path = WORK / f"synthetic_{rows}.csv"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2017)
    import datetime as dt

    base = dt.date(2003, 1, 1)
    places = ["Baghdad", "Mosul", "Raqqa", "Fallujah", "Ramadi", "Kirkuk", "Tikrit", "Basra"]
    weapons = ["air strike", "gunfire", "roadside bomb", "car bomb", "mortar", "executed"]
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for i in range(rows):
            d = base + dt.timedelta(days=rng.randrange(5170))
            lo = int(rng.paretovariate(1.6))
            hi = lo + (rng.randrange(4) if rng.random() < 0.3 else 0)
            iso = d.isoformat()
            fh.write(
                f"s{i},{d:%d %b %Y},{d:%d %b %Y},,{rng.choice(places)} district {i % 97},"
                f"market,{rng.choice(weapons)},{lo},{hi},Agency {i % 13} {d:%d %b},{iso},{iso},"
                f"{(d - base).days}\n"
            )
    tmp.rename(path)
    return path


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(what: str, db: str, csv_path: str) -> dict[str, float]:
    """One measurement, in this (fresh) process."""
    t0, c0 = time.perf_counter(), _cpu()
    if what == "import":
        from civcas.io.importers import import_file
        from civcas.store.engine import Store

        store = Store(db)
        t0, c0 = time.perf_counter(), _cpu()  # schema creation is not the import
        k0 = _cpu(resource.RUSAGE_CHILDREN)
        res = import_file(store, "ibc", Path(csv_path))
        extra = {
            "inserted": res.inserted,
            "unchanged": res.unchanged,
            # the reader process of big imports (civcas/io/worker.py)
            "worker_cpu_seconds": _cpu(resource.RUSAGE_CHILDREN) - k0,
        }
    elif what == "tally":
        from civcas.model.filters import IncidentFilter
        from civcas.store.engine import Store
        from civcas.store.queries import grouped_sums
        from civcas.tally import tally

        store = Store(db)
        t0, c0 = time.perf_counter(), _cpu()
        t = tally(store)
        total, cpu = time.perf_counter() - t0, _cpu() - c0
        again = []
        for _ in range(2):
            t1 = time.perf_counter()
            tally(store)
            again.append(time.perf_counter() - t1)
        t2 = time.perf_counter()
        grouped_sums(store, IncidentFilter())
        sums = time.perf_counter() - t2
        return {
            "seconds": total,
            "cpu_seconds": cpu,
            "repeat_best_seconds": min(again),
            "grouped_sums_seconds": sums,
            "peak_mb": _peak_mb(),
            "incidents": t.totals["incidents"],
            "killed_min": t.totals["killed_min"],
            "snapshot": t.snapshot,
        }
    elif what == "pandas":
        import pandas as pd

        df = pd.read_csv(csv_path, usecols=["date_start", "reported_minimum", "reported_maximum"])
        g = df.groupby(df["date_start"].str.slice(0, 7))[
            ["reported_minimum", "reported_maximum"]
        ].sum()
        extra = {"incidents": len(df), "groups": len(g)}
    else:
        raise SystemExit(f"unknown measurement {what}")
    return {
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": _cpu() - c0,
        "peak_mb": _peak_mb(),
        **extra,
    }


def run(what: str, db: Path, csv_path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_store", "--measure", what, str(db), str(csv_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def bench(name: str, csv_path: Path, reimport: bool = True) -> dict[str, dict[str, float]]:
    db = WORK / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    r = {"pandas": run("pandas", db, csv_path), "import": run("import", db, csv_path)}
    if reimport:
        r["reimport"] = run("import", db, csv_path)
    r["tally"] = run("tally", db, csv_path)
    for suffix in ("", "-wal", "-shm"):  # ~1 GB for a million incidents
        Path(str(db) + suffix).unlink(missing_ok=True)
    print(name, json.dumps(r), flush=True)
    return r


def report(results: dict[str, dict[str, dict[str, float]]], load_start: tuple[float, ...]) -> str:
    nproc = os.cpu_count()
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()
    lines = [
        "# Store benchmark: import and tally (SQLite)",
        "",
        f"Machine: {nproc} cores, Python {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version}; load average (1/5/15 min) at the start "
        f"{load_start[0]:.1f}/{load_start[1]:.1f}/{load_start[2]:.1f}, at the end "
        f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}. Other engineers' tests and benchmarks "
        "shared the two cores during the run, so wall-clock times are upper bounds; CPU "
        "seconds are disturbed far less.",
        "",
        "```",
        free,
        "```",
        "",
        "Each figure comes from its own subprocess (peak memory = that process's ru_maxrss; "
        "CPU s = user + system time of that process; for the import, + that of its reader "
        "process, which big files get: see docs/io.md). "
        "`pandas` = `read_csv` of the three needed columns + a group-by month with two sums, "
        "the bare minimum any tool must do; civcas' import also validates every cell, keeps "
        "the raw row as canonical JSON with its SHA-256, writes incidents, raw records and "
        "sources with their indexes, and commits one transaction (all-or-nothing). The tally "
        "is `civcas.tally.tally(store)` on the whole record: every figure of "
        "`civcas tally --json`, snapshot hash included, in a fresh process.",
        "",
        "| data | rows | pandas load+group-by | import | re-import (no-op) | tally | "
        "import / pandas | tally / pandas | CPU s pandas / import (+reader) / tally | "
        "peak MB pandas / import / tally |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        p, i, t = r["pandas"], r["import"], r["tally"]
        ri = f"{r['reimport']['seconds']:.1f} s" if "reimport" in r else "not run"
        lines.append(
            f"| {name} | {int(p['incidents']):,} | {p['seconds']:.2f} s | {i['seconds']:.1f} s | "
            f"{ri} | {t['seconds']:.2f} s | {i['seconds'] / p['seconds']:.1f}× | "
            f"{t['seconds'] / p['seconds']:.2f}× | {p['cpu_seconds']:.2f} / "
            f"{i['cpu_seconds']:.1f} (+{i.get('worker_cpu_seconds', 0):.1f}) / "
            f"{t['cpu_seconds']:.2f} | {p['peak_mb']:.0f} / {i['peak_mb']:.0f} / "
            f"{t['peak_mb']:.0f} |"
        )
    lines += ["", "Tally detail (the same process, after the first tally):", ""]
    for name, r in results.items():
        t = r["tally"]
        lines.append(
            f"- {name}: the grouped-sums query alone (it also yields the snapshot sums) "
            f"{t['grouped_sums_seconds']:.2f} s; best of two more full tallies "
            f"{t['repeat_best_seconds']:.2f} s"
        )
    lines += [
        "",
        "Targets: 1,000,000 incidents imported in under 60 s and tallied in under 1 s.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks store")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--skip-big", action="store_true", help="Only the IBC file.")
    ap.add_argument(
        "--skip-reimport-big",
        action="store_true",
        help="Do not time the no-op re-import of the synthetic file.",
    )
    ap.add_argument("--measure", nargs=3, metavar=("WHAT", "DB", "CSV"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.measure:
        print(json.dumps(measure(*a.measure)))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    results: dict[str, dict[str, dict[str, float]]] = {}
    if IBC.exists():
        results["IBC (real)"] = bench("ibc", IBC)
    if not a.skip_big:
        results[f"synthetic {a.rows:,}"] = bench(
            f"synthetic_{a.rows}", synthetic(a.rows), reimport=not a.skip_reimport_big
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report(results, load_start), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
