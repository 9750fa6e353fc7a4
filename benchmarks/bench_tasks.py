"""Volunteer micro-tasks (issue 21): consensus accuracy and the server under load.

    flock /tmp/civcas-bench.lock .venv/bin/python -m benchmarks tasks \
        [--part=accuracy,load] [--items=300] [--duration=75] [--volunteers=200]

(1) Accuracy. Simulated volunteers with known confusion matrices answer real items
    through the real server (uvicorn, one worker, SQLite; ``POST /api/tasks/next`` and
    ``/answer`` with their API tokens):
    - ``report``: FA-KES articles (../shared/data/fa-kes, dev file), truth = the
      annotation (civilians killed > 0);
    - ``same-person``: pairs from the Airwars Gaza list and the ministry's 2024-08
      release: an Airwars record and the ministry record of its ``moh_id`` (same person)
      or a ministry record with the same first name and another id (not the same);
      truth by ids, never shown.
    30 volunteers: 8 experts (95% right), 12 careless (70-80% right, leaning to "yes"),
    and a third spammers: 5 answering at random and 5 adversaries answering the
    opposite 90% of the time. Every item is answered 5 times; 10% are gold items (their
    answer known to the consensus). Per redundancy 1 / 3 / 5 (the first R answers each
    item got), on the non-gold items: accuracy of one answer, of majority vote (ties
    count half), of Dawid–Skene and of one-coin.
(2) Load. PostgreSQL (a throwaway cluster), uvicorn with 2 workers, 200 volunteers
    each taking and answering one item every 5 s on average (exponential pauses): p50 /
    p95 of ``next`` and ``answer``; halfway, one worker is killed (SIGKILL) and the
    volunteers retry what failed. Checked afterwards: no (item, volunteer) pair given
    twice; every answer the server acknowledged is stored, with its value.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.pg_cluster import free_port, postgres

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FAKES = DATA / "fa-kes" / "input" / "fakes-dev.csv"
AIRWARS = DATA / "airwars-gaza-data" / "data" / "victims.csv"
MOH = DATA / "gaza-moh" / "moh_20240808.csv"
RESULTS = ROOT / "benchmarks" / "results" / "tasks.md"
PASSWORD_HASH_OF = "Euphrates-ledger-1917"

# confusion as P(answer "yes" | truth): (if truth yes, if truth no)
KINDS_OF_VOLUNTEER: list[tuple[str, int, tuple[float, float]]] = [
    ("expert", 8, (0.95, 0.05)),
    ("careless", 12, (0.80, 0.30)),
    ("random spammer", 5, (0.5, 0.5)),
    ("adversary", 5, (0.10, 0.90)),
]


def stamp() -> str:
    """When a part ran and how busy the machine was (its figures depend on it)."""
    return f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}"


# ---- items -----------------------------------------------------------------------------


def fakes_items(n: int, rng: random.Random) -> list[tuple[str, dict[str, Any], str]]:
    import pandas as pd

    f = pd.read_csv(FAKES, encoding="latin-1").drop_duplicates("unit_id")
    rows = f.to_dict("records")
    rng.shuffle(rows)
    out = []
    for r in rows[:n]:
        text = str(r["article_content"])[:3000]
        fields = {"title": str(r["article_title"])[:300], "text": text, "source": str(r["source"])}
        out.append((f"fakes-{r['unit_id']}", fields, "yes" if r["nb_civilians"] > 0 else "no"))
    return out


def gaza_pairs(n: int, rng: random.Random) -> list[tuple[str, dict[str, Any], str]]:
    import pandas as pd

    a = pd.read_csv(AIRWARS, dtype=str, keep_default_na=False)
    m = pd.read_csv(MOH, dtype=str, keep_default_na=False)
    m_by_id = {r["id"]: r for r in m.to_dict("records")}
    by_first: dict[str, list[dict[str, Any]]] = {}
    for r in m.to_dict("records"):
        by_first.setdefault(r["en_name"].split(" ")[0].lower(), []).append(r)
    rows = [r for r in a.to_dict("records") if r["moh_id"] in m_by_id]
    rng.shuffle(rows)

    def side_a(r: dict[str, Any]) -> dict[str, Any]:
        return {"name": r["name_en"], "name_ar": r["name_ar"], "sex": r["gender"],
                "age": r["age_years"], "date_of_death": r["incident_date"]}  # fmt: skip

    def side_b(r: dict[str, Any]) -> dict[str, Any]:
        return {"name": r["en_name"], "name_ar": r["name"], "sex": r["sex"], "age": r["age"]}

    out = []
    for i, r in enumerate(rows):
        if len(out) >= n:
            break
        if i % 2 == 0:
            b, truth = m_by_id[r["moh_id"]], "yes"
        else:
            cands = [x for x in by_first.get(r["name_en"].split(" ")[0].lower(), [])
                     if x["id"] != r["moh_id"]]  # fmt: skip
            if not cands:
                continue
            b, truth = rng.choice(cands), "no"
        out.append((f"pair-{i}", {"a": side_a(r), "b": side_b(b)}, truth))
    return out


# ---- servers ---------------------------------------------------------------------------


@contextmanager
def uvicorn(db_url: str, workers: int = 1) -> Any:
    port = free_port()
    env = {**os.environ, "CIVCAS_DB": db_url, "CIVCAS_CACHE_TTL": "0", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "civcas.web.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "error"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    import httpx

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(base + "/api/summary", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.3)
        yield base, proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def make_volunteers(store: Any, names: list[str]) -> dict[str, str]:
    """Volunteer accounts and their API tokens (one Argon2 hash for all: speed)."""
    from civcas.store.workflow import wf_user
    from civcas.workflow import accounts
    from civcas.workflow.roles import Actor

    digest = accounts._hasher().hash(PASSWORD_HASH_OF)
    with store.begin() as conn:
        conn.execute(
            wf_user.insert(),
            [
                {
                    "name": n,
                    "role": "volunteer",
                    "password_hash": digest,
                    "disabled": False,
                    "created_at": "2026-01-01T00:00:00Z",
                }
                for n in names
            ],  # fmt: skip
        )
    admin = Actor("bench", "admin")
    return {n: accounts.create_token(store, admin, n) for n in names}


# ---- (1) accuracy ----------------------------------------------------------------------


def simulate_answers(base: str, tokens: dict[str, str], conf: dict[str, tuple[float, float]],
                     truth: dict[str, str], campaign: str, seed: int) -> int:  # fmt: skip
    """Volunteers take turns (random order each round) until none gets an item."""
    import httpx

    rng = random.Random(seed)
    left = list(tokens)
    n = 0
    with httpx.Client(base_url=base, timeout=30) as c:
        while left:
            rng.shuffle(left)
            for name in list(left):
                h = {"Authorization": f"Bearer {tokens[name]}"}
                r = c.post("/api/tasks/next", headers=h, json={"campaign": campaign})
                if r.status_code == 204:
                    left.remove(name)
                    continue
                r.raise_for_status()
                t = r.json()
                p_yes = conf[name][0] if truth[t["item_id"]] == "yes" else conf[name][1]
                ans = "yes" if rng.random() < p_yes else "no"
                c.post(f"/api/tasks/{t['task_id']}/answer", headers=h,
                       json={"answer": ans}).raise_for_status()  # fmt: skip
                n += 1
    return n


def score(rows: list[dict[str, Any]], truth: dict[str, str], gold: set[str], kind: str,
          r: int) -> dict[str, float]:  # fmt: skip
    from civcas.tasks.combine import combine

    first: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda x: x["id"]):
        first.setdefault(row["item_key"], [])
        if len(first[row["item_key"]]) < r:
            first[row["item_key"]].append(row)
    sub = [x for v in first.values() for x in v]
    out: dict[str, float] = {}
    scored = [i for i in first if i not in gold]
    singles = [json.loads(x["answer"])["label"] == truth[x["item_key"]]
               for x in sub if x["item_key"] not in gold]  # fmt: skip
    out["one answer"] = float(np.mean(singles))
    mv, _ = combine(sub, kind, "mv")
    mv_right = []
    for c in mv:
        if c.item_id in gold:
            continue
        votes = c.detail["votes"]
        top = max(votes.values())
        winners = [k for k, v in votes.items() if v == top]
        mv_right.append((truth[c.item_id] in winners) / len(winners))
    out["majority vote"] = float(np.mean(mv_right))
    for method, label in (("ds", "Dawid-Skene"), ("one-coin", "one-coin")):
        res, _ = combine(sub, kind, method)
        out[label] = float(
            np.mean([c.answer == truth[c.item_id] for c in res if c.item_id not in gold])
        )
    out["items"] = len(scored)
    return out


def run_accuracy(args: argparse.Namespace, lines: list[str]) -> None:
    from civcas.store import Store
    from civcas.tasks import service
    from civcas.tasks.kinds import parse_gold
    from civcas.tasks.service import ItemIn
    from civcas.workflow.roles import Actor

    if not (FAKES.exists() and AIRWARS.exists() and MOH.exists()):
        lines.append("\n(1) skipped: ../shared/data is absent\n")
        return
    began = stamp()
    rng = random.Random(21)
    tmp = Path(tempfile.mkdtemp(prefix="civcas-bench-tasks-"))
    db = f"sqlite:///{tmp / 'acc.db'}"
    store = Store(db)
    admin = Actor("bench", "admin")
    names, conf = [], {}
    for kind_name, count, c in KINDS_OF_VOLUNTEER:
        for i in range(count):
            nm = f"{kind_name.split()[0]}{i}"
            names.append(nm)
            conf[nm] = c
    tokens = make_volunteers(store, names)
    sets = {"report": fakes_items(args.items, rng), "same-person": gaza_pairs(args.items, rng)}
    truth: dict[str, dict[str, str]] = {}
    gold: dict[str, set[str]] = {}
    for kind, its in sets.items():
        service.ensure_campaign(store, admin, kind, kind, k=5, k_max=5, agreement_share=1.0)
        gold[kind] = {key for j, (key, _, _) in enumerate(its) if j % 10 == 0}
        service.add_items(
            store, admin, kind,
            [ItemIn(key, f, parse_gold(kind, t, f) if key in gold[kind] else None)
             for key, f, t in its],
        )  # fmt: skip
        truth[kind] = {key: t for key, _, t in its}
    t0 = time.perf_counter()
    n = 0
    with uvicorn(db) as (base, _):
        for j, kind in enumerate(sets):
            n += simulate_answers(base, tokens, conf, truth[kind], kind, 100 + j)
    wall = time.perf_counter() - t0
    lines.append(
        f"\n## (1) Consensus accuracy\n\nRun {began}. {n:,} answers through the server (uvicorn, 1 worker, "
        f"SQLite) in {wall:.0f} s. 30 volunteers: 8 experts (P(yes|yes) 0.95, P(yes|no) 0.05), "
        "12 careless (0.80, 0.30), a third spammers: 5 random (0.5, 0.5) and 5 adversaries "
        "(0.10, 0.90). Every item answered 5 times; 10% gold. Accuracy on the non-gold items "
        "(majority vote: a tie counts half).\n"
    )
    admin_rows = {k: service.answers(store, admin, k) for k in sets}
    for kind in sets:
        what = ("FA-KES articles, truth = annotated civilians killed > 0" if kind == "report"
                else "Airwars Gaza <-> ministry 2024-08 pairs, truth by ministry id")  # fmt: skip
        lines.append(f"\n### {kind}: {what}\n")
        lines.append(
            "| answers per item | items | one answer | majority vote | Dawid-Skene | one-coin |"
        )
        lines.append("|---|---|---|---|---|---|")
        for r in (1, 3, 5):
            s = score(admin_rows[kind], truth[kind], gold[kind], kind, r)
            lines.append(
                f"| {r} | {int(s['items'])} | {s['one answer']:.3f} | {s['majority vote']:.3f} |"
                f" {s['Dawid-Skene']:.3f} | {s['one-coin']:.3f} |"
            )
            print(kind, r, s, flush=True)
    shutil.rmtree(tmp, ignore_errors=True)


# ---- (2) load --------------------------------------------------------------------------


class RawClient:
    """A lean HTTP/1.1 keep-alive client over asyncio streams (POST JSON only): httpx's
    async client cost about 9 ms of CPU per request here, as much as the server."""

    def __init__(self, base: str, size: int = 48) -> None:
        u = base.split("//", 1)[1]
        self.host, port = u.split(":")
        self.port = int(port)
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.sem = asyncio.Semaphore(size)

    async def post(self, path: str, body: dict[str, Any], token: str) -> tuple[int, bytes]:
        data = json.dumps(body).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        ).encode()
        async with self.sem:
            reused = bool(self.idle)
            if self.idle:
                reader, writer = self.idle.pop()
            else:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            try:
                writer.write(head + data)
                status_line = await reader.readline()
                if not status_line and reused:
                    # the server closed this idle keep-alive connection (uvicorn: after
                    # 5 s): not a failure of the request, send it on a new connection
                    writer.close()
                    reader, writer = await asyncio.open_connection(self.host, self.port)
                    writer.write(head + data)
                    status_line = await reader.readline()
                if not status_line:
                    raise ConnectionError("closed")
                status = int(status_line.split()[1])
                length, close = 0, False
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    k, _, v = line.decode("latin-1").partition(":")
                    if k.lower() == "content-length":
                        length = int(v)
                    elif k.lower() == "connection" and "close" in v.lower():
                        close = True
                payload = await reader.readexactly(length) if length else b""
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
                writer.close()
                raise ConnectionError(str(exc)) from exc
            if close:
                writer.close()
            else:
                self.idle.append((reader, writer))
            return status, payload


async def volunteer_loop(c: RawClient, token: str, name: str, stop_at: float,
                         rec: dict[str, Any], rng: random.Random) -> None:  # fmt: skip
    async def call(path: str, body: dict[str, Any], what: str) -> tuple[int, bytes] | None:
        for _ in range(20):  # retry what failed (a killed worker's connections)
            t = time.perf_counter()
            try:
                status, payload = await c.post(path, body, token)
            except ConnectionError:
                rec["errors"][what] += 1
                await asyncio.sleep(0.2)
                continue
            if status >= 500:
                rec["errors"][what] += 1
                await asyncio.sleep(0.2)
                continue
            rec["lat"][what].append(time.perf_counter() - t)
            rec["at"][what].append(time.monotonic())
            return status, payload
        return None

    while True:
        await asyncio.sleep(rng.expovariate(1 / 5.0))
        if time.monotonic() >= stop_at:
            break
        r = await call("/api/tasks/next", {}, "next")
        if r is None or r[0] == 204:
            continue
        t = json.loads(r[1])
        rec["given"].append((name, t["item_id"], t["task_id"]))
        ans = rng.choice(["yes", "no"])
        r = await call(f"/api/tasks/{t['task_id']}/answer", {"answer": ans}, "answer")
        if r is not None and r[0] == 200:
            rec["acked"][t["task_id"]] = ans
        elif r is not None:
            rec["errors"]["answer " + str(r[0])] += 1


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    )
    pids = [int(x) for x in out.stdout.split()]
    # uvicorn's workers are the children that serve (skip a resource tracker, if any)
    return [p for p in pids if "resource_tracker" not in Path(f"/proc/{p}/cmdline").read_text()]


async def drive(base: str, tokens: dict[str, str], duration: float, master: int,
                rec: dict[str, Any]) -> None:  # fmt: skip
    stop_at = time.monotonic() + duration
    rngs = {n: random.Random(i) for i, n in enumerate(tokens)}
    c = RawClient(base, size=len(tokens))  # one connection per volunteer at most, as browsers
    if True:
        tasks = [asyncio.create_task(volunteer_loop(c, tokens[n], n, stop_at, rec, rngs[n]))
                 for n in tokens]  # fmt: skip
        await asyncio.sleep(duration / 2)
        pids = worker_pids(master) if rec.get("kill", True) else []
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            rec["killed"] = pids[0]
            rec["killed_at"] = time.monotonic()
        await asyncio.gather(*tasks)


def cpu_seconds(master: int) -> dict[str, float]:
    """CPU seconds so far of the server (master and workers alive), PostgreSQL's
    processes, and this process (the load generator); {} without psutil."""
    try:
        import psutil
    except ImportError:
        return {}

    def cpu(p: Any) -> float:
        try:
            t = p.cpu_times()
            return float(t.user + t.system)
        except psutil.Error:
            return 0.0

    out = {"server": 0.0, "postgres": 0.0, "client": cpu(psutil.Process())}
    try:
        m = psutil.Process(master)
        out["server"] = cpu(m) + sum(cpu(c) for c in m.children(recursive=True))
    except psutil.Error:
        pass
    for p in psutil.process_iter(["name"]):
        if (p.info.get("name") or "").startswith("postgres"):
            out["postgres"] += cpu(p)
    return out


def run_load(args: argparse.Namespace, lines: list[str]) -> None:
    from collections import Counter

    from sqlalchemy import select

    from civcas.store import Store
    from civcas.store import tasks as st
    from civcas.tasks import service
    from civcas.tasks.service import ItemIn
    from civcas.workflow.roles import Actor

    began = stamp()
    with postgres(max_connections=200) as url:
        store = Store(url)
        admin = Actor("bench", "admin")
        service.ensure_campaign(store, admin, "load", "same-person", k=3, k_max=3)
        service.add_items(
            store, admin, "load",
            [ItemIn(f"L{i}", {"a": {"name": f"A {i}"}, "b": {"name": f"B {i}"}})
             for i in range(args.load_items)],
        )  # fmt: skip
        tokens = make_volunteers(store, [f"lv{i}" for i in range(args.volunteers)])
        rec: dict[str, Any] = {
            "lat": {"next": [], "answer": []},
            "at": {"next": [], "answer": []},
            "errors": Counter(),
            "given": [],
            "acked": {},
            "kill": not args.no_kill,
        }
        with uvicorn(url, workers=2) as (base, proc):
            cpu0 = cpu_seconds(proc.pid)
            load0 = os.getloadavg()[0]
            t0 = time.perf_counter()
            asyncio.run(drive(base, tokens, args.duration, proc.pid, rec))
            wall = time.perf_counter() - t0
            cpu1 = cpu_seconds(proc.pid)
            load1 = os.getloadavg()[0]
            restarted = worker_pids(proc.pid)
        with store.connect() as conn:
            pairs = st.assignment_pairs(conn)
            stored = {
                int(a): json.loads(v)["label"]
                for a, v in conn.execute(
                    select(st.task_answer.c.assignment_id, st.task_answer.c.answer)
                )
            }
        store.dispose()
    lost = [t for t, a in rec["acked"].items() if stored.get(int(t)) != a]
    dup_pairs = len(pairs) - len(set(pairs))
    given = {(n, i) for n, i, _ in rec["given"]}
    tasks_per_pair = Counter((n, i) for n, i, t in set(rec["given"]))
    client_dups = sum(1 for v in tasks_per_pair.values() if v > 1)

    def pct(xs: list[float], q: float) -> float:
        return float(np.percentile(np.array(xs) * 1000, q)) if xs else float("nan")

    def before_kill(what: str) -> list[float]:
        k = rec.get("killed_at") or float("inf")
        return [x for x, t in zip(rec["lat"][what], rec["at"][what], strict=True) if t < k]

    def recovered(what: str) -> list[float]:
        k = (rec.get("killed_at") or float("inf")) + 15
        return [x for x, t in zip(rec["lat"][what], rec["at"][what], strict=True) if t >= k]

    lines.append(
        f"\n## (2) Load: {args.volunteers} volunteers on PostgreSQL, uvicorn with 2 workers\n\n"
        f"Run {began}. Each volunteer waits an exponential pause (mean 5 s), takes an item "
        f"(`POST /api/tasks/next`) and answers it; {args.load_items:,} items, k = 3. "
        f"Run {wall:.0f} s; one worker (pid {rec.get('killed')}) killed with SIGKILL halfway, "
        f"uvicorn started another ({len(restarted)} workers at the end); failed calls retried.\n"
    )
    lines.append(
        f"| call | requests | rate (/s, over {args.duration:.0f} s) | p50 ms | p95 ms | p99 ms |"
        " p95 before the kill | p95 from 15 s after it | failed tries |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for what in ("next", "answer"):
        xs = rec["lat"][what]
        lines.append(
            f"| {what} | {len(xs):,} | {len(xs) / args.duration:.1f} | {pct(xs, 50):.1f} |"
            f" {pct(xs, 95):.1f} | {pct(xs, 99):.1f} | {pct(before_kill(what), 95):.1f} |"
            f" {pct(recovered(what), 95):.1f} | {rec['errors'][what]} |"
        )
    if cpu0 and cpu1:
        used = {k: cpu1[k] - cpu0[k] for k in cpu0}
        lines.append(
            f"\nCPU over the run: server {used['server']:.0f} s (workers alive at the end;"
            f" the killed one's share is lost), PostgreSQL {used['postgres']:.0f} s (every"
            f" cluster on the machine), load generator {used['client']:.0f} s, of"
            f" {2 * wall:.0f} core-seconds; machine load average {load0:.1f} -> {load1:.1f}"
            " (other work shared the two cores).\n"
        )
    lines.append(
        f"\nAnswers acknowledged: {len(rec['acked']):,} ({len(rec['acked']) / args.duration:.1f}/s); "
        f"stored with the acknowledged value: {len(rec['acked']) - len(lost):,} "
        f"(lost: {len(lost)}). Assignments: {len(pairs):,}, (item, volunteer) pairs given "
        f"twice: {dup_pairs} in the database, {client_dups} seen by the clients "
        f"({len(given):,} distinct pairs handed out). Other errors: "
        f"{ {k: v for k, v in rec['errors'].items() if k not in ('next', 'answer')} or 'none' }.\n"
    )
    print(lines[-3:], flush=True)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks tasks")
    ap.add_argument("--part", default="accuracy,load")
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--duration", type=float, default=75)
    ap.add_argument("--volunteers", type=int, default=200)
    ap.add_argument("--load-items", type=int, default=4000)
    ap.add_argument("--no-kill", action="store_true", help="load: do not kill a worker")
    args = ap.parse_args(argv)
    parts = args.part.split(",")
    lines = [
        "# Volunteer micro-tasks (issue 21)\n",
        f"`python -m benchmarks tasks` on {platform.node()} ({os.cpu_count()} cores,"
        f" Python {platform.python_version()}); each part says when it ran and the machine's"
        " load then (other work shared the two cores).",
    ]
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    for part, marker, run in (
        ("accuracy", "\n## (1)", run_accuracy),
        ("load", "\n## (2)", run_load),
    ):
        if part in parts:
            run(args, lines)
        elif marker in old:  # keep the other part's figures from the last run
            kept = old[old.index(marker) :]
            if part == "accuracy" and "\n## (2)" in kept:
                kept = kept[: kept.index("\n## (2)")]
            lines.append(kept.rstrip("\n"))  # its "Run ..." line says when it ran
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
