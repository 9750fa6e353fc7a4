"""A throwaway PostgreSQL cluster for a benchmark run (or CIVCAS_BENCH_PG_URL's server).

One copy for the test suite's fixture and every benchmark that measures PostgreSQL: initdb as the postgres user when
run as root, a free local port, a database ``bench``, stopped and removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL server's bin directory, or None."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(bins[-1]).parent if bins else None


@contextmanager
def local_cluster(options: str = "") -> Iterator[str]:
    """Base URL (no database part) of a throwaway cluster on a free local port, started
    with ``options`` (``-c name=value ...``), stopped and removed afterwards. The test
    suite's PostgreSQL fixture and the benchmarks both use this one."""
    bindir = server_binaries()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server binaries (apt-get install postgresql)")
    data = Path(tempfile.mkdtemp(prefix="civcas-pg-"))
    port = free_port()
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(data, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    try:
        subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U",
                        "postgres", "-E", "UTF8", "--locale=C.UTF-8"], check=True,
                       capture_output=True)  # fmt: skip
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(data / "log"),
                        "-w", "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1 {options}",
                        "start"], check=True, capture_output=True)  # fmt: skip
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], capture_output=True)  # fmt: skip
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def postgres(max_connections: int = 100) -> Iterator[str]:
    """URL of a database ``bench`` on a throwaway cluster (or CIVCAS_BENCH_PG_URL)."""
    url = os.environ.get("CIVCAS_BENCH_PG_URL")
    if url:
        yield url
        return
    with local_cluster(f"-c max_connections={max_connections}") as base:
        from sqlalchemy import create_engine, text

        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench"))
        admin.dispose()
        yield f"{base}/bench"
