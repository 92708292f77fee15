"""indexes for list pages at programme scale

Revision ID: j9pages01
Revises: i8harden01
Create Date: 2026-12-04 19:00:00

The review queue reads a state (or two) of ``submission`` in order of arrival, a page at a time:
``(state, received_at, id, assignment_id)`` serves that without reading the rows, and replaces the
index on ``state`` alone. The wave's assignments page filters by state within a wave; the coordinator
home lists the few flagged assignments, newest change first (a partial index: only they are in it).
"""

import sqlalchemy as sa
from alembic import op

revision = "j9pages01"
down_revision = "i8harden01"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_submission_state", table_name="submission")
    op.create_index(
        "ix_submission_state_received", "submission", ["state", "received_at", "id", "assignment_id"]
    )
    op.create_index("ix_assignment_wave_state", "assignment", ["wave_id", "state"])
    op.create_index(
        "ix_assignment_flagged",
        "assignment",
        ["state_changed_at"],
        sqlite_where=sa.text("flagged = 1"),
        postgresql_where=sa.text("flagged"),
    )


def downgrade():
    op.drop_index("ix_assignment_flagged", table_name="assignment")
    op.drop_index("ix_assignment_wave_state", table_name="assignment")
    op.drop_index("ix_submission_state_received", table_name="submission")
    op.create_index("ix_submission_state", "submission", ["state"])
