"""an index of the flagged reports, for the review queue's flag filter

Revision ID: k5flagged01
Revises: k4method01
Create Date: 2026-12-07 11:40:00

The queue filtered by a flag read every report waiting (or approved) to look at its flags. A partial index
of the reports that have any flag, in the queue's order, lets it read those alone.
"""

import sqlalchemy as sa
from alembic import op

revision = "k5flagged01"
down_revision = "k4method01"
branch_labels = None
depends_on = None

FLAGGED = sa.text("CAST(flags AS TEXT) != '[]'")


def upgrade():
    op.create_index(
        "ix_submission_flagged",
        "submission",
        ["programme_id", "state", "received_at", "id", "assignment_id"],
        sqlite_where=FLAGGED,
        postgresql_where=FLAGGED,
    )


def downgrade():
    op.drop_index("ix_submission_flagged", table_name="submission")
