"""People and their roles: invitations to staff accounts, role changes, deactivation. Plain functions; the
caller commits and sends mail last.

An admin manages everyone; a coordinator manages the people of their own programme, never an admin, and
grants only coordinator, reviewer and partner manager. Nobody changes or deactivates their own account
here (an admin cannot lock the service out by accident). Every change is in the audit trail.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.accounts.models import AccountInvite, Role, User, UserRole
from app.accounts.passwords import hash_password, password_problem
from app.accounts.services import normalise_email
from app.accounts.sessions import end_other_sessions
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid, Refused
from app.extensions import db
from app.programmes.models import Organisation, Programme

INVITE_LIFETIME = timedelta(days=7)
STAFF_ROLES = (Role.coordinator, Role.reviewer, Role.partner_manager)
ROLE_LABELS = {
    Role.applicant: "Applicant",
    Role.shopper: "Shopper",
    Role.coordinator: "Coordinator",
    Role.reviewer: "Reviewer",
    Role.partner_manager: "Partner manager",
    Role.admin: "Administrator",
}


def grantable_roles(actor: User) -> tuple[Role, ...]:
    return (*STAFF_ROLES, Role.admin) if actor.has_role(Role.admin) else STAFF_ROLES


def may_manage(actor: User, person: User) -> bool:
    if actor.has_role(Role.admin):
        return True
    return (
        actor.has_role(Role.coordinator)
        and actor.programme_id is not None
        and person.programme_id == actor.programme_id
        and not person.has_role(Role.admin)
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_roles(actor: User, roles: set[Role], programme: Programme | None, organisation) -> None:
    if not roles:
        raise Invalid("no_roles", "Choose at least one role.")
    refused = roles - set(grantable_roles(actor))
    if refused:
        raise Refused("role_not_grantable", "You may not give that role.")
    if programme is None and roles - {Role.admin}:
        raise Invalid("programme_required", "Choose the programme this person works on.")
    if Role.partner_manager in roles:
        if organisation is None:
            raise Invalid(
                "organisation_required", "A partner manager belongs to one organisation: choose it."
            )
        if programme is None or organisation.partnership_id != programme.partnership_id:
            raise Invalid("unknown_organisation", "That organisation is not in this programme.")


def invite(
    actor: User,
    email: str,
    display_name: str,
    roles: set[Role],
    programme: Programme | None,
    organisation: Organisation | None,
) -> tuple[AccountInvite, str]:
    """A one-time invitation to a new account with ``roles``; returns it and the raw token."""
    if not actor.has_role(Role.admin) and (programme is None or programme.id != actor.programme_id):
        raise Refused("not_your_programme", "You may invite people to your own programme only.")
    _check_roles(actor, roles, programme, organisation)
    email = normalise_email(email)
    if db.session.scalar(sa.select(sa.exists().where(User.email == email))):
        raise Invalid("email_taken", "This address has an account already: change its roles instead.")
    token = secrets.token_urlsafe(32)
    invitation = AccountInvite(
        email=email,
        display_name=display_name.strip(),
        roles=sorted(r.value for r in roles),
        programme_id=programme.id if programme else None,
        organisation_id=organisation.id
        if organisation is not None and Role.partner_manager in roles
        else None,
        token_hash=_digest(token),
        invited_by_id=actor.id,
        expires_at=utcnow() + INVITE_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    record("account.invited", invitation, actor=actor, email=email, roles=invitation.roles)
    return invitation, token


def invitation_text(invitation: AccountInvite, link: str) -> tuple[str, str]:
    """The subject and body of an invitation e-mail."""
    roles = ", ".join(ROLE_LABELS[Role(r)].lower() for r in invitation.roles)
    where = f' on "{invitation.programme.name}"' if invitation.programme else ""
    return (
        "You are invited to Service Shopper",
        (
            f"Hello {invitation.display_name},\n\n"
            f"You are invited to Service Shopper as {roles}{where}.\n"
            f"Open this link to choose your password:\n\n{link}\n\n"
            f"The link works once, until {invitation.expires_at:%d %B %Y %H:%M} UTC.\n"
        ),
    )


def find_invite(token: str) -> AccountInvite:
    """The usable invitation for ``token``; unknown, used and expired ones each say so."""
    invitation = db.session.scalar(sa.select(AccountInvite).where(AccountInvite.token_hash == _digest(token)))
    if invitation is None:
        raise Invalid("invite_unknown", "This invitation link is not valid.")
    if invitation.used_at is not None:
        raise DomainError("invite_used", "This invitation has been used already. Sign in instead.")
    if invitation.expires_at <= utcnow():
        raise DomainError("invite_expired", "This invitation has expired. Ask for a new one.")
    return invitation


def accept_invite(invitation: AccountInvite, password: str) -> User:
    """Make the invited account and use up the invitation."""
    if invitation.used_at is not None or invitation.expires_at <= utcnow():
        raise DomainError("invite_used", "This invitation can no longer be used.")
    if db.session.scalar(sa.select(sa.exists().where(User.email == invitation.email))):
        raise DomainError("email_taken", "An account with this address exists already. Sign in instead.")
    problem = password_problem(password)
    if problem:
        raise Invalid("weak_password", problem)
    user = User(
        email=invitation.email,
        display_name=invitation.display_name,
        password_hash=hash_password(password),
        programme_id=invitation.programme_id,
        organisation_id=invitation.organisation_id,
        role_rows=[UserRole(role=Role(r)) for r in invitation.roles],
    )
    db.session.add(user)
    db.session.flush()
    invitation.used_at = utcnow()
    invitation.user_id = user.id
    record("account.invite_accepted", invitation, actor=user, roles=invitation.roles)
    return user


def _refuse_self(actor: User, person: User) -> None:
    if actor.id == person.id:
        raise Refused("own_account", "You cannot change your own account here; ask another administrator.")


def set_roles(actor: User, person: User, roles: set[Role], organisation: Organisation | None) -> None:
    """Give ``person`` exactly ``roles`` among those ``actor`` may grant; other roles (shopper, applicant)
    stay. A partner manager's organisation is set with it. Takes effect on their next request."""
    _refuse_self(actor, person)
    before = person.roles
    grantable = set(grantable_roles(actor))
    after = (before - grantable) | (roles & grantable)
    if roles - grantable:
        raise Refused("role_not_grantable", "You may not give that role.")
    if not after:
        raise Invalid("no_roles", "Choose at least one role, or deactivate the account instead.")
    if after & set(STAFF_ROLES):
        _check_roles(actor, after & grantable, person.programme, organisation)
    new_organisation_id = (
        organisation.id if Role.partner_manager in after and organisation is not None else None
    )
    if after == before and new_organisation_id == person.organisation_id:
        return
    person.role_rows = [row for row in person.role_rows if row.role in after] + [
        UserRole(role=role) for role in sorted(after - before, key=lambda r: r.value)
    ]
    old_organisation_id = person.organisation_id
    person.organisation_id = new_organisation_id
    record(
        "account.roles_changed",
        person,
        actor=actor,
        before=sorted(r.value for r in before),
        after=sorted(r.value for r in after),
        **({"organisation_id": new_organisation_id} if new_organisation_id != old_organisation_id else {}),
    )


def deactivate(actor: User, person: User) -> None:
    """No more sign-ins, and every session of the account ends at once."""
    _refuse_self(actor, person)
    if not person.active:
        return
    person.active = False
    end_other_sessions(person)  # ``person`` is not this request's user: that is every session of theirs
    record("account.deactivated", person, actor=actor)


def reactivate(actor: User, person: User) -> None:
    _refuse_self(actor, person)
    if person.active:
        return
    person.active = True
    record("account.reactivated", person, actor=actor)


def people_query(actor: User, role: Role | None = None, search: str = ""):
    """Who the actor may manage, by name."""
    query = sa.select(User)
    if not actor.has_role(Role.admin):
        query = query.where(
            User.programme_id == actor.programme_id,
            ~User.role_rows.any(UserRole.role == Role.admin),
        )
    if role is not None:
        query = query.where(User.role_rows.any(UserRole.role == role))
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.display_name).like(pattern), User.email.like(pattern)))
    return query.options(joinedload(User.organisation)).order_by(User.display_name, User.id)


def open_invites(actor: User) -> list[AccountInvite]:
    query = sa.select(AccountInvite).where(
        AccountInvite.used_at.is_(None), AccountInvite.expires_at > utcnow()
    )
    if not actor.has_role(Role.admin):
        query = query.where(AccountInvite.programme_id == actor.programme_id)
    return db.session.scalars(query.order_by(AccountInvite.created_at.desc()).limit(50)).all()
