"""Sign-in and the shopper's gate. Plain functions: no request, no session; the caller commits."""

import functools
from dataclasses import dataclass

import sqlalchemy as sa

from app.accounts.models import (
    ConfidentialityAcknowledgement,
    ConfidentialityStatement,
    Conflict,
    ConflictDeclaration,
    User,
)
from app.accounts.passwords import verify_password
from app.audit.services import record, record_failed_sign_in
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.programmes.models import Organisation, ServiceArea


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Takes as long for an unknown address."""
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if not verify_password(user, password) or not user.active:
        return None
    return user


def record_sign_in(user: User) -> None:
    record("account.signed_in", user, actor=user)


def record_sign_out(user: User) -> None:
    record("account.signed_out", user, actor=user)


def record_failed(email: str) -> None:
    """A failed sign-in in the audit trail, about the account when the address has one."""
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    record_failed_sign_in(email, user)


def current_statement(programme_id: int | None) -> ConfidentialityStatement | None:
    if programme_id is None:
        return None
    return db.session.scalar(
        sa.select(ConfidentialityStatement)
        .where(ConfidentialityStatement.programme_id == programme_id)
        .order_by(ConfidentialityStatement.version.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class GateStatus:
    confidentiality: bool
    conflicts: bool
    confidentiality_version: int | None

    @property
    def ready(self) -> bool:
        return self.confidentiality and self.conflicts


def gate_columns(programme_id, user_id) -> list:
    """The gate as three labelled columns (``version``, ``acknowledged``, ``declared``) for the user with
    these ids (bind parameters, or the columns of a query's user: ``sessions.load_user`` reads the gate
    in its own statement). With no statement published, ``version`` is NULL and nothing counts as
    acknowledged."""
    latest_id = (
        sa.select(ConfidentialityStatement.id)
        .where(ConfidentialityStatement.programme_id == programme_id)
        .order_by(ConfidentialityStatement.version.desc())
        .limit(1)
        .correlate_except(
            ConfidentialityStatement
        )  # nested in ``version``: its own statement table, not the outer one
        .scalar_subquery()
    )
    version = (
        sa.select(ConfidentialityStatement.version)
        .where(ConfidentialityStatement.id == latest_id)
        .correlate_except(ConfidentialityStatement)
    )
    acknowledged = (
        sa.exists()
        .where(
            ConfidentialityAcknowledgement.user_id == user_id,
            ConfidentialityAcknowledgement.statement_id == latest_id,
        )
        .correlate_except(ConfidentialityAcknowledgement)
    )
    declared = sa.exists().where(ConflictDeclaration.user_id == user_id).correlate_except(ConflictDeclaration)
    return [
        version.scalar_subquery().label("version"),
        acknowledged.label("acknowledged"),
        declared.label("declared"),
    ]


def gate_of(row) -> GateStatus:
    """The ``GateStatus`` of a result row with the ``gate_columns``."""
    return GateStatus(bool(row.acknowledged), bool(row.declared), row.version)


@functools.cache
def _gate_query():
    """The gate in one statement, built once (after every model is mapped): it runs on every shopper
    request that shows or takes work (unless the request's ``load_user`` read it already)."""
    return sa.select(*gate_columns(sa.bindparam("programme_id"), sa.bindparam("user_id")))


def gate_status(user: User) -> GateStatus:
    """Whether ``user`` acknowledged the current statement and filed a conflict declaration.

    With no statement published there is nothing to acknowledge, and so no brief to show.
    """
    return gate_of(
        db.session.execute(_gate_query(), {"programme_id": user.programme_id, "user_id": user.id}).one()
    )


def acknowledge_confidentiality(user: User, version: int) -> ConfidentialityAcknowledgement:
    statement = current_statement(user.programme_id)
    if statement is None:
        raise DomainError("no_statement", "The programme has not published a confidentiality statement yet.")
    if statement.version != version:
        raise DomainError(
            "stale_statement_version",
            f"Version {version} is not the current statement; the current version is {statement.version}.",
        )
    existing = db.session.scalar(
        sa.select(ConfidentialityAcknowledgement).filter_by(user_id=user.id, statement_id=statement.id)
    )
    if existing is not None:
        return existing
    acknowledgement = ConfidentialityAcknowledgement(user_id=user.id, statement_id=statement.id)
    db.session.add(acknowledgement)
    db.session.flush()
    record("confidentiality.acknowledged", acknowledgement, actor=user, version=version)
    return acknowledgement


def conflicts_of(user: User) -> list[Conflict]:
    return db.session.scalars(
        sa.select(Conflict).where(Conflict.user_id == user.id).order_by(Conflict.id)
    ).all()


def declare_no_conflicts(user: User) -> ConflictDeclaration:
    if conflicts_of(user):
        raise DomainError(
            "conflicts_on_record",
            "You have declared conflicts already; they stay on record. Add more if needed.",
        )
    declaration = ConflictDeclaration(user_id=user.id, declared_none=True)
    db.session.add(declaration)
    db.session.flush()
    record("conflicts.declared_none", declaration, actor=user)
    return declaration


@dataclass(frozen=True)
class ConflictInput:
    organisation_id: int | None
    service_area_id: int | None
    reason: str


def declare_conflicts(user: User, items: list[ConflictInput]):
    """File conflicts and withdraw every open assignment they touch. Returns (declaration, withdrawn)."""
    from app.assignments.services import withdraw_for_conflicts

    if not items:
        raise Invalid("no_conflicts_given", "Declare at least one conflict, or declare none.")
    partnership_id = user.programme.partnership_id if user.programme else None
    for index, item in enumerate(items):
        if item.organisation_id is None and item.service_area_id is None:
            raise Invalid(
                "conflict_names_nothing", f"Conflict {index + 1} names no organisation or service area."
            )
        if item.organisation_id is not None:
            organisation = db.session.get(Organisation, item.organisation_id)
            if organisation is None or organisation.partnership_id != partnership_id:
                raise Invalid(
                    "unknown_organisation", f"Conflict {index + 1}: no such organisation in this programme."
                )
        if item.service_area_id is not None:
            area = db.session.get(ServiceArea, item.service_area_id)
            if area is None or area.partnership_id != partnership_id:
                raise Invalid(
                    "unknown_service_area", f"Conflict {index + 1}: no such service area in this programme."
                )
    declaration = ConflictDeclaration(user_id=user.id, declared_none=False)
    declaration.conflicts = [
        Conflict(
            user_id=user.id,
            organisation_id=i.organisation_id,
            service_area_id=i.service_area_id,
            reason=i.reason.strip(),
        )
        for i in items
    ]
    db.session.add(declaration)
    db.session.flush()
    record("conflicts.declared", declaration, actor=user, count=len(items))
    withdrawn = withdraw_for_conflicts(user, declaration.conflicts)
    return declaration, withdrawn
