"""incident assignment to researchers (issue 24): the work queue's assigned-to

Revision ID: 0012_assignments
Revises: 0011_text_columns

wf_assignment: at most one researcher per incident (who, since when, by whom), kept
apart from ``incident`` so that taking or handing over work changes neither the record's
version (an editor's form stays valid) nor its state hash (issue 16). The revision index
on (actor, entity) serves the queue's "mine" filter (incidents I edited).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_assignments"
down_revision = "0011_text_columns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wf_assignment",
        sa.Column(
            "incident_id",
            sa.Integer(),
            sa.ForeignKey("incident.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("wf_user.id"), nullable=False),
        sa.Column("assigned_by", sa.String(100), nullable=False),
        sa.Column("assigned_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_wf_assignment_user", "wf_assignment", ["user_id"])
    op.create_index("ix_wf_revision_actor", "wf_revision", ["actor", "entity"])


def downgrade() -> None:
    op.drop_index("ix_wf_revision_actor", table_name="wf_revision")
    op.drop_index("ix_wf_assignment_user", table_name="wf_assignment")
    op.drop_table("wf_assignment")
