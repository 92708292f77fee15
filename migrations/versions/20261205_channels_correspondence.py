"""e-mail, letter and website shops, and the call screen's derived answers

Where and how an e-mail or letter was sent, how it finished, the website log, the answers the call
screen's taps gave; open reports; the programme's reply wait and bank holidays.

Revision ID: k10channels01
Revises: k0care01, k0scale01, k1accounts01
Create Date: 2026-12-04 21:30:00

New columns are nullable (or have a server default), so existing rows need nothing.
"""

import sqlalchemy as sa
from alembic import op

import app.db_types

revision = "k10channels01"
# Also the merge point of the heads main and care left (k0care01, k0scale01, k1accounts01): the lead re-chains.
down_revision = "k0care01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_to", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("sent_from", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("finished_by", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("website", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("derived_answers", sa.JSON(), nullable=True))
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reply_wait_working_days", sa.Integer(), server_default="10", nullable=False)
        )
    op.create_table(
        "open_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("shopper_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("updated_at", app.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignment.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shopper_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    with op.batch_alter_table("open_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_open_report_assignment_id"), ["assignment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_open_report_shopper_id"), ["shopper_id"], unique=False)
    op.create_table(
        "bank_holiday",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "day"),
    )
    with op.batch_alter_table("bank_holiday", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_holiday_programme_id"), ["programme_id"], unique=False)


def downgrade():
    op.drop_table("bank_holiday")
    op.drop_table("open_report")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("reply_wait_working_days")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("derived_answers")
        batch_op.drop_column("website")
        batch_op.drop_column("finished_by")
        batch_op.drop_column("sent_from")
        batch_op.drop_column("sent_to")
