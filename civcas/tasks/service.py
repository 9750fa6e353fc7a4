"""Campaigns, the next item for a volunteer, answers, consensus and suggestions.

The rules live here; the SQL in ``civcas.store.tasks``. Who may do what:

- answering (``next_task``, ``answer``): volunteers and any signed-in team member
  (``roles.answers_tasks``), as themselves (a user id is needed);
- everything else (campaigns, items, consensus, exports, suggestions): the
  ``manage_tasks`` permission (researcher and above); accepting a suggestion into the
  record also needs what the change itself needs (``edit`` for an incident).

Redundancy: an item is done once ``k`` volunteers answered it and the most common answer
has at least the campaign's ``agreement`` share; while they disagree the item asks for
two more answers, up to ``k_max``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..model.errors import ConflictError, InputError, NotFoundError
from ..store import Store
from ..store import tasks as st
from ..workflow import audit
from ..workflow.roles import Actor, PermissionDenied, answers_tasks, require
from . import kinds
from .combine import ItemConsensus, Reliability, agreement, combine

ASSIGNMENT_TTL = dt.timedelta(minutes=30)
GOLD_WARMUP = 2  # gold items a volunteer is given first, to start their reliability


def _ts(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class ItemIn:
    key: str
    fields: dict[str, Any]
    gold: dict[str, Any] | None = None
    source_ref: str | None = None


# ---- campaigns and items ---------------------------------------------------------------


def campaign(store: Store, name: str) -> dict[str, Any]:
    with store.connect() as conn:
        c = st.campaign_by_name(conn, name)
    if c is None:
        raise NotFoundError(f"no task campaign named {name!r}")
    return c


def campaigns(store: Store, actor: Actor, kind: str | None = None) -> list[dict[str, Any]]:
    require(actor, "manage_tasks")
    with store.connect() as conn:
        return st.campaigns(conn, kind)


def ensure_campaign(
    store: Store,
    actor: Actor,
    name: str,
    kind: str,
    *,
    k: int = 3,
    k_max: int = 7,
    agreement_share: float = 0.75,
    question: str | None = None,
) -> dict[str, Any]:
    """The campaign ``name`` (created with these settings when new; its kind must match)."""
    require(actor, "manage_tasks")
    kinds.check_kind(kind)
    name = name.strip()
    if not name or len(name) > 100:
        raise InputError(f"campaign name {name!r}: expected 1 to 100 characters")
    if not 1 <= k <= k_max <= 50:
        raise InputError(f"redundancy: expected 1 <= k ({k}) <= k_max ({k_max}) <= 50")
    if not 0.5 <= agreement_share <= 1.0:
        raise InputError(f"agreement {agreement_share}: expected 0.5 to 1")
    with audit.writing(store) as conn:
        c = st.campaign_by_name(conn, name)
        if c is not None:
            if c["kind"] != kind:
                raise InputError(f"campaign {name!r} is of kind {c['kind']}, not {kind}")
            return c
        row = {
            "name": name,
            "kind": kind,
            "question": question,
            "k": k,
            "k_max": k_max,
            "agreement": agreement_share,
            "status": "open",
            "created_by": actor.name,
            "created_at": audit.now(),
        }
        row["id"] = st.insert_campaign(conn, row)
        _campaign_cache.pop(store.url, None)
        audit.record(conn, actor, "task.campaign", "task_campaign", name, None, row)
    return row


def add_items(store: Store, actor: Actor, name: str, items: list[ItemIn]) -> dict[str, int]:
    """Add items to a campaign; an item whose key it already holds is skipped (so a
    repeated import adds only the new ones). Fields and gold are checked first: one bad
    item refuses the whole set."""
    require(actor, "manage_tasks")
    c = campaign(store, name)
    seen: set[str] = set()
    for it in items:
        if not it.key or len(it.key) > 200:
            raise InputError(f"item_id {it.key!r}: expected 1 to 200 characters")
        if it.key in seen:
            raise InputError(f"item_id {it.key!r} is given twice")
        seen.add(it.key)
        kinds.check_fields(it.fields, f"item {it.key}")
    now = audit.now()
    with store.begin() as conn:
        have = st.existing_keys(conn, c["id"])
        rows = [
            {
                "campaign_id": c["id"],
                "item_key": it.key,
                "fields": st.dumps(it.fields),
                "gold": st.dumps(it.gold) if it.gold is not None else None,
                "source_ref": it.source_ref,
                "target": c["k"],
                "taken": 0,
                "answers": 0,
                "done": False,
                "created_at": now,
            }
            for it in items
            if it.key not in have
        ]
        st.insert_items(conn, rows)
    return {"added": len(rows), "skipped": len(items) - len(rows)}


# ---- answering -------------------------------------------------------------------------


class NotAnAnswerer(PermissionDenied):
    """Only a signed-in person (a volunteer or a team member) answers task items."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.permission = "answer_tasks"
        Exception.__init__(
            self,
            f"{actor.name or 'anonymous'} ({actor.role}) may not answer task items:"
            " sign in with your own account (volunteers: with your invitation)",
        )


def _need_answerer(actor: Actor) -> int:
    if not answers_tasks(actor.role) or actor.user_id is None:
        raise NotAnAnswerer(actor)
    return actor.user_id


#: per process: the campaigns of each database, read at most every CAMPAIGNS_TTL seconds
#: (one query less on every ``next``), and the volunteers known to be past the gold
#: warm-up (a fact that never becomes false)
CAMPAIGNS_TTL = 2.0
_campaign_cache: dict[str, tuple[float, list[dict[str, Any]]]] = {}
_warm: set[tuple[str, int]] = set()


def _open_campaigns(conn: Any, name: str | None, url: str = "") -> list[dict[str, Any]]:
    now = time.monotonic()
    hit = _campaign_cache.get(url) if url else None
    if hit is not None and now - hit[0] < CAMPAIGNS_TTL:
        every = hit[1]
    else:
        every = st.campaigns(conn)
        if url:
            _campaign_cache[url] = (now, every)
    cs = [c for c in every if c["status"] == "open"]
    if name is not None:
        cs = [c for c in cs if c["name"] == name]
    return cs


def _task(row: Any, by_id: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """(assignment id, item id, item key, fields JSON, campaign id) as the API shows it."""
    aid, _, key, fields, cid = row
    c = by_id[int(cid)]
    return {
        "task_id": int(aid),
        "item_id": key,
        "kind": c["kind"],
        "campaign": c["name"],
        "question": c["question"],
        "item": json.loads(fields),
    }


def next_task(
    store: Store, actor: Actor, campaign_name: str | None = None
) -> dict[str, Any] | None:
    """The volunteer's next item: the one they hold if they hold one, else a new one; None
    when nothing is left for them. Never an item they were given before."""
    uid = _need_answerer(actor)
    now = _now()
    for attempt in range(3):
        try:
            with store.begin() as conn:
                cs = _open_campaigns(conn, campaign_name, store.url)
                by_id = {c["id"]: c for c in cs}
                ids = list(by_id)
                if not ids:
                    return None
                if secrets.randbelow(20) == 0:
                    st.expire_assignments(conn, _ts(now))
                held = st.open_assignment(conn, uid, ids, _ts(now))
                if held is not None:
                    return _task(held, by_id)
                warm = False
                if (store.url, uid) not in _warm:
                    warm = st.gold_answered(conn, uid) < GOLD_WARMUP
                    if not warm:
                        _warm.add((store.url, uid))
                got = st.take_next(
                    conn, uid, ids, _ts(now), _ts(now + ASSIGNMENT_TTL), gold_first=warm
                )
                if got is None:
                    return None
                return _task(got, by_id)
        except IntegrityError:  # the same volunteer asked twice at once: ask again
            if attempt == 2:
                raise
    return None


def answer(store: Store, actor: Actor, task_id: int, value: Any) -> dict[str, Any]:
    """Record the volunteer's answer to their task. Sending the same answer again is
    harmless (``repeat``: true); a different one to an answered task is a conflict."""
    uid = _need_answerer(actor)
    now = _now()
    if not 0 < task_id < 2**31:  # ids are 32-bit: PostgreSQL would refuse the value
        raise NotFoundError(f"no task {task_id} for you")
    with store.begin() as conn:
        a = st.assignment_for_update(conn, task_id)
        if a is None or a["volunteer_id"] != uid:
            raise NotFoundError(f"no task {task_id} for you")
        c = next(
            (x for x in _open_campaigns(conn, None, store.url) if x["id"] == a["campaign_id"]),
            None,
        ) or st.campaign_by_id(conn, a["campaign_id"])
        assert c is not None
        norm = kinds.normalise(c["kind"], value, json.loads(a["fields"]))
        text = st.dumps(norm)
        if a["state"] == "answered":
            old = st.answer_of(conn, task_id)
            if old is not None and old["answer"] == text:
                return {"task_id": task_id, "recorded": True, "repeat": True, "answer": norm}
            raise ConflictError(f"task {task_id} was answered already")
        started = dt.datetime.strptime(a["assigned_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
        seconds = (now.replace(tzinfo=None) - started).total_seconds()
        item = st.record_answer(conn, a, text, _ts(now), round(seconds, 3))
        if item["answers"] >= item["target"] and not item["done"]:
            given = [json.loads(x) for x in st.item_answers(conn, item["id"])]
            if agreement(given) >= c["agreement"] or item["target"] >= c["k_max"]:
                st.set_item_progress(conn, item["id"], target=item["target"], done=True)
            else:
                more = min(c["k_max"], item["target"] + 2)
                st.set_item_progress(conn, item["id"], target=more, done=False)
    return {"task_id": task_id, "recorded": True, "repeat": False, "answer": norm}


def my_count(store: Store, actor: Actor) -> int:
    uid = _need_answerer(actor)
    with store.connect() as conn:
        return st.volunteer_count(conn, uid)


# ---- consensus and suggestions ---------------------------------------------------------


def _campaigns_for(store: Store, kind: str | None, name: str | None) -> list[dict[str, Any]]:
    with store.connect() as conn:
        cs = st.campaigns(conn, kind)
    if name is not None:
        cs = [c for c in cs if c["name"] == name]
        if not cs:
            raise NotFoundError(
                f"no task campaign named {name!r}" + (f" of kind {kind}" if kind else "")
            )
    return cs


def answers(
    store: Store, actor: Actor, kind: str | None = None, campaign_name: str | None = None
) -> list[dict[str, Any]]:
    require(actor, "manage_tasks")
    cs = _campaigns_for(store, kind, campaign_name)
    with store.connect() as conn:
        return st.answers(conn, [c["id"] for c in cs])


def consensus(
    store: Store,
    actor: Actor,
    kind: str,
    campaign_name: str | None = None,
    method: str = "ds",
) -> tuple[list[ItemConsensus], list[Reliability]]:
    """One consensus per answered item of the kind's campaigns (each campaign fitted on
    its own answers), and each volunteer's reliability."""
    require(actor, "manage_tasks")
    kinds.check_kind(kind)
    out: list[ItemConsensus] = []
    rel: list[Reliability] = []
    for c in _campaigns_for(store, kind, campaign_name):
        with store.connect() as conn:
            rows = st.answers(conn, [c["id"]])
        items, r = combine(rows, kind, method)
        out += items
        rel += r
    return out, rel


def suggest(store: Store, actor: Actor, kind: str, campaign_name: str | None = None) -> int:
    """A pending suggestion for each finished item that came from the record (it has a
    source) and is not gold; a reviewer accepts or rejects each. Returns how many are new."""
    require(actor, "manage_tasks")
    made = 0
    for c in _campaigns_for(store, kind, campaign_name):
        with store.connect() as conn:
            rows = st.answers(conn, [c["id"]])
            items = {i["item_key"]: i for i in st.items(conn, c["id"])}
        results, _ = combine(rows, kind)
        with store.begin() as conn:
            for r in results:
                it = items.get(r.item_id)
                if it is None or not it["done"] or it["source_ref"] is None or it["gold"]:
                    continue
                if r.answer == "unknown":  # the volunteers could not tell: nothing to suggest
                    continue
                sid = st.upsert_suggestion(
                    conn,
                    {
                        "item_id": it["id"],
                        "method": "dawid-skene",
                        "answer": st.dumps(r.answer),
                        "confidence": round(r.confidence, 4),
                        "n_answers": r.n_answers,
                        "detail": st.dumps(r.detail),
                        "state": "pending",
                        "created_at": audit.now(),
                    },
                )
                made += sid is not None
    return made


def _public_suggestion(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"],
        "campaign": r["campaign"],
        "kind": r["kind"],
        "item_id": r["item_key"],
        "source": r["source_ref"],
        "answer": json.loads(r["answer"]),
        "confidence": r["confidence"],
        "n_answers": r["n_answers"],
        "detail": json.loads(r["detail"]),
        "state": r["state"],
        "decided_by": r["decided_by"],
        "decided_at": r["decided_at"],
        "reason": r["reason"],
    }


def list_suggestions(
    store: Store, actor: Actor, state: str | None = "pending"
) -> list[dict[str, Any]]:
    require(actor, "manage_tasks")
    with store.connect() as conn:
        return [_public_suggestion(r) for r in st.suggestions(conn, state)]


def decide(
    store: Store, actor: Actor, sid: int, *, accept: bool, reason: str | None = None
) -> dict[str, Any]:
    """Accept a consensus into the record (through the record's own audited paths) or
    reject it. The audit trail names the campaign, the item, the suggestion and the
    consensus (method, confidence, number of answers)."""
    require(actor, "manage_tasks")
    if not 0 < sid < 2**31:
        raise NotFoundError(f"no task suggestion {sid}")
    with store.connect() as conn:
        row = st.suggestion(conn, sid)
    if row is None:
        raise NotFoundError(f"no task suggestion {sid}")
    if row["state"] != "pending":
        raise ConflictError(f"suggestion {sid} was already {row['state']} by {row['decided_by']}")
    s = _public_suggestion(row)
    why = (reason or "").strip() or None
    names = (
        f"task consensus: campaign {s['campaign']}, item {s['item_id']}, suggestion {sid}"
        f" (dawid-skene, confidence {s['confidence']}, {s['n_answers']} answers)"
    )
    ref = s["source"] or ""
    if accept:
        _apply(store, actor, s, ref, f"{names}" + (f": {why}" if why else ""))
    with audit.writing(store) as conn:
        if not st.decide_suggestion(
            conn, sid, "accepted" if accept else "rejected", actor.name, audit.now(), why
        ):
            raise ConflictError(f"suggestion {sid} was decided by someone else meanwhile")
        audit.record(
            conn,
            actor,
            "task.accept" if accept else "task.reject",
            "task_suggestion",
            f"{s['campaign']}/{s['item_id']}",
            None,
            {
                k: s[k]
                for k in (
                    "id",
                    "campaign",
                    "item_id",
                    "source",
                    "answer",
                    "confidence",
                    "n_answers",
                    "detail",
                )
            },  # fmt: skip
            why or names,
            states={},
        )
        row = st.suggestion(conn, sid)
    assert row is not None
    return _public_suggestion(row)


def _apply(store: Store, actor: Actor, s: dict[str, Any], ref: str, reason: str) -> None:
    """The record's own change for an accepted consensus, where the kind has one."""
    kind, _, key = ref.partition(":")
    ans = s["answer"]
    if kind == "incident" and s["kind"] == "locate" and isinstance(ans, dict) and "lat" in ans:
        from ..workflow import editing

        editing.edit(
            store,
            actor,
            key,
            {"latitude": ans["lat"], "longitude": ans["lon"]},
            expected_version=None,
            reason=reason,
        )
    elif kind == "pair" and s["kind"] == "same-person" and ans in ("yes", "no"):
        from ..store import linkage

        require(actor, "link")
        a, _, b = key.partition("|")
        linkage.record_decision(
            store, a, b, "accept" if ans == "yes" else "reject", actor.name, reason
        )


__all__ = [
    "ItemIn",
    "add_items",
    "answer",
    "answers",
    "campaign",
    "campaigns",
    "consensus",
    "decide",
    "ensure_campaign",
    "list_suggestions",
    "my_count",
    "next_task",
    "suggest",
]
