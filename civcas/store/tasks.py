"""Tables and SQL of volunteer micro-tasks (issue 21): campaigns, items, assignments,
answers, consensus suggestions and invitations.

The one hard promise is in :func:`take_next`: an item is never given twice to the same
volunteer, and k volunteers at most hold or have answered it, however many ask at once.
The database keeps it: ``task_assignment`` is unique on (item, volunteer), and the
choice of an item locks its row. On PostgreSQL the candidate row is taken with
``SELECT ... FOR UPDATE SKIP LOCKED`` (concurrent volunteers skip a row another one is
taking, instead of queueing on it); on SQLite the transaction first takes the database's
write lock, so choices are made one after the other.

An answer commits with its assignment's state and the item's counters in one
transaction; sending the same answer again (a retry after a lost response) finds it
stored and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    case,
    exists,
    func,
    insert,
    select,
    update,
)

from .schema import metadata

task_campaign = Table(
    "task_campaign",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),  # report | locate | same-person | image
    Column("question", Text),  # shown above each item; the kind's own when empty
    Column("k", Integer, nullable=False, default=3),  # answers per item
    Column("k_max", Integer, nullable=False, default=7),  # when they disagree, up to this
    Column("agreement", Float, nullable=False, default=0.75),  # share that ends an item
    Column("status", String(10), nullable=False, default="open"),  # open | closed
    Column("created_by", String(100), nullable=False),
    Column("created_at", String(32), nullable=False),
)

task_item = Table(
    "task_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "campaign_id", Integer, ForeignKey("task_campaign.id", ondelete="CASCADE"), nullable=False
    ),
    Column("item_key", String(200), nullable=False),  # the item_id users see
    Column("fields", Text, nullable=False),  # JSON: what a volunteer is shown
    Column("gold", Text, nullable=True),  # JSON: the known answer of a gold item
    Column("source_ref", String(300), nullable=True),  # "incident:CODE", "pair:A|B", ...
    Column("target", Integer, nullable=False),  # answers wanted now (k, more on disagreement)
    Column("taken", Integer, nullable=False, default=0),  # live assignments + answers
    Column("answers", Integer, nullable=False, default=0),
    Column("done", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("campaign_id", "item_key", name="uq_task_item_key"),
)
Index("ix_task_item_open", task_item.c.campaign_id, task_item.c.done, task_item.c.id)

task_assignment = Table(
    "task_assignment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("task_item.id", ondelete="CASCADE"), nullable=False),
    Column("volunteer_id", Integer, ForeignKey("wf_user.id"), nullable=False),
    Column("state", String(10), nullable=False, default="open"),  # open | answered | expired
    Column("assigned_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    UniqueConstraint("item_id", "volunteer_id", name="uq_task_assignment_once"),
)
Index("ix_task_assignment_volunteer", task_assignment.c.volunteer_id, task_assignment.c.state)
Index("ix_task_assignment_expiry", task_assignment.c.state, task_assignment.c.expires_at)

task_answer = Table(
    "task_answer",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "assignment_id",
        Integer,
        ForeignKey("task_assignment.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("item_id", Integer, ForeignKey("task_item.id", ondelete="CASCADE"), nullable=False),
    Column("volunteer_id", Integer, ForeignKey("wf_user.id"), nullable=False),
    Column("answer", Text, nullable=False),  # JSON, as the kind's validation normalised it
    Column("answered_at", String(32), nullable=False),
    Column("seconds", Float, nullable=True),  # from assignment to answer
)
Index("ix_task_answer_item", task_answer.c.item_id)
Index("ix_task_answer_volunteer", task_answer.c.volunteer_id)
Index("ix_task_answer_time", task_answer.c.answered_at)

task_suggestion = Table(
    "task_suggestion",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("task_item.id", ondelete="CASCADE"), nullable=False),
    Column("method", String(40), nullable=False),  # dawid-skene | weighted-median | ...
    Column("answer", Text, nullable=False),  # JSON
    Column("confidence", Float, nullable=True),
    Column("n_answers", Integer, nullable=False),
    Column("detail", Text, nullable=False, default="{}"),  # JSON: interval, radius, votes
    Column("state", String(10), nullable=False, default="pending"),
    Column("created_at", String(32), nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", String(32)),
    Column("reason", Text),
    UniqueConstraint("item_id", "method", "answer", name="uq_task_suggestion"),
)
Index("ix_task_suggestion_state", task_suggestion.c.state)

task_invitation = Table(
    "task_invitation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("label", Text),
    Column("created_by", String(100), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("max_uses", Integer, nullable=False, default=1),
    Column("uses", Integer, nullable=False, default=0),
)

TASK_TABLES = (
    task_campaign,
    task_item,
    task_assignment,
    task_answer,
    task_suggestion,
    task_invitation,
)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---- campaigns and items ---------------------------------------------------------------


def campaign_by_name(conn: Connection, name: str) -> dict[str, Any] | None:
    r = conn.execute(select(task_campaign).where(task_campaign.c.name == name)).first()
    return dict(r._mapping) if r else None


def campaign_by_id(conn: Connection, cid: int) -> dict[str, Any] | None:
    r = conn.execute(select(task_campaign).where(task_campaign.c.id == cid)).first()
    return dict(r._mapping) if r else None


def campaigns(conn: Connection, kind: str | None = None) -> list[dict[str, Any]]:
    q = select(task_campaign).order_by(task_campaign.c.id)
    if kind:
        q = q.where(task_campaign.c.kind == kind)
    return [dict(r._mapping) for r in conn.execute(q)]


def insert_campaign(conn: Connection, row: dict[str, Any]) -> int:
    return int(
        conn.execute(insert(task_campaign).values(**row).returning(task_campaign.c.id)).scalar_one()
    )


def existing_keys(conn: Connection, campaign_id: int) -> set[str]:
    q = select(task_item.c.item_key).where(task_item.c.campaign_id == campaign_id)
    return {str(k) for k in conn.execute(q).scalars()}


def insert_items(conn: Connection, rows: list[dict[str, Any]]) -> int:
    for i in range(0, len(rows), 1000):
        conn.execute(insert(task_item), rows[i : i + 1000])
    return len(rows)


def items(conn: Connection, campaign_id: int) -> list[dict[str, Any]]:
    q = select(task_item).where(task_item.c.campaign_id == campaign_id).order_by(task_item.c.id)
    return [dict(r._mapping) for r in conn.execute(q)]


def item_by_id(conn: Connection, item_id: int) -> dict[str, Any] | None:
    r = conn.execute(select(task_item).where(task_item.c.id == item_id)).first()
    return dict(r._mapping) if r else None


# ---- taking the next item --------------------------------------------------------------


def _take_write_lock(conn: Connection) -> None:
    """SQLite: take the database's write lock now (a no-op write), so that the read that
    chooses an item sees every committed assignment and no one else can choose meanwhile."""
    if conn.dialect.name == "sqlite":
        conn.execute(update(task_campaign).where(task_campaign.c.id < 0).values(status="open"))


def open_assignment(conn: Connection, volunteer_id: int, campaign_ids: list[int], now: str) -> Any:
    """The volunteer's live assignment, if any (asking again gives the same item back)."""
    a, i = task_assignment, task_item
    q = (
        select(a.c.id, a.c.item_id, i.c.item_key, i.c.fields, i.c.campaign_id)
        .join(i, i.c.id == a.c.item_id)
        .where(
            a.c.volunteer_id == volunteer_id,
            a.c.state == "open",
            a.c.expires_at > now,
            i.c.campaign_id.in_(campaign_ids),
        )
        .order_by(a.c.id)
        .limit(1)
    )
    return conn.execute(q).first()


def expire_assignments(conn: Connection, now: str, limit: int = 200) -> int:
    """Give the places of assignments left unanswered past their time back to others.

    Each expired assignment's row is claimed by the UPDATE ... WHERE state = 'open' of
    this transaction, so two workers never give the same place back twice."""
    a, i = task_assignment, task_item
    ids = list(
        conn.execute(
            select(a.c.id, a.c.item_id)
            .where(a.c.state == "open", a.c.expires_at <= now)
            .order_by(a.c.id)
            .limit(limit)
        )
    )
    n = 0
    for aid, item_id in ids:
        got = conn.execute(
            update(a).where(a.c.id == aid, a.c.state == "open").values(state="expired")
        ).rowcount
        if got:
            conn.execute(update(i).where(i.c.id == item_id).values(taken=i.c.taken - 1))
            n += 1
    return n


def take_next(
    conn: Connection,
    volunteer_id: int,
    campaign_ids: list[int],
    now: str,
    expires_at: str,
    *,
    gold_first: bool = False,
) -> tuple[int, int, str, str, int] | None:
    """Assign one item to the volunteer: (assignment id, item id, item key, fields JSON,
    campaign id), or None.

    Candidates: open items of the campaigns with fewer holders than their target, that
    this volunteer was never given, oldest first (so items are finished in the order they
    came, not all half-seen). ``gold_first`` tries gold items first (a volunteer whose
    reliability is not known yet). The scan follows the index on (campaign, done, id)
    and stops at the first free row: a choice costs the same with 100 or 100,000 items.
    """
    if not campaign_ids:
        return None
    if conn.dialect.name == "postgresql":
        return _take_next_pg(conn, volunteer_id, campaign_ids, now, expires_at, gold_first)
    _take_write_lock(conn)
    i, a = task_item, task_assignment
    seen = exists().where(a.c.item_id == i.c.id, a.c.volunteer_id == volunteer_id)
    base = [i.c.campaign_id.in_(campaign_ids), i.c.done.is_(False), i.c.taken < i.c.target, ~seen]
    item_id = None
    for extra in ([i.c.gold.is_not(None)], []) if gold_first else ([],):
        q = select(i.c.id).where(*base, *extra).order_by(i.c.id).limit(1)
        if conn.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True, of=i)
        item_id = conn.execute(q).scalar()
        if item_id is not None:
            break
    if item_id is None:
        return None
    # the row is ours (locked on PostgreSQL, the database is on SQLite): count the place
    row = conn.execute(
        update(i)
        .where(i.c.id == item_id)
        .values(taken=i.c.taken + 1)
        .returning(i.c.item_key, i.c.fields, i.c.campaign_id)
    ).one()
    aid = conn.execute(
        insert(a)
        .values(
            item_id=item_id,
            volunteer_id=volunteer_id,
            state="open",
            assigned_at=now,
            expires_at=expires_at,
        )
        .returning(a.c.id)
    ).scalar_one()
    return (int(aid), int(item_id), str(row[0]), str(row[1]), int(row[2]))


_PG_TAKE = """
WITH pick AS (
    SELECT i.id FROM task_item i
    WHERE i.campaign_id IN :campaigns AND i.done IS false AND i.taken < i.target {gold}
      AND NOT EXISTS (SELECT 1 FROM task_assignment a
                      WHERE a.item_id = i.id AND a.volunteer_id = :volunteer)
    ORDER BY i.id LIMIT 1 FOR UPDATE OF i SKIP LOCKED
), counted AS (
    UPDATE task_item t SET taken = t.taken + 1 FROM pick WHERE t.id = pick.id
    RETURNING t.id, t.item_key, t.fields, t.campaign_id
), given AS (
    INSERT INTO task_assignment (item_id, volunteer_id, state, assigned_at, expires_at)
    SELECT counted.id, :volunteer, 'open', :now, :expires FROM counted
    RETURNING id, item_id
)
SELECT given.id, counted.id, counted.item_key, counted.fields, counted.campaign_id
FROM given JOIN counted ON counted.id = given.item_id
"""


def _take_next_pg(
    conn: Connection,
    volunteer_id: int,
    campaign_ids: list[int],
    now: str,
    expires_at: str,
    gold_first: bool,
) -> tuple[int, int, str, str, int] | None:
    """take_next on PostgreSQL in one statement (one round trip): choose and lock the row
    (FOR UPDATE SKIP LOCKED), count the place, insert the assignment."""
    from sqlalchemy import bindparam, text

    params = {"campaigns": list(campaign_ids), "volunteer": volunteer_id, "now": now,
              "expires": expires_at}  # fmt: skip
    for gold in ("AND i.gold IS NOT NULL", "") if gold_first else ("",):
        q = text(_PG_TAKE.format(gold=gold)).bindparams(bindparam("campaigns", expanding=True))
        r = conn.execute(q, params).first()
        if r is not None:
            return (int(r[0]), int(r[1]), str(r[2]), str(r[3]), int(r[4]))
    return None


def gold_answered(conn: Connection, volunteer_id: int) -> int:
    q = (
        select(func.count())
        .select_from(task_answer.join(task_item, task_item.c.id == task_answer.c.item_id))
        .where(task_answer.c.volunteer_id == volunteer_id, task_item.c.gold.is_not(None))
    )
    return int(conn.execute(q).scalar_one())


# ---- answering -------------------------------------------------------------------------


def assignment_for_update(conn: Connection, assignment_id: int) -> dict[str, Any] | None:
    """The assignment with its item's campaign, its row locked (PostgreSQL) or the
    database's write lock taken (SQLite) for the rest of the transaction."""
    _take_write_lock(conn)
    a, i = task_assignment, task_item
    q = (
        select(a, i.c.campaign_id, i.c.fields, i.c.item_key)
        .join(i, i.c.id == a.c.item_id)
        .where(a.c.id == assignment_id)
    )
    if conn.dialect.name == "postgresql":
        q = q.with_for_update(of=a)
    r = conn.execute(q).first()
    return dict(r._mapping) if r else None


def answer_of(conn: Connection, assignment_id: int) -> dict[str, Any] | None:
    r = conn.execute(
        select(task_answer).where(task_answer.c.assignment_id == assignment_id)
    ).first()
    return dict(r._mapping) if r else None


_PG_ANSWER = """
WITH stored AS (
    INSERT INTO task_answer (assignment_id, item_id, volunteer_id, answer, answered_at, seconds)
    VALUES (:aid, :item, :volunteer, :answer, :now, :seconds) RETURNING item_id
), closed AS (
    UPDATE task_assignment SET state = 'answered' WHERE id = :aid RETURNING id
)
UPDATE task_item SET answers = answers + 1, taken = taken + :retake
WHERE id = (SELECT item_id FROM stored) AND EXISTS (SELECT 1 FROM closed)
RETURNING *
"""


def record_answer(
    conn: Connection,
    assignment: dict[str, Any],
    answer_json: str,
    now: str,
    seconds: float | None,
) -> dict[str, Any]:
    """Store the answer, close the assignment, count it on the item; the item's row
    after the count (its ``answers``, ``target`` and ``taken``)."""
    a, i = task_assignment, task_item
    was_expired = assignment["state"] == "expired"
    if conn.dialect.name == "postgresql":  # one statement, one round trip
        from sqlalchemy import text

        r = conn.execute(
            text(_PG_ANSWER),
            {
                "aid": assignment["id"],
                "item": assignment["item_id"],
                "volunteer": assignment["volunteer_id"],
                "answer": answer_json,
                "now": now,
                "seconds": seconds,
                "retake": 1 if was_expired else 0,
            },
        ).first()
        assert r is not None
        return dict(r._mapping)
    conn.execute(
        insert(task_answer).values(
            assignment_id=assignment["id"],
            item_id=assignment["item_id"],
            volunteer_id=assignment["volunteer_id"],
            answer=answer_json,
            answered_at=now,
            seconds=seconds,
        )
    )
    conn.execute(update(a).where(a.c.id == assignment["id"]).values(state="answered"))
    values: dict[str, Any] = {"answers": i.c.answers + 1}
    if was_expired:  # its place had been given back: it is taken again by this answer
        values["taken"] = i.c.taken + 1
    row = conn.execute(
        update(i).where(i.c.id == assignment["item_id"]).values(**values).returning(i)
    ).first()
    assert row is not None
    return dict(row._mapping)


def item_answers(conn: Connection, item_id: int) -> list[str]:
    q = select(task_answer.c.answer).where(task_answer.c.item_id == item_id)
    return [str(v) for v in conn.execute(q).scalars()]


def set_item_progress(conn: Connection, item_id: int, *, target: int, done: bool) -> None:
    conn.execute(
        update(task_item).where(task_item.c.id == item_id).values(target=target, done=done)
    )


# ---- reading answers back --------------------------------------------------------------


def answers(conn: Connection, campaign_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Every answer of the campaigns: item key, volunteer name, answer JSON, gold JSON."""
    from .workflow import wf_user

    ans, i = task_answer, task_item
    q = (
        select(
            ans.c.id,
            i.c.id.label("item_db_id"),
            i.c.item_key,
            i.c.campaign_id,
            i.c.gold,
            wf_user.c.name.label("volunteer"),
            ans.c.answer,
            ans.c.answered_at,
            ans.c.seconds,
        )
        .join(i, i.c.id == ans.c.item_id)
        .join(wf_user, wf_user.c.id == ans.c.volunteer_id)
        .where(i.c.campaign_id.in_(list(campaign_ids)))
        .order_by(ans.c.id)
    )
    return [dict(r._mapping) for r in conn.execute(q)]


def volunteer_count(conn: Connection, volunteer_id: int) -> int:
    q = (
        select(func.count())
        .select_from(task_answer)
        .where(task_answer.c.volunteer_id == volunteer_id)
    )
    return int(conn.execute(q).scalar_one())


def progress(conn: Connection, campaign_id: int) -> dict[str, Any]:
    i = task_item
    r = conn.execute(
        select(
            func.count(),
            func.sum(case((i.c.done.is_(True), 1), else_=0)),
            func.sum(i.c.answers),
            func.sum(case((i.c.gold.is_not(None), 1), else_=0)),
        ).where(i.c.campaign_id == campaign_id)
    ).one()
    return {
        "items": int(r[0] or 0),
        "done": int(r[1] or 0),
        "answers": int(r[2] or 0),
        "gold": int(r[3] or 0),
    }


def answer_times(conn: Connection, campaign_id: int) -> list[tuple[str, int]]:
    """(answered_at, volunteer id) of every answer of a campaign, oldest first."""
    ans, i = task_answer, task_item
    q = (
        select(ans.c.answered_at, ans.c.volunteer_id)
        .join(i, i.c.id == ans.c.item_id)
        .where(i.c.campaign_id == campaign_id)
        .order_by(ans.c.answered_at)
    )
    return [(str(t), int(v)) for t, v in conn.execute(q)]


def assignment_pairs(conn: Connection) -> list[tuple[int, int]]:
    """(item, volunteer) of every assignment: for checks that none repeats."""
    a = task_assignment
    return [(int(x), int(y)) for x, y in conn.execute(select(a.c.item_id, a.c.volunteer_id))]


# ---- suggestions -----------------------------------------------------------------------


def upsert_suggestion(conn: Connection, row: dict[str, Any]) -> int | None:
    """Add a pending suggestion unless the same one exists (any state); its id or None."""
    s = task_suggestion
    found = conn.execute(
        select(s.c.id).where(
            and_(
                s.c.item_id == row["item_id"],
                s.c.method == row["method"],
                s.c.answer == row["answer"],
            )
        )
    ).scalar()
    if found is not None:
        return None
    return int(conn.execute(insert(s).values(**row).returning(s.c.id)).scalar_one())


def suggestions(conn: Connection, state: str | None = "pending") -> list[dict[str, Any]]:
    s, i, c = task_suggestion, task_item, task_campaign
    q = (
        select(
            s,
            i.c.item_key,
            i.c.source_ref,
            i.c.fields,
            c.c.name.label("campaign"),
            c.c.kind,
        )
        .join(i, i.c.id == s.c.item_id)
        .join(c, c.c.id == i.c.campaign_id)
        .order_by(s.c.id)
    )
    if state:
        q = q.where(s.c.state == state)
    return [dict(r._mapping) for r in conn.execute(q)]


def suggestion(conn: Connection, sid: int) -> dict[str, Any] | None:
    for r in suggestions(conn, None):
        if r["id"] == sid:
            return r
    return None


def decide_suggestion(
    conn: Connection, sid: int, state: str, who: str, at: str, reason: str | None
) -> bool:
    s = task_suggestion
    n = conn.execute(
        update(s)
        .where(s.c.id == sid, s.c.state == "pending")
        .values(state=state, decided_by=who, decided_at=at, reason=reason)
    ).rowcount
    return bool(n)


# ---- invitations -----------------------------------------------------------------------


def insert_invitation(conn: Connection, row: dict[str, Any]) -> int:
    t = task_invitation
    return int(conn.execute(insert(t).values(**row).returning(t.c.id)).scalar_one())


def use_invitation(conn: Connection, token_sha256: str, now: str) -> dict[str, Any] | None:
    """Count one use of a live invitation (one atomic UPDATE); the row, or None."""
    t = task_invitation
    r = conn.execute(
        update(t)
        .where(t.c.token_sha256 == token_sha256, t.c.expires_at > now, t.c.uses < t.c.max_uses)
        .values(uses=t.c.uses + 1)
        .returning(t)
    ).first()
    return dict(r._mapping) if r else None


def invitation(conn: Connection, token_sha256: str, now: str) -> dict[str, Any] | None:
    t = task_invitation
    r = conn.execute(
        select(t).where(
            t.c.token_sha256 == token_sha256, t.c.expires_at > now, t.c.uses < t.c.max_uses
        )
    ).first()
    return dict(r._mapping) if r else None


def assignment_for_read(conn: Connection, assignment_id: int) -> dict[str, Any] | None:
    """An assignment with its item's fields and source (no lock)."""
    a, i = task_assignment, task_item
    q = (
        select(a, i.c.fields, i.c.source_ref)
        .join(i, i.c.id == a.c.item_id)
        .where(a.c.id == assignment_id)
    )
    r = conn.execute(q).first()
    return dict(r._mapping) if r else None
