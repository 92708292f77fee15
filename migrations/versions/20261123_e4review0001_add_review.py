"""add review

Revision ID: e4review0001
Revises: d3planning01
Create Date: 2026-11-23 14:20:00

No schema change: review writes the submission's own review columns (state, review_comment,
reviewed_at, reviewed_by_id, added with submissions) and keeps its history in the audit trail.
Kept in the chain so that the revision ids stay fixed.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import app.db_types  # noqa: F401

revision = "e4review0001"
down_revision = "d3planning01"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
