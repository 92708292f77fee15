"""Programmes from first day to last: made from nothing or copied from a finished one with its first wave,
archived when finished, and switched between by a coordinator of two partnerships."""

import pytest
import sqlalchemy as sa

from app.accounts.models import ConfidentialityStatement, Role
from app.audit.models import AuditEvent
from app.extensions import db
from app.programmes.models import (
    Channel,
    ContactPoint,
    Organisation,
    Partnership,
    Programme,
    ProgrammeCoordinator,
    ReferenceFigure,
    ServiceStandard,
    WaveStatus,
)
from app.questionnaires.models import Questionnaire, QuestionnaireVersion
from app.recruitment.models import TrainingQuiz
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_quiz, make_user, make_world
from tests.test_permissions import database_snapshot


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


@pytest.fixture
def signed_in(client, coordinator):
    sign_in(client, coordinator)
    return client


def post(client, path, data=None):
    return client.post(path, data=data or {}, headers=csrf_headers(client))


def finish(programme):
    for wave in programme.waves:
        wave.status = WaveStatus.closed
    db.session.commit()


def form(**change):
    return {
        "name": "Customer Access 2027",
        "source_id": "0",
        "partnership_id": "0",
        "new_partnership_name": "Harbour Councils",
        "country": "GB",
        "timezone": "Europe/London",
        "wave_name": "Spring 2027",
        "wave_starts_on": "2027-03-01",
        "wave_ends_on": "2027-04-30",
        **change,
    }


def made(name="Customer Access 2027") -> Programme:
    return db.session.scalar(sa.select(Programme).filter_by(name=name))


def test_the_new_programme_page_was_missing_and_now_makes_one_from_nothing(signed_in, coordinator, world):
    assert signed_in.get("/programmes/new").status_code == 200
    response = post(signed_in, "/programmes/new", form(country="IE", timezone="Europe/Dublin"))
    assert response.status_code == 302
    programme = made()
    assert response.headers["Location"].endswith(f"/programmes/{programme.id}/setup")
    assert (
        programme.partnership.name == "Harbour Councils" and programme.partnership_id != world.partnership.id
    )
    assert (programme.country, programme.timezone) == ("IE", "Europe/Dublin")
    [wave] = programme.waves
    assert (wave.number, wave.name, str(wave.starts_on), wave.status) == (
        1,
        "Spring 2027",
        "2027-03-01",
        WaveStatus.planned,
    )
    # Its maker works in it now, and can switch back to the programme they came from.
    assert db.session.get(type(coordinator), coordinator.id).programme_id == programme.id
    members = db.session.scalars(
        sa.select(ProgrammeCoordinator.programme_id).filter_by(user_id=coordinator.id)
    )
    assert set(members) == {programme.id, world.programme.id}
    assert "Customer Access 2027" in signed_in.get("/coordinator").get_data(as_text=True)
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"programme.created", "partnership.created", "programme.switched"} <= actions


def _furnish(world):
    """The world's programme as a year's work leaves it: standards, a reference figure, a statement
    (two versions), a quiz, and its questionnaires (the visit one at version 2)."""
    programme = world.programme
    db.session.add_all(
        [
            ServiceStandard(
                programme=programme,
                code="TEL_20S",
                name="Answered in 20 s",
                channel=Channel.telephone,
                threshold=20,
                unit="seconds",
            ),
            ReferenceFigure(programme=programme, channel=Channel.telephone, value=71.5, source="National"),
            ConfidentialityStatement(programme=programme, version=2, text="Second version."),
        ]
    )
    db.session.commit()
    make_quiz(programme)
    visit = world.visit_version
    version_two = QuestionnaireVersion(questionnaire_id=visit.questionnaire_id, number=2)
    db.session.add(version_two)
    db.session.commit()
    finish(programme)


def test_a_copy_of_a_finished_programme_in_its_partnership_takes_its_parts_as_new_drafts(signed_in, world):
    _furnish(world)
    source = world.programme
    source.min_sample, source.partners_named = 9, False
    db.session.commit()
    response = post(
        signed_in,
        "/programmes/new",
        form(source_id=str(source.id), partnership_id=str(world.partnership.id), new_partnership_name=""),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    copy = made()
    assert copy.partnership_id == world.partnership.id  # the organisations are the partnership's, shared
    assert (copy.min_sample, copy.partners_named) == (9, False)
    assert [w.name for w in copy.waves] == ["Spring 2027"]
    standard = db.session.scalar(sa.select(ServiceStandard).filter_by(programme_id=copy.id))
    assert (standard.code, standard.threshold, standard.unit) == ("TEL_20S", 20, "seconds")
    assert db.session.scalar(sa.select(ReferenceFigure).filter_by(programme_id=copy.id)).value == 71.5
    [statement] = db.session.scalars(sa.select(ConfidentialityStatement).filter_by(programme_id=copy.id))
    assert (statement.version, statement.text) == (1, "Second version.")  # the latest, as version 1
    quiz = db.session.scalar(sa.select(TrainingQuiz).filter_by(programme_id=copy.id))
    assert [q.text for q in quiz.questions] == ["Who fixes potholes?", "What do you record about staff?"]
    copied = db.session.scalars(sa.select(Questionnaire).filter_by(programme_id=copy.id)).all()
    assert sorted(q.channel.value for q in copied) == ["in_person", "telephone"]
    for questionnaire in copied:
        [version] = questionnaire.versions  # one draft each, version 1, nothing captured with it
        assert version.number == 1
    originals = db.session.scalars(sa.select(Questionnaire).filter_by(programme_id=source.id)).all()
    assert len(originals) == 2 and all(q.id not in {c.id for c in copied} for q in originals)
    # Scenarios are the programme's: copied, on the same (shared) service areas.
    assert sorted(s.title for s in _scenarios(copy)) == sorted(s.title for s in _scenarios(source))
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="programme.created"))
    assert event.data["copied_from"] == source.id and event.data["copied"]["questionnaires"] == 2


def _scenarios(programme):
    from app.programmes.models import Scenario

    return db.session.scalars(sa.select(Scenario).filter_by(programme_id=programme.id)).all()


def test_a_copy_into_a_new_partnership_copies_its_organisations_areas_and_contact_points(signed_in, world):
    finish(world.programme)
    response = post(signed_in, "/programmes/new", form(source_id=str(world.programme.id)))
    assert response.status_code == 302
    copy = made()
    assert copy.partnership_id != world.partnership.id
    organisations = {o.name for o in copy.partnership.organisations}
    assert organisations == {o.name for o in world.partnership.organisations}
    points = db.session.scalars(
        sa.select(ContactPoint).join(Organisation).where(Organisation.partnership_id == copy.partnership_id)
    ).all()
    assert {p.locator for p in points} == {"1 High St", "2 Low St", "01234 567890", "3 Mid St"}
    assert all(a.partnership_id == copy.partnership_id for p in points for a in p.service_areas)
    assert {s.service_area.partnership_id for s in _scenarios(copy)} == {copy.partnership_id}


def test_a_copy_of_a_programme_still_running_is_refused_and_nothing_is_made(app, signed_in, world):
    world.wave.status = WaveStatus.open
    db.session.commit()
    before = database_snapshot()
    response = post(signed_in, "/programmes/new", form(source_id=str(world.programme.id)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "“Test Programme” is still running: Wave 1 (open). Close its waves first." in page
    assert 'id="source_id-error"' in page
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name": ""}, "name", "Fill this in."),
        ({"new_partnership_name": ""}, "new_partnership_name", "Name the new partnership"),
        ({"wave_ends_on": "2027-02-01"}, "wave_ends_on", "must end on or after the day it starts"),
        ({"wave_starts_on": "1 March"}, "wave_starts_on", "Not a valid date"),
        ({"timezone": "BST"}, "timezone", "IANA time zone"),
        ({"country": "XX"}, "country", "Not a valid choice"),
        ({"source_id": "999999"}, "source_id", "Not a valid choice"),
    ],
)
def test_bad_input_for_a_new_programme_is_a_field_error(app, signed_in, change, field, message):
    before = database_snapshot()
    response = post(signed_in, "/programmes/new", form(**change))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert database_snapshot() == before


def test_a_copy_into_another_existing_partnership_is_refused(signed_in, coordinator, world):
    other = make_world()
    neighbour = Programme(partnership=other.partnership, name="Elsewhere")
    db.session.add(neighbour)
    db.session.flush()
    db.session.add(ProgrammeCoordinator(programme_id=neighbour.id, user_id=coordinator.id))
    finish(world.programme)
    response = post(
        signed_in,
        "/programmes/new",
        form(source_id=str(world.programme.id), partnership_id=str(other.partnership.id)),
    )
    assert response.status_code == 422
    assert "A copy goes into the partnership of “Test Programme” or into a new one" in response.get_data(
        as_text=True
    )


def test_a_coordinator_cannot_copy_or_join_another_coordinators_programme(client, world):
    other = make_world()
    other.programme.name = "Coastal Programme"
    sign_in(client, make_user(Role.coordinator, programme=other.programme))
    finish(world.programme)
    response = post(client, "/programmes/new", form(source_id=str(world.programme.id)))
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    assert "Test Programme" not in page  # not even offered
    response = post(
        client,
        "/programmes/new",
        form(partnership_id=str(world.partnership.id), new_partnership_name=""),
    )
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    assert post(client, f"/programmes/{world.programme.id}/switch").status_code == 403
    assert post(client, f"/programmes/{world.programme.id}/archive").status_code == 403


def test_a_coordinator_of_two_partnerships_switches_between_them(signed_in, coordinator, world):
    other = make_world()
    db.session.add(ProgrammeCoordinator(programme_id=other.programme.id, user_id=coordinator.id))
    other.programme.name = "Coastal Programme"
    db.session.commit()
    listing = signed_in.get("/programmes").get_data(as_text=True)
    assert "Test Programme" in listing and "Coastal Programme" in listing
    assert "Switch to Coastal Programme" in signed_in.get("/coordinator").get_data(as_text=True)
    assert post(signed_in, f"/programmes/{other.programme.id}/switch").status_code == 302
    home = signed_in.get("/coordinator").get_data(as_text=True)
    assert "Coastal Programme" in home
    # Working in the other now: its set-up is theirs, the first one's is not until they switch back.
    assert signed_in.get(f"/programmes/{other.programme.id}/settings").status_code == 200
    assert signed_in.get(f"/programmes/{world.programme.id}/settings").status_code == 403
    assert post(signed_in, f"/programmes/{world.programme.id}/switch").status_code == 302
    assert signed_in.get(f"/programmes/{world.programme.id}/settings").status_code == 200


def test_a_finished_programme_is_archived_read_only_and_can_be_restored(signed_in, world):
    path = f"/programmes/{world.programme.id}"
    response = post(signed_in, f"{path}/archive")
    assert response.status_code == 302
    listing = signed_in.get("/programmes").get_data(as_text=True)
    assert (
        "is still running: Wave 1 (planned)" in listing
        and "A programme is archived when it has finished" in listing
    )
    assert db.session.get(Programme, world.programme.id).archived_at is None
    finish(world.programme)
    post(signed_in, f"{path}/archive")
    assert db.session.get(Programme, world.programme.id).archived_at is not None
    listing = signed_in.get("/programmes").get_data(as_text=True)
    assert "archived" in listing and "Restore" in listing
    assert signed_in.get(f"{path}/settings").status_code == 200  # still readable
    response = post(signed_in, f"{path}/confidentiality", {"text": "A change"})
    assert response.status_code == 409 and "is archived" in response.get_data(as_text=True)
    post(signed_in, f"{path}/restore")
    assert db.session.get(Programme, world.programme.id).archived_at is None
    assert post(signed_in, f"{path}/confidentiality", {"text": "A change"}).status_code == 302
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.index("programme.archived") < actions.index("programme.restored")


def test_an_admin_makes_a_programme_in_any_partnership_and_is_not_made_its_coordinator(client, world):
    admin = make_user(Role.admin)
    sign_in(client, admin)
    response = post(
        client, "/programmes/new", form(partnership_id=str(world.partnership.id), new_partnership_name="")
    )
    assert response.status_code == 302
    assert made().partnership_id == world.partnership.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeCoordinator)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Partnership)) == 1
