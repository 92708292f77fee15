"""A volunteer's own details after sign-up: when they can help, and their application's personal details.

Plain functions; the caller commits. Two records, one owner each:

- ``ShopperAvailability`` (three buckets the assignment engine reads: weekday daytimes, weekday evenings,
  weekends) for every volunteer, applicant or shopper, staff on loan included; sign-up writes it first;
- ``VolunteerApplication`` for what a resident told us when applying (name, phone, neighbourhood,
  languages, the free-text "when you are usually available", accessibility needs). Its neighbourhood is
  what locality matching reads, so an edit takes effect at the next automatic assignment.

The audit trail names the fields that changed, never their values: a volunteer who deletes their data
(SPEC §7) leaves no copy of it behind in the trail.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.assignments.models import ShopperAvailability
from app.audit.services import record
from app.db_types import utcnow
from app.extensions import db
from app.recruitment.models import VolunteerApplication

TIMES = ("weekday_daytime", "weekday_evening", "weekend")
TIME_LABELS = {
    "weekday_daytime": _l(
        "Weekday daytimes (office hours: visits, exit interviews and phone calls need these)"
    ),
    "weekday_evening": _l("Weekday evenings"),
    "weekend": _l("Weekends"),
}


def availability_of(user: User) -> ShopperAvailability:
    """The user's availability; unsaved defaults (any time, as the planner assumes) when they never said."""
    return db.session.get(ShopperAvailability, user.id) or ShopperAvailability(
        user_id=user.id, weekday_daytime=True, weekday_evening=True, weekend=True
    )


def times_of(availability: ShopperAvailability) -> list[str]:
    return [name for name in TIMES if getattr(availability, name)]


def set_availability(user: User, times: set[str], actor: User | None = None) -> ShopperAvailability:
    """Save the buckets ticked in ``times`` (at least one: a volunteer with no time could be given no work)."""
    unknown = set(times) - set(TIMES)
    if unknown or not times:
        raise ValueError(f"times must be a non-empty subset of {TIMES}")
    availability = db.session.get(ShopperAvailability, user.id)
    if availability is None:
        availability = ShopperAvailability(user_id=user.id)
        db.session.add(availability)
    before = {name: getattr(availability, name) for name in TIMES}
    for name in TIMES:
        setattr(availability, name, name in times)
    changed = sorted(name for name in TIMES if before[name] is not getattr(availability, name))
    if changed or availability.updated_at is None:
        availability.updated_at = utcnow()
        db.session.flush()
        record("availability.changed", user, actor=actor or user, times=sorted(times))
    return availability


# The application's fields a volunteer may change themselves. ``full_name`` is also their display name.
DETAIL_FIELDS = ("full_name", "phone", "neighbourhood", "languages", "availability", "accessibility_needs")


@dataclass(frozen=True)
class Details:
    full_name: str
    phone: str = ""
    neighbourhood: str = ""
    languages: str = ""
    availability: str = ""
    accessibility_needs: str = ""


def update_details(user: User, application: VolunteerApplication | None, details: Details) -> list[str]:
    """Change the volunteer's details; returns the names of the fields that changed.

    Without an application (staff on loan) only the name is theirs to change.
    """
    changed = []
    name = details.full_name.strip()
    if application is None:
        if name != user.display_name:
            user.display_name = name
            changed.append("full_name")
            record("account.details_changed", user, actor=user, fields=changed)
        return changed
    for field in DETAIL_FIELDS:
        value = getattr(details, field).strip()
        if getattr(application, field) != value:
            setattr(application, field, value)
            changed.append(field)
    if user.display_name != name:
        user.display_name = name
    if changed:
        record("application.details_changed", application, actor=user, fields=changed)
    return changed
