"""SQL of accounts: users, API tokens, sessions and the login throttle.

Runs on a connection the caller got from ``Store.begin()``; the tables are declared with
the rest of the workflow's in ``store.workflow``. The throttle counts an attempt with one
atomic statement per key, so concurrent guesses cannot read a stale count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, select, update

from .workflow import wf_api_token, wf_login_attempt, wf_login_known, wf_session, wf_user


def user_by_name(conn: Connection, name: str) -> dict[str, Any] | None:
    r = conn.execute(select(wf_user).where(wf_user.c.name == name)).first()
    return dict(r._mapping) if r else None


def user_by_id(conn: Connection, uid: int) -> dict[str, Any] | None:
    r = conn.execute(select(wf_user).where(wf_user.c.id == uid)).first()
    return dict(r._mapping) if r else None


def insert_user(conn: Connection, row: dict[str, Any]) -> int:
    res = conn.execute(insert(wf_user).values(**row).returning(wf_user.c.id))
    return int(res.scalar_one())


def update_user(conn: Connection, uid: int, **values: Any) -> None:
    conn.execute(update(wf_user).where(wf_user.c.id == uid).values(**values))


def list_users(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(wf_user).order_by(wf_user.c.name))]


def insert_token(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(wf_api_token).values(**row))


def user_by_token(conn: Connection, token_sha256: str) -> dict[str, Any] | None:
    r = conn.execute(
        select(wf_user)
        .join(wf_api_token, wf_api_token.c.user_id == wf_user.c.id)
        .where(wf_api_token.c.token_sha256 == token_sha256, wf_api_token.c.revoked.is_(False))
    ).first()
    return dict(r._mapping) if r else None


def insert_session(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(wf_session).values(**row))


def session_by_token(conn: Connection, token_sha256: str) -> dict[str, Any] | None:
    r = conn.execute(select(wf_session).where(wf_session.c.token_sha256 == token_sha256)).first()
    return dict(r._mapping) if r else None


def prune_sessions(conn: Connection, now: str) -> None:
    conn.execute(delete(wf_session).where(wf_session.c.expires_at < now))


def delete_session(conn: Connection, token_sha256: str) -> None:
    conn.execute(delete(wf_session).where(wf_session.c.token_sha256 == token_sha256))


def list_tokens(conn: Connection, user_id: int | None = None) -> list[dict[str, Any]]:
    """Tokens (never their hash), oldest first, with their owner's name."""
    t = wf_api_token
    q = (
        select(
            t.c.id,
            wf_user.c.name.label("user"),
            t.c.label,
            t.c.created_at,
            t.c.last_used_at,
            t.c.revoked,
        )
        .join(wf_user, wf_user.c.id == t.c.user_id)
        .order_by(t.c.id)
    )
    if user_id is not None:
        q = q.where(t.c.user_id == user_id)
    return [dict(r._mapping) for r in conn.execute(q)]


def token_by_id(conn: Connection, token_id: int) -> dict[str, Any] | None:
    r = conn.execute(select(wf_api_token).where(wf_api_token.c.id == token_id)).first()
    return dict(r._mapping) if r else None


def revoke_token(conn: Connection, token_id: int) -> None:
    conn.execute(update(wf_api_token).where(wf_api_token.c.id == token_id).values(revoked=True))


def touch_token(conn: Connection, token_sha256: str, now: str, stale_before: str) -> None:
    """Record a token's use (at most once per staleness period: no write per request)."""
    t = wf_api_token
    conn.execute(
        update(t)
        .where(
            t.c.token_sha256 == token_sha256,
            (t.c.last_used_at.is_(None)) | (t.c.last_used_at < stale_before),
        )
        .values(last_used_at=now)
    )


def token_last_used(conn: Connection, token_sha256: str) -> str | None:
    t = wf_api_token
    v = conn.execute(select(t.c.last_used_at).where(t.c.token_sha256 == token_sha256)).scalar()
    return str(v) if v is not None else None


def delete_user_sessions(conn: Connection, user_id: int, keep: str | None = None) -> int:
    q = delete(wf_session).where(wf_session.c.user_id == user_id)
    if keep is not None:
        q = q.where(wf_session.c.token_sha256 != keep)
    return int(conn.execute(q).rowcount or 0)


def count_enabled_admins(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(wf_user)
            .where(wf_user.c.role == "admin", wf_user.c.disabled.is_(False))
        ).scalar_one()
    )


# ---- login throttle: one atomic statement per key -------------------------------------


def _upsert(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def bump_login_attempt(conn: Connection, key: str, now: str, since: str) -> tuple[int, str]:
    """Count one attempt against ``key``; (attempts in its window, window start).

    One INSERT ... ON CONFLICT DO UPDATE ... RETURNING: concurrent attempts are counted
    one after the other by the database, never read-then-written. A window that began
    before ``since`` starts again at 1.
    """
    t = wf_login_attempt
    stale = t.c.window_start < since
    stmt = (
        _upsert(conn)(t)
        .values(key=key, n=1, window_start=now)
        .on_conflict_do_update(
            index_elements=[t.c.key],
            set_={
                "n": case((stale, 1), else_=t.c.n + 1),
                "window_start": case((stale, now), else_=t.c.window_start),
            },
        )
        .returning(t.c.n, t.c.window_start)
    )
    n, start = conn.execute(stmt).one()
    return int(n), str(start)


def unbump_login_attempt(conn: Connection, key: str) -> None:
    t = wf_login_attempt
    conn.execute(update(t).where(t.c.key == key, t.c.n > 0).values(n=t.c.n - 1))


def clear_login_attempts(conn: Connection, key: str) -> None:
    conn.execute(delete(wf_login_attempt).where(wf_login_attempt.c.key == key))


def prune_login_attempts(conn: Connection, since: str, known_since: str) -> None:
    """Forget windows that began before ``since`` and addresses unused since
    ``known_since``."""
    conn.execute(delete(wf_login_attempt).where(wf_login_attempt.c.window_start < since))
    conn.execute(delete(wf_login_known).where(wf_login_known.c.last_ok < known_since))


def mark_known_client(conn: Connection, user_id: int, client: str, now: str) -> None:
    t = wf_login_known
    stmt = (
        _upsert(conn)(t)
        .values(user_id=user_id, client=client, last_ok=now)
        .on_conflict_do_update(index_elements=[t.c.user_id, t.c.client], set_={"last_ok": now})
    )
    conn.execute(stmt)


def is_known_client(conn: Connection, user_id: int, client: str, since: str) -> bool:
    t = wf_login_known
    r = conn.execute(
        select(t.c.last_ok).where(
            t.c.user_id == user_id, t.c.client == client, t.c.last_ok >= since
        )
    ).first()
    return r is not None
