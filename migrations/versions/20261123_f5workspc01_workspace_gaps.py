"""workspace gaps: the programme's time zone

Revision ID: f5workspc01
Revises: e4review0001
Create Date: 2026-11-23 16:30:00

Times stay stored in UTC; coordinators enter and everyone reads them on the programme's clock.
Existing programmes get Europe/London, the clock they were entered on in practice.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import app.db_types  # noqa: F401

revision = "f5workspc01"
down_revision = "e4review0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("timezone", sa.String(length=64), server_default="Europe/London", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("timezone")
