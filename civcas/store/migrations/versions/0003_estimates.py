"""estimates: saved multiple systems estimation results

Revision ID: 0003_estimates
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_estimates"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "estimate_result",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("n_observed", sa.Integer(), nullable=False),
        sa.Column("N", sa.Float(), nullable=True),
        sa.Column("ci_lo", sa.Float(), nullable=True),
        sa.Column("ci_hi", sa.Float(), nullable=True),
        sa.Column("model", sa.Text(), nullable=True),
        sa.Column("result_json", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("estimate_result")
