"""add call log

Revision ID: g6calllog001
Revises: f5workspc01
Create Date: 2026-11-23 16:30:00

A telephone shop's structured call log (``submission.call_log``, JSON, NULL for every other kind
and for calls captured before the app had one). Nullable, so existing rows need no default.
"""

import sqlalchemy as sa
from alembic import op

import app.db_types  # noqa: F401

revision = "g6calllog001"
down_revision = "f5workspc01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("call_log", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("call_log")
