"""provenance per field, import as a merge, the conflict queue (issue 16)

Revision ID: 0008_provenance
Revises: 0007_accounts

- ``field_provenance``: the incident fields a person changed (and the source child rows
  a person deleted), with the revision that did it and the source's value at the time;
- ``merged_source``: source records a person marked as duplicates (a re-import must not
  bring them back);
- ``origin`` ('source' | 'team') and ``withdrawn_import_id`` on victims, sources,
  statements and assessments; ``withdrawn_import_id`` on incidents: rows that vanished
  from the source are flagged, never deleted;
- ``wf_conflict``: the conflict queue.

Adding a column with a constant default is instant on SQLite and PostgreSQL 11+.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_provenance"
down_revision = "0007_accounts"
branch_labels = None
depends_on = None

CHILDREN = ("incident_belligerent", "statement", "source", "victim")


def upgrade() -> None:
    op.add_column("incident", sa.Column("withdrawn_import_id", sa.Integer(), nullable=True))
    for t in CHILDREN:
        op.add_column(
            t,
            sa.Column("origin", sa.String(10), nullable=False, server_default="source"),
        )
        op.add_column(t, sa.Column("withdrawn_import_id", sa.Integer(), nullable=True))
    op.create_table(
        "field_provenance",
        sa.Column(
            "incident_id",
            sa.Integer(),
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("field", sa.String(300), primary_key=True),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("revision_seq", sa.Integer(), nullable=True),
        sa.Column("source_value", sa.Text(), nullable=True),
    )
    op.create_table(
        "merged_source",
        sa.Column("source_kind", sa.String(40), primary_key=True),
        sa.Column("source_id", sa.String(200), primary_key=True),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column(
            "into_id",
            sa.Integer(),
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("revision_seq", sa.Integer(), nullable=True),
    )
    op.create_table(
        "wf_conflict",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "incident_id",
            sa.Integer(),
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("field", sa.String(300), nullable=False),
        sa.Column("source_value", sa.Text()),
        sa.Column("team_value", sa.Text()),
        sa.Column("revision_seq", sa.Integer()),
        sa.Column("import_id", sa.Integer()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("resolved_by", sa.String(100)),
        sa.Column("reason", sa.Text()),
        sa.Column("resolved_at", sa.String(32)),
    )
    op.create_index("ix_wf_conflict_status", "wf_conflict", ["status", "incident_id"])


def downgrade() -> None:
    op.drop_index("ix_wf_conflict_status", table_name="wf_conflict")
    op.drop_table("wf_conflict")
    op.drop_table("merged_source")
    op.drop_table("field_provenance")
    for t in reversed(CHILDREN):
        with op.batch_alter_table(t) as batch:
            batch.drop_column("withdrawn_import_id")
            batch.drop_column("origin")
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("withdrawn_import_id")
