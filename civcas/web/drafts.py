"""The draft review view: claims read from text, each field beside the words it came from.

``civcas extract --into-db`` stores claims as draft reports; nothing extracted is
published. Here a researcher sees, side by side, every field (date, place, counts,
actor, weapon) with its value and the rule's confidence, and the report's sentence with
each field's span highlighted; then accepts the draft into a new incident or into an
existing one (candidates by date, then distance to the claim's place), or rejects it.
Each decision is a revision in the audit chain (:mod:`civcas.workflow.drafts`).

Pages: ``GET /work/drafts`` (list), ``GET /work/drafts/{id}`` (one draft) and their JSON
twins (``Accept: application/json`` or a ``.json`` suffix); ``POST /work/drafts/{id}``
with ``decision`` = accepted (``into``: an incident code or ``new``) | rejected, a form
carrying the session's CSRF token. Reading needs the researcher role (drafts are
unpublished), deciding needs "edit". The JSON calls, in /openapi.json:
``GET /api/workflow/drafts``, ``GET /api/workflow/drafts/{id}``,
``POST /api/workflow/drafts/{id}/accept`` and ``.../reject``.

Public surface: ``router`` and ``api_router`` (included by ``civcas.web.create_app``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from ..report.links import checked_links
from ..workflow import drafts as wd
from ..workflow.roles import Actor, PermissionDenied, require
from .render import JSONOut, wants_json
from .workflow.auth import actor, denied, guarded, store_of
from .workflow.pages import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/workflow", tags=["workflow"])
Who = Depends(actor)

FIELDS = (
    ("date", "Date"),
    ("place", "Place"),
    ("civilians_killed", "Civilians killed"),
    ("injured", "Injured"),
    ("children_killed", "Children killed"),
    ("women_killed", "Women killed"),
    ("noncivilians_killed", "Combatants killed"),
    ("actor", "Blamed"),
    ("weapon", "Weapon"),
)
CONTEXT = 80  # characters shown either side of a span that lies outside the sentence
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Bad input; the message names the parameter."},
    401: {"description": "Not logged in (or a bad API token)."},
    403: {"description": "The role may not do this, or the CSRF token is missing."},
    404: {"description": "No such draft or incident."},
    409: {"description": "The draft was decided already."},
}


def _need(who: Actor, permission: str) -> None:
    try:
        require(who, permission)
    except PermissionDenied as exc:
        raise denied(exc) from exc


def show_value(name: str, value: Any) -> str:
    """A field's value as a reviewer reads it: '12-15', '12 or more', a place's name."""
    if value is None:
        return ""
    if isinstance(value, dict) and ("min" in value or "max" in value):
        lo, hi = value.get("min"), value.get("max")
        if lo is not None and hi is not None:
            return str(lo) if lo == hi else f"{lo}-{hi}"
        return f"{lo} or more" if lo is not None else f"up to {hi}"
    if name == "date" and isinstance(value, dict):
        return f"{value.get('date')} ({value.get('how')})"
    if name == "place" and isinstance(value, dict):
        bits = [value.get("name") or "", value.get("name_ar") or ""]
        label = " / ".join(b for b in bits if b)
        return label + (" (ambiguous)" if value.get("ambiguous") else "")
    return str(value)


def source_spans(claim: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """Each span of a field cut into (before, span, after) for highlighting.

    Offsets are into the report's text; the sentence kept with the claim gives the
    context. A span outside that sentence (a value taken from elsewhere in the report)
    is shown with its own offsets and no surrounding text.
    """
    field = claim.get(name) or {}
    sent = claim.get("sentence") or {}
    s0, stext = sent.get("start"), sent.get("text") or ""
    out = []
    for sp in field.get("spans") or []:
        start, end, text = sp.get("start"), sp.get("end"), sp.get("text") or ""
        if s0 is not None and start is not None and s0 <= start and end <= s0 + len(stext):
            a, b = start - s0, end - s0
            before = stext[max(0, a - CONTEXT) : a]
            out.append({"before": ("…" if a > CONTEXT else "") + before, "span": stext[a:b],
                        "after": stext[b : b + CONTEXT] + ("…" if len(stext) > b + CONTEXT else ""),
                        "start": start, "end": end, "in_sentence": True})  # fmt: skip
        else:
            out.append({"before": "", "span": text, "after": "", "start": start, "end": end,
                        "in_sentence": False})  # fmt: skip
    return out


def marked_sentence(claim: dict[str, Any]) -> list[dict[str, Any]]:
    """The claim's sentence cut at every span boundary: [{"text", "fields", "start"}].

    A piece with ``fields`` is highlighted on the page and names the fields read from it
    (spans may overlap: "12 civilians, including 3 children" holds two). Joined, the
    pieces are the sentence exactly.
    """
    sent = claim.get("sentence") or {}
    s0, stext = sent.get("start"), sent.get("text") or ""
    if s0 is None or not stext:
        return []
    spans: list[tuple[int, int, str]] = []
    for name, _ in FIELDS:
        for sp in (claim.get(name) or {}).get("spans") or []:
            a, b = sp.get("start"), sp.get("end")
            if a is not None and b is not None and s0 <= a < b <= s0 + len(stext):
                spans.append((a - s0, b - s0, name))
    cuts = sorted({0, len(stext), *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        names = [n for (x, y, n) in spans if x <= a and b <= y]
        out.append({"text": stext[a:b], "fields": names, "start": s0 + a})
    return out


def review_rows(claim: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, label in FIELDS:
        field = claim.get(name)
        rows.append({
            "name": name,
            "label": label,
            "value": show_value(name, field.get("value")) if field else "",
            "confidence": field.get("confidence") if field else None,
            "spans": source_spans(claim, name) if field else [],
        })  # fmt: skip
    return rows


def _status(status: str) -> str | None:
    return None if status == "all" else status


@router.get("/work/drafts")
@router.get("/work/drafts.json")
def draft_list(request: Request, status: str = "draft", who: Actor = Who) -> Response:
    _need(who, "read_unpublished")
    rows = checked_links(wd.list_drafts(store_of(request), who, _status(status)))
    if wants_json(request):
        return JSONOut({"status": status, "drafts": rows})
    return render(request, "wf_drafts.html", {"rows": rows, "status": status, "show": show_value})


@router.get("/work/drafts/{draft_id:int}.json")
@router.get("/work/drafts/{draft_id:int}")
def draft_page(request: Request, draft_id: int, who: Actor = Who) -> Response:
    _need(who, "read_unpublished")
    d = checked_links(wd.get(store_of(request), who, draft_id))
    if wants_json(request):
        return JSONOut(d)
    return render(
        request,
        "wf_draft.html",
        {
            "d": d,
            "rows": review_rows(d["claim"]),
            "pieces": marked_sentence(d["claim"]),
            "limits": {"days": wd.CANDIDATE_DAYS, "km": wd.CANDIDATE_KM},
        },
    )


@router.post("/work/drafts/{draft_id:int}")
def draft_decide(
    request: Request,
    draft_id: int,
    decision: str = Form(""),
    into: str = Form(""),
    into_code: str = Form("", max_length=200),
    reason: str = Form("", max_length=2000),
    who: Actor = Who,
) -> Response:
    """The review form; its JSON calls are ``POST /api/workflow/drafts/{id}/accept`` and
    ``/reject``."""
    _need(who, "edit")
    store = store_of(request)
    if decision == "accepted":
        wd.accept(store, who, draft_id, into_code.strip() or into, reason)
    elif decision == "rejected":
        wd.reject(store, who, draft_id, reason)
    else:
        raise HTTPException(400, "decision: expected accepted or rejected")
    return RedirectResponse(f"/work/drafts/{draft_id}", status_code=303)


# ---- JSON -------------------------------------------------------------------------------


class AcceptIn(BaseModel):
    into: str = Field(max_length=200, description='An incident code, or "new".')
    reason: str | None = Field(None, max_length=2000)


class RejectIn(BaseModel):
    reason: str | None = Field(None, max_length=2000)


@api_router.get("/drafts", responses=ERRORS, summary="Draft reports read from text")
@guarded
def drafts_json(
    request: Request,
    status: str = Query("draft", description="draft, accepted, rejected or all"),
    who: Actor = Who,
) -> Response:
    rows = checked_links(wd.list_drafts(store_of(request), who, _status(status)))
    return JSONOut({"status": status, "drafts": rows})


@api_router.get(
    "/drafts/{draft_id}", responses=ERRORS, summary="A draft: fields, spans, candidates"
)
@guarded
def draft_json(request: Request, draft_id: int, who: Actor = Who) -> Response:
    return JSONOut(checked_links(wd.get(store_of(request), who, draft_id)))


@api_router.post(
    "/drafts/{draft_id}/accept", responses=ERRORS, summary="Accept a draft into an incident"
)
@guarded
def accept_json(request: Request, draft_id: int, body: AcceptIn, who: Actor = Who) -> Response:
    out = wd.accept(store_of(request), who, draft_id, body.into, body.reason)
    return JSONOut(out)


@api_router.post("/drafts/{draft_id}/reject", responses=ERRORS, summary="Reject a draft")
@guarded
def reject_json(request: Request, draft_id: int, body: RejectIn, who: Actor = Who) -> Response:
    return JSONOut(wd.reject(store_of(request), who, draft_id, body.reason))
