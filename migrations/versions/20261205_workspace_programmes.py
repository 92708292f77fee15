"""programmes: country, archived_at, and coordinators of several programmes

Revision ID: k1workspace01
Revises: k1plans01
Create Date: 2026-12-05 00:00:00

``programme.country`` is the default region of telephone numbers entered in the programme (existing
ones: GB). ``programme.archived_at`` marks a finished programme put away. ``programme_coordinator``
lists the programmes each coordinator may switch between; it starts with each coordinator's current
programme. Telephone numbers already stored (applications' phones, telephone contact points) are
rewritten in E.164 where they read as a United Kingdom number; others are left as they were typed.
"""

import sqlalchemy as sa
from alembic import op

import app.db_types

revision = "k1workspace01"
down_revision = "k10channels01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programme") as batch:
        batch.add_column(sa.Column("country", sa.String(2), server_default="GB", nullable=False))
        batch.add_column(sa.Column("archived_at", app.db_types.UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        "programme_coordinator",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("programme_id", "user_id"),
    )
    op.create_index("ix_programme_coordinator_user_id", "programme_coordinator", ["user_id"])
    op.execute(
        "INSERT INTO programme_coordinator (programme_id, user_id, added_at) "
        "SELECT u.programme_id, u.id, CURRENT_TIMESTAMP FROM user_account u "
        "JOIN user_role r ON r.user_id = u.id "
        "WHERE r.role = 'coordinator' AND u.programme_id IS NOT NULL"
    )
    _numbers_to_e164()


def _numbers_to_e164():
    from app.phones import InvalidPhone, to_e164

    bind = op.get_bind()
    for table, column, where in (
        ("volunteer_application", "phone", "phone <> ''"),
        ("contact_point", "locator", "channel = 'telephone'"),
    ):
        rows = bind.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {where}")).all()
        for row_id, text in rows:
            try:
                number = to_e164(text, "GB")
            except InvalidPhone:
                continue
            if number != text:
                bind.execute(
                    sa.text(f"UPDATE {table} SET {column} = :number WHERE id = :id"),
                    {"number": number, "id": row_id},
                )


def downgrade():
    op.drop_index("ix_programme_coordinator_user_id", table_name="programme_coordinator")
    op.drop_table("programme_coordinator")
    with op.batch_alter_table("programme") as batch:
        batch.drop_column("archived_at")
        batch.drop_column("country")
