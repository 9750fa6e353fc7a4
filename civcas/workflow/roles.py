"""Roles and what each may do: the permission matrix is data, checked in one place.

Roles are ordered; a permission names the lowest role that holds it, so "researcher and
above" is written once. The matrix is what the authorisation tests iterate over.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.errors import CivcasError

ROLES: tuple[str, ...] = ("public", "contributor", "researcher", "reviewer", "admin")

#: roles outside the editorial ladder, holding none of its permissions: a volunteer
#: (issue 21) answers task items (civcas.tasks) and sees nothing else
VOLUNTEER = "volunteer"
OUTSIDE_LADDER: tuple[str, ...] = (VOLUNTEER,)
ALL_ROLES: tuple[str, ...] = ROLES + OUTSIDE_LADDER

#: permission -> lowest role that holds it
PERMISSIONS: dict[str, str] = {
    "read_published": "public",
    "submit": "contributor",  # create an (unpublished) incident, add sources to it
    "read_own_submissions": "contributor",
    "read_unpublished": "researcher",
    "read_protected": "researcher",  # witness identities, contacts, exact places, notes
    "edit": "researcher",  # incidents, sources, victims, assessments, statements
    "grade": "researcher",
    "link": "researcher",  # mark duplicates
    "interviews": "researcher",
    "evidence": "researcher",
    "read_audit": "researcher",
    "publish": "reviewer",
    "manage_tasks": "researcher",  # task campaigns: build, import, consensus, invitations
    "manage_users": "admin",
}


class PermissionDenied(CivcasError):
    """The actor's role does not hold the permission an action needs."""

    def __init__(self, actor: Actor, permission: str, detail: str | None = None) -> None:
        self.actor = actor
        self.permission = permission
        need = PERMISSIONS.get(permission, "?")
        super().__init__(
            f"{actor.name or 'anonymous'} ({actor.role}) may not {permission.replace('_', ' ')}:"
            f" it needs the role {need} or above" + (f" ({detail})" if detail else "")
        )


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, a script's token, the CLI, or the public."""

    name: str
    role: str
    user_id: int | None = None

    @property
    def anonymous(self) -> bool:
        return self.role == "public"


PUBLIC = Actor("", "public")


def check_role(role: str) -> str:
    from ..model.errors import InputError

    if role not in ALL_ROLES:
        raise InputError(f"role {role!r}: expected one of {', '.join(ALL_ROLES)}")
    return role


def can(role: str, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if role in OUTSIDE_LADDER:
        return False
    return ROLES.index(role) >= ROLES.index(PERMISSIONS[permission])


def require(actor: Actor, permission: str) -> None:
    if not can(actor.role, permission):
        raise PermissionDenied(actor, permission)


def answers_tasks(role: str) -> bool:
    """Volunteers and every signed-in member of the team may answer task items."""
    return role in OUTSIDE_LADDER or (role in ROLES and role != "public")


def matrix() -> dict[str, dict[str, bool]]:
    """permission -> role -> allowed, for docs and the web's /workflow/roles page."""
    return {p: {r: can(r, p) for r in ROLES} for p in PERMISSIONS}
