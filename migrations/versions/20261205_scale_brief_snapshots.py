"""brief snapshots: what a shopper's briefs were behind a ``since`` cursor

Revision ID: k0scale01
Revises: k1release01
Create Date: 2026-12-05 21:30:00
"""

import sqlalchemy as sa
from alembic import op

import app.db_types  # noqa: F401

revision = "k0scale01"
down_revision = "k1accounts01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "brief_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shopper_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("digests", sa.JSON(), nullable=False),
        sa.Column("created_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["shopper_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("shopper_id", "state"),
    )


def downgrade():
    op.drop_table("brief_snapshot")
