"""the index of flagged assignments leads with their wave

Revision ID: k6flagged02
Revises: k5flagged01
Create Date: 2026-12-07 11:50:00

The coordinator's home page lists the programme's flagged assignments: its waves, then each wave's flagged
ones. With the index on ``state_changed_at`` alone, SQLite's plan rested on its statistics: taken while the
programme was small, they sent it through every assignment of every wave.
"""

import sqlalchemy as sa
from alembic import op

revision = "k6flagged02"
down_revision = "k5flagged01"
branch_labels = None
depends_on = None


def _create(columns):
    op.create_index(
        "ix_assignment_flagged",
        "assignment",
        columns,
        sqlite_where=sa.text("flagged = 1"),
        postgresql_where=sa.text("flagged"),
    )


def upgrade():
    op.drop_index("ix_assignment_flagged", table_name="assignment")
    _create(["wave_id", "state_changed_at"])


def downgrade():
    op.drop_index("ix_assignment_flagged", table_name="assignment")
    _create(["state_changed_at"])
