"""A volunteer's own personal data: export, and deletion (SPEC §7). The caller commits.

Deletion removes an applicant entirely. Someone who holds assignments or submissions is anonymised
instead: their recorded work stays, detached from who they were.
"""

import sqlalchemy as sa

from app.accounts.models import (
    ConfidentialityAcknowledgement,
    ConfidentialityStatement,
    Conflict,
    User,
    UserSession,
)
from app.assignments.models import Assignment, ShopperAvailability
from app.audit.models import AuditEvent
from app.audit.services import record
from app.extensions import db
from app.recruitment.models import OutboxMessage, QuizAttempt, StaffInvite, VolunteerApplication
from app.visits.models import Submission

FORMER_NAME = "Former volunteer"
UNUSABLE_PASSWORD = "!deleted"  # no argon2 hash: never matches any password


def _iso(value):
    return value.isoformat() if value is not None else None


def application_of(user: User) -> VolunteerApplication | None:
    return db.session.scalar(sa.select(VolunteerApplication).where(VolunteerApplication.user_id == user.id))


def personal_data(user: User) -> dict:
    """Everything we hold about ``user`` as a person: the account (no password hash), the application,
    the times of the week they said they can help, quiz attempts, confidentiality acknowledgements and
    declared conflicts."""
    application = application_of(user)
    attempts = db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.user_id == user.id).order_by(QuizAttempt.taken_at)
    ).all()
    acknowledgements = db.session.execute(
        sa.select(ConfidentialityStatement.version, ConfidentialityAcknowledgement.acknowledged_at)
        .join(
            ConfidentialityStatement,
            ConfidentialityStatement.id == ConfidentialityAcknowledgement.statement_id,
        )
        .where(ConfidentialityAcknowledgement.user_id == user.id)
    ).all()
    conflicts = db.session.scalars(sa.select(Conflict).where(Conflict.user_id == user.id)).all()
    availability = db.session.get(ShopperAvailability, user.id)
    return {
        "user": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "roles": sorted(role.value for role in user.roles),
            "staff_on_loan": user.staff_on_loan,
            "programme": user.programme.name if user.programme else None,
            "created_at": _iso(user.created_at),
        },
        "application": None
        if application is None
        else {
            "programme": application.programme.name,
            "full_name": application.full_name,
            "phone": application.phone,
            "neighbourhood": application.neighbourhood,
            "languages": application.languages,
            "availability": application.availability,
            "accessibility_needs": application.accessibility_needs,
            "status": application.status.value,
            "submitted_at": _iso(application.submitted_at),
            "consented_at": _iso(application.consented_at),
            "email_confirmed_at": _iso(application.email_confirmed_at),
            "quiz_passed_at": _iso(application.quiz_passed_at),
            "decided_at": _iso(application.decided_at),
            "decision_reason": application.decision_reason,
        },
        "availability": None
        if availability is None
        else {
            "weekday_daytime": availability.weekday_daytime,
            "weekday_evening": availability.weekday_evening,
            "weekend": availability.weekend,
            "updated_at": _iso(availability.updated_at),
        },
        "quiz_attempts": [
            {
                "taken_at": _iso(a.taken_at),
                "score": a.score,
                "pass_mark": a.pass_mark,
                "passed": a.passed,
                "answers": a.results,
            }
            for a in attempts
        ],
        "confidentiality_acknowledgements": [
            {"version": version, "acknowledged_at": _iso(at)} for version, at in acknowledgements
        ],
        "conflicts": [
            {
                "organisation": c.organisation.name if c.organisation else None,
                "service_area": c.service_area.name if c.service_area else None,
                "reason": c.reason,
            }
            for c in conflicts
        ],
    }


def has_recorded_work(user: User) -> bool:
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(Assignment.shopper_id == user.id)
                | sa.exists().where(Submission.shopper_id == user.id)
            )
        )
    )


def _deleted(user: User) -> bool:
    """Delete the user row; False (nothing deleted) when a row elsewhere still needs it, e.g. a table a
    later feature added without ``ON DELETE``: then anonymising is the safe answer."""
    user_id = user.id
    try:
        with db.session.begin_nested():
            db.session.execute(sa.delete(VolunteerApplication).where(VolunteerApplication.user_id == user_id))
            db.session.delete(user)
    except sa.exc.IntegrityError:
        return False
    # The audit trail keeps the id of what was deleted, nothing more.
    db.session.add(
        AuditEvent(action="account.deleted", object_type=User.__tablename__, object_id=str(user_id))
    )
    return True


def delete_personal_data(user: User) -> str:
    """Delete ``user`` ("deleted"), or anonymise them when their work must stay ("anonymised")."""
    email = user.email
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.to_address == email))
    db.session.execute(sa.delete(QuizAttempt).where(QuizAttempt.user_id == user.id))
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(sa.delete(ShopperAvailability).where(ShopperAvailability.user_id == user.id))
    db.session.execute(
        sa.update(StaffInvite)
        .where(StaffInvite.email == email)
        .values(email=f"deleted-invite-{user.id}@invalid")
    )
    if not has_recorded_work(user) and _deleted(user):
        return "deleted"
    application = application_of(user)
    if application is not None:
        for name in (
            "full_name",
            "phone",
            "neighbourhood",
            "languages",
            "availability",
            "accessibility_needs",
            "decision_reason",
            "quiz_override_reason",
        ):
            setattr(application, name, "")
    db.session.execute(sa.update(Conflict).where(Conflict.user_id == user.id).values(reason=""))
    user.email = f"deleted-{user.id}@invalid"
    user.display_name = FORMER_NAME
    user.password_hash = UNUSABLE_PASSWORD
    user.active = False
    db.session.flush()
    record("account.anonymised", user, actor=None)
    return "anonymised"
