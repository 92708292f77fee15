"""add the retention job's deletion log, a user's language and questions' translations

Revision ID: k0care01
Revises: k1accounts01
Create Date: 2026-12-05 21:30:00

One row per report whose exit-interview free text or evidence photos ``flask retention run`` deleted
(``app/retention``), read by the programme's coordinator at /programmes/<id>/deletions.
``user_account.language``: the language a user chose (NULL: their browser's, ``app/i18n``).
``question.translations``, ``questionnaire_section.translations``: their wording in other languages.
"""

import sqlalchemy as sa
from alembic import op

import app.db_types

revision = "k0care01"
down_revision = "k1plans01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "retention_deletion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("collected_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("text_fields", sa.JSON(), nullable=False),
        sa.Column("photos", sa.Integer(), server_default="0", nullable=False),
        sa.Column("photo_bytes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("revisions", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_retention_deletion_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_retention_deletion_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_deletion")),
    )
    with op.batch_alter_table("retention_deletion", schema=None) as batch_op:
        batch_op.create_index(
            "ix_retention_deletion_programme_deleted", ["programme_id", "deleted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_retention_deletion_submission_id"), ["submission_id"], unique=False
        )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    for table in ("question", "questionnaire_section"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("translations", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
            )


def downgrade():
    for table in ("question", "questionnaire_section"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("translations")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("retention_deletion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_deletion_submission_id"))
        batch_op.drop_index("ix_retention_deletion_programme_deleted")
    op.drop_table("retention_deletion")
