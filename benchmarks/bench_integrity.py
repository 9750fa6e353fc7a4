"""Integrity costs on SQLite (issue 16): `civcas audit verify` of the Syria archive plus
100,000 synthetic incidents (each with a victim, a source and an assessment), the state
hashes alone, the baseline that takes a record into the chain, a signed checkpoint.

    python -m benchmarks integrity [--incidents N] [--runs N]

Writes benchmarks/results/integrity.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "integrity.md"
ARCHIVE = ROOT.parent / "shared" / "data" / "syrian-archive-airwars"


def _seed(store, n: int) -> None:  # type: ignore[no-untyped-def]
    from civcas.model import (
        Assessment,
        BelligerentAssessment,
        CountRange,
        Grade,
        Incident,
        Place,
        Source,
        Victim,
    )
    from civcas.store import IncidentWriter

    with store.begin() as conn:
        w = IncidentWriter(conn, "synthetic", None, bulk=True)
        for i in range(n):
            w.add(
                Incident(
                    source_kind="synthetic",
                    source_id=str(i),
                    code=f"S{i}",
                    date_start=dt.date(2015 + i % 5, 1 + i % 12, 1 + i % 28),
                    place=Place(
                        name_en=f"P{i % 300}",
                        governorate_en="Raqqa",
                        latitude=35 + (i % 100) / 100,
                        longitude=39.0,
                    ),
                    grade=list(Grade)[i % 5],
                    killed=CountRange(i % 7, i % 7 + 3),
                    belligerents=[
                        BelligerentAssessment("US-led Coalition", assessment=Assessment.NONE)
                    ],
                    sources=[Source(url=f"https://e.org/{i}")],
                    victims=[Victim(name=f"V{i}")],
                    summary=f"synthetic incident {i}",
                    raw={"i": i},
                )
            )
        w.flush()


LOAD_BEFORE: list[str] = []


def _shell(cmd: str) -> str:
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="benchmarks integrity")
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    LOAD_BEFORE[:] = [_shell("cat /proc/loadavg")]

    from civcas.store import Store, history
    from civcas.workflow import audit
    from civcas.workflow.roles import Actor

    tmp = Path(tempfile.mkdtemp(prefix="civcas-bench-integrity-"))
    os.environ["CIVCAS_EVIDENCE_DIR"] = str(tmp / "ev")
    os.environ["CIVCAS_KEY"] = str(tmp / "installation.key")
    rows: list[tuple[str, str]] = []
    try:
        db = tmp / "b.db"
        store = Store(f"sqlite:///{db}")
        t = time.perf_counter()
        res = subprocess.run(
            [
                sys.executable,
                "-m",
                "civcas.cli.main",
                "--db",
                str(db),
                "import",
                "airwars-archive",
                str(ARCHIVE),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if res.returncode != 0:
            raise SystemExit(f"import failed: {res.stderr[-2000:]}")
        rows.append(
            (
                "import the Syria archive (civcas import airwars-archive)",
                f"{time.perf_counter() - t:.2f} s",
            )
        )
        t = time.perf_counter()
        _seed(store, args.incidents)
        rows.append(
            (
                f"write {args.incidents:,} synthetic incidents (bulk writer)",
                f"{time.perf_counter() - t:.2f} s",
            )
        )
        admin = Actor("bench", "admin")
        t = time.perf_counter()
        n = audit.baseline(store, admin, "benchmark records")
        rows.append(
            (
                f"baseline: hash and keep the state of {n:,} records, one revision",
                f"{time.perf_counter() - t:.2f} s",
            )
        )
        with store.connect() as conn:
            t = time.perf_counter()
            hs = history.state_hashes(conn)
            rows.append(
                (
                    f"state_hashes of all {len(hs):,} incidents (set-based)",
                    f"{time.perf_counter() - t:.2f} s",
                )
            )
        times, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            rep = audit.verify(store)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert rep.ok, rep.problems[:5]
        rows.append(
            (
                f"audit verify, {rep.records:,} records, {rep.revisions} revisions "
                f"(best / worst of {args.runs})",
                f"{min(times):.2f} / {max(times):.2f} s",
            )
        )
        rows.append(
            (
                "the same, CPU time of the process (what the machine's load does not inflate)",
                f"{min(cpu):.2f} / {max(cpu):.2f} s",
            )
        )
        t = time.perf_counter()
        res = subprocess.run(
            [sys.executable, "-m", "civcas.cli.main", "--db", str(db), "audit", "verify"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert res.returncode == 0, res.stderr
        rows.append(
            (
                "civcas audit verify (the command: start-up included)",
                f"{time.perf_counter() - t:.2f} s",
            )
        )
        t = time.perf_counter()
        audit.make_checkpoint(store)
        rows.append(
            (
                "civcas audit checkpoint (sign seq, head, snapshot hash)",
                f"{time.perf_counter() - t:.2f} s",
            )
        )
        size = db.stat().st_size
        with store.connect() as conn:
            from sqlalchemy import text

            kept = conn.execute(
                text("SELECT count(*), coalesce(sum(length(state)), 0) FROM history_state")
            ).one()
        rows.append(
            (
                "kept state documents (history_state)",
                f"{kept[0]:,} rows, {kept[1] / 1e6:.0f} MB of {size / 1e6:.0f} MB",
            )
        )
        store.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load = _shell("cat /proc/loadavg")
    load_before = LOAD_BEFORE[0] if LOAD_BEFORE else "?"
    lines = [
        "# Integrity (issue 16): audit verify",
        "",
        f"Machine: {platform.machine()}, nproc = {os.cpu_count()}, Python"
        f" {platform.python_version()}, SQLite; load average before: {load_before},"
        f" at the end: {load}"
        " (other helpers' work shared the 2 CPUs: times are upper bounds).",
        f"Run at {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "| operation | time |",
        "|---|---:|",
        *[f"| {a} | {b} |" for a, b in rows],
        "",
        "Target (issue 16): a clean record verifies in under 5 s for the Syria archive plus"
        " 100,000 synthetic incidents.",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
