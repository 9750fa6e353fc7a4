"""Publish benchmark (issue 23): the Airwars Syria archive as a static site, first build
and after one incident changes; the same with synthetic incidents added; and 200
concurrent clients on the static dashboard through Debian's nginx beside the live
`civcas serve` for the same page. Figures go to benchmarks/results/publish.md.

    .venv/bin/python -m benchmarks publish [--part=build,big,load] [--synthetic=100000]
        [--duration=20] [--clients=200]

Build times are wall clock and CPU (this process and its worker processes); on a shared
machine the CPU time is the steadier figure. The load part needs nginx (apt-get install
nginx-light) and wrk (apt-get install wrk); it is skipped, and says so, without them.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work" / "publish"
RESULTS = ROOT / "benchmarks" / "results" / "publish.md"
ARCHIVE = ROOT.parent / "shared" / "data" / "syrian-archive-airwars"
CIVCAS = Path(sys.executable).with_name("civcas")


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _import_archive(db: Path) -> None:
    subprocess.run(
        [str(CIVCAS), "--db", str(db), "import", "airwars-archive", str(ARCHIVE),
         "--skip-invalid", "--reject-file", str(WORK / "rejects.csv"), "--json"],
        check=True, capture_output=True,
    )  # fmt: skip


def _publish(db: Path, out: Path, **kw: Any) -> dict[str, Any]:
    from civcas.model.filters import IncidentFilter
    from civcas.publish import publish_static
    from civcas.store.engine import Store

    store = Store(f"sqlite:///{db}")
    t0, c0 = time.perf_counter(), _cpu()
    rep = publish_static(store, out, IncidentFilter(), **kw)
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    store.dispose()
    return {
        "wall": wall,
        "cpu": cpu,
        "rendered": rep.incidents_rendered,
        "incidents": rep.incidents,
        "files": rep.files,
        "written": rep.written,
        "downloads": rep.timings.get("downloads", 0.0),
        "timings": rep.timings,
    }


def _touch_one(db: Path) -> str:
    con = sqlite3.connect(db)
    code = con.execute("SELECT code FROM incident ORDER BY id LIMIT 1 OFFSET 4000").fetchone()[0]
    con.execute(
        "UPDATE incident SET killed_max = COALESCE(killed_max, 0) + 1, version = version + 1, "
        "row_digest = NULL WHERE code = ?",
        (code,),
    )
    con.commit()
    con.close()
    return str(code)


def _size(path: Path) -> tuple[int, int]:
    import gzip

    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 9))


def build_part(db: Path, out: Path, label: str) -> list[dict[str, Any]]:
    rows = []
    first = _publish(db, out)
    rows.append({"what": f"{label}: first build", **first})
    _touch_one(db)
    again = _publish(db, out)
    rows.append({"what": f"{label}: one incident changed", **again})
    _touch_one(db)
    nodl = _publish(db, out, downloads=False)
    rows.append({"what": f"{label}: one incident changed, --no-downloads", **nodl})
    t0 = time.perf_counter()
    from civcas.publish import verify_site

    ok = verify_site(out).ok
    rows.append({"what": f"{label}: verify-site ({'ok' if ok else 'FAILED'})",
                 "wall": time.perf_counter() - t0, "cpu": None})  # fmt: skip
    for rel in ("search/index.json", "data/tally.json", "manifest.json"):
        raw, gz = _size(out / rel)
        rows.append({"what": f"{label}: {rel} {raw / 1e6:.2f} MB ({gz / 1e6:.2f} MB gzipped)"})
    return rows


@contextmanager
def nginx(root: Path, port: int) -> Iterator[str]:
    tmp = Path(tempfile.mkdtemp(prefix="civcas-nginx-"))
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""daemon off;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }}
}}
""",
        encoding="utf-8",
    )
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)])
    try:
        _wait(f"http://127.0.0.1:{port}/index.html")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def live(db: Path, port: int) -> Iterator[str]:
    env = {**os.environ, "CIVCAS_DB": f"sqlite:///{db}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "civcas.web.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "error"],
        env=env,
    )  # fmt: skip
    try:
        _wait(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait(url: str) -> None:
    import httpx

    for _ in range(300):
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def load_part(db: Path, site: Path, duration: int, clients: int) -> list[dict[str, Any]]:
    from benchmarks.bench_web import WRK_SCRIPT, free_port, wrk

    if not shutil.which("nginx") or not shutil.which("wrk"):
        return [{"what": "load: skipped (needs nginx and wrk: apt-get install nginx-light wrk)"}]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "p95.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        with nginx(site.resolve(), free_port()) as base:
            res = wrk(base + "/index.html", duration, clients, script)
            rows.append({"what": "static dashboard /index.html, nginx (2 workers)", **res})
        with live(db, free_port()) as base:
            res = wrk(base + "/", duration, clients, script)
            rows.append({"what": "live dashboard /, civcas serve (uvicorn, 1 worker)", **res})
    return rows


def write_results(
    rows: list[dict[str, Any]], args: argparse.Namespace, load: tuple[float, ...]
) -> None:
    lines = [
        "# Publish (static site, issue 23)",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores "
        f"(shared with other work: load average {load[0]:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end); Python {platform.python_version()}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "`python -m benchmarks publish "
        f"--part={args.part} --synthetic={args.synthetic} --duration={args.duration} "
        f"--clients={args.clients}`.",
        "",
        "Builds (English and Arabic; wall clock, and CPU seconds of this process and its "
        "worker processes; 'excl. downloads' leaves out the CSV/GeoJSON/JSON exports):",
        "",
        "| what | incidents | rendered | files written | wall s | excl. downloads s | CPU s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "rps" in r or "rendered" not in r:
            continue
        lines.append(
            f"| {r['what']} | {r['incidents']:,} | {r['rendered']:,} | {r['written']:,} | "
            f"{r['wall']:.1f} | {r['wall'] - r['downloads']:.1f} | {r['cpu']:.1f} |"
        )
    other = [r for r in rows if "rps" not in r and "rendered" not in r]
    if other:
        lines += ["", *[f"- {r['what']}" + (f": {r['wall']:.1f} s" if r.get("wall") else "")
                        for r in other]]  # fmt: skip
    loads = [r for r in rows if "rps" in r]
    if loads:
        lines += [
            "",
            f"Load: {args.clients} concurrent clients for {args.duration} s each (wrk, 2 threads, "
            "on the same 2-core machine as the server):",
            "",
            "| server | req/s | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|",
        ]
        for r in loads:
            lines.append(
                f"| {r['what']} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
                f"{r['p99']:.1f} | {r['errors']} |"
            )
    if "build" not in args.part.split(",") and RESULTS.exists():
        # a later run of another part: its tables under the earlier results
        head = f"\n## Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {args.part}\n"
        old = RESULTS.read_text(encoding="utf-8").rstrip()
        RESULTS.write_text(old + "\n" + head + "\n".join(lines[2:]) + "\n", encoding="utf-8")
    else:
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="bench_publish")
    ap.add_argument("--part", default="build,big,load")
    ap.add_argument("--synthetic", type=int, default=100_000)
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--clients", type=int, default=200)
    args = ap.parse_args(argv)
    parts = set(args.part.split(","))
    load0 = os.getloadavg()
    WORK.mkdir(parents=True, exist_ok=True)
    if not ARCHIVE.is_dir():
        print("../shared/data is absent: the publish benchmark needs the Airwars archive")
        return
    rows: list[dict[str, Any]] = []
    db, site = WORK / "syria.db", WORK / "syria-site"
    if parts & {"build", "load"}:
        for p in (db, Path(str(db) + ".key"), site):
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        _import_archive(db)
    if "build" in parts or ("load" in parts and not site.is_dir()):
        rows += build_part(db, site, "Syria archive")
        for r in rows:
            print(r["what"], {k: v for k, v in r.items() if k in ("wall", "cpu", "rendered")})
    if "big" in parts:
        from benchmarks.bench_web import build_db

        big, big_site = WORK / f"syria_{args.synthetic}.db", WORK / f"big-site-{args.synthetic}"
        for p in (big, Path(str(big) + ".key"), big_site):
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        build_db(big, args.synthetic)
        got = build_part(big, big_site, f"Syria + {args.synthetic:,} synthetic")
        for r in got:
            print(r["what"], {k: v for k, v in r.items() if k in ("wall", "cpu", "rendered")})
        rows += got
    if "load" in parts:
        got = load_part(db, site, args.duration, args.clients)
        for r in got:
            print(r)
        rows += got
    write_results(rows, args, load0)


if __name__ == "__main__":
    main(sys.argv[1:])
