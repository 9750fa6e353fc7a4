"""volunteer micro-tasks (issue 21): task items, assignments, answers

Revision ID: 0013_tasks
Revises: 0012_assignments

task_campaign: a set of items of one kind (report, locate, same-person, image) with its
redundancy (k answers per item, up to k_max when they disagree). task_item: one item,
its fields and optional gold answer as JSON text. task_assignment: an item given to a
volunteer, unique on (item, volunteer), so no one is given an item twice. task_answer:
one answer per assignment. task_suggestion: a consensus waiting for a reviewer.
task_invitation: sign-up links for volunteers (only the token's SHA-256 is kept).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_tasks"
down_revision = "0012_assignments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_campaign",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("question", sa.Text()),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("k_max", sa.Integer(), nullable=False),
        sa.Column("agreement", sa.Float(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "task_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "campaign_id",
            sa.Integer(),
            sa.ForeignKey("task_campaign.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("item_key", sa.String(200), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("gold", sa.Text(), nullable=True),
        sa.Column("source_ref", sa.String(300), nullable=True),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("campaign_id", "item_key", name="uq_task_item_key"),
    )
    op.create_index("ix_task_item_open", "task_item", ["campaign_id", "done", "id"])
    op.create_table(
        "task_assignment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "item_id",
            sa.Integer(),
            sa.ForeignKey("task_item.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("volunteer_id", sa.Integer(), sa.ForeignKey("wf_user.id"), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("assigned_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("item_id", "volunteer_id", name="uq_task_assignment_once"),
    )
    op.create_index("ix_task_assignment_volunteer", "task_assignment", ["volunteer_id", "state"])
    op.create_index("ix_task_assignment_expiry", "task_assignment", ["state", "expires_at"])
    op.create_table(
        "task_answer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "assignment_id",
            sa.Integer(),
            sa.ForeignKey("task_assignment.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column(
            "item_id",
            sa.Integer(),
            sa.ForeignKey("task_item.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("volunteer_id", sa.Integer(), sa.ForeignKey("wf_user.id"), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.String(32), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
    )
    op.create_index("ix_task_answer_item", "task_answer", ["item_id"])
    op.create_index("ix_task_answer_volunteer", "task_answer", ["volunteer_id"])
    op.create_index("ix_task_answer_time", "task_answer", ["answered_at"])
    op.create_table(
        "task_suggestion",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "item_id",
            sa.Integer(),
            sa.ForeignKey("task_item.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("n_answers", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("decided_by", sa.String(100)),
        sa.Column("decided_at", sa.String(32)),
        sa.Column("reason", sa.Text()),
        sa.UniqueConstraint("item_id", "method", "answer", name="uq_task_suggestion"),
    )
    op.create_index("ix_task_suggestion_state", "task_suggestion", ["state"])
    op.create_table(
        "task_invitation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.Text()),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for name in (
        "task_invitation",
        "task_suggestion",
        "task_answer",
        "task_assignment",
        "task_item",
        "task_campaign",
    ):
        op.drop_table(name)
