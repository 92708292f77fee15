"""workspace gaps (availability, bookings)

Revision ID: f5workspc01
Revises: e4review0001
Create Date: 2026-11-23 16:30:00

Placeholder: filled by the change that needs it; empty until then.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import app.db_types  # noqa: F401

revision = 'f5workspc01'
down_revision = 'e4review0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
