"""add recruitment: consent and e-mail confirmation on applications, the training quiz, staff invites, the outbox

Revision ID: b1recruit001
Revises: dad05c500a80
Create Date: 2026-11-23 14:20:00
"""

import sqlalchemy as sa
from alembic import op

import app.db_types

revision = "b1recruit001"
down_revision = "dad05c500a80"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_to_address"), ["to_address"], unique=False)

    op.create_table(
        "training_quiz",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("pass_mark", sa.Integer(), server_default="80", nullable=False),
        sa.CheckConstraint(
            "pass_mark >= 0 AND pass_mark <= 100", name=op.f("ck_training_quiz_pass_mark_is_a_percentage")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_training_quiz_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_quiz")),
        sa.UniqueConstraint("programme_id", name=op.f("uq_training_quiz_programme_id")),
    )
    op.create_table(
        "quiz_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["training_quiz.id"],
            name=op.f("fk_quiz_attempt_quiz_id_training_quiz"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_quiz_attempt_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempt")),
    )
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_attempt_quiz_id"), ["quiz_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quiz_attempt_user_id"), ["user_id"], unique=False)

    op.create_table(
        "quiz_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("correct_option", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.String(length=1000), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["training_quiz.id"],
            name=op.f("fk_quiz_question_quiz_id_training_quiz"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_question")),
    )
    with op.batch_alter_table("quiz_question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_question_quiz_id"), ["quiz_id"], unique=False)

    op.create_table(
        "staff_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_staff_invite_invited_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_staff_invite_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_staff_invite_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_invite")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_invite_token_hash")),
    )
    with op.batch_alter_table("staff_invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_invite_programme_id"), ["programme_id"], unique=False)

    with op.batch_alter_table("volunteer_application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consented_at", app.db_types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("email_confirmed_at", app.db_types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("quiz_override_reason", sa.String(length=500), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("volunteer_application", schema=None) as batch_op:
        batch_op.drop_column("quiz_override_reason")
        batch_op.drop_column("email_confirmed_at")
        batch_op.drop_column("consented_at")

    with op.batch_alter_table("staff_invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_invite_programme_id"))
    op.drop_table("staff_invite")
    with op.batch_alter_table("quiz_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_question_quiz_id"))
    op.drop_table("quiz_question")
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_attempt_user_id"))
        batch_op.drop_index(batch_op.f("ix_quiz_attempt_quiz_id"))
    op.drop_table("quiz_attempt")
    op.drop_table("training_quiz")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_to_address"))
    op.drop_table("outbox_message")
