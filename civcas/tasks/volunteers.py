"""Volunteers: invitations and sign-up.

A researcher makes an invitation (a random token; only its SHA-256 is stored, like API
tokens and sessions), valid for some days and some number of sign-ups, and sends the
link ``/tasks/join/TOKEN``. Whoever opens it chooses a name and a password (the same
strength rules as every account) and gets a ``volunteer`` account: no editorial
permission, task items only. ``civcas user add NAME --role volunteer`` makes one too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from ..model.errors import InputError
from ..store import Store
from ..store import accounts as sa
from ..store import tasks as st
from ..workflow import accounts, audit
from ..workflow.roles import VOLUNTEER, Actor, require


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite(
    store: Store, actor: Actor, *, days: int = 14, uses: int = 1, label: str = ""
) -> dict[str, Any]:
    """A new invitation: its token (shown once) and when it ends."""
    require(actor, "manage_tasks")
    if not 1 <= days <= 365 or not 1 <= uses <= 10_000:
        raise InputError("invitation: expected 1-365 days and 1-10000 uses")
    token = "cvi_" + secrets.token_urlsafe(24)
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with audit.writing(store) as conn:
        iid = st.insert_invitation(
            conn,
            {
                "token_sha256": _sha(token),
                "label": label,
                "created_by": actor.name,
                "created_at": audit.now(),
                "expires_at": expires,
                "max_uses": uses,
                "uses": 0,
            },
        )
        audit.record(
            conn,
            actor,
            "task.invite",
            "task_invitation",
            str(iid),
            None,
            {"label": label, "expires_at": expires, "max_uses": uses},
            states={},
        )
    return {"id": iid, "token": token, "expires_at": expires, "max_uses": uses}


def invitation_valid(store: Store, token: str) -> bool:
    with store.connect() as conn:
        return st.invitation(conn, _sha(token), audit.now()) is not None


def sign_up(store: Store, token: str, name: str, password: str) -> Actor:
    """Create a volunteer account with an invitation; the invitation's use is counted in
    the same transaction, so a single-use link makes one account however many try."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InputError(f"user name {name!r}: expected 1 to 100 characters")
    accounts.check_password(password, name)
    digest = accounts._hasher().hash(password)
    with audit.writing(store) as conn:
        inv = st.use_invitation(conn, _sha(token), audit.now())
        if inv is None:
            raise InputError("this invitation is not valid: it has expired or was used up")
        if sa.user_by_name(conn, name):
            raise InputError(f"the name {name!r} is taken; choose another")
        row = {
            "name": name,
            "role": VOLUNTEER,
            "password_hash": digest,
            "disabled": False,
            "created_at": audit.now(),
        }
        row["id"] = sa.insert_user(conn, row)
        who = Actor(f"invitation:{inv['id']}", VOLUNTEER)
        audit.record(
            conn,
            who,
            "user.add",
            "user",
            name,
            None,
            {"id": row["id"], "name": name, "role": VOLUNTEER, "invitation": inv["id"]},
            states={},
        )
    return Actor(name, VOLUNTEER, int(row["id"]))


__all__ = ["invitation_valid", "invite", "sign_up"]
