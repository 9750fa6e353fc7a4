"""accounts hardening: atomic login throttle, known client addresses, token last use

Revision ID: 0007_accounts
Revises: 0005_workflow

wf_login_failure (one row per failure, counted then written: a race under concurrency,
and keyed by name alone, so anyone could lock a user out) is replaced by
wf_login_attempt (one counter row per throttle key, bumped by one atomic upsert) and
wf_login_known (addresses a user has logged in from, exempt from the per-name ceiling).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_accounts"
down_revision = "0005_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wf_login_attempt",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.String(32), nullable=False),
    )
    op.create_index("ix_wf_login_attempt_window", "wf_login_attempt", ["window_start"])
    op.create_table(
        "wf_login_known",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("wf_user.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("last_ok", sa.String(32), nullable=False),
    )
    op.add_column("wf_api_token", sa.Column("last_used_at", sa.String(32), nullable=True))
    op.drop_index("ix_wf_login_failure_key", table_name="wf_login_failure")
    op.drop_table("wf_login_failure")


def downgrade() -> None:
    op.create_table(
        "wf_login_failure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_index("ix_wf_login_failure_key", "wf_login_failure", ["key", "at"])
    with op.batch_alter_table("wf_api_token") as batch:
        batch.drop_column("last_used_at")
    op.drop_table("wf_login_known")
    op.drop_index("ix_wf_login_attempt_window", table_name="wf_login_attempt")
    op.drop_table("wf_login_attempt")
