"""The workflow's JSON API under /api/workflow (described in /openapi.json)."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse, Response

from ...model.errors import InputError
from ...report.links import checked_links
from ...workflow import accounts, audit, editing, evidence, interviews, protected
from ...workflow.roles import Actor, can, matrix, require
from .auth import actor, clear_session_cookie, do_login, guarded, set_session_cookie, store_of

router = APIRouter(prefix="/api/workflow", tags=["workflow"])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Bad input; the message names the field."},
    422: {
        "description": "A value that does not fit the record: `error.parameter` names the "
        "first field, `error.problems` lists each (field, value, expected)."
    },
    401: {"description": "Not logged in (or a bad API token)."},
    403: {"description": "The role may not do this, or the CSRF token is missing."},
    404: {"description": "No such record (or not visible to this role)."},
    409: {"description": "Edit conflict: the body has `mine` and `theirs`."},
}
Who = Depends(actor)


class LoginIn(BaseModel):
    name: str = Field(max_length=100)
    password: str = Field(max_length=1000)


class CreateIn(BaseModel):
    fields: dict[str, Any] = {}
    code: str | None = Field(None, max_length=200)
    reason: str | None = None


class AssessmentIn(BaseModel):
    """One belligerent of an incident and what it said. The values are checked by the
    library (the same check as the page's), so a wrong one is named, never coerced."""

    model_config = ConfigDict(extra="allow")  # unknown fields reach the check, and are named

    id: Any = Field(None, description="A stored row's id (absent: a new row).")
    belligerent: Any = Field(None, description="A party of the vocabulary (or one stored).")
    role: Any = Field(None, description="suspected (default) or known.")
    assessment: Any = Field(
        None, description="credible, non_credible, duplicate, not_yet_assessed, open_incident, none"
    )
    deaths_conceded_min: Any = Field(None, description="A whole number, or null.")
    deaths_conceded_max: Any = Field(None, description="A whole number, or null.")
    injuries_conceded_min: Any = Field(None, description="A whole number, or null.")
    injuries_conceded_max: Any = Field(None, description="A whole number, or null.")
    reasons: Any = Field(None, description="The reasons it gave (text).")
    strike_report_url: Any = Field(None, description="Its statement or strike report (http(s)).")


class ChangesIn(BaseModel):
    """Fields to change (date_start, killed_max, ...; dates YYYY-MM-DD). ``belligerents``,
    when given, is the incident's whole list of assessments: rows with an id are updated
    (fields left out are kept), rows without one added, stored rows not listed removed.
    Every value is checked; a bad one answers 422 naming it (``belligerents[0].assessment``)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {"injured_max": 3, "belligerents": [{"id": 593, "assessment": "credible"}]}
        },
    )

    belligerents: list[AssessmentIn] | None = None


class EditIn(BaseModel):
    changes: ChangesIn = Field(default_factory=ChangesIn)
    expected_version: int | None = Field(None, description="The version you loaded.")
    reason: str | None = None


class GradeIn(BaseModel):
    grade: str
    reason: str
    expected_version: int | None = None


class PublishIn(BaseModel):
    reason: str | None = None
    expected_version: int | None = None


class DuplicateIn(BaseModel):
    keep: str = Field(max_length=200, description="Code of the incident to keep.")
    reason: str


class ChildIn(BaseModel):
    values: dict[str, Any] = {}
    expected_version: int | None = None
    reason: str | None = None


class UserIn(BaseModel):
    name: str = Field(max_length=100)
    role: str
    password: str = Field(max_length=1000)


class RoleIn(BaseModel):
    role: str


class PasswordIn(BaseModel):
    new: str = Field(max_length=1000, description="12+ characters, not easy to guess.")
    current: str | None = Field(
        None, max_length=1000, description="Your current password (to change your own)."
    )


class TokenIn(BaseModel):
    label: str = Field("", max_length=200)
    user: str | None = Field(None, max_length=100, description="Admins: whose token.")


class InterviewIn(BaseModel):
    values: dict[str, Any] = {}
    incidents: list[str] = []


def conflict(exc: editing.EditConflict) -> JSONResponse:
    return JSONResponse(editing_body(exc), status_code=409)


def editing_body(exc: editing.EditConflict) -> dict[str, Any]:
    return {"error": {"status": 409, "title": "Conflict", "message": str(exc)}, **exc.to_json()}


def input_as_422(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A value the library refuses answers 422, naming each field (as the form shows it
    beside the field), with ``AssessmentIn`` fields as ``belligerents[i].field``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            if not exc.problems:
                raise
            probs = [
                {"field": p.field, "value": _plain(p.value), "expected": p.expected}
                for p in exc.problems
            ]
            err = {
                "status": 422,
                "title": "Unprocessable Content",
                "message": str(exc),
                "parameter": probs[0]["field"],
                "problems": probs,
            }
            return JSONResponse({"error": err}, status_code=422)

    return wrapper


def _plain(v: Any) -> Any:
    return v if v is None or isinstance(v, str | int | float | bool) else str(v)


def conflicts_as_409(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A stale expected_version answers 409 with both versions, never a silent overwrite."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except editing.EditConflict as exc:
            return conflict(exc)

    return wrapper


# ---- session --------------------------------------------------------------------------


@router.post("/login", responses=ERRORS, summary="Log in; sets the session cookie")
def login(request: Request, body: LoginIn) -> Response:
    sess = do_login(request, body.name, body.password)
    resp = JSONResponse({"name": sess.actor.name, "role": sess.actor.role, "csrf": sess.csrf})
    set_session_cookie(request, resp, sess.token)
    return resp


@router.post("/logout", responses=ERRORS, summary="End the session")
def logout(request: Request, who: Actor = Who) -> Response:
    from .auth import SESSION_COOKIE

    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.end_session(store_of(request), token)
    resp = JSONResponse({"ok": True})
    clear_session_cookie(resp)
    return resp


@router.get("/me", responses=ERRORS, summary="Who the request is authenticated as")
def me(who: Actor = Who) -> dict[str, Any]:
    return {"name": who.name or None, "role": who.role}


@router.get("/roles", responses=ERRORS, summary="The permission matrix")
def roles() -> dict[str, Any]:
    return matrix()


# ---- incidents ------------------------------------------------------------------------


@router.post("/incidents", responses=ERRORS, status_code=201, summary="Create an incident")
@guarded
@input_as_422
def create_incident(request: Request, body: CreateIn, who: Actor = Who) -> dict[str, Any]:
    return editing.create(store_of(request), who, body.fields, code=body.code, reason=body.reason)


@router.get("/submissions", responses=ERRORS, summary="Codes of my own submissions")
@guarded
def submissions(request: Request, who: Actor = Who) -> list[str]:
    return editing.own_submissions(store_of(request), who)


@router.get("/incidents/{code:path}/history", responses=ERRORS, summary="Revisions")
@guarded
def history(request: Request, code: str, who: Actor = Who) -> list[dict[str, Any]]:
    return editing.history(store_of(request), who, code)


@router.post("/incidents/{code:path}/edit", responses=ERRORS, summary="Edit fields")
@guarded
@conflicts_as_409
@input_as_422
def edit_incident(request: Request, code: str, body: EditIn, who: Actor = Who) -> Any:
    return editing.edit(
        store_of(request),
        who,
        code,
        body.changes.model_dump(exclude_unset=True),
        expected_version=body.expected_version,
        reason=body.reason,
    )


@router.post("/incidents/{code:path}/grade", responses=ERRORS, summary="Grade (reason needed)")
@guarded
@conflicts_as_409
@input_as_422
def grade(request: Request, code: str, body: GradeIn, who: Actor = Who) -> Any:
    return editing.grade(
        store_of(request),
        who,
        code,
        body.grade,
        body.reason,
        expected_version=body.expected_version,
    )


@router.post("/incidents/{code:path}/publish", responses=ERRORS, summary="Publish")
@guarded
@conflicts_as_409
def publish(request: Request, code: str, body: PublishIn, who: Actor = Who) -> Any:
    return editing.publish(
        store_of(request),
        who,
        code,
        True,
        reason=body.reason,
        expected_version=body.expected_version,
    )


@router.post("/incidents/{code:path}/unpublish", responses=ERRORS, summary="Unpublish")
@guarded
@conflicts_as_409
def unpublish(request: Request, code: str, body: PublishIn, who: Actor = Who) -> Any:
    return editing.publish(
        store_of(request),
        who,
        code,
        False,
        reason=body.reason,
        expected_version=body.expected_version,
    )


@router.post("/incidents/{code:path}/duplicate", responses=ERRORS, summary="Merge a duplicate")
@guarded
def duplicate(request: Request, code: str, body: DuplicateIn, who: Actor = Who) -> Any:
    return editing.mark_duplicate(store_of(request), who, code, body.keep, body.reason)


@router.post(
    "/incidents/{code:path}/records/{kind}",
    responses=ERRORS,
    status_code=201,
    summary="Add a source, victim, assessment or statement",
)
@guarded
@conflicts_as_409
def add_record(request: Request, code: str, kind: str, body: ChildIn, who: Actor = Who) -> Any:
    return editing.add_child(
        store_of(request),
        who,
        code,
        kind,
        body.values,
        expected_version=body.expected_version,
        reason=body.reason,
    )


@router.post(
    "/incidents/{code:path}/records/{kind}/{record_id}",
    responses=ERRORS,
    summary="Edit a source, victim, assessment or statement",
)
@guarded
@conflicts_as_409
def edit_record(
    request: Request, code: str, kind: str, record_id: int, body: ChildIn, who: Actor = Who
) -> Any:
    return editing.edit_child(
        store_of(request),
        who,
        code,
        kind,
        record_id,
        body.values,
        expected_version=body.expected_version,
        reason=body.reason,
    )


@router.post(
    "/incidents/{code:path}/records/{kind}/{record_id}/delete",
    responses=ERRORS,
    summary="Remove a source, victim, assessment or statement",
)
@guarded
@conflicts_as_409
def delete_record(
    request: Request, code: str, kind: str, record_id: int, body: PublishIn, who: Actor = Who
) -> Any:
    return editing.delete_child(
        store_of(request),
        who,
        code,
        kind,
        record_id,
        expected_version=body.expected_version,
        reason=body.reason,
    )


@router.get("/incidents/{code:path}", responses=ERRORS, summary="An incident as I may see it")
@guarded
def get_incident(request: Request, code: str, who: Actor = Who) -> dict[str, Any]:
    inc = editing.get(store_of(request), who, code)
    inc.pop("raw", None)
    out: dict[str, Any] = checked_links(editing.jsonable(inc) or {})  # unsafe links as text
    out["warnings"] = editing.warnings(inc)  # e.g. graded Fair with no source (issue 24)
    return out


# ---- audit, users ---------------------------------------------------------------------


@router.get("/audit/verify", responses=ERRORS, summary="Check the audit hash chain")
@guarded
def audit_verify(request: Request, who: Actor = Who) -> dict[str, Any]:
    require(who, "read_audit")
    return audit.verify(store_of(request)).to_json()


@router.get("/audit/log", responses=ERRORS, summary="Revisions, oldest first")
@guarded
def audit_log(
    request: Request,
    since: str | None = None,
    user: str | None = None,
    limit: int = 200,
    who: Actor = Who,
) -> list[dict[str, Any]]:
    require(who, "read_audit")
    return audit.log(store_of(request), since=since, user=user, limit=max(1, min(limit, 5000)))


@router.get("/users", responses=ERRORS, summary="Accounts (admin)")
@guarded
def users(request: Request, who: Actor = Who) -> list[dict[str, Any]]:
    return accounts.list_users(store_of(request), who)


@router.post("/users", responses=ERRORS, status_code=201, summary="Add an account (admin)")
@guarded
def add_user(request: Request, body: UserIn, who: Actor = Who) -> dict[str, Any]:
    return accounts.add_user(store_of(request), who, body.name, body.role, body.password)


@router.post("/users/{name}/role", responses=ERRORS, summary="Change a role (admin)")
@guarded
def set_role(request: Request, name: str, body: RoleIn, who: Actor = Who) -> dict[str, Any]:
    return accounts.set_role(store_of(request), who, name, body.role)


@router.post("/users/{name}/disable", responses=ERRORS, summary="Disable an account (admin)")
@guarded
def disable_user(request: Request, name: str, who: Actor = Who) -> dict[str, Any]:
    return accounts.disable(store_of(request), who, name)


@router.post("/users/{name}/enable", responses=ERRORS, summary="Enable an account (admin)")
@guarded
def enable_user(request: Request, name: str, who: Actor = Who) -> dict[str, Any]:
    return accounts.enable(store_of(request), who, name)


@router.post(
    "/users/{name}/password",
    responses=ERRORS,
    summary="Change a password (your own with the current one; admins anyone's)",
)
@guarded
def change_password(
    request: Request, name: str, body: PasswordIn, who: Actor = Who
) -> dict[str, Any]:
    from .auth import SESSION_COOKIE

    try:
        return accounts.change_password(
            store_of(request),
            who,
            name,
            body.new,
            current=body.current,
            keep_session=request.cookies.get(SESSION_COOKIE),
            client=request.client.host if request.client else "",
        )
    except accounts.RateLimited as exc:
        raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
    except accounts.LoginFailed as exc:
        raise HTTPException(403, str(exc)) from exc


def _logged_in(who: Actor) -> None:
    if who.anonymous:
        raise HTTPException(401, "log in first")


@router.get("/tokens", responses=ERRORS, summary="API tokens (yours; admins: ?user= or all)")
@guarded
def list_tokens(request: Request, user: str | None = None, who: Actor = Who) -> Any:
    _logged_in(who)
    if user is None and not can(who.role, "manage_users"):
        user = who.name
    return accounts.list_tokens(store_of(request), who, user)


@router.post("/tokens", responses=ERRORS, status_code=201, summary="Create an API token")
@guarded
def create_token(request: Request, body: TokenIn, who: Actor = Who) -> dict[str, Any]:
    _logged_in(who)
    token = accounts.create_token(store_of(request), who, body.user or who.name, body.label)
    return {"token": token, "note": "shown once: only its hash is stored"}


@router.post("/tokens/{token_id}/revoke", responses=ERRORS, summary="Revoke an API token")
@guarded
def revoke_token(request: Request, token_id: int, who: Actor = Who) -> dict[str, Any]:
    _logged_in(who)
    return accounts.revoke_token(store_of(request), who, token_id)


# ---- interviews and evidence ------------------------------------------------------------


@router.get("/interviews", responses=ERRORS, summary="Interviews and site visits")
@guarded
def list_interviews(request: Request, who: Actor = Who) -> list[dict[str, Any]]:
    return interviews.list_all(store_of(request), who)


@router.post("/interviews", responses=ERRORS, status_code=201, summary="Record an interview")
@guarded
def add_interview(request: Request, body: InterviewIn, who: Actor = Who) -> dict[str, Any]:
    row = interviews.add(store_of(request), who, body.values, incidents=body.incidents)
    return protected.redact("interview", row, who)


@router.post("/interviews/import", responses=ERRORS, summary="Import a KoBo/ODK XLSX export")
@guarded
def import_interviews(
    request: Request,
    file: UploadFile = File(...),
    kind: str | None = Form(None),
    who: Actor = Who,
) -> dict[str, int]:
    require(who, "interviews")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "upload.xlsx"
        p.write_bytes(file.file.read())
        return interviews.import_xlsx(store_of(request), who, p, kind=kind)


@router.get("/interviews/{code:path}", responses=ERRORS, summary="One interview")
@guarded
def get_interview(request: Request, code: str, who: Actor = Who) -> dict[str, Any]:
    return interviews.get(store_of(request), who, code)


@router.get("/public/interviews", responses=ERRORS, summary="Interviews, public view")
def public_interviews(request: Request) -> dict[str, Any]:
    rows = protected.public_interviews(store_of(request))
    return {"interviews": rows, "withheld": protected.withheld_manifest(len(rows))}


@router.post("/evidence", responses=ERRORS, status_code=201, summary="Attach an evidence file")
@guarded
def add_evidence(
    request: Request,
    file: UploadFile = File(...),
    source_id: int | None = Form(None),
    kind: str = Form("file"),
    url: str | None = Form(None),
    who: Actor = Who,
) -> dict[str, Any]:
    require(who, "evidence")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "upload"
        p.write_bytes(file.file.read())
        return evidence.add(
            store_of(request),
            who,
            p,
            source_id=source_id,
            kind=kind,
            url=url,
            name=Path(file.filename or "upload").name,
        )


@router.get("/evidence/verify", responses=ERRORS, summary="Re-hash every evidence file")
@guarded
def verify_evidence(request: Request, who: Actor = Who) -> dict[str, Any]:
    require(who, "evidence")
    return evidence.verify(store_of(request))


# ---- the conflict queue (issue 16) ----------------------------------------------------


class ResolveIn(BaseModel):
    keep: str = Field(description="team (keep the person's value) or source (take the import's)")
    reason: str | None = Field(None, max_length=10_000)


@router.get(
    "/conflicts",
    responses=ERRORS,
    summary="Fields where a re-import disagrees with the team (open ones; ?status=all)",
)
@guarded
def list_conflicts(
    request: Request, status: str = "open", who: Actor = Who
) -> list[dict[str, Any]]:
    from ...workflow import conflicts

    return conflicts.list_conflicts(store_of(request), who, None if status == "all" else status)


@router.post(
    "/conflicts/{conflict_id}/resolve",
    responses=ERRORS,
    summary="Resolve a conflict: keep the team's value or take the source's (reviewer)",
)
@guarded
@conflicts_as_409
def resolve_conflict(
    request: Request, conflict_id: int, body: ResolveIn, who: Actor = Who
) -> dict[str, Any]:
    from ...workflow import conflicts

    return conflicts.resolve(store_of(request), who, conflict_id, body.keep, body.reason)
