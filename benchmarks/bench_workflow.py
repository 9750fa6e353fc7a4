"""Workflow costs on SQLite: recorded edits, audit verification, KoBo import, backup and
restore of a 20,000-incident database.

    python -m benchmarks workflow [--incidents N] [--edits N]

Writes benchmarks/results/workflow.md.
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
RESULTS = ROOT / "benchmarks" / "results" / "workflow.md"


def _seed(store, n: int) -> None:  # type: ignore[no-untyped-def]
    from civcas.model import CountRange, Grade, Incident, Place, Source, Victim
    from civcas.store import IncidentWriter

    with store.begin() as conn:
        w = IncidentWriter(conn, "bench", None)
        for i in range(n):
            w.add(
                Incident(
                    source_kind="bench",
                    source_id=str(i),
                    code=f"B{i}",
                    date_start=dt.date(2017, 1 + i % 12, 1 + i % 28),
                    place=Place(name_en=f"P{i % 300}", governorate_en="Raqqa"),
                    grade=list(Grade)[i % 5],
                    killed=CountRange(i % 7, i % 7 + 3),
                    sources=[Source(url=f"https://e.org/{i}")],
                    victims=[Victim(name=f"V{i}")],
                    raw={"i": i},
                )
            )
        w.flush()


def _shell(cmd: str) -> str:
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="benchmarks workflow")
    ap.add_argument("--incidents", type=int, default=20000)
    ap.add_argument("--edits", type=int, default=2000)
    args = ap.parse_args(argv)
    from openpyxl import Workbook

    from civcas.store import Store
    from civcas.tally import tally
    from civcas.workflow import audit, backup, editing, interviews
    from civcas.workflow.roles import Actor

    tmp = Path(tempfile.mkdtemp(prefix="civcas-bench-wf-"))
    os.environ["CIVCAS_EVIDENCE_DIR"] = str(tmp / "ev")
    rows: list[tuple[str, str]] = []
    try:
        store = Store(f"sqlite:///{tmp / 'b.db'}")
        _seed(store, args.incidents)
        who = Actor("bench", "admin")
        t = time.perf_counter()
        for i in range(args.edits):
            editing.edit(
                store,
                who,
                f"B{i % args.incidents}",
                {"summary": f"e{i}"},
                expected_version=None,
                reason="bench",
            )
        dt_edit = time.perf_counter() - t
        rows.append(
            (
                f"{args.edits} recorded edits (one transaction + revision each)",
                f"{dt_edit:.1f} s ({args.edits / dt_edit:.0f} edits/s)",
            )
        )
        wb = Workbook()
        ws = wb.active
        ws.append(["_uuid", "today", "witness_name", "incident_codes"])
        for i in range(5000):
            ws.append([f"u{i}", "2017-08-01", f"W{i}", f"B{i}"])
        wb.save(tmp / "k.xlsx")
        t = time.perf_counter()
        interviews.import_xlsx(store, who, tmp / "k.xlsx")
        dt_imp = time.perf_counter() - t
        rows.append(("KoBo XLSX import, 5,000 interviews", f"{dt_imp:.1f} s"))
        t = time.perf_counter()
        rep = audit.verify(store)
        dt_ver = time.perf_counter() - t
        assert rep.ok
        rows.append(
            (
                f"audit verify, {rep.revisions} revisions",
                f"{dt_ver:.2f} s ({rep.revisions / dt_ver:,.0f} revisions/s)",
            )
        )
        t = time.perf_counter()
        backup.backup(store, tmp / "b.tar")
        dt_b = time.perf_counter() - t
        size = (tmp / "b.tar").stat().st_size / 1e6
        rows.append((f"backup, {args.incidents:,} incidents", f"{dt_b:.1f} s ({size:.0f} MB)"))
        dst = Store(f"sqlite:///{tmp / 'r.db'}")
        t = time.perf_counter()
        backup.restore(dst, tmp / "b.tar")
        dt_r = time.perf_counter() - t
        assert tally(dst).to_json() == tally(store).to_json()
        rows.append(("restore into a fresh SQLite file (verified tallies)", f"{dt_r:.1f} s"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lines = [
        "# Workflow benchmark",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()},"
        " SQLite in a temporary directory. Other work shared the CPU while this ran.",
        "",
        f"Machine: `nproc` = {_shell('nproc')}; `free -g`:",
        "",
        "```",
        _shell("free -g"),
        "```",
        "",
        "| measurement | result |",
        "|---|---|",
        *[f"| {a} | {b} |" for a, b in rows],
        "",
        "Edits are serialised (one writer at a time) so the audit chain never forks; each edit",
        "is its own transaction with its revision (SQLite synchronous=NORMAL, WAL).",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
