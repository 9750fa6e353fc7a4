"""incident assignment to researchers (issue 24): the work queue's assigned-to

Revision ID: 0012_assignments
Revises: 0011_text_columns
"""

revision = "0012_assignments"
down_revision = "0011_text_columns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
