"""add call log

Revision ID: g6calllog001
Revises: f5workspc01
Create Date: 2026-11-23 16:30:00

Placeholder: filled by the change that needs it; empty until then.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import app.db_types  # noqa: F401

revision = 'g6calllog001'
down_revision = 'f5workspc01'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
