"""add releases

Revision ID: k1release01
Revises: h7results01
Create Date: 2026-12-04 21:35:00

Release of a wave's results to partner organisations (issue 18): ``release``, the figures a partner sees
as they were at release, and ``released_report``, the reports that release holds (its log and exports).
"""

import sqlalchemy as sa
from alembic import op

import app.db_types

revision = "k1release01"
down_revision = "h7results01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("released_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("reports", sa.Integer(), server_default="0", nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_release_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_release_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["released_by_id"],
            ["user_account.id"],
            name=op.f("fk_release_released_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["wave_id"], ["wave.id"], name=op.f("fk_release_wave_id_wave")),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["user_account.id"],
            name=op.f("fk_release_withdrawn_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release")),
    )
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.create_index("ix_release_organisation_wave", ["organisation_id", "wave_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_release_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_release_wave_id"), ["wave_id"], unique=False)

    op.create_table(
        "released_report",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["release.id"],
            name=op.f("fk_released_report_release_id_release"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_released_report_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("release_id", "submission_id", name=op.f("pk_released_report")),
    )
    with op.batch_alter_table("released_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_released_report_submission_id"), ["submission_id"], unique=False)


def downgrade():
    with op.batch_alter_table("released_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_released_report_submission_id"))
    op.drop_table("released_report")
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_release_wave_id"))
        batch_op.drop_index(batch_op.f("ix_release_programme_id"))
        batch_op.drop_index("ix_release_organisation_wave")
    op.drop_table("release")
