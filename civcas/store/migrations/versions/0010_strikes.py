"""strikes (issue 20): strike reports, the matcher's suggestions, incident.strike_status

Revision ID: 0010_strikes
Revises: 0009_integrity

strike_report holds one line of a belligerent's release (keyed by party, release date,
country and the line's position); strike_suggestion one suggestion of the matcher per
incident and settings, pending until a person accepts or rejects it;
incident.strike_status is the strike status of an allegation (declared, likely,
contested, single_source, unknown; NULL: not said).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_strikes"
down_revision = "0009_integrity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incident", sa.Column("strike_status", sa.String(20), nullable=True))
    op.create_table(
        "strike_report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party", sa.String(100), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("strike_date", sa.Date(), nullable=True),
        sa.Column("country", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("place_name", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
        sa.Column("place_precision", sa.String(20), nullable=False),
        sa.Column("located_as", sa.Text()),
        sa.Column("strikes", sa.Integer()),
        sa.Column("targets", sa.Text(), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint(
            "party", "release_date", "country", "position", name="uq_strike_report"
        ),
    )
    op.create_index("ix_strike_report_day", "strike_report", ["strike_date"])
    op.create_table(
        "strike_suggestion",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "incident_id",
            sa.Integer(),
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("settings", sa.String(200), nullable=False),
        sa.Column("suggested", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", sa.DateTime()),
        sa.Column("decision_reason", sa.Text()),
        sa.UniqueConstraint("incident_id", "settings", name="uq_strike_suggestion"),
    )
    op.create_index("ix_strike_suggestion_state", "strike_suggestion", ["state"])


def downgrade() -> None:
    op.drop_index("ix_strike_suggestion_state", "strike_suggestion")
    op.drop_table("strike_suggestion")
    op.drop_index("ix_strike_report_day", "strike_report")
    op.drop_table("strike_report")
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("strike_status")
