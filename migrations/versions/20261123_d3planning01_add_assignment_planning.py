"""add assignment planning

Revision ID: d3planning01
Revises: c2setup00001
Create Date: 2026-11-23 14:20:00

Coverage targets and per-wave settings, shopper availability, phone-bank blocks and bookings;
why each assignment was given and the block a telephone assignment is done in.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import app.db_types  # noqa: F401

revision = "d3planning01"
down_revision = "c2setup00001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coverage_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
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
        sa.Column("target", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("target >= 0", name=op.f("ck_coverage_target_target_not_negative")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_coverage_target_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_coverage_target_service_area_id_service_area"),
        ),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["wave.id"], name=op.f("fk_coverage_target_wave_id_wave"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_target")),
        sa.UniqueConstraint(
            "wave_id",
            "organisation_id",
            "service_area_id",
            "channel",
            name=op.f("uq_coverage_target_wave_id_organisation_id_service_area_id_channel"),
        ),
    )
    with op.batch_alter_table("coverage_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_target_wave_id"), ["wave_id"], unique=False)
    op.create_table(
        "phone_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seats", sa.Integer(), server_default="4", nullable=False),
        sa.Column("created_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_phone_block_block_in_order")),
        sa.CheckConstraint("seats >= 1", name=op.f("ck_phone_block_seats_positive")),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["wave.id"], name=op.f("fk_phone_block_wave_id_wave"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_block")),
    )
    with op.batch_alter_table("phone_block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phone_block_wave_id"), ["wave_id"], unique=False)
    op.create_table(
        "shopper_availability",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("weekday_daytime", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("weekday_evening", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("weekend", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("updated_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_shopper_availability_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_shopper_availability")),
    )
    op.create_table(
        "wave_plan",
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("max_per_shopper", sa.Integer(), server_default="20", nullable=False),
        sa.CheckConstraint("max_per_shopper >= 1", name=op.f("ck_wave_plan_max_per_shopper_positive")),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["wave.id"], name=op.f("fk_wave_plan_wave_id_wave"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("wave_id", name=op.f("pk_wave_plan")),
    )
    op.create_table(
        "phone_block_booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Integer(), nullable=False),
        sa.Column("shopper_id", sa.Integer(), nullable=False),
        sa.Column("booked_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["block_id"],
            ["phone_block.id"],
            name=op.f("fk_phone_block_booking_block_id_phone_block"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shopper_id"],
            ["user_account.id"],
            name=op.f("fk_phone_block_booking_shopper_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_block_booking")),
        sa.UniqueConstraint(
            "block_id", "shopper_id", name=op.f("uq_phone_block_booking_block_id_shopper_id")
        ),
    )
    with op.batch_alter_table("phone_block_booking", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phone_block_booking_block_id"), ["block_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_phone_block_booking_shopper_id"), ["shopper_id"], unique=False)
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("explanation", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("phone_block_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_assignment_phone_block_id_phone_block"),
            "phone_block",
            ["phone_block_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_assignment_phone_block_id_phone_block"), type_="foreignkey")
        batch_op.drop_column("phone_block_id")
        batch_op.drop_column("explanation")
    with op.batch_alter_table("phone_block_booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_block_booking_shopper_id"))
        batch_op.drop_index(batch_op.f("ix_phone_block_booking_block_id"))
    op.drop_table("phone_block_booking")
    op.drop_table("wave_plan")
    op.drop_table("shopper_availability")
    with op.batch_alter_table("phone_block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_block_wave_id"))
    op.drop_table("phone_block")
    with op.batch_alter_table("coverage_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverage_target_wave_id"))
    op.drop_table("coverage_target")
