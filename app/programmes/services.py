"""Programme set-up: create, change and delete what a programme is made of. The caller commits.

Every change is recorded in the audit trail with the fields that changed. Rules that need the
database come back as ``FieldInvalid`` naming the form field, so a page can show them in place.
"""

import sqlalchemy as sa

from app.accounts.models import ConfidentialityStatement, Conflict, User
from app.assignments.models import Assignment
from app.audit.services import record
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.phones import InvalidPhone, to_e164
from app.programmes.models import (
    STANDARD_UNITS,
    Channel,
    ContactPoint,
    Organisation,
    Programme,
    ReferenceFigure,
    Scenario,
    ServiceArea,
    ServiceStandard,
    Wave,
    contact_point_service_area,
)
from app.questionnaires.models import Question


class FieldInvalid(Invalid):
    """Invalid because of one field's value."""

    def __init__(self, field: str, message: str, code: str = "invalid_field"):
        super().__init__(code, message)
        self.field = field


def _apply(obj, values: dict) -> dict:
    """Set ``values`` on ``obj``; returns what changed, as {field: [old, new]} in plain values for the audit."""
    changed = {}
    for name, value in values.items():
        old = getattr(obj, name, None)
        if old != value:
            changed[name] = [_plain(old), _plain(value)]
            setattr(obj, name, value)
    return changed


def _plain(value):
    if hasattr(value, "value"):  # an enum
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [getattr(v, "id", v) for v in value]
    return value


def _taken(model, obj, **where) -> bool:
    query = sa.select(model.id).filter_by(**where)
    if obj is not None and obj.id is not None:
        query = query.where(model.id != obj.id)
    return db.session.scalar(query.limit(1)) is not None


def _save(obj, values: dict, actor, is_new: bool):
    changed = _apply(obj, values)
    db.session.add(obj)
    db.session.flush()
    action = f"{obj.__tablename__}.{'created' if is_new else 'updated'}"
    if is_new or changed:
        record(action, obj, actor=actor, changed=changed)
    return obj


# --- one function per kind: (programme, the object or None for a new one, the form's values, who) -------------


def save_organisation(programme: Programme, organisation: Organisation | None, values: dict, actor):
    if _taken(Organisation, organisation, partnership_id=programme.partnership_id, name=values["name"]):
        raise FieldInvalid("name", "The partnership already has an organisation of that name.")
    is_new = organisation is None
    organisation = organisation or Organisation(partnership_id=programme.partnership_id)
    return _save(organisation, values, actor, is_new)


def save_service_area(programme: Programme, area: ServiceArea | None, values: dict, actor):
    if _taken(ServiceArea, area, partnership_id=programme.partnership_id, code=values["code"]):
        raise FieldInvalid("code", "Another service area already has that code.")
    is_new = area is None
    area = area or ServiceArea(partnership_id=programme.partnership_id)
    return _save(area, values, actor, is_new)


def _in_partnership(model, ids, programme, field: str, what: str):
    found = db.session.scalars(
        sa.select(model).where(model.id.in_(ids), model.partnership_id == programme.partnership_id)
    ).all()
    if len(found) != len(set(ids)):
        raise FieldInvalid(field, f"Choose {what} of this programme’s partnership.")
    return found


def save_contact_point(programme: Programme, point: ContactPoint | None, values: dict, actor):
    values = dict(values)
    _in_partnership(
        Organisation, [values["organisation_id"]], programme, "organisation_id", "an organisation"
    )
    values["service_areas"] = _in_partnership(
        ServiceArea, values.pop("service_area_ids"), programme, "service_area_ids", "service areas"
    )
    if not values["service_areas"]:
        raise FieldInvalid("service_area_ids", "Choose at least one service area.")
    if values["channel"] is Channel.telephone:  # a shopper dials it: checked, and stored as E.164
        try:
            values["locator"] = to_e164(values["locator"], programme.country)
        except InvalidPhone as error:
            raise FieldInvalid("locator", error.message) from None
    is_new = point is None
    return _save(point or ContactPoint(), values, actor, is_new)


def save_wave(programme: Programme, wave: Wave | None, values: dict, actor):
    if _taken(Wave, wave, programme_id=programme.id, number=values["number"]):
        raise FieldInvalid("number", "The programme already has a wave with that number.")
    if values["ends_on"] < values["starts_on"]:
        raise FieldInvalid("ends_on", "The wave cannot end before it starts.")
    is_new = wave is None
    return _save(wave or Wave(programme_id=programme.id), values, actor, is_new)


def save_scenario(programme: Programme, scenario: Scenario | None, values: dict, actor):
    _in_partnership(ServiceArea, [values["service_area_id"]], programme, "service_area_id", "a service area")
    is_new = scenario is None
    return _save(scenario or Scenario(programme_id=programme.id), values, actor, is_new)


def save_standard(programme: Programme, standard: ServiceStandard | None, values: dict, actor):
    if values["unit"] not in STANDARD_UNITS:
        raise FieldInvalid("unit", "Choose one of the listed units.")
    if (values["threshold"] is None) != (values["unit"] == ""):
        raise FieldInvalid("threshold", "A threshold needs a unit, and a unit needs a threshold.")
    if _taken(ServiceStandard, standard, programme_id=programme.id, code=values["code"]):
        raise FieldInvalid("code", "Another standard already has that code.")
    is_new = standard is None
    return _save(standard or ServiceStandard(programme_id=programme.id), values, actor, is_new)


def save_reference_figure(programme: Programme, figure: ReferenceFigure | None, values: dict, actor):
    if _taken(ReferenceFigure, figure, programme_id=programme.id, channel=values["channel"]):
        raise FieldInvalid("channel", "This channel has a reference figure already; change that one.")
    if not 0 <= values["value"] <= 100:
        raise FieldInvalid("value", "From 0 to 100.")
    is_new = figure is None
    return _save(figure or ReferenceFigure(programme_id=programme.id), values, actor, is_new)


def update_settings(programme: Programme, values: dict, actor) -> dict:
    changed = _apply(programme, values)
    if changed:
        record("programme.settings_changed", programme, actor=actor, changed=changed)
    return changed


def publish_statement(programme: Programme, text: str, actor) -> ConfidentialityStatement:
    """A new version of the confidentiality statement: every shopper's gate closes until they acknowledge it.

    The (programme, version) unique constraint settles two coordinators publishing at once: one of them
    gets an IntegrityError at commit and nothing of theirs is kept.
    """
    if not text.strip():
        raise FieldInvalid("text", "Write the statement.")
    latest = (
        db.session.scalar(
            sa.select(sa.func.max(ConfidentialityStatement.version)).where(
                ConfidentialityStatement.programme_id == programme.id
            )
        )
        or 0
    )
    statement = ConfidentialityStatement(programme_id=programme.id, version=latest + 1, text=text.strip())
    db.session.add(statement)
    db.session.flush()
    record("confidentiality.published", statement, actor=actor, version=statement.version)
    return statement


# --- deleting -------------------------------------------------------------------------------------------------


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def references(obj) -> list[str]:
    """What still refers to ``obj``, in words; empty when it may be deleted."""
    checks = {
        Organisation: [
            (sa.select(ContactPoint.id).filter_by(organisation_id=obj.id), "contact points"),
            (sa.select(User.id).filter_by(organisation_id=obj.id), "partner managers"),
            (sa.select(Conflict.id).filter_by(organisation_id=obj.id), "declared conflicts"),
        ],
        ServiceArea: [
            (
                sa.select(contact_point_service_area.c.contact_point_id).where(
                    contact_point_service_area.c.service_area_id == obj.id
                ),
                "contact points",
            ),
            (sa.select(Scenario.id).filter_by(service_area_id=obj.id), "scenarios"),
            (sa.select(Conflict.id).filter_by(service_area_id=obj.id), "declared conflicts"),
        ],
        ContactPoint: [(sa.select(Assignment.id).filter_by(contact_point_id=obj.id), "assignments")],
        Wave: [(sa.select(Assignment.id).filter_by(wave_id=obj.id), "assignments")],
        Scenario: [(sa.select(Assignment.id).filter_by(scenario_id=obj.id), "assignments")],
        ServiceStandard: [(sa.select(Question.id).filter_by(standard_id=obj.id), "questionnaire questions")],
    }.get(type(obj), [])
    found = []
    for query, what in checks:
        count = _count(query)
        if count:
            found.append(f"{count} {what}")
    return found


def delete(obj, actor) -> None:
    """Delete a set-up object that nothing refers to; else refuse, saying what still uses it.

    A table this module does not know about is caught by the foreign keys at flush: the caller
    rolls back and shows ``in_use`` too.
    """
    used_by = references(obj)
    if used_by:
        raise DomainError("in_use", f"It cannot be deleted: {', '.join(used_by)} still refer to it.")
    record(f"{obj.__tablename__}.deleted", obj, actor=actor)
    db.session.delete(obj)
    db.session.flush()
