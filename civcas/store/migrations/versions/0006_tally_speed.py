"""fast tallies: per-record snapshot digest, covering tally index, conceded-sums index

Revision ID: 0006_tally_speed
Revises: 0001_initial

A branch off the initial schema (like 0002-0005) because it only touches the core
tables; ``Store.upgrade()`` goes to every head.

``row_digest`` is backfilled here with the same definition as ``writer.row_digest``
(repeated, so that this migration keeps meaning what it meant when it was written):
the first 8 bytes of SHA-256(code TAB content_hash) as a big-endian integer, shifted
right by 2 (62 bits, non-negative).
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0006_tally_speed"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

TALLY_COLUMNS = [
    "published",
    "grade",
    "month",
    "assessment",
    "id",
    "date_start",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed_min",
    "children_killed_max",
    "women_killed_min",
    "women_killed_max",
    "named_victims",
    "version",
    "row_digest",
]


def _digest(code: str, content_hash: str) -> int:
    d = hashlib.sha256(f"{code}\t{content_hash}".encode()).digest()
    return int.from_bytes(d[:8], "big") >> 2


def upgrade() -> None:
    # plain ADD COLUMN (nullable, no default): no table rebuild on SQLite
    op.add_column("incident", sa.Column("row_digest", sa.BigInteger(), nullable=True))
    conn = op.get_bind()
    incident = sa.table(
        "incident",
        sa.column("id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("content_hash", sa.String),
        sa.column("row_digest", sa.BigInteger),
    )
    rows = conn.execute(sa.select(incident.c.id, incident.c.code, incident.c.content_hash)).all()
    upd = (
        sa.update(incident)
        .where(incident.c.id == sa.bindparam("b_id"))
        .values(row_digest=sa.bindparam("b_digest"))
    )
    for start in range(0, len(rows), 10000):
        conn.execute(
            upd,
            [
                {"b_id": i, "b_digest": _digest(code, ch)}
                for i, code, ch in rows[start : start + 10000]
            ],
        )
    op.create_index("ix_incident_tally", "incident", TALLY_COLUMNS)
    op.create_index(
        "ix_incident_no_digest",
        "incident",
        ["id"],
        sqlite_where=sa.text("row_digest IS NULL"),
        postgresql_where=sa.text("row_digest IS NULL"),
    )
    # superseded by ix_incident_tally (month, grade are in it); one index less to keep
    # up to date on every insert
    op.drop_index("ix_incident_month_grade", table_name="incident")
    op.create_index("ix_ib_assessment", "incident_belligerent", ["assessment", "incident_id"])


def downgrade() -> None:
    op.drop_index("ix_ib_assessment", table_name="incident_belligerent")
    op.create_index("ix_incident_month_grade", "incident", ["month", "grade"])
    op.drop_index("ix_incident_no_digest", table_name="incident")
    op.drop_index("ix_incident_tally", table_name="incident")
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("row_digest")
