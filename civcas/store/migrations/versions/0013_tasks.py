"""volunteer micro-tasks (issue 21): task items, assignments, answers

Revision ID: 0013_tasks
Revises: 0012_assignments
"""

revision = "0013_tasks"
down_revision = "0012_assignments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
