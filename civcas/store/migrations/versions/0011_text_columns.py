"""text columns without arbitrary limits (issue 18): belligerent, actor and place columns widened so PostgreSQL holds what SQLite holds

Revision ID: 0011_text_columns
Revises: 0010_strikes

Real exports carry longer names than VARCHAR(100): a UCDP GED side of 238 characters,
an ACLED actor of 113. SQLite never enforced the declared length, so the same file
imported there and was refused by PostgreSQL (StringDataRightTruncation). The
belligerent, actor and place columns become TEXT.

PostgreSQL: VARCHAR -> TEXT is binary coercible (no table rewrite; the indexes on
these columns stay valid). SQLite: nothing to do and nothing is done. Its declared
type is only an affinity (VARCHAR(n) and TEXT both have TEXT affinity, no length is
checked), and rebuilding ``incident`` the way batch mode does would drop and recreate
a table other tables reference with ON DELETE CASCADE.

``incident.fatalities_all`` (nullable, both engines) holds the deaths of every kind a
conflict-event source reports for an event (ACLED ``fatalities``, GED ``best``), which
are not civilian deaths and were counted as such before. It is a late column of the
audit state (civcas.store.history): NULL leaves every existing state hash as it was.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_text_columns"
down_revision = "0010_strikes"
branch_labels = None
depends_on = ("0004_drafts",)  # draft_report.actor is widened here

#: (table, column, nullable) of every column widened from VARCHAR(100) to TEXT
WIDENED = (
    ("incident", "governorate_en", True),
    ("incident", "governorate_ar", True),
    ("incident", "country", True),
    ("incident_belligerent", "belligerent", False),
    ("incident_belligerent", "belligerent_key", False),
    ("statement", "belligerent", False),
    ("draft_report", "actor", True),
    ("strike_report", "party", False),
    ("strike_report", "country", False),
)


def upgrade() -> None:
    # the deaths of every kind an ACLED or GED event reports (combatants included), kept
    # beside the civilian count instead of being counted as civilians
    op.add_column("incident", sa.Column("fatalities_all", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column, nullable in WIDENED:
        op.alter_column(
            table,
            column,
            type_=sa.Text(),
            existing_type=sa.String(100),
            existing_nullable=nullable,
        )


def downgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("fatalities_all")
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column, nullable in WIDENED:
        op.alter_column(
            table,
            column,
            type_=sa.String(100),
            existing_type=sa.Text(),
            existing_nullable=nullable,
        )
