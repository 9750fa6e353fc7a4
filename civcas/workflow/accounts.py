"""Accounts, logins, sessions and API tokens.

Passwords are hashed with Argon2id; session and API tokens are random and only their
SHA-256 is stored, so a copy of the database does not let anyone log in. A password needs
at least 12 characters and a zxcvbn score of 3 (of 4): common passwords, keyboard rows,
repeats and the user's own name are refused.

Login throttling. Every attempt is counted *before* its password is checked, by one
atomic upsert per key in the database (shared by every server worker), so concurrent
guesses can never run more checks than the limit. The keys are chosen so that a stranger
cannot lock a user out: MAX_FAILURES per (name, client address), MAX_CLIENT_FAILURES per
address, and a much higher MAX_NAME_FAILURES per name against guessing spread over many
addresses, which does not apply to an address the user has logged in from before. A
successful login gives its attempt back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from ..model.errors import CivcasError, InputError, MissingExtraError, NotFoundError
from ..store import Store
from ..store import accounts as sa
from . import audit
from .roles import Actor, can, check_role, require

MAX_FAILURES = 5  # per (user name, client address)
MAX_CLIENT_FAILURES = 50  # per client address (shared NATs need headroom)
MAX_NAME_FAILURES = 100  # per user name, from addresses it never logged in from
FAILURE_WINDOW = dt.timedelta(minutes=15)
KNOWN_CLIENT_FOR = dt.timedelta(days=90)  # a successful login's address stays "known"
TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most this often
SESSION_LIFETIME = dt.timedelta(hours=12)
MIN_PASSWORD = 12
MIN_ZXCVBN_SCORE = 3


class LoginFailed(CivcasError):
    """Wrong name or password (deliberately not saying which)."""


class RateLimited(CivcasError):
    """Too many failed logins for this name or address; try again after ``retry_after``
    seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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


def check_password(password: str, name: str = "") -> None:
    """Refuse a password that is short, blank or easy to guess (zxcvbn, which knows the
    common-password lists, keyboard patterns, repeats, and the user's name)."""
    if not password.strip():
        raise InputError("password: must not be only whitespace")
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password: expected at least {MIN_PASSWORD} characters")
    try:
        from zxcvbn import zxcvbn
    except ImportError:
        raise MissingExtraError("zxcvbn", "workflow") from None
    # zxcvbn's matching grows quickly with length; the first 100 characters decide
    result = zxcvbn(password[:100], user_inputs=[name, *name.replace("_", " ").split()])
    if result["score"] < MIN_ZXCVBN_SCORE:
        fb = result.get("feedback") or {}
        advice = " ".join([fb.get("warning") or "", *(fb.get("suggestions") or [])]).strip()
        raise InputError(
            f"password: too easy to guess (strength {result['score']} of 4,"
            f" {MIN_ZXCVBN_SCORE} needed). {advice or 'Use a longer passphrase.'}"
        )


def add_user(store: Store, actor: Actor, name: str, role: str, password: str) -> dict[str, Any]:
    require(actor, "manage_users")
    check_role(role)
    name = name.strip()
    if not name or len(name) > 100:
        raise InputError(f"user name {name!r}: expected 1 to 100 characters")
    check_password(password, name)
    with audit.writing(store) as conn:
        if sa.user_by_name(conn, name):
            raise InputError(f"user {name!r} already exists")
        row = {
            "name": name,
            "role": role,
            "password_hash": _hasher().hash(password),
            "disabled": False,
            "created_at": audit.now(),
        }
        row["id"] = sa.insert_user(conn, row)
        audit.record(conn, actor, "user.add", "user", name, None, _public(row))
    return _public(row)


def _change(store: Store, actor: Actor, name: str, action: str, **values: Any) -> dict[str, Any]:
    require(actor, "manage_users")
    with audit.writing(store) as conn:  # writers serialised: the admin count is current
        u = sa.user_by_name(conn, name)
        if u is None:
            raise NotFoundError(f"no user named {name!r}")
        stays_admin = values.get("role", u["role"]) == "admin" and not values.get(
            "disabled", u["disabled"]
        )
        if u["role"] == "admin" and not u["disabled"] and not stays_admin:
            if sa.count_enabled_admins(conn) <= 1:
                raise InputError(
                    f"{name} is the last enabled admin: make another account admin first"
                    " (civcas user set-role NAME admin), so that someone can still manage"
                    " accounts"
                )
        sa.update_user(conn, u["id"], **values)
        after = {**u, **values}
        audit.record(conn, actor, action, "user", name, _public(u), _public(after))
    return _public(after)


def set_role(store: Store, actor: Actor, name: str, role: str) -> dict[str, Any]:
    return _change(store, actor, name, "user.set_role", role=check_role(role))


def disable(store: Store, actor: Actor, name: str) -> dict[str, Any]:
    """Disable an account: its sessions and tokens stop working at once."""
    return _change(store, actor, name, "user.disable", disabled=True)


def enable(store: Store, actor: Actor, name: str) -> dict[str, Any]:
    return _change(store, actor, name, "user.enable", disabled=False)


def change_password(
    store: Store,
    actor: Actor,
    name: str,
    new: str,
    *,
    current: str | None = None,
    keep_session: str | None = None,
    client: str = "",
) -> dict[str, Any]:
    """Set ``name``'s password and end their other sessions.

    Users change their own, giving the ``current`` one (a borrowed session is not enough;
    the check is throttled as a login from ``client`` is); admins anyone's.
    ``keep_session`` (a cookie value) is the session that asked, kept.
    """
    with store.connect() as conn:
        u = sa.user_by_name(conn, name)
    if u is None or actor.user_id is None or actor.user_id != u["id"]:
        require(actor, "manage_users")
        if u is None:
            raise NotFoundError(f"no user named {name!r}")
    else:
        try:
            authenticate(store, name, current or "", client)
        except LoginFailed:
            raise LoginFailed("the current password is wrong") from None
    check_password(new, name)
    digest = _hasher().hash(new)
    with audit.writing(store) as conn:
        sa.update_user(conn, u["id"], password_hash=digest)
        ended = sa.delete_user_sessions(
            conn, u["id"], keep=_sha(keep_session) if keep_session else None
        )
        audit.record(conn, actor, "user.passwd", "user", name, None, {"sessions_ended": ended})
    return _public(u)


def list_users(store: Store, actor: Actor) -> list[dict[str, Any]]:
    require(actor, "manage_users")
    with store.connect() as conn:
        return [_public(u) for u in sa.list_users(conn)]


def _ts(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _retry_after(window_start: str, now: dt.datetime) -> int:
    start = dt.datetime.strptime(window_start, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    return max(1, int((start + FAILURE_WINDOW - now).total_seconds()) + 1)


def _reserve(store: Store, name: str, client: str, now: dt.datetime) -> list[str]:
    """Count this attempt against each throttle key before the password is checked.

    One transaction: if any key is over its limit, RateLimited rolls every count of this
    attempt back (a refused attempt costs nobody anything). Returns the keys counted.
    """
    since, stamp = _ts(now - FAILURE_WINDOW), _ts(now)
    pair = _sha(f"pair\x1f{name}\x1f{client}")
    per_client = _sha(f"client\x1f{client}")
    per_name = _sha(f"name\x1f{name}")
    counted: list[str] = []
    with store.begin() as conn:
        # writes first: SQLite takes its write lock here, before any read snapshot
        for key, limit, what in (
            (pair, MAX_FAILURES, "this name from this address"),
            (per_client, MAX_CLIENT_FAILURES, "this address"),
        ):
            n, start = sa.bump_login_attempt(conn, key, stamp, since)
            if n > limit:
                raise RateLimited(
                    f"too many failed logins for {what}; wait {_retry_after(start, now)} s",
                    _retry_after(start, now),
                )
            counted.append(key)
        u = sa.user_by_name(conn, name)
        known = u is not None and sa.is_known_client(
            conn, u["id"], _sha(client), _ts(now - KNOWN_CLIENT_FOR)
        )
        if not known:
            n, start = sa.bump_login_attempt(conn, per_name, stamp, since)
            if n > MAX_NAME_FAILURES:
                raise RateLimited(
                    "too many failed logins for this name from addresses it has not logged"
                    f" in from; wait {_retry_after(start, now)} s",
                    _retry_after(start, now),
                )
            counted.append(per_name)
        if secrets.randbelow(50) == 0:  # now and then, forget windows long past
            sa.prune_login_attempts(conn, since, _ts(now - KNOWN_CLIENT_FOR))
    return counted


def authenticate(store: Store, name: str, password: str, client: str = "") -> Actor:
    """Check a password; RateLimited when this attempt would pass a throttle limit."""
    from argon2.exceptions import InvalidHashError, VerificationError

    now = dt.datetime.now(dt.UTC)
    counted = _reserve(store, name, client, now)
    with store.connect() as conn:
        u = sa.user_by_name(conn, name)
    # verify against a stand-in hash for unknown names, so timing does not tell
    # which names exist
    stored = u["password_hash"] if u is not None else _dummy_hash()
    try:
        ok = _hasher().verify(stored, password) and u is not None and not u["disabled"]
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or u is None:
        raise LoginFailed("wrong user name or password")
    with store.begin() as conn:
        sa.clear_login_attempts(conn, counted[0])  # this name from this address
        for key in counted[1:]:
            sa.unbump_login_attempt(conn, key)  # the attempt was not a guess
        sa.mark_known_client(conn, u["id"], _sha(client), audit.now())
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
        sa.prune_sessions(conn, audit.now())
        sa.insert_session(
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
        s = sa.session_by_token(conn, _sha(token))
        if s is None or s["expires_at"] < audit.now():
            return None
        u = sa.user_by_id(conn, s["user_id"])
    if u is None or u["disabled"]:
        return None
    return Session(token, s["csrf"], Actor(u["name"], u["role"], u["id"]))


def end_session(store: Store, token: str) -> None:
    with store.begin() as conn:
        sa.delete_session(conn, _sha(token))


def create_token(store: Store, actor: Actor, name: str, label: str = "") -> str:
    """A new API token for user ``name`` (admins for anyone, users for themselves)."""
    if actor.name != name:
        require(actor, "manage_users")
    token = "cvt_" + secrets.token_urlsafe(32)
    with audit.writing(store) as conn:
        u = sa.user_by_name(conn, name)
        if u is None:
            raise NotFoundError(f"no user named {name!r}")
        sa.insert_token(
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
    """Who a bearer token belongs to; None once it is revoked or its user disabled."""
    digest = _sha(token)
    with store.connect() as conn:
        u = sa.user_by_token(conn, digest)
        last = sa.token_last_used(conn, digest) if u is not None else None
    if u is None or u["disabled"]:
        return None
    now = dt.datetime.now(dt.UTC)
    stale = _ts(now - TOKEN_TOUCH_EVERY)
    if last is None or last < stale:
        with store.begin() as conn:
            sa.touch_token(conn, digest, _ts(now), stale)
    return Actor(u["name"], u["role"], u["id"])


def list_tokens(store: Store, actor: Actor, name: str | None = None) -> list[dict[str, Any]]:
    """Tokens (id, user, label, created_at, last_used_at, revoked; never the secret).

    Everyone's for admins; a user may list their own (``name`` = themselves)."""
    if name is None or name != actor.name or actor.user_id is None:
        require(actor, "manage_users")
    with store.connect() as conn:
        if name is None:
            return sa.list_tokens(conn)
        u = sa.user_by_name(conn, name)
        if u is None:
            raise NotFoundError(f"no user named {name!r}")
        return sa.list_tokens(conn, u["id"])


def revoke_token(store: Store, actor: Actor, token_id: int) -> dict[str, Any]:
    """Revoke one token (admins any, users their own): refused from the next request."""
    with audit.writing(store) as conn:
        t = sa.token_by_id(conn, token_id)
        if t is None or (actor.user_id != t["user_id"] and not can(actor.role, "manage_users")):
            require(actor, "manage_users")  # strangers learn nothing about other ids
            raise NotFoundError(f"no API token with id {token_id}")
        u = sa.user_by_id(conn, t["user_id"])
        sa.revoke_token(conn, token_id)
        audit.record(
            conn,
            actor,
            "token.revoke",
            "user",
            u["name"] if u else str(t["user_id"]),
            {"token": token_id, "label": t["label"], "revoked": bool(t["revoked"])},
            {"token": token_id, "label": t["label"], "revoked": True},
        )
    return {"id": token_id, "label": t["label"], "revoked": True}
