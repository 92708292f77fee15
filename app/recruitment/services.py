"""Recruitment: sign-up, e-mail confirmation, decisions, staff invitations. Plain functions; the caller commits.

The training quiz is in ``quiz.py`` and personal data (export, deletion) in ``personal_data.py``.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import (
    ConfidentialityAcknowledgement,
    ConfidentialityStatement,
    ConflictDeclaration,
    Role,
    User,
    UserRole,
)
from app.accounts.passwords import hash_password, password_problem
from app.accounts.services import normalise_email
from app.assignments.models import OPEN_STATES, Assignment, ShopperAvailability
from app.audit.models import AuditEvent
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.labels import label
from app.programmes.models import Programme
from app.recruitment.details import TIMES
from app.recruitment.mail import send_mail
from app.recruitment.models import ApplicationStatus, StaffInvite, VolunteerApplication
from app.visits.models import Submission

CONFIRM_MAX_AGE_DEFAULT = 3 * 24 * 3600  # seconds; RECRUITMENT_CONFIRM_MAX_AGE overrides
INVITE_LIFETIME = timedelta(days=7)
# Confirmation e-mails of one application: one per RESEND_COOLDOWN at most, and CONFIRMATIONS_PER_DAY a day,
# so that an account signed up with somebody else's address cannot flood their inbox.
RESEND_COOLDOWN = timedelta(minutes=5)
CONFIRMATIONS_PER_DAY = 5


# --- passwords and e-mail addresses ---------------------------------------------------------------


def email_taken(email: str) -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(User.email == normalise_email(email)))))


def _new_user(email: str, display_name: str, password: str, role: Role, programme_id: int, **extra) -> User:
    if email_taken(email):
        raise Invalid("email_taken", "An account with this e-mail address exists already. Sign in instead.")
    problem = password_problem(password)
    if problem:
        raise Invalid("weak_password", problem)
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        programme_id=programme_id,
        role_rows=[UserRole(role=role)],
        **extra,
    )
    db.session.add(user)
    db.session.flush()
    return user


# --- sign-up and confirmation ---------------------------------------------------------------------


def open_programmes() -> list[Programme]:
    """Programmes a resident may apply to (every programme, until programmes say whether they recruit)."""
    return db.session.scalars(sa.select(Programme).order_by(Programme.name, Programme.id)).all()


@dataclass(frozen=True)
class SignUp:
    full_name: str
    email: str
    password: str
    phone: str = ""
    neighbourhood: str = ""
    languages: str = ""
    availability: str = ""
    accessibility_needs: str = ""
    # Buckets of ``details.TIMES``; the free text above says more for the coordinator.
    available_times: frozenset = frozenset(TIMES)
    # The language chosen at sign-up (app/i18n/languages.py): pages, e-mails and the shopper app use it.
    language: str | None = None


def sign_up(data: SignUp, programme: Programme) -> VolunteerApplication | User:
    """A new applicant account and its pending application (consent is given by signing up); or, when the
    address has an account already, that account, and nothing is made. The caller answers both alike and
    mails the address either way (``send_confirmation``, ``send_already_registered``): the answer must not
    tell anyone whether an address has an account (ASVS 6.3.7)."""
    if programme is None:
        raise Invalid("no_programme", "No programme is recruiting at the moment.")
    problem = password_problem(data.password)
    if problem:  # before the address is looked at, so that it is the same answer for every address
        raise Invalid("weak_password", problem)
    existing = db.session.scalar(sa.select(User).where(User.email == normalise_email(data.email)))
    if existing is not None:
        hash_password(data.password)  # what a new account costs: the answer's timing must not tell either
        return existing
    user = _new_user(data.email, data.full_name, data.password, Role.applicant, programme.id)
    user.language = data.language
    application = VolunteerApplication(
        user=user,
        programme_id=programme.id,
        full_name=data.full_name.strip(),
        phone=data.phone.strip(),
        neighbourhood=data.neighbourhood.strip(),
        languages=data.languages.strip(),
        availability=data.availability.strip(),
        accessibility_needs=data.accessibility_needs.strip(),
        consented_at=utcnow(),
    )
    db.session.add(application)
    db.session.flush()
    # Part of the application's own audit event, not an "availability.changed" of its own.
    db.session.add(ShopperAvailability(user_id=user.id, **{t: t in data.available_times for t in TIMES}))
    record("application.submitted", application, actor=user)
    return application


def send_already_registered(user: User, sign_in_link: str) -> None:
    """Tell the owner of an address that someone signed up with it (perhaps they forgot their account)."""
    send_mail(
        user.email,
        "Someone tried to sign up to Service Shopper with your e-mail address",
        (
            f"Hello {user.display_name},\n\n"
            "Someone (perhaps you) just tried to sign up as a volunteer service shopper with this e-mail "
            "address. You already have an account, so no new one was made.\n\n"
            f"To use your account, sign in here:\n\n{sign_in_link}\n\n"
            "If it was not you, you need do nothing: your account is unchanged.\n"
        ),
        user.programme_id,
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="recruitment.confirm-email")


def confirmation_token(application: VolunteerApplication) -> str:
    """Signed (not stored): names the application and the address, so a changed address voids it."""
    return _serializer().dumps({"application": application.id, "email": application.user.email})


def confirmation_refused(application: VolunteerApplication, now=None) -> str | None:
    """Why no confirmation e-mail may be sent for ``application`` now (``RESEND_COOLDOWN``,
    ``CONFIRMATIONS_PER_DAY``), or None."""
    now = now or utcnow()
    sent = db.session.scalars(
        sa.select(AuditEvent.occurred_at).where(
            AuditEvent.object_type == VolunteerApplication.__tablename__,
            AuditEvent.object_id == str(application.id),
            AuditEvent.action == "application.confirmation_sent",
            AuditEvent.occurred_at > now - timedelta(days=1),
        )
    ).all()
    if len(sent) >= CONFIRMATIONS_PER_DAY:
        return (
            f"We have sent the confirmation e-mail {CONFIRMATIONS_PER_DAY} times today: check your spam folder, "
            "or ask again tomorrow."
        )
    if sent and max(sent) > now - RESEND_COOLDOWN:
        minutes = int(RESEND_COOLDOWN.total_seconds() // 60)
        return f"We sent the confirmation e-mail a moment ago: give it {minutes} minutes to arrive before asking again."
    return None


def send_confirmation(application: VolunteerApplication, link: str) -> None:
    """Mail the confirmation link (the caller has checked ``confirmation_refused`` where it is a resend)."""
    send_mail(
        application.user.email,
        "Confirm your e-mail address for Service Shopper",
        (
            f"Hello {application.full_name},\n\n"
            "Thank you for offering to volunteer as a service shopper.\n"
            f"Please confirm your e-mail address by opening this link:\n\n{link}\n\n"
            "The link works for 3 days. If you did not sign up, ignore this message.\n"
        ),
        application.programme_id,
    )
    record("application.confirmation_sent", application, actor=application.user)


def confirm_email(token: str, max_age: int | None = None) -> VolunteerApplication:
    """Mark the application's e-mail address confirmed; a second use is harmless."""
    if max_age is None:
        max_age = int(current_app.config.get("RECRUITMENT_CONFIRM_MAX_AGE", CONFIRM_MAX_AGE_DEFAULT))
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise Invalid(
            "token_expired", "This confirmation link has expired. Sign in to send a new one."
        ) from None
    except BadSignature:
        raise Invalid("token_invalid", "This confirmation link is not valid.") from None
    application = db.session.get(VolunteerApplication, payload.get("application"))
    if application is None or application.user.email != payload.get("email"):
        raise Invalid("token_invalid", "This confirmation link is not valid.")
    if application.email_confirmed_at is None:
        application.email_confirmed_at = utcnow()
        record("application.email_confirmed", application, actor=application.user)
    return application


# --- decisions ------------------------------------------------------------------------------------


def _refuse_if_decided(application: VolunteerApplication) -> None:
    if application.status != ApplicationStatus.pending:
        raise DomainError(
            "already_decided",
            f"This application was already {label(application.status).lower()}; nothing was changed.",
        )


def approve(application: VolunteerApplication, coordinator: User, override_reason: str = "") -> None:
    """Make the applicant a shopper of the programme. Needs a passed quiz, or a reason to go without."""
    _refuse_if_decided(application)
    override_reason = override_reason.strip()
    if application.quiz_passed_at is None and not override_reason:
        raise Invalid(
            "quiz_not_passed", "The applicant has not passed the quiz. Give a reason to approve them anyway."
        )
    user = application.user
    user.role_rows = [row for row in user.role_rows if row.role != Role.applicant]
    if not user.has_role(Role.shopper):
        user.role_rows.append(UserRole(role=Role.shopper))
    user.programme_id = application.programme_id
    application.status = ApplicationStatus.approved
    application.decided_at = utcnow()
    application.decided_by_id = coordinator.id
    application.quiz_override_reason = override_reason if application.quiz_passed_at is None else ""
    record(
        "application.approved",
        application,
        actor=coordinator,
        quiz_override=bool(application.quiz_override_reason),
    )


def decline(application: VolunteerApplication, coordinator: User, reason: str) -> None:
    """Decline with a reason the applicant will read."""
    _refuse_if_decided(application)
    reason = reason.strip()
    if not reason:
        raise Invalid("reason_required", "Give the reason; the applicant will see it.")
    application.status = ApplicationStatus.declined
    application.decided_at = utcnow()
    application.decided_by_id = coordinator.id
    application.decision_reason = reason
    record("application.declined", application, actor=coordinator)


def pending_applications(programme_id: int | None, page: int = 1, per_page: int = 50):
    """A page of them, oldest first, with the total (a Flask-SQLAlchemy ``Pagination``); ``None`` (an
    admin without a programme) lists every programme's."""
    query = sa.select(VolunteerApplication).where(VolunteerApplication.status == ApplicationStatus.pending)
    if programme_id is not None:
        query = query.where(VolunteerApplication.programme_id == programme_id)
    query = query.order_by(VolunteerApplication.submitted_at, VolunteerApplication.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=None)


def recent_decisions(programme_id: int | None, limit: int = 20) -> list[VolunteerApplication]:
    query = sa.select(VolunteerApplication).where(VolunteerApplication.status != ApplicationStatus.pending)
    if programme_id is not None:
        query = query.where(VolunteerApplication.programme_id == programme_id)
    return db.session.scalars(query.order_by(VolunteerApplication.decided_at.desc()).limit(limit)).all()


# --- staff on loan --------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_staff(programme: Programme, email: str, inviter: User) -> tuple[StaffInvite, str]:
    """A one-time invitation; returns it and the raw token (only its hash is stored)."""
    if email_taken(email):
        raise Invalid("email_taken", "This address has an account already.")
    token = secrets.token_urlsafe(32)
    invite = StaffInvite(
        programme_id=programme.id,
        email=normalise_email(email),
        token_hash=_digest(token),
        invited_by_id=inviter.id,
        expires_at=utcnow() + INVITE_LIFETIME,
    )
    db.session.add(invite)
    db.session.flush()
    record("invite.created", invite, actor=inviter)
    return invite, token


def send_invite(invite: StaffInvite, link: str) -> None:
    send_mail(
        invite.email,
        "You are invited to join a service shopper programme",
        (
            "Hello,\n\n"
            f'You have been invited to take part in "{invite.programme.name}" as a member of staff on loan.\n'
            f"Open this link to choose your name and password:\n\n{link}\n\n"
            f"The link works once, until {invite.expires_at:%d %B %Y %H:%M} UTC.\n"
        ),
        invite.programme_id,
    )


def find_invite(token: str) -> StaffInvite:
    """The usable invitation for ``token``; unknown, used and expired ones each say so."""
    invite = db.session.scalar(sa.select(StaffInvite).where(StaffInvite.token_hash == _digest(token)))
    if invite is None:
        raise Invalid("invite_unknown", "This invitation link is not valid.")
    if invite.used_at is not None:
        raise DomainError("invite_used", "This invitation has been used already. Sign in instead.")
    if invite.expires_at <= utcnow():
        raise DomainError("invite_expired", "This invitation has expired. Ask the coordinator for a new one.")
    return invite


def accept_invite(invite: StaffInvite, display_name: str, password: str) -> User:
    """Create the shopper account (staff on loan) and use up the invitation."""
    if invite.used_at is not None or invite.expires_at <= utcnow():
        raise DomainError("invite_used", "This invitation can no longer be used.")
    user = _new_user(
        invite.email, display_name, password, Role.shopper, invite.programme_id, staff_on_loan=True
    )
    invite.used_at = utcnow()
    invite.user_id = user.id
    record("invite.accepted", invite, actor=user)
    return user


def invites_of(programme_id: int) -> list[StaffInvite]:
    return db.session.scalars(
        sa.select(StaffInvite)
        .where(StaffInvite.programme_id == programme_id)
        .order_by(StaffInvite.created_at.desc())
        .limit(50)
    ).all()


@dataclass
class ShopperRow:
    user: User
    gate_passed: bool
    open_assignments: int
    reports: int


def shoppers_page(programme_id: int | None, search: str = "", page: int = 1, per_page: int = 50):
    """A page of the programme's shoppers by name (every programme's for ``None``), those whose name or e-mail
    holds ``search``, with the total; ``.rows`` gives each one's gate and work. A fixed number of statements,
    however many shoppers: the page's rows are counted in one grouped query each."""
    query = sa.select(User).join(UserRole).where(UserRole.role == Role.shopper)
    if programme_id is not None:
        query = query.where(User.programme_id == programme_id)
    search = search.strip()
    if search:
        pattern = f"%{search}%"
        query = query.where(sa.or_(User.display_name.ilike(pattern), User.email.ilike(pattern)))
    query = query.order_by(sa.func.lower(User.display_name), User.id)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=None)
    ids = [user.id for user in pagination.items]

    def counts(statement) -> dict[int, int]:
        return dict(db.session.execute(statement).all()) if ids else {}

    open_work = counts(
        sa.select(Assignment.shopper_id, sa.func.count())
        .where(Assignment.shopper_id.in_(ids), Assignment.state.in_(OPEN_STATES))
        .group_by(Assignment.shopper_id)
    )
    reports = counts(  # the reports each one sent: counted on the index of their shopper alone
        sa.select(Submission.shopper_id, sa.func.count())
        .where(Submission.shopper_id.in_(ids))
        .group_by(Submission.shopper_id)
    )
    current = (
        sa.select(ConfidentialityStatement.id)
        .where(ConfidentialityStatement.programme_id == User.programme_id)
        .order_by(ConfidentialityStatement.version.desc())
        .limit(1)
        .scalar_subquery()
    )
    acknowledged = sa.exists().where(
        ConfidentialityAcknowledgement.user_id == User.id,
        ConfidentialityAcknowledgement.statement_id == current,
    )
    declared = sa.exists().where(ConflictDeclaration.user_id == User.id)
    passed = (
        set(db.session.scalars(sa.select(User.id).where(User.id.in_(ids), acknowledged, declared)))
        if ids
        else set()
    )
    pagination.rows = [
        ShopperRow(user, user.id in passed, open_work.get(user.id, 0), reports.get(user.id, 0))
        for user in pagination.items
    ]
    return pagination
