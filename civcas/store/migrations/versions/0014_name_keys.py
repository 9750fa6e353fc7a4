"""name search keys (issue 19): one row per victim, derived from its names

Revision ID: 0014_name_keys
Revises: 0013_tasks

Derived data, refreshed from ``victim`` whenever a name changed (``source`` holds the
names a row was made from), so the table can be emptied at any time; no backfill here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_name_keys"
down_revision = "0013_tasks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "victim_name_key",
        sa.Column(
            "victim_id",
            sa.Integer(),
            sa.ForeignKey("victim.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("word_keys", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("victim_name_key")
