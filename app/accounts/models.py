"""Users, roles, server-side sessions, and the shopper's gate (confidentiality and conflicts)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, enum_column, utcnow
from app.extensions import db


class Role(enum.Enum):
    applicant = "applicant"
    shopper = "shopper"
    coordinator = "coordinator"
    partner_manager = "partner_manager"
    admin = "admin"
    reviewer = "reviewer"  # reviews the programme's reports, nothing else of its set-up


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Set by the demo command; production refuses to start while these keep the demo password.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    staff_on_loan: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    # A partner manager's organisation.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    programme = relationship("Programme")
    organisation = relationship("Organisation")

    # Flask-Login: the session stores a session token, not the user id (see UserSession).
    session_record = None  # this request's app.accounts.sessions.LiveSession

    def get_id(self):
        return self.session_record.token if self.session_record else None

    @property
    def is_active(self):
        return self.active

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class UserRole(db.Model):
    __tablename__ = "user_role"
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class UserSession(db.Model):
    """A signed-in session, kept on the server so that signing out really ends it.

    The cookie holds a random token; only its SHA-256 is stored. A stolen copy
    of a signed-out cookie finds no live record and is anonymous.
    """

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ConfidentialityStatement(db.Model):
    __tablename__ = "confidentiality_statement"
    __table_args__ = (sa.UniqueConstraint("programme_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme = relationship("Programme")


class ConfidentialityAcknowledgement(db.Model):
    __tablename__ = "confidentiality_acknowledgement"
    __table_args__ = (sa.UniqueConstraint("user_id", "statement_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("confidentiality_statement.id"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConflictDeclaration(db.Model):
    """One filing of the conflict-of-interest form: either "none" or one or more conflicts."""

    __tablename__ = "conflict_declaration"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    declared_none: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conflicts: Mapped[list["Conflict"]] = relationship(
        back_populates="declaration", cascade="all, delete-orphan"
    )


class Conflict(db.Model):
    """An organisation, a service area, or a service area at one organisation, to keep a shopper away from."""

    __tablename__ = "conflict"
    __table_args__ = (
        sa.CheckConstraint(
            "organisation_id IS NOT NULL OR service_area_id IS NOT NULL", name="names_something"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conflict_declaration.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"))
    service_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service_area.id"))
    reason: Mapped[str] = mapped_column(sa.String(500))

    declaration: Mapped[ConflictDeclaration] = relationship(back_populates="conflicts")
    organisation = relationship("Organisation")
    service_area = relationship("ServiceArea")

    def touches(self, organisation_id: int, service_area_id: int | None) -> bool:
        """Whether work at this organisation and service area falls under the conflict."""
        if self.organisation_id is not None and self.organisation_id != organisation_id:
            return False
        if self.service_area_id is not None and self.service_area_id != service_area_id:
            return False
        return True


class AccountInvite(db.Model):
    """A one-time link that makes a staff account (coordinator, reviewer, partner manager, admin) with the
    roles chosen by whoever invited. Only the SHA-256 of the token is stored."""

    __tablename__ = "account_invite"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    roles: Mapped[list] = mapped_column(sa.JSON, default=list)  # Role values
    programme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    programme = relationship("Programme")
    organisation = relationship("Organisation")
    invited_by = relationship("User", foreign_keys=[invited_by_id])
