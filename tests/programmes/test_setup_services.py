"""Programme set-up services, called directly: what they save, refuse and record."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.accounts.services import current_statement, gate_status
from app.audit.models import AuditEvent
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes import services
from app.programmes.models import (
    Channel,
    ContactPoint,
    Organisation,
    ReferenceFigure,
    ServiceArea,
    ServiceStandard,
    Tier,
    Wave,
    WaveStatus,
)
from app.questionnaires.models import Question
from tests.factories import make_assignment, make_shopper, make_user, make_world


@pytest.fixture
def coordinator(world):
    from app.accounts.models import Role

    return make_user(Role.coordinator, programme=world.programme)


def _events(action):
    return db.session.scalars(sa.select(AuditEvent).filter_by(action=action)).all()


def test_an_organisation_is_created_in_the_programmes_partnership_and_recorded(world, coordinator):
    organisation = services.save_organisation(
        world.programme,
        None,
        {"name": "Coast Council", "short_name": "CC", "tier": Tier.unitary},
        coordinator,
    )
    db.session.commit()
    assert organisation.partnership_id == world.partnership.id
    [event] = _events("organisation.created")
    assert event.actor_id == coordinator.id and event.data["changed"]["tier"] == [None, "unitary"]


def test_an_organisation_name_is_unique_in_the_partnership(world, coordinator):
    with pytest.raises(services.FieldInvalid) as refused:
        services.save_organisation(
            world.programme,
            None,
            {"name": world.county.name, "short_name": "X", "tier": Tier.county},
            coordinator,
        )
    assert refused.value.field == "name"
    # Keeping its own name while changing another field is fine.
    services.save_organisation(
        world.programme,
        world.county,
        {"name": world.county.name, "short_name": "TCC2", "tier": Tier.county},
        coordinator,
    )
    assert world.county.short_name == "TCC2"


def test_an_unchanged_save_records_nothing(world, coordinator):
    services.save_service_area(
        world.programme, world.waste, {"code": "waste", "name": world.waste.name}, coordinator
    )
    assert _events("service_area.updated") == []


def test_a_contact_point_needs_an_organisation_and_service_areas_of_the_partnership(world, coordinator):
    other = make_world()
    values = {
        "organisation_id": world.county.id,
        "channel": Channel.email,
        "name": "Inbox",
        "locator": "a@b.example",
        "opening_hours": "",
        "active": True,
        "service_area_ids": [other.waste.id],
    }
    with pytest.raises(services.FieldInvalid) as refused:
        services.save_contact_point(world.programme, None, values, coordinator)
    assert refused.value.field == "service_area_ids"
    with pytest.raises(services.FieldInvalid) as refused:
        services.save_contact_point(
            world.programme,
            None,
            {**values, "organisation_id": other.county.id, "service_area_ids": [world.waste.id]},
            coordinator,
        )
    assert refused.value.field == "organisation_id"
    point = services.save_contact_point(
        world.programme,
        None,
        {**values, "service_area_ids": [world.waste.id, world.planning.id]},
        coordinator,
    )
    assert {a.code for a in point.service_areas} == {"waste", "planning"}


def test_a_wave_has_a_unique_number_and_dates_in_order(world, coordinator):
    values = {
        "number": 2,
        "name": "Wave 2",
        "starts_on": date(2027, 3, 1),
        "ends_on": date(2027, 2, 1),
        "status": WaveStatus.planned,
    }
    with pytest.raises(services.FieldInvalid) as refused:
        services.save_wave(world.programme, None, values, coordinator)
    assert refused.value.field == "ends_on"
    with pytest.raises(services.FieldInvalid) as refused:
        services.save_wave(
            world.programme, None, {**values, "number": 1, "ends_on": date(2027, 4, 1)}, coordinator
        )
    assert refused.value.field == "number"


@pytest.mark.parametrize(
    "threshold, unit, field",
    [
        (20, "rings per second", "unit"),  # not one of the fixed units
        (None, "seconds", "threshold"),
        (5, "", "threshold"),
    ],
)
def test_a_standard_has_a_unit_from_the_fixed_set_and_a_threshold_with_it(
    world, coordinator, threshold, unit, field
):
    with pytest.raises(services.FieldInvalid) as refused:
        services.save_standard(
            world.programme,
            None,
            {"code": "X", "name": "X", "channel": Channel.telephone, "threshold": threshold, "unit": unit},
            coordinator,
        )
    assert refused.value.field == field


def test_one_reference_figure_per_channel(world, coordinator):
    values = {"channel": Channel.telephone, "value": 71.5, "source": "National average"}
    services.save_reference_figure(world.programme, None, values, coordinator)
    with pytest.raises(services.FieldInvalid) as refused:
        services.save_reference_figure(world.programme, None, values, coordinator)
    assert refused.value.field == "channel"


def test_settings_change_and_are_recorded(world, coordinator):
    changed = services.update_settings(
        world.programme,
        {"min_sample": 8, "commendations_allowed": False, "partners_named": False, "retention_days": 400},
        coordinator,
    )
    assert set(changed) == {"min_sample", "commendations_allowed", "partners_named", "retention_days"}
    [event] = _events("programme.settings_changed")
    assert event.data["changed"]["min_sample"] == [5, 8]


def test_a_new_statement_version_closes_every_shoppers_gate(world, coordinator):
    shopper = make_shopper(world)
    assert gate_status(shopper).ready
    statement = services.publish_statement(world.programme, "Version two.", coordinator)
    db.session.commit()
    assert statement.version == 2 and current_statement(world.programme.id).id == statement.id
    status = gate_status(shopper)
    assert not status.ready and not status.confidentiality and status.confidentiality_version == 2
    assert _events("confidentiality.published")[0].data == {"version": 2}


def test_a_blank_statement_is_refused(world, coordinator):
    with pytest.raises(services.FieldInvalid):
        services.publish_statement(world.programme, "  ", coordinator)


# --- deleting -------------------------------------------------------------------------------------------------


def test_what_nothing_refers_to_is_deleted_and_recorded(world, coordinator):
    spare = ServiceArea(partnership=world.partnership, code="spare", name="Spare")
    db.session.add(spare)
    db.session.commit()
    services.delete(spare, coordinator)
    db.session.commit()
    assert db.session.get(ServiceArea, spare.id) is None
    assert _events("service_area.deleted")[0].object_id == str(spare.id)


@pytest.mark.parametrize(
    "target, words",
    [
        (lambda w: w.district, "contact points"),
        (lambda w: w.waste, "contact points"),
        (lambda w: w.wave, "assignments"),
        (lambda w: w.district_office, "assignments"),
        (lambda w: w.waste_scenario, "assignments"),
    ],
)
def test_what_is_referred_to_is_not_deleted(world, coordinator, target, words):
    make_assignment(world, make_shopper(world))
    obj = target(world)
    with pytest.raises(DomainError) as refused:
        services.delete(obj, coordinator)
    assert refused.value.code == "in_use" and words in refused.value.message
    db.session.rollback()
    assert db.session.get(type(obj), obj.id) is not None


def test_a_standard_used_by_a_question_is_not_deleted(world, coordinator):
    standard = ServiceStandard(
        programme_id=world.programme.id,
        code="S",
        name="S",
        channel=Channel.in_person,
        threshold=15,
        unit="minutes",
    )
    db.session.add(standard)
    question = db.session.scalars(sa.select(Question).filter_by(version_id=world.visit_version.id)).first()
    question.standard = standard
    db.session.commit()
    with pytest.raises(DomainError, match="1 questionnaire questions"):
        services.delete(standard, coordinator)


def test_a_reference_figure_and_an_unused_organisation_can_go(world, coordinator):
    figure = ReferenceFigure(programme_id=world.programme.id, channel=Channel.email, value=50, source="x")
    lonely = Organisation(partnership=world.partnership, name="Lonely", short_name="L", tier=Tier.other)
    point = ContactPoint(
        organisation=world.other_district,
        channel=Channel.website,
        name="Site",
        locator="https://x.example",
        service_areas=[world.waste],
    )
    wave = Wave(
        programme=world.programme, number=9, name="W9", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 2)
    )
    db.session.add_all([figure, lonely, point, wave])
    db.session.commit()
    for obj in (figure, lonely, point, wave):
        services.delete(obj, coordinator)
    db.session.commit()
    assert all(db.session.get(type(o), o.id) is None for o in (figure, lonely, point, wave))
