"""record linkage: runs, linked people, review queue, clerical decisions

Revision ID: 0002_linkage
Revises: 0001_initial
"""

from alembic import op
import sqlalchemy as sa

revision = "0002_linkage"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("engine", sa.String(20), nullable=False),
        sa.Column("threshold_match", sa.Float(), nullable=False),
        sa.Column("threshold_review", sa.Float(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("model_json", sa.Text(), nullable=False),
    )
    op.create_table(
        "person_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(40), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("list", sa.String(200), nullable=False),
        sa.Column("unique_id", sa.String(400), nullable=False),
        sa.Column("date_of_death", sa.Date(), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("name", sa.Text()),
        sa.Column("name_ar", sa.Text()),
        sa.Column("sex", sa.String(10)),
        sa.Column("age", sa.Integer()),
        sa.Column("match_probability", sa.Float()),
    )
    op.create_index("ix_person_record_person", "person_record", ["person_id"])
    op.create_table(
        "link_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("uid_a", sa.String(400), nullable=False),
        sa.Column("uid_b", sa.String(400), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
    )
    op.create_table(
        "link_decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid_a", sa.String(400), nullable=False),
        sa.Column("uid_b", sa.String(400), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("reviewer", sa.String(200)),
        sa.Column("note", sa.Text()),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("uid_a", "uid_b", name="uq_link_decision_pair"),
    )
    op.create_table(
        "incident_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code_a", sa.String(200), nullable=False),
        sa.Column("code_b", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("days", sa.Integer()),
        sa.Column("km", sa.Float()),
        sa.Column("canonical", sa.String(200)),
    )


def downgrade() -> None:
    op.drop_table("incident_link")
    op.drop_table("link_decision")
    op.drop_table("link_review")
    op.drop_index("ix_person_record_person", table_name="person_record")
    op.drop_table("person_record")
    op.drop_table("link_run")
