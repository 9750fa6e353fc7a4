"""The incident editor's pages (issue 24): one form per incident that cannot corrupt it.

Every field is offered as what it is (a dropdown for each vocabulary, a date, a number,
a link), the belligerents as a list of assessments each with its own small form, and
the form shows exactly what is stored. The library checks every value
(:func:`civcas.workflow.editing.edit`, the same call the JSON API makes); a refused save
answers 422 with the form as it was typed and each problem beside its field, never an
error page. After a save the browser is redirected back (POST/redirect/GET).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from ...model.errors import InputError
from ...model.vocab import Grade
from ...workflow import editing, fields
from ...workflow.roles import Actor, PermissionDenied, can, require
from . import forms
from .auth import actor, denied, store_of
from .pages import render

router = APIRouter(include_in_schema=False)
Who = Depends(actor)

#: the incident form's groups of fields, in order (the belligerents come after them)
GROUPS: list[tuple[str, list[str]]] = [
    ("when", ["date_start", "date_end", "date_precision"]),
    ("where", ["location_en", "location_ar", "governorate_en", "governorate_ar", "country",
               "latitude", "longitude", "location_precision"]),
    ("what", ["strike_type", "strike_status", "summary", "url"]),
    ("counts", [f"{r}_{e}" for r in fields.RANGES for e in ("min", "max")]),
]  # fmt: skip
#: records added with a form of their own (assessments are part of the incident form)
ADDED = {k: v for k, v in fields.CHILDREN.items() if k != "assessment"}


def back(code: str) -> RedirectResponse:
    return RedirectResponse(f"/work/incidents/{quote(code, safe='/')}", status_code=303)


def _need(who: Actor, permission: str) -> None:
    try:
        require(who, permission)
    except PermissionDenied as exc:
        raise denied(exc) from exc


def _assessment_spec(choices: dict[str, list[str]]) -> dict[str, Any]:
    """The assessment's fields, with the belligerent and role offered as dropdowns of
    what the server accepts (the vocabulary and what the database holds)."""
    spec: dict[str, Any] = dict(fields.ASSESSMENT)
    for name in ("belligerent", "role"):
        spec[name] = fields.choice(tuple(choices[name]), None if name == "belligerent" else "")
    return spec


def _is_blank(row: dict[str, str]) -> bool:
    return not any((row.get(k) or "").strip() for k in ("id", *fields.ASSESSMENT, "remove"))


def editor_page(
    request: Request,
    code: str,
    who: Actor,
    *,
    failed: str | None = None,
    typed: dict[str, str] | None = None,
    rows: list[dict[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The incident's page; after a refused save (``failed``: edit, grade or a record
    kind) the failed form shows what was ``typed`` and the ``errors`` beside it."""
    store = store_of(request)
    inc = editing.get(store, who, code)
    hist = editing.history(store, who, inc["code"]) if can(who.role, "read_audit") else []
    choices = editing.choices(store)
    editing_now = failed == "edit"
    values = typed if editing_now and typed is not None else forms.stored_values(inc)
    form_rows = rows if editing_now and rows is not None else forms.stored_rows(inc)
    blank = {k: "" for k in fields.ASSESSMENT}
    ctx = {
        "inc": inc,
        "history": hist,
        "warnings": editing.warnings(inc),
        "grades": [g.value for g in Grade],
        "groups": [(g, {n: fields.INCIDENT[n] for n in names}) for g, names in GROUPS],
        "assessment_spec": _assessment_spec(choices),
        "values": values,
        # one empty box to add a party (the one posted back empty is reused)
        "rows": form_rows if form_rows and _is_blank(form_rows[-1]) else [*form_rows, blank],
        "errors": (errors or {}) if editing_now else {},
        "expected_version": (typed or {}).get("expected_version") or inc["version"]
        if editing_now
        else inc["version"],
        "children": ADDED,
        "child_values": {failed: typed} if failed in ADDED else {},
        "child_errors": {failed: errors or {}} if failed in ADDED else {},
        "grade_values": typed if failed == "grade" else {},
        "grade_errors": (errors or {}) if failed == "grade" else {},
    }
    return render(request, "wf_incident.html", ctx, status=status)


@router.get("/work/incidents/{code:path}")
def editor(request: Request, code: str, who: Actor = Who) -> Response:
    _need(who, "submit")
    return editor_page(request, code, who)


def _conflict_page(request: Request, exc: editing.EditConflict) -> Response:
    return render(request, "wf_conflict.html", {"exc": exc}, status=409)


@router.post("/work/incidents")
async def create(request: Request, who: Actor = Who) -> Response:
    _need(who, "submit")
    form = await request.form()
    # the fields of the form (as before: another field posted here is not the incident's)
    values = {k: v for k, v in form.items() if k in fields.INCIDENT and isinstance(v, str)}
    code = form.get("code")
    code = code.strip() if isinstance(code, str) else ""
    try:
        inc = editing.create(store_of(request), who, values, code=code or None)
    except InputError as exc:  # the form again, as typed, each problem beside its field
        ctx = {
            "values": {**values, "code": code},
            "errors": forms.field_errors(exc),
            "groups": [(g, {n: fields.INCIDENT[n] for n in names}) for g, names in GROUPS],
        }
        return render(request, "wf_new.html", ctx, status=422)
    return back(inc["code"])


@router.post("/work/incidents/{code:path}/edit")
async def edit(request: Request, code: str, who: Actor = Who) -> Response:
    posted = forms.incident_form(await request.form())
    try:
        editing.edit(
            store_of(request),
            who,
            code,
            posted.changes,
            expected_version=posted.expected_version,
            reason=posted.reason,
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    except editing.EditConflict as exc:
        return _conflict_page(request, exc)
    except InputError as exc:
        typed = {**posted.typed, "expected_version": str(posted.expected_version or "")}
        return editor_page(
            request,
            code,
            who,
            failed="edit",
            typed=typed,
            rows=posted.rows,
            errors=forms.field_errors(exc, posted.row_of),
            status=422,
        )
    return back(code)


@router.post("/work/incidents/{code:path}/grade")
async def grade(request: Request, code: str, who: Actor = Who) -> Response:
    form = await request.form()
    typed = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    version = typed.get("expected_version", "")
    try:
        editing.grade(
            store_of(request),
            who,
            code,
            typed.get("grade", ""),
            typed.get("reason", ""),
            expected_version=int(version) if version.isdigit() else None,
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    except editing.EditConflict as exc:
        return _conflict_page(request, exc)
    except InputError as exc:
        errors = forms.field_errors(exc)
        return editor_page(
            request, code, who, failed="grade", typed=typed, errors=errors, status=422
        )
    return back(code)


@router.post("/work/incidents/{code:path}/publish")
async def publish(request: Request, code: str, who: Actor = Who) -> Response:
    form = await request.form()
    reason = form.get("reason")
    try:
        editing.publish(
            store_of(request),
            who,
            code,
            form.get("published", "1") == "1",
            reason=reason if isinstance(reason, str) and reason.strip() else None,
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    return back(code)


@router.post("/work/incidents/{code:path}/duplicate")
async def duplicate(request: Request, code: str, who: Actor = Who) -> Response:
    form = await request.form()
    keep, reason = form.get("keep", ""), form.get("reason", "")
    try:
        kept = editing.mark_duplicate(
            store_of(request),
            who,
            code,
            keep if isinstance(keep, str) else "",
            reason if isinstance(reason, str) else "",
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    return back(kept["code"])


@router.post("/work/incidents/{code:path}/records/{kind}")
async def add_record(request: Request, code: str, kind: str, who: Actor = Who) -> Response:
    values, version, reason = forms.child_form(await request.form(), kind)
    try:
        editing.add_child(
            store_of(request), who, code, kind, values, expected_version=version, reason=reason
        )
    except PermissionDenied as exc:
        raise denied(exc) from exc
    except editing.EditConflict as exc:
        return _conflict_page(request, exc)
    except InputError as exc:
        if kind not in ADDED:
            raise
        errors = forms.field_errors(exc)
        return editor_page(request, code, who, failed=kind, typed=values, errors=errors, status=422)
    return back(code)
