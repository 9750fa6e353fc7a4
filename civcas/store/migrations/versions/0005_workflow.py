"""research workflow: users, tokens, sessions, revisions, evidence, interviews

Revision ID: 0005_workflow
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_workflow"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wf_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "wf_api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("wf_user.id"), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.Text()),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "wf_session",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("wf_user.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "wf_login_failure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_index("ix_wf_login_failure_key", "wf_login_failure", ["key", "at"])
    op.create_table(
        "wf_revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False, unique=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_key", sa.String(200), nullable=False),
        sa.Column("before", sa.Text()),
        sa.Column("after", sa.Text()),
        sa.Column("reason", sa.Text()),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_wf_revision_entity", "wf_revision", ["entity", "entity_key"])
    op.create_table(
        "wf_evidence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column(
            "source_id",
            sa.Integer(),
            sa.ForeignKey("source.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("original_name", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_wf_evidence_sha", "wf_evidence", ["sha256"])
    op.create_table(
        "wf_interview",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("place", sa.Text()),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
        sa.Column("interviewer", sa.Text()),
        sa.Column("witness_name", sa.Text()),
        sa.Column("witness_contact", sa.Text()),
        sa.Column("witness_latitude", sa.Float()),
        sa.Column("witness_longitude", sa.Float()),
        sa.Column("consent", sa.String(20), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "wf_interview_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "interview_id",
            sa.Integer(),
            sa.ForeignKey("wf_interview.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("incident_id", sa.Integer(), sa.ForeignKey("incident.id", ondelete="CASCADE")),
        sa.Column("victim_id", sa.Integer(), sa.ForeignKey("victim.id", ondelete="SET NULL")),
    )
    op.create_table(
        "wf_submission",
        sa.Column(
            "incident_id",
            sa.Integer(),
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("submitted_by", sa.Integer(), sa.ForeignKey("wf_user.id"), nullable=False),
        sa.Column("review_state", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    for name in (
        "wf_submission",
        "wf_interview_link",
        "wf_interview",
        "wf_evidence",
        "wf_revision",
        "wf_login_failure",
        "wf_session",
        "wf_api_token",
        "wf_user",
    ):
        op.drop_table(name)
