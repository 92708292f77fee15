"""each report's wave, and an index of a wave's reports by state

Revision ID: k7wave01
Revises: k6flagged02
Create Date: 2026-12-07 14:30:00

``submission.wave_id`` is its assignment's wave, which never changes (as ``programme_id``, its programme). A
release's "awaiting review" counted a wave's waiting reports by looking up each of the wave's assignments in
``ix_submission_assignment_state``: thousands of lookups for a wave of a large programme. With
``ix_submission_wave_state`` it counts them from one range of that index, and the review queue filtered by
wave reads its reports in the queue's order there.
"""

import sqlalchemy as sa
from alembic import op

revision = "k7wave01"
down_revision = "k6flagged02"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("wave_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE submission SET wave_id = "
        "(SELECT assignment.wave_id FROM assignment WHERE assignment.id = submission.assignment_id)"
    )
    with op.batch_alter_table("submission") as batch:
        batch.alter_column("wave_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_submission_wave_id_wave", "wave", ["wave_id"], ["id"])
        batch.create_index(
            "ix_submission_wave_state", ["wave_id", "state", "received_at", "id"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite copied the table and made its indexes again, in no set order. Without statistics it chooses
        # between the flagged reports' index and the queue's, equal to it, by their order: the flagged one
        # made last again, as k5flagged01 made it, is what the queue's flag filter reads.
        op.drop_index("ix_submission_flagged", table_name="submission")
        op.create_index(
            "ix_submission_flagged",
            "submission",
            ["programme_id", "state", "received_at", "id", "assignment_id"],
            sqlite_where=sa.text("CAST(flags AS TEXT) != '[]'"),
        )


def downgrade():
    with op.batch_alter_table("submission") as batch:
        batch.drop_index("ix_submission_wave_state")
        batch.drop_constraint("fk_submission_wave_id_wave", type_="foreignkey")
        batch.drop_column("wave_id")
