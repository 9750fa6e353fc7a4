"""The work queue over the whole Syria archive (8,114 incidents), SQLite and PostgreSQL.

    python -m benchmarks queue [--repeat N] [--no-pg]

Imports ../shared/data/syrian-archive-airwars into a fresh database of each engine, then
times the queue's search (count + one page, ``civcas.workflow.queue.search``) for the
filters a team uses, and the whole /work page (500 rows) through the app. Medians of
``--repeat`` runs. PostgreSQL: CIVCAS_BENCH_PG_URL, else a throwaway local cluster.
Writes benchmarks/results/queue.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.pg_cluster import postgres

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "syrian-archive-airwars"
RESULTS = ROOT / "benchmarks" / "results" / "queue.md"


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def _engine(url: str, repeat: int) -> tuple[float, int, list[tuple[str, float, int]]]:
    from click.testing import CliRunner
    from fastapi.testclient import TestClient

    from civcas.cli.main import cli
    from civcas.store import Store
    from civcas.web import create_app
    from civcas.workflow import Actor, accounts, editing
    from civcas.workflow import queue as wq

    t = time.perf_counter()
    r = CliRunner().invoke(cli, ["--db", url, "import", "airwars-archive", str(ARCHIVE)])
    if r.exit_code != 0:
        raise RuntimeError(r.output)
    imported = time.perf_counter() - t
    store = Store(url)
    admin = Actor("bench", "admin")
    u = accounts.add_user(store, admin, "rita", "researcher", "Euphrates-ledger-1917")
    rita = Actor("rita", "researcher", u["id"])
    for i, code in enumerate(("CS905", "CS100", "CS1379a", "RS2053")):
        wq.assign(store, admin, code, "rita")
        if i % 2:
            editing.grade(store, rita, code, "Fair", "bench")
    cases = [
        ("first page, all (50 rows)", wq.QueueQuery()),
        ("last page, all (offset 8,100)", wq.QueueQuery(offset=8100)),
        ("500 rows by code", wq.QueueQuery(sort="code", limit=500)),
        ('code "CS905"', wq.QueueQuery(q="CS905")),
        ('place "Raqqa"', wq.QueueQuery(q="Raqqa")),
        ('place "الرقة"', wq.QueueQuery(q="الرقة")),
        ('"Raqqa 2017-06"', wq.QueueQuery(q="Raqqa 2017-06")),
        ("needs review", wq.QueueQuery(status="review")),
        ("in conflict", wq.QueueQuery(status="conflict")),
        ("mine", wq.QueueQuery(mine=rita.user_id)),
        ("assigned to rita", wq.QueueQuery(assigned="rita")),
        ("date range 2016", wq.QueueQuery(date_from=dt.date(2016, 1, 1), date_to=dt.date(2016, 12, 31))),
    ]  # fmt: skip
    rows = []
    for label, f in cases:
        total = wq.search(store, rita, f)["total"]
        rows.append((label, _median_ms(lambda f=f: wq.search(store, rita, f), repeat), total))
    client = TestClient(create_app(store, cache_ttl=0))
    login = client.post(
        "/api/workflow/login", json={"name": "rita", "password": "Euphrates-ledger-1917"}
    )
    login.raise_for_status()

    def page() -> None:
        client.get("/work?limit=500&sort=code&offset=4000").raise_for_status()

    rows.append(
        ("/work page, 500 rows (HTTP, rendered)", _median_ms(page, max(3, repeat // 4)), 500)
    )
    store.dispose()
    return imported, 8114, rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="benchmarks queue")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--no-pg", action="store_true")
    args = ap.parse_args(argv)
    if not ARCHIVE.is_dir():
        raise SystemExit(f"{ARCHIVE} is absent")
    tmp = Path(tempfile.mkdtemp(prefix="civcas-bench-queue-"))
    results: dict[str, Any] = {}
    try:
        results["SQLite"] = _engine(f"sqlite:///{tmp / 'q.db'}", args.repeat)
        if not args.no_pg:
            with postgres() as url:
                results["PostgreSQL"] = _engine(url, args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    engines = list(results)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Work queue benchmark",
        "",
        f"Run {when}, Python {platform.python_version()}, `nproc` = {os.cpu_count()}, "
        f"load {load:.1f} at the start of the write-up (other work shared the CPU).",
        "",
        "The whole Syria archive (8,114 incidents) imported into a fresh database of each "
        "engine; each figure is the median of "
        f"{args.repeat} runs of `civcas.workflow.queue.search` (one count and one page, as a "
        "researcher), the last row the whole `/work` page with 500 rows through the app.",
        "",
        "| query | " + " | ".join(f"{e} (ms)" for e in engines) + " | matches |",
        "|---|" + "---|" * len(engines) + "---|",
    ]
    labels = [r[0] for r in results[engines[0]][2]]
    for i, label in enumerate(labels):
        figs = " | ".join(f"{results[e][2][i][1]:.1f}" for e in engines)
        lines.append(f"| {label} | {figs} | {results[engines[0]][2][i][2]:,} |")
    lines += [
        "",
        "Import of the archive: "
        + ", ".join(f"{e} {results[e][0]:.1f} s" for e in engines)
        + ". Searches are substring scans over one table (no search index is needed at "
        "this size); paging is OFFSET/LIMIT over the same WHERE clause as the count.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
