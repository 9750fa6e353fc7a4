"""Accounts, logins, sessions and API tokens.

Passwords are hashed with Argon2id; session and API tokens are random and only their
SHA-256 is stored, so a copy of the database does not let anyone log in. Failed logins
are counted in the database (shared by every server worker) to rate-limit guessing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from ..model.errors import CivcasError, InputError, NotFoundError
from ..store import Store
from ..store import workflow as sw
from . import audit
from .roles import Actor, check_role, require

MAX_FAILURES = 5  # per user name
MAX_CLIENT_FAILURES = 50  # per client address (shared NATs need headroom)
FAILURE_WINDOW = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=12)


class LoginFailed(CivcasError):
    """Wrong name or password (deliberately not saying which)."""


class RateLimited(CivcasError):
    """Too many failed logins for this name or address; try again later."""


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(_hasher().hash(secrets.token_urlsafe(16)))
    return _DUMMY[0]


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _public(u: dict[str, Any]) -> dict[str, Any]:
    return {k: u[k] for k in ("id", "name", "role", "disabled", "created_at")}


def add_user(store: Store, actor: Actor, name: str, role: str, password: str) -> dict[str, Any]:
    require(actor, "manage_users")
    check_role(role)
    name = name.strip()
    if not name or len(name) > 100:
        raise InputError(f"user name {name!r}: expected 1 to 100 characters")
    if len(password) < 8:
        raise InputError("password: expected at least 8 characters")
    with audit.writing(store) as conn:
        if sw.user_by_name(conn, name):
            raise InputError(f"user {name!r} already exists")
        row = {
            "name": name,
            "role": role,
            "password_hash": _hasher().hash(password),
            "disabled": False,
            "created_at": audit.now(),
        }
        row["id"] = sw.insert_user(conn, row)
        audit.record(conn, actor, "user.add", "user", name, None, _public(row))
    return _public(row)


def _change(store: Store, actor: Actor, name: str, action: str, **values: Any) -> dict[str, Any]:
    require(actor, "manage_users")
    with audit.writing(store) as conn:
        u = sw.user_by_name(conn, name)
        if u is None:
            raise NotFoundError(f"no user named {name!r}")
        sw.update_user(conn, u["id"], **values)
        after = {**u, **values}
        audit.record(conn, actor, action, "user", name, _public(u), _public(after))
    return _public(after)


def set_role(store: Store, actor: Actor, name: str, role: str) -> dict[str, Any]:
    return _change(store, actor, name, "user.set_role", role=check_role(role))


def disable(store: Store, actor: Actor, name: str) -> dict[str, Any]:
    return _change(store, actor, name, "user.disable", disabled=True)


def list_users(store: Store, actor: Actor) -> list[dict[str, Any]]:
    require(actor, "manage_users")
    with store.connect() as conn:
        return [_public(u) for u in sw.list_users(conn)]


def authenticate(store: Store, name: str, password: str, client: str = "") -> Actor:
    """Check a password; raise RateLimited after MAX_FAILURES within FAILURE_WINDOW."""
    from argon2.exceptions import InvalidHashError, VerificationError

    since = (dt.datetime.now(dt.UTC) - FAILURE_WINDOW).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    keys = [f"user:{name}"] + ([f"client:{client}"] if client else [])
    with store.begin() as conn:
        for key in keys:
            limit = MAX_FAILURES if key.startswith("user:") else MAX_CLIENT_FAILURES
            if sw.count_login_failures(conn, key, since) >= limit:
                raise RateLimited(
                    f"too many failed logins for {key.split(':', 1)[0]}; wait 15 minutes"
                )
        u = sw.user_by_name(conn, name)
        ok = False
        # verify against a stand-in hash for unknown names, so timing does not tell
        # which names exist
        stored = u["password_hash"] if u is not None else _dummy_hash()
        try:
            ok = _hasher().verify(stored, password) and u is not None and not u["disabled"]
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            for key in keys:
                sw.record_login_failure(conn, key, audit.now())
    if not ok or u is None:
        raise LoginFailed("wrong user name or password")
    with store.begin() as conn:
        sw.clear_login_failures(conn, f"user:{name}")
    return Actor(u["name"], u["role"], u["id"])


@dataclass(frozen=True)
class Session:
    token: str  # goes in the cookie; only its hash is stored
    csrf: str
    actor: Actor


def start_session(store: Store, actor: Actor) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = (dt.datetime.now(dt.UTC) + SESSION_LIFETIME).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with store.begin() as conn:
        sw.prune_sessions(conn, audit.now())
        sw.insert_session(
            conn,
            {
                "token_sha256": _sha(token),
                "user_id": actor.user_id,
                "csrf": csrf,
                "expires_at": expires,
            },
        )
    return Session(token, csrf, actor)


def session(store: Store, token: str) -> Session | None:
    """The live session of a cookie value, or None (expired, logged out, user disabled)."""
    with store.connect() as conn:
        s = sw.session_by_token(conn, _sha(token))
        if s is None or s["expires_at"] < audit.now():
            return None
        u = sw.user_by_id(conn, s["user_id"])
    if u is None or u["disabled"]:
        return None
    return Session(token, s["csrf"], Actor(u["name"], u["role"], u["id"]))


def end_session(store: Store, token: str) -> None:
    with store.begin() as conn:
        sw.delete_session(conn, _sha(token))


def create_token(store: Store, actor: Actor, name: str, label: str = "") -> str:
    """A new API token for user ``name`` (admins for anyone, users for themselves)."""
    if actor.name != name:
        require(actor, "manage_users")
    token = "cvt_" + secrets.token_urlsafe(32)
    with audit.writing(store) as conn:
        u = sw.user_by_name(conn, name)
        if u is None:
            raise NotFoundError(f"no user named {name!r}")
        sw.insert_token(
            conn,
            {
                "user_id": u["id"],
                "token_sha256": _sha(token),
                "label": label,
                "created_at": audit.now(),
                "revoked": False,
            },
        )
        audit.record(conn, actor, "token.create", "user", name, None, {"label": label})
    return token


def token_actor(store: Store, token: str) -> Actor | None:
    with store.connect() as conn:
        u = sw.user_by_token(conn, _sha(token))
    if u is None or u["disabled"]:
        return None
    return Actor(u["name"], u["role"], u["id"])
