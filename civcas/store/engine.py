"""Opening a database: the only place that creates connections.

``Store`` wraps one SQLAlchemy engine. SQLite files get WAL and foreign keys; any other
SQLAlchemy URL works (PostgreSQL is the tested team-server engine, imported lazily).

A SQLite file holds witness identities: it is created 0600 (its folders 0700) whatever
the umask, and SQLite gives its -wal and -shm files the database file's mode. A file
that other accounts can read (left by an older civcas) loses those bits when opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ..model.errors import BusyError, ConfigError, MissingExtraError

DEFAULT_DB = "sqlite:///civcas.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(url: str | None) -> str:
    """``--db`` value, else ``CIVCAS_DB``, else ``civcas.db`` in the working directory.

    A bare path (no ``://``) is taken as a SQLite file.
    """
    url = url or os.environ.get("CIVCAS_DB") or DEFAULT_DB
    if "://" not in url:
        url = f"sqlite:///{url}"
    return url


class Store:
    """A handle on one civcas database."""

    def __init__(self, url: str | None = None, *, upgrade: bool = True) -> None:
        self.url = resolve_url(url)
        self.engine = _make_engine(self.url)
        if upgrade:
            self.upgrade()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self, revision: str = "heads") -> None:
        """Bring the schema to the newest migration (idempotent)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = None
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)

    def current_revisions(self) -> list[str]:
        from alembic.migration import MigrationContext

        with self.engine.connect() as conn:
            return sorted(MigrationContext.configure(conn).get_current_heads())

    def table_names(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed on success, rolled back on any error.

        A SQLite database another writer holds (a long import) past the wait limit
        (``CIVCAS_BUSY_TIMEOUT`` seconds, default 30) raises BusyError: nothing was
        written, and the adapters say to retry instead of showing an internal error.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            if "database is locked" not in str(exc.orig):
                raise
            raise BusyError(
                "the record is busy: another writer (an import?) holds the database;"
                " nothing was written, retry in a moment"
            ) from exc

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def private_dirs(path: Path) -> None:
    """Create ``path`` and its missing parents as 0700 (Path.mkdir's ``mode`` applies to
    the last one only, and the umask still trims it)."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(d, 0o700)


def _private_sqlite_file(database: str) -> None:
    """Create the database file 0600 before SQLite does (it would use the umask)."""
    if database.startswith("file:"):  # a URI filename: SQLite opens it as given
        return
    path = Path(database)
    private_dirs(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.chmod(path, 0o600)
    except FileExistsError:
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            try:
                st = p.stat()
                if st.st_uid == os.geteuid() and st.st_mode & 0o007:
                    os.chmod(p, st.st_mode & 0o7770)
            except OSError:
                continue


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_sqlite_file(parsed.database)
        timeout = float(os.environ.get("CIVCAS_BUSY_TIMEOUT", "30"))
        engine = create_engine(url, connect_args={"timeout": timeout})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise MissingExtraError("psycopg", "postgres") from None
        return create_engine(parsed, pool_pre_ping=True)
    try:
        return create_engine(url)
    except Exception as exc:  # pragma: no cover - depends on the URL
        raise ConfigError(f"cannot open database {url!r}: {exc}") from exc
