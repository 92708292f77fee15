"""account invitations, the reviewer role, and the audit trail's programme, origin and indexes

Revision ID: k1accounts01
Revises: h7results01
Create Date: 2026-12-05 21:30:00

``account_invite`` holds one-time invitations to staff accounts. ``user_role.role`` may now be
``reviewer`` (its CHECK constraint is rewritten). ``audit_event`` gains the programme an event belongs to
(whose coordinator reads it) and the client address of the request; existing events get the programme of
their actor. The indexes serve the audit page: newest first within a programme, a person or an action.
"""

import sqlalchemy as sa
from alembic import op

import app.db_types

revision = "k1accounts01"
down_revision = "k1release01"
branch_labels = None
depends_on = None

OLD_ROLES = ("applicant", "shopper", "coordinator", "partner_manager", "admin")
NEW_ROLES = (*OLD_ROLES, "reviewer")


def _role_type(values):
    return sa.Enum(*values, name="role", native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "account_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_account_invite_invited_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_account_invite_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_account_invite_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_account_invite_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_invite")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_invite_token_hash")),
    )
    with op.batch_alter_table("account_invite") as batch_op:
        batch_op.create_index(batch_op.f("ix_account_invite_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_invite_programme_id"), ["programme_id"], unique=False)

    with op.batch_alter_table("user_role") as batch_op:
        batch_op.alter_column(
            "role", existing_type=_role_type(OLD_ROLES), type_=_role_type(NEW_ROLES), existing_nullable=False
        )

    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("origin", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_event_programme_id_programme"),
            "programme",
            ["programme_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_audit_event_programme", ["programme_id", "id"], unique=False)
        batch_op.create_index("ix_audit_event_actor", ["actor_id", "id"], unique=False)
        batch_op.create_index("ix_audit_event_action", ["action", "id"], unique=False)
    op.execute(
        "UPDATE audit_event SET programme_id = (SELECT programme_id FROM user_account"
        " WHERE user_account.id = audit_event.actor_id) WHERE actor_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.drop_index("ix_audit_event_action")
        batch_op.drop_index("ix_audit_event_actor")
        batch_op.drop_index("ix_audit_event_programme")
        batch_op.drop_constraint(batch_op.f("fk_audit_event_programme_id_programme"), type_="foreignkey")
        batch_op.drop_column("origin")
        batch_op.drop_column("programme_id")
    op.execute("DELETE FROM user_role WHERE role = 'reviewer'")
    with op.batch_alter_table("user_role") as batch_op:
        batch_op.alter_column(
            "role", existing_type=_role_type(NEW_ROLES), type_=_role_type(OLD_ROLES), existing_nullable=False
        )
    with op.batch_alter_table("account_invite") as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_invite_programme_id"))
        batch_op.drop_index(batch_op.f("ix_account_invite_email"))
    op.drop_table("account_invite")
