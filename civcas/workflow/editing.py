"""Editing the record: incidents and their sources, victims, assessments, statements.

Every operation checks the actor's role, writes the change and its audit revision in one
transaction, and raises the incident's ``version``. Passing the version the editor saw
(``expected_version``) makes a stale edit fail with :class:`EditConflict`, which carries
both versions, instead of silently overwriting a colleague's work.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import Connection, Table

from ..model.errors import ConflictError, InputError, NotFoundError, RowProblem
from ..model.vocab import Grade, normalise_grade
from ..store import Store, merge, queries
from ..store import schema as s
from ..store import workflow as sw
from ..store.writer import content_hash
from . import audit, fields
from . import changes as diffs
from .roles import Actor, PermissionDenied, can, require

TABLES: dict[str, Table] = {
    "source": s.source,
    "victim": s.victim,
    "assessment": s.incident_belligerent,
    "statement": s.statement,
}


class EditConflict(ConflictError):
    """Someone else saved the incident since the editor loaded it."""

    def __init__(self, code: str, mine: dict[str, Any], theirs: dict[str, Any]) -> None:
        self.code = code
        self.mine = mine
        self.theirs = theirs
        super().__init__(
            f"incident {code} was changed by someone else (now version {theirs.get('version')},"
            f" you edited version {mine.get('version')}): reload it and apply your change again"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "error": str(self),
            "code": self.code,
            "mine": jsonable(self.mine),
            "theirs": jsonable(self.theirs),
        }


def jsonable(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        k: (v.isoformat() if isinstance(v, dt.date | dt.datetime) else v) for k, v in row.items()
    }


def _load(conn: Connection, code: str) -> dict[str, Any]:
    row = sw.incident_row(conn, code)
    if row is None:
        raise NotFoundError(f"no incident with code {code!r}")
    return row


def _may_see(conn: Connection, actor: Actor, row: dict[str, Any]) -> bool:
    if row["published"] or can(actor.role, "read_unpublished"):
        return True
    if actor.user_id is not None and can(actor.role, "read_own_submissions"):
        sub = sw.submission(conn, row["id"])
        return bool(sub and sub["submitted_by"] == actor.user_id)
    return False


def check_publication(actor: Actor, what: str, before: bool | None, after: bool | None) -> None:
    """The one gate on publication: what the public sees changes only with ``publish``.

    ``before`` and ``after`` are the published state of the records a write touches (named
    by ``what`` in the error), as they were and as they would be. Every write to an incident goes through ``_bump``,
    which calls this when the write sets ``published``; a merge calls it for the records
    it moves (they take the kept incident's state). A route added later that updates an
    incident through ``_bump`` cannot skip it.
    """
    if bool(before) != bool(after) and not can(actor.role, "publish"):
        change = "publish" if after else "unpublish"
        raise PermissionDenied(actor, "publish", f"this would {change} {what}")


def _bump(
    conn: Connection,
    actor: Actor,
    row: dict[str, Any],
    expected_version: int | None,
    values: dict[str, Any],
    mine: dict[str, Any],
) -> int:
    if "published" in values:
        check_publication(actor, row["code"], row["published"], values["published"])
    values = {**values, "updated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None)}
    if not sw.bump_incident(conn, row["id"], expected_version, values):
        theirs = _load(conn, row["code"])
        raise EditConflict(row["code"], {**mine, "version": expected_version}, theirs)
    return int(row["version"]) + 1 if expected_version is None else expected_version + 1


def get(store: Store, actor: Actor, code: str) -> dict[str, Any]:
    """One incident as ``actor`` may see it (NotFound when they may not)."""
    inc = queries.get_incident(store, code, include_unpublished=True)
    with store.connect() as conn:
        if not _may_see(conn, actor, inc):
            raise NotFoundError(f"no incident with code {code!r}")
    return inc


def create(
    store: Store,
    actor: Actor,
    values: dict[str, Any],
    *,
    code: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """A new incident, unpublished until a reviewer publishes it.

    ``values`` may hold ``belligerents``, a list of assessments (as :func:`edit`)."""
    require(actor, "submit")
    with store.connect() as conn:
        data, wanted = _check(conn, values, partial=False)
    code = (code or "").strip() or f"CIV-{secrets.token_hex(4).upper()}"
    d = data["date_start"]
    row = {
        **data,
        "code": code,
        "source_kind": "civcas",
        "source_id": code,
        "content_hash": content_hash({"code": code, **data}),
        "month": d.strftime("%Y-%m") if d else None,
        "named_victims": 0,
        "published": False,
        "version": 1,
        "updated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
    }
    check_publication(actor, code, False, row["published"])
    with audit.writing(store) as conn:
        if sw.incident_row(conn, code) is not None:
            raise InputError(f"incident code {code!r} is already in use")
        if wanted:
            if any("id" in w for w in wanted):
                raise InputError(
                    "invalid belligerents",
                    problems=[RowProblem(1, "belligerents[0].id", None, "no id: a new incident")],
                )
            # the columns _denormalise derives from the rows, from the rows to be added
            first = wanted[0]
            row.update(
                belligerents="; ".join(w["belligerent"] for w in wanted),
                assessment=first.get("assessment") or fields.ASSESSMENT["assessment"](None),
                conceded_min=first.get("deaths_conceded_min"),
                conceded_max=first.get("deaths_conceded_max"),
            )
        row["id"] = sw.insert_row(conn, s.incident, row)
        if wanted:
            _apply_assessments(conn, row["id"], wanted)
            # the revision and the answer hold the structure, as an edit's do
            row["belligerents"] = [
                _shown(r) for r in _live(conn, s.incident_belligerent, row["id"])
            ]
        if actor.user_id is not None:
            sw.insert_row(
                conn,
                sw.wf_submission,
                {
                    "incident_id": row["id"],
                    "submitted_by": actor.user_id,
                    "review_state": "submitted",
                },
            )
        audit.record(conn, actor, "incident.create", "incident", code, None, jsonable(row), reason)
    return jsonable(row) or {}


_UNSET: Any = object()

#: an assessment's fields as the history shows them (no ids, keys or bookkeeping)
ASSESSMENT_SHOWN = ("belligerent", *(k for k in fields.ASSESSMENT if k != "belligerent"))


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """An assessment as the history records it: its id and its editable fields."""
    return {"id": row.get("id"), **{k: row.get(k) for k in ASSESSMENT_SHOWN}}


def _live(conn: Connection, table: Table, iid: int) -> list[dict[str, Any]]:
    """Child rows the source still has (withdrawn rows are kept, not edited, not shown)."""
    return [r for r in sw.child_rows(conn, table, iid) if r.get("withdrawn_import_id") is None]


def vocabulary(conn: Connection) -> tuple[list[str], list[str]]:
    """Belligerent names and roles the database already holds (what a form may offer
    beyond the vocabulary's canonical names)."""
    from sqlalchemy import select

    b = s.incident_belligerent.c
    names = [n for n in conn.execute(select(b.belligerent).distinct()).scalars() if n]
    roles = [n for n in conn.execute(select(b.role).distinct()).scalars() if n]
    return names, roles


def choices(store: Store) -> dict[str, list[str]]:
    """What the incident form offers for an assessment's belligerent and role."""
    with store.connect() as conn:
        names, roles = vocabulary(conn)
    return {
        "belligerent": fields.belligerent_choices(names),
        "role": fields.role_choices(roles),
    }


def _check(
    conn: Connection,
    changes: dict[str, Any],
    *,
    partial: bool,
    base: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """The scalar fields and the belligerents of ``changes``, checked together with the
    ranges and dates they make on ``base`` (the stored incident): one InputError naming
    every field that is wrong, so a form shows every problem at once."""
    changes = dict(changes)
    bells = changes.pop("belligerents", _UNSET)
    problems: list[RowProblem] = []
    data: dict[str, Any] = {}
    for k, v in changes.items():
        try:
            data.update(fields.clean(fields.INCIDENT, {k: v}, "incident", partial=True))
        except InputError as exc:
            problems += exc.problems
    if not partial:
        data = {**{k: p(None) for k, p in fields.INCIDENT.items()}, **data}
    whole = {**(base or {}), **data}
    for check in (
        lambda: fields.check_ranges(whole, "incident", fields.RANGES),
        lambda: fields.check_dates(whole) if ("date_start" in data or "date_end" in data) else None,
    ):
        try:
            check()
        except InputError as exc:
            problems += [p for p in exc.problems if p.field not in {q.field for q in problems}]
    wanted: list[dict[str, Any]] | None = None
    if bells is not _UNSET and bells is not None:
        names, roles = vocabulary(conn)
        try:
            wanted = fields.clean_assessments(bells, names, roles=roles)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError("invalid incident", problems=problems)
    return data, wanted


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and float(a) == float(b)
    return bool(a == b)


def _apply_assessments(
    conn: Connection, iid: int, wanted: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    """Make the incident's (live) assessments the ``wanted`` list: rows with an id are
    updated where they differ, rows without one added, stored rows not listed removed.
    Returns (before, after, source rows a person removed or renamed, with what happened).
    Every row a person touched becomes ``origin='team'``: a re-import never changes it."""
    table = s.incident_belligerent
    stored = _live(conn, table, iid)
    by_id = {r["id"]: r for r in stored}
    problems = [
        RowProblem(
            1, f"belligerents[{i}].id", w["id"], "the id of one of this incident's assessments"
        )
        for i, w in enumerate(wanted)
        if "id" in w and w["id"] not in by_id
    ]
    first: dict[str, int] = {}
    for i, w in enumerate(wanted):  # a party once, whether named now or kept as stored
        name = w.get("belligerent") or by_id.get(w.get("id"), {}).get("belligerent") or ""
        if name.lower() in first:
            problems.append(
                RowProblem(
                    1,
                    f"belligerents[{i}].belligerent",
                    name,
                    f"a party not listed already (it is item {first[name.lower()]})",
                )
            )
        first.setdefault(name.lower(), i)
    if problems:
        raise InputError("invalid belligerents", problems=problems)
    keep = {w["id"] for w in wanted if "id" in w}
    gone: list[tuple[str, dict[str, Any]]] = []
    # removals first: a party removed and added again in one save is not a duplicate key
    for r in stored:
        if r["id"] not in keep:
            sw.delete_row(conn, table, r["id"])
            if r.get("origin") != "team":
                gone.append(("deleted", r))
    after: list[dict[str, Any]] = []
    for w in wanted:
        if "id" in w:
            old = by_id[w["id"]]
            new = {**old, **{k: v for k, v in w.items() if k != "id"}}
            new["belligerent_key"] = new["belligerent"].lower()
            if any(not _same(old.get(k), new.get(k)) for k in ASSESSMENT_SHOWN):
                if old.get("origin") != "team" and old["belligerent_key"] != new["belligerent_key"]:
                    gone.append(("renamed", old))
                new["origin"] = "team"
                sw.update_row(conn, table, old["id"], {k: v for k, v in new.items() if k != "id"})
            after.append(new)
        else:
            new = {k: w.get(k, fields.ASSESSMENT[k](None)) for k in fields.ASSESSMENT}
            new.update(
                incident_id=iid,
                belligerent_key=new["belligerent"].lower(),
                role=new.get("role") or fields.ROLES[0],
                origin="team",
            )
            new["id"] = sw.insert_row(conn, table, new)
            after.append(new)
    return stored, after, gone


def edit(
    store: Store,
    actor: Actor,
    code: str,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Change some of an incident's fields, and (``changes["belligerents"]``: the whole
    list of its assessments, see :func:`civcas.workflow.fields.clean_assessments`) its
    belligerents, in one revision.

    Every value is checked before anything is written (one InputError naming each
    wrong field). Only what differs from the stored record is written, recorded in the
    revision (field: before, after) and marked as the team's: a form that sends every
    field back unchanged changes nothing. A save that changes nothing writes nothing.
    """
    require(actor, "edit")
    with audit.writing(store) as conn:
        row = _load(conn, code)
        data, wanted = _check(conn, changes, partial=True, base=row)
        changed = {k: v for k, v in data.items() if not _same(row[k], v)}
        if "date_start" in changed:
            d = changed["date_start"]
            changed["month"] = d.strftime("%Y-%m") if d else None
        bells: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None
        gone: list[tuple[str, dict[str, Any]]] = []
        derived: dict[str, Any] = {}
        if wanted is not None:
            old_b, new_b, gone = _apply_assessments(conn, row["id"], wanted)
            if [_shown(r) for r in old_b] != [_shown(r) for r in new_b]:
                bells = ([_shown(r) for r in old_b], [_shown(r) for r in new_b])
                derived = _denormalise(conn, row["id"])
        if not changed and bells is None:
            if expected_version is not None and expected_version != row["version"]:
                raise EditConflict(code, {"version": expected_version}, row)
            return jsonable(row) or {}
        before = {k: row[k] for k in changed}
        mine = {**changed, **({"belligerents": bells[1]} if bells else {})}
        version = _bump(conn, actor, row, expected_version, {**changed, **derived}, mine)
        rec_before = {**before, **({"belligerents": bells[0]} if bells else {})}
        rec_after = {**changed, **({"belligerents": bells[1]} if bells else {})}
        rev = audit.record(
            conn,
            actor,
            "incident.edit",
            "incident",
            code,
            jsonable({**rec_before, "version": row["version"]}),
            jsonable({**rec_after, "version": version}),
            reason,
        )
        if before:
            merge.mark_team(conn, row["id"], before, rev["seq"])
        for _, r in gone:
            merge.mark_deleted(conn, row["id"], "assessment", r, rev["seq"])
        return jsonable(_load(conn, code)) or {}


def warnings(inc: dict[str, Any]) -> list[dict[str, str]]:
    """What a reviewer should look at, without being stopped: an incident graded Fair
    or Confirmed (a likely civilian death in the headline) with no source recorded.

    ``inc``: an incident as :func:`get` returns it (with its ``sources``)."""
    out: list[dict[str, str]] = []
    live = [x for x in inc.get("sources") or [] if x.get("withdrawn_import_id") is None]
    if inc.get("grade") in (Grade.CONFIRMED.value, Grade.FAIR.value) and not live:
        out.append(
            {
                "field": "grade",
                "code": "graded_without_source",
                "message": f"graded {inc['grade']} with no source recorded: add the sources"
                " the grade rests on",
            }
        )
    return out


def grade(
    store: Store,
    actor: Actor,
    code: str,
    value: str,
    reason: str,
    *,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Set the grade; a reason is required, because a grade is a judgement."""
    require(actor, "grade")
    g = normalise_grade(value)
    problems = []
    if g is None:  # no default: a blank grade is refused, never taken as the first
        problems.append(RowProblem(1, "grade", value, ", ".join(x.value for x in Grade)))
    if not (reason or "").strip():
        problems.append(RowProblem(1, "reason", reason, "a reason (a grade is a judgement)"))
    if problems or g is None:
        raise InputError(
            "a grade (Confirmed, Fair, Weak, Contested or Discounted) and a reason are"
            " required to grade an incident",
            problems=problems,
        )
    with audit.writing(store) as conn:
        row = _load(conn, code)
        change = {"grade": g.value, "grade_reason": reason.strip()}
        version = _bump(conn, actor, row, expected_version, change, change)
        rev = audit.record(
            conn,
            actor,
            "incident.grade",
            "incident",
            code,
            {"grade": row["grade"], "grade_reason": row["grade_reason"], "version": row["version"]},
            {**change, "version": version},
            reason,
        )
        merge.mark_team(conn, row["id"], {k: row[k] for k in change}, rev["seq"])
        out = jsonable(_load(conn, code)) or {}
    out["warnings"] = warnings(get(store, actor, code))
    return out


def publish(
    store: Store,
    actor: Actor,
    code: str,
    published: bool = True,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    require(actor, "publish")
    with audit.writing(store) as conn:
        row = _load(conn, code)
        change = {"published": bool(published)}
        version = _bump(conn, actor, row, expected_version, change, change)
        sub = sw.submission(conn, row["id"])
        if sub:
            from sqlalchemy import update

            conn.execute(
                update(sw.wf_submission)
                .where(sw.wf_submission.c.incident_id == row["id"])
                .values(review_state="approved" if published else "submitted")
            )
        rev = audit.record(
            conn,
            actor,
            "incident.publish" if published else "incident.unpublish",
            "incident",
            code,
            {"published": row["published"], "version": row["version"]},
            {**change, "version": version},
            reason,
        )
        merge.mark_team(conn, row["id"], {"published": row["published"]}, rev["seq"])
        return jsonable(_load(conn, code)) or {}


def _denormalise(conn: Connection, iid: int) -> dict[str, Any]:
    """Columns on ``incident`` that tallies read without joins, from its child rows."""
    # rows the source withdrew (issue 16) are kept but no longer counted
    bells = [
        r
        for r in sw.child_rows(conn, s.incident_belligerent, iid)
        if r.get("withdrawn_import_id") is None
    ]
    vics = [r for r in sw.child_rows(conn, s.victim, iid) if r.get("withdrawn_import_id") is None]
    first = bells[0] if bells else None
    return {
        "belligerents": "; ".join(b["belligerent"] for b in bells) or None,
        "assessment": first["assessment"] if first else None,
        "conceded_min": first["deaths_conceded_min"] if first else None,
        "conceded_max": first["deaths_conceded_max"] if first else None,
        "named_victims": sum(
            1 for v in vics if v["status"] == "killed" and (v["name"] or v["name_ar"])
        ),
    }


def _check_child(kind: str, row: dict[str, Any]) -> None:
    missing = [k for k in fields.REQUIRED.get(kind, ()) if not row.get(k)]
    if missing:
        raise InputError(f"{kind}: {', '.join(missing)} is required")
    if kind == "assessment":
        fields.check_ranges(row, kind, ("deaths_conceded", "injuries_conceded"))
        row["belligerent_key"] = row["belligerent"].lower()
        row["role"] = row.get("role") or "suspected"


def _child_op(
    store: Store,
    actor: Actor,
    code: str,
    kind: str,
    op: str,
    child_id: int | None,
    values: dict[str, Any],
    expected_version: int | None,
    reason: str | None,
) -> dict[str, Any]:
    if kind not in TABLES:
        raise InputError(f"record kind {kind!r}: expected one of {', '.join(TABLES)}")
    table = TABLES[kind]
    with audit.writing(store) as conn:
        row = _load(conn, code)
        if not can(actor.role, "edit"):
            # contributors may add sources to their own unpublished submissions
            own = (
                actor.user_id is not None
                and (sub := sw.submission(conn, row["id"]))
                and (sub["submitted_by"] == actor.user_id)
            )
            if not (
                can(actor.role, "submit")
                and own
                and op == "add"
                and kind == "source"
                and not row["published"]
            ):
                raise PermissionDenied(actor, "edit")
        before: dict[str, Any] | None = None
        if child_id is not None:
            before = sw.child_row(conn, table, child_id)
            if before is None or before["incident_id"] != row["id"]:
                raise NotFoundError(f"no {kind} {child_id} on incident {code}")
        after: dict[str, Any] | None = None
        if op == "add":
            after = fields.clean(fields.CHILDREN[kind], values, kind, partial=False)
            _check_child(kind, after)
            after["incident_id"] = row["id"]
            after["origin"] = "team"  # an import never changes or deletes it
            after["id"] = sw.insert_row(conn, table, after)
        elif op == "edit":
            assert before is not None
            data = fields.clean(fields.CHILDREN[kind], values, kind, partial=True)
            after = {**before, **data, "origin": "team"}
            _check_child(kind, after)
            sw.update_row(conn, table, before["id"], {k: after[k] for k in after if k != "id"})
        else:
            assert before is not None
            sw.delete_row(conn, table, before["id"])
        version = _bump(
            conn,
            actor,
            row,
            expected_version,
            _denormalise(conn, row["id"]),
            {"kind": kind, "op": op, "values": values},
        )
        rev = audit.record(
            conn,
            actor,
            f"{kind}.{op}",
            "incident",
            code,
            jsonable({**(before or {}), "incident_version": row["version"]}),
            jsonable({**(after or {}), "incident_version": version}),
            reason,
        )
        if op == "delete" and before is not None and before.get("origin") != "team":
            merge.mark_deleted(conn, row["id"], kind, before, rev["seq"])
        return jsonable(after or before) or {}


def add_child(
    store: Store,
    actor: Actor,
    code: str,
    kind: str,
    values: dict[str, Any],
    *,
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    return _child_op(store, actor, code, kind, "add", None, values, expected_version, reason)


def edit_child(
    store: Store,
    actor: Actor,
    code: str,
    kind: str,
    child_id: int,
    values: dict[str, Any],
    *,
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    return _child_op(store, actor, code, kind, "edit", child_id, values, expected_version, reason)


def delete_child(
    store: Store,
    actor: Actor,
    code: str,
    kind: str,
    child_id: int,
    *,
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    return _child_op(store, actor, code, kind, "delete", child_id, {}, expected_version, reason)


def mark_duplicate(
    store: Store,
    actor: Actor,
    duplicate: str,
    keep: str,
    reason: str,
) -> dict[str, Any]:
    """Merge ``duplicate`` into ``keep``: its code and aliases become aliases of ``keep``,
    its sources and statements move over, its victims move unless already listed.

    The duplicate's records (sources, victims, statements, interview links) take the kept
    incident's published state: merging an unpublished incident into a published one
    publishes them, merging a published one into an unpublished one hides it. Either
    needs the publish permission; a merge within one state needs only ``link``.
    """
    require(actor, "link")
    if not (reason or "").strip():
        raise InputError("a reason is required to mark a duplicate")
    with audit.writing(store) as conn:
        dup, kept = _load(conn, duplicate), _load(conn, keep)
        if dup["id"] == kept["id"]:
            raise InputError(f"incident {duplicate} cannot be a duplicate of itself")
        state = "published" if kept["published"] else "unpublished"
        check_publication(
            actor,
            f"{dup['code']}'s records by merging them into the {state} incident {kept['code']}",
            dup["published"],
            kept["published"],
        )
        kids = {k: sw.child_rows(conn, t, dup["id"]) for k, t in TABLES.items()}
        dup_aliases = [a["alias"] for a in sw.child_rows(conn, s.incident_alias, dup["id"])]
        have_alias = {a["alias"] for a in sw.child_rows(conn, s.incident_alias, kept["id"])}
        have_victims = {
            (v["name"], v["name_ar"]) for v in sw.child_rows(conn, s.victim, kept["id"])
        }
        sw.move_children(conn, s.source, dup["id"], kept["id"])
        sw.move_children(conn, s.statement, dup["id"], kept["id"])
        for v in kids["victim"]:
            if (v["name"], v["name_ar"]) not in have_victims or not (v["name"] or v["name_ar"]):
                sw.update_row(conn, s.victim, v["id"], {"incident_id": kept["id"]})
        interviews_moved = conn.execute(
            sw.wf_interview_link.update()
            .where(sw.wf_interview_link.c.incident_id == dup["id"])
            .values(incident_id=kept["id"])
        ).rowcount
        # what moved is the team's now: a re-import of the kept incident's source keeps it
        for k in ("source", "statement", "victim"):
            merge.set_team_origin(conn, TABLES[k], [r["id"] for r in kids[k]])
        merge.repoint_merged(conn, dup["id"], kept["id"])
        sw.delete_incident(conn, dup["id"])
        for a in dict.fromkeys([dup["code"], *dup_aliases]):
            if a not in have_alias and a != kept["code"]:
                sw.insert_row(conn, s.incident_alias, {"incident_id": kept["id"], "alias": a})
        version = _bump(conn, actor, kept, None, _denormalise(conn, kept["id"]), {})
        away = audit.record(
            conn,
            actor,
            "incident.merged_away",
            "incident",
            dup["code"],
            jsonable(
                {
                    **dup,
                    **{k: [jsonable(r) for r in v] for k, v in kids.items()},
                    "aliases": dup_aliases,
                }
            ),
            {"merged_into": kept["code"]},
            reason,
        )
        audit.record(
            conn,
            actor,
            "incident.merge",
            "incident",
            kept["code"],
            {"version": kept["version"]},
            {"version": version, "absorbed": dup["code"], "interview_links": interviews_moved},
            reason,
        )
        merge.mark_merged(conn, dup, kept["id"], away["seq"])
        return jsonable(_load(conn, keep)) or {}


def history(store: Store, actor: Actor, code: str) -> list[dict[str, Any]]:
    """The incident's revisions, oldest first (researchers and above), each with its
    ``changes``: field, before and after as text (:func:`civcas.workflow.changes.describe`)."""
    require(actor, "read_audit")
    inc = queries.get_incident(store, code, include_unpublished=True)
    keys = [inc["code"], *inc["aliases"]]
    out: list[dict[str, Any]] = []
    for k in keys:
        out += audit.log(store, entity="incident", key=k)
    for r in out:
        r["changes"] = [c.to_json() for c in diffs.describe(r)]
    return sorted(out, key=lambda r: r["seq"])


def own_submissions(store: Store, actor: Actor) -> list[str]:
    require(actor, "read_own_submissions")
    if actor.user_id is None:
        return []
    with store.connect() as conn:
        return sw.submitted_codes(conn, actor.user_id)
