"""The research workflow: accounts and roles, editing with optimistic concurrency, the
hash-chained audit trail, evidence, protected fields, interviews, backup and restore.

Public surface (modules): ``roles`` (Actor, PERMISSIONS, can, require, PermissionDenied),
``accounts``, ``editing`` (EditConflict), ``audit``, ``evidence``, ``protected``,
``interviews``, ``backup``. Every write takes an :class:`Actor` and records a revision.
"""

from .roles import PERMISSIONS, PUBLIC, ROLES, Actor, PermissionDenied, can, require

__all__ = ["PERMISSIONS", "PUBLIC", "ROLES", "Actor", "PermissionDenied", "can", "require"]
