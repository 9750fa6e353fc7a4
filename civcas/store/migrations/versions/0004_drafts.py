"""draft reports from text extraction, awaiting review

Revision ID: 0004_drafts
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_drafts"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("source_path", sa.Text()),
        sa.Column("source_sha256", sa.String(64)),
        sa.Column("url", sa.Text()),
        sa.Column("lang", sa.String(10)),
        sa.Column("published", sa.Date()),
        sa.Column("date", sa.Date()),
        sa.Column("place", sa.Text()),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
        sa.Column("killed_min", sa.Integer()),
        sa.Column("killed_max", sa.Integer()),
        sa.Column("injured_min", sa.Integer()),
        sa.Column("injured_max", sa.Integer()),
        sa.Column("actor", sa.String(100)),
        sa.Column("weapon", sa.String(40)),
        sa.Column("claim_json", sa.Text(), nullable=False),
        sa.Column("candidates_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reviewed_by", sa.String(100)),
        sa.Column("reviewed_at", sa.DateTime()),
    )
    op.create_index("ix_draft_status", "draft_report", ["status"])


def downgrade() -> None:
    op.drop_index("ix_draft_status", table_name="draft_report")
    op.drop_table("draft_report")
