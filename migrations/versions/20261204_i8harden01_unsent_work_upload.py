"""add unsent work upload, and the programme of an outbox message

Revision ID: i8harden01
Revises: g6calllog001
Create Date: 2026-12-04 19:00:00

A shopper's file of unsent work between its upload and the coordinator's confirmation of whose work it
is (``app/visits/import_routes.py``): a new table. ``outbox_message.programme_id``: the programme a kept
e-mail is about, so that /dev/outbox shows a coordinator their own programme's; NULL for the messages kept
before (an admin still sees them).
"""

import sqlalchemy as sa
from alembic import op

import app.db_types

revision = "i8harden01"
down_revision = "g6calllog001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unsent_work_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coordinator_id", sa.Integer(), nullable=False),
        sa.Column("shopper_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coordinator_id"],
            ["user_account.id"],
            name=op.f("fk_unsent_work_upload_coordinator_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shopper_id"],
            ["user_account.id"],
            name=op.f("fk_unsent_work_upload_shopper_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unsent_work_upload")),
    )
    with op.batch_alter_table("unsent_work_upload", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unsent_work_upload_coordinator_id"), ["coordinator_id"], unique=False
        )

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_message_programme_id"), ["programme_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_programme_id_programme"),
            "programme",
            ["programme_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outbox_message_programme_id_programme"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_message_programme_id"))
        batch_op.drop_column("programme_id")
    with op.batch_alter_table("unsent_work_upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unsent_work_upload_coordinator_id"))
    op.drop_table("unsent_work_upload")
