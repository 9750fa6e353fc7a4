"""The draft review view: claims read from text, each field beside the words it came from.

``civcas extract --into-db`` stores claims as draft reports; nothing extracted is
published. Here a researcher sees, for every field (date, place, counts, actor, weapon),
the value, the rule's confidence and the source span highlighted in its sentence, and
accepts or rejects the draft (the decision is recorded with their name).

Pages: ``GET /work/drafts`` (list), ``GET /work/drafts/{id}`` (one draft) and their JSON
twins (``Accept: application/json`` or a ``.json`` suffix); ``POST /work/drafts/{id}``
with ``decision`` = accepted | rejected (a form carrying the session's CSRF token).
Reading needs the researcher role (drafts are unpublished), deciding needs "edit".

Public surface: ``router`` (to be included by ``civcas.web.create_app``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import RedirectResponse, Response

from ..model.errors import InputError
from ..report.links import checked_links
from ..report.links import install as install_links
from ..store import drafts
from ..workflow.roles import Actor, PermissionDenied, can, require
from .render import JSONOut, wants_json
from .workflow.auth import actor, current, denied, store_of

router = APIRouter(include_in_schema=False)
_HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(
    directory=[str(_HERE / "templates"), str(_HERE / "workflow" / "templates")]
)
install_links(TEMPLATES.env)
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


def _page(request: Request, name: str, ctx: dict[str, Any]) -> Response:
    who, sess, _ = current(request)
    base = {"who": who, "csrf": sess.csrf if sess else "", "can": can}
    return TEMPLATES.TemplateResponse(request, name, {**base, **ctx})


@router.get("/work/drafts")
@router.get("/work/drafts.json")
def draft_list(request: Request, status: str = "draft", who: Actor = Who) -> Response:
    _need(who, "read_unpublished")
    if status not in (*drafts.STATUSES, "all"):
        raise InputError(f"status {status!r}: expected one of {', '.join(drafts.STATUSES)}, all")
    rows = checked_links(drafts.list_drafts(store_of(request), None if status == "all" else status))
    if wants_json(request):
        return JSONOut({"status": status, "drafts": rows})
    return _page(
        request, "review_drafts.html", {"rows": rows, "status": status, "show": show_value}
    )


@router.get("/work/drafts/{draft_id:int}.json")
@router.get("/work/drafts/{draft_id:int}")
def draft_page(request: Request, draft_id: int, who: Actor = Who) -> Response:
    _need(who, "read_unpublished")
    d = checked_links(drafts.get_draft(store_of(request), draft_id))
    if wants_json(request):
        return JSONOut(d)
    return _page(request, "review_draft.html", {"d": d, "rows": review_rows(d["claim"])})


@router.post("/work/drafts/{draft_id:int}")
def draft_decide(
    request: Request, draft_id: int, decision: str = Form(""), who: Actor = Who
) -> Response:
    _need(who, "edit")
    if decision not in ("accepted", "rejected"):
        raise HTTPException(400, "decision: expected accepted or rejected")
    drafts.set_status(store_of(request), draft_id, decision, who.name)
    return RedirectResponse(f"/work/drafts/{draft_id}", status_code=303)
