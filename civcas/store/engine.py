"""Opening a database: the only place that creates connections.

``Store`` wraps one SQLAlchemy engine. SQLite files get WAL and foreign keys; any other
SQLAlchemy URL works (PostgreSQL is the tested team-server engine, imported lazily).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

from ..model.errors import ConfigError, MissingExtraError

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
        """One transaction: committed on success, rolled back on any error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

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
