"""add programme setup

Revision ID: c2setup00001
Revises: b1recruit001
Create Date: 2026-11-23 14:20:00

The coordinator's reference figure per channel (an outside benchmark, e.g. a national average).
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import app.db_types  # noqa: F401

revision = "c2setup00001"
down_revision = "b1recruit001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reference_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "in_person",
                "exit_interview",
                "telephone",
                "email",
                "letter",
                "website",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_reference_figure_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_figure")),
        sa.UniqueConstraint("programme_id", "channel", name=op.f("uq_reference_figure_programme_id_channel")),
    )
    with op.batch_alter_table("reference_figure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reference_figure_programme_id"), ["programme_id"], unique=False)


def downgrade():
    with op.batch_alter_table("reference_figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reference_figure_programme_id"))
    op.drop_table("reference_figure")
