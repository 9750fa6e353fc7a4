"""integrity (issue 16): state hashes in the chain, state snapshots, chain head, checkpoints

Revision ID: 0009_integrity
Revises: 0008_provenance

wf_revision.states holds the state hashes a revision made (covered by its hash when
present, so older revisions keep their hashes); history_state keeps state documents by
hash (verify names the changed field with them); history_head is the chain's head as
civcas last wrote it (a deleted tail shows against it); history_checkpoint keeps the
signed checkpoints this installation made.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_integrity"
down_revision = "0008_provenance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("wf_revision", sa.Column("states", sa.Text(), nullable=True))
    op.create_table(
        "history_state",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
    )
    op.create_table(
        "history_head",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "history_checkpoint",
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("doc", sa.Text(), nullable=False),
    )
    # the head of an existing chain
    op.execute(
        "INSERT INTO history_head (id, seq, hash) SELECT 1, seq, hash FROM wf_revision"
        " WHERE seq = (SELECT max(seq) FROM wf_revision)"
    )


def downgrade() -> None:
    op.drop_table("history_checkpoint")
    op.drop_table("history_head")
    op.drop_table("history_state")
    with op.batch_alter_table("wf_revision") as batch:
        batch.drop_column("states")
