"""`flask demo`: what the README's sign-ins and the report pages rely on."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import current_app

from app.accounts.models import Conflict, Role, User
from app.accounts.passwords import verify_password
from app.accounts.services import gate_status
from app.assignments.models import OPEN_STATES, Assignment
from app.audit.models import AuditEvent
from app.extensions import db
from app.programmes.models import Channel, ContactPoint, Organisation, Tier, Wave, WaveStatus
from app.questionnaires.models import Question, Questionnaire, QuestionType
from app.recruitment.models import ApplicationStatus, VolunteerApplication
from tests.conftest import RowTemplate

GATED = ("shopper1@demo.test", "shopper2@demo.test")
SIGN_INS = ("coordinator", "admin", "manager", "shopper1", "shopper2", "newshopper", "applicant")


def _load_demo() -> dict:
    result = current_app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    _DEMO_OUTPUT[:] = [result.output]
    return {}


_DEMO_OUTPUT: list[str] = []
# `flask demo` runs once; later tests get its rows copied in (loading it takes seconds, copying it a fraction)
_DEMO = RowTemplate(_load_demo)


@pytest.fixture
def loaded(app):
    _DEMO.make()
    return SimpleNamespace(output=_DEMO_OUTPUT[0])


def user(email) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_prints_the_sign_ins(loaded):
    for key in SIGN_INS:
        assert f"{key}@demo.test" in loaded.output


def test_partnership_has_a_county_districts_and_a_park(loaded):
    tiers = sorted(t.value for t in db.session.scalars(sa.select(Organisation.tier)))
    assert tiers == ["county", "district", "district", "district", "national_park"]


def test_every_organisation_has_a_contact_point_on_every_channel(loaded):
    wanted = set(Channel) - {Channel.exit_interview}  # exit interviews happen at the buildings
    for organisation in db.session.scalars(sa.select(Organisation)):
        assert {cp.channel for cp in organisation.contact_points} == wanted, organisation.name
    assert all(cp.service_areas for cp in db.session.scalars(sa.select(ContactPoint)))


def test_one_questionnaire_version_per_channel_using_every_question_type(loaded):
    questionnaires = db.session.scalars(sa.select(Questionnaire)).all()
    assert sorted(q.channel.value for q in questionnaires) == sorted(c.value for c in Channel)
    for questionnaire in questionnaires:
        [version] = questionnaire.versions
        assert 2 <= len(version.sections) <= 4
        assert any(q.critical for q in version.questions), questionnaire.title
    assert set(db.session.scalars(sa.select(Question.type).distinct())) == set(QuestionType)
    for question in db.session.scalars(sa.select(Question)):
        if question.standard is not None:
            assert question.standard.channel == question.version.questionnaire.channel


def test_exit_interview_asks_consent_first(loaded):
    exit_questionnaire = db.session.scalar(
        sa.select(Questionnaire).where(Questionnaire.channel == Channel.exit_interview)
    )
    keys = [q.key for q in exit_questionnaire.versions[0].questions]
    assert keys[0] == "consent"
    assert {
        "satisfaction",
        "need_addressed",
        "ease",
        "reasonable_time",
        "treated_fairly",
        "staff_helpful",
        "trust",
    } <= set(keys)


def test_waves_one_published_one_open(loaded):
    assert [w.status for w in db.session.scalars(sa.select(Wave).order_by(Wave.number))] == [
        WaveStatus.published,
        WaveStatus.open,
    ]


def test_assignments_match_their_questionnaire_channel(loaded):
    assignments = db.session.scalars(sa.select(Assignment)).all()
    assert assignments
    for assignment in assignments:
        assert assignment.questionnaire_version.questionnaire.channel == assignment.channel
        assert assignment.window_ends_at > assignment.window_starts_at
        expected = Channel.in_person if assignment.channel == Channel.exit_interview else assignment.channel
        assert assignment.contact_point.channel == expected


def test_gate_passed_by_the_two_shoppers_and_not_by_the_new_one(loaded):
    for email in GATED:
        assert gate_status(user(email)).ready, email
    assert not gate_status(user("newshopper@demo.test")).ready
    assert db.session.scalars(
        sa.select(Assignment).where(Assignment.shopper_id == user("newshopper@demo.test").id)
    ).all()


@pytest.mark.parametrize("email", GATED)
def test_gated_shoppers_hold_open_work_on_the_three_field_channels(loaded, email):
    shopper = user(email)
    open_channels = {
        a.channel
        for a in db.session.scalars(sa.select(Assignment).where(Assignment.shopper_id == shopper.id))
        if a.state in OPEN_STATES and a.wave.status == WaveStatus.open
    }
    assert {Channel.in_person, Channel.exit_interview, Channel.telephone} <= open_channels


def test_shopper2_is_never_assigned_where_he_declared_a_conflict(loaded):
    shopper = user("shopper2@demo.test")
    conflicts = db.session.scalars(sa.select(Conflict).where(Conflict.user_id == shopper.id)).all()
    assert conflicts
    for assignment in db.session.scalars(sa.select(Assignment).where(Assignment.shopper_id == shopper.id)):
        assert not any(c.touches(assignment.organisation_id, assignment.service_area_id) for c in conflicts)


def test_users_are_demo_users_with_the_demo_password(app, loaded):
    users = db.session.scalars(sa.select(User)).all()
    assert all(u.is_demo and u.email == u.email.lower() for u in users)
    assert verify_password(user("coordinator@demo.test"), app.config["DEMO_PASSWORD"])
    manager = user("manager@demo.test")
    assert manager.has_role(Role.partner_manager) and manager.organisation.tier == Tier.district
    application = db.session.scalar(sa.select(VolunteerApplication))
    assert application.user.email == "applicant@demo.test"
    assert application.status == ApplicationStatus.pending
    assert (
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "demo.loaded"))
        == 1
    )


def test_refuses_a_database_that_holds_data(loaded, runner):
    before = row_counts()
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "--replace" in result.stderr
    db.session.rollback()
    assert row_counts() == before


def test_replace_reloads(loaded, runner):
    before = row_counts()
    db.session.scalar(sa.select(User).where(User.email == "admin@demo.test")).display_name = "Changed"
    db.session.commit()
    result = runner.invoke(args=["demo", "--replace"])
    assert result.exit_code == 0, result.output
    assert row_counts() == before
    assert user("admin@demo.test").display_name != "Changed"


def test_every_reported_assignment_has_one_report_in_the_same_state(loaded):
    from app.visits.models import Submission, SubmissionKind

    reported = {"submitted", "in_review", "approved", "returned"}
    assignments = db.session.scalars(sa.select(Assignment)).all()
    submissions = db.session.scalars(sa.select(Submission)).all()
    by_assignment = {s.assignment_id: s for s in submissions}
    assert len(by_assignment) == len(submissions)  # one report each: nothing counted twice
    for assignment in assignments:
        submission = by_assignment.get(assignment.id)
        if assignment.state.value not in reported:
            assert submission is None, assignment.state
            continue
        assert submission is not None and submission.state.value == assignment.state.value
        assert submission.flags == []
    states = {s.state.value for s in submissions}
    assert reported <= states
    calls = [s for s in submissions if s.kind is SubmissionKind.call]
    assert calls and all(s.call_log for s in calls)
    returned = [s for s in submissions if s.state.value == "returned"]
    assert all(s.review_comment for s in returned)


def test_phone_bank_blocks_fall_on_working_days_from_nine_on_the_programmes_clock(loaded):
    from datetime import date

    from app.assignments.models import PhoneBlock
    from app.demo.planning import working_days_after
    from app.programmes.timezones import to_local

    blocks = db.session.scalars(sa.select(PhoneBlock)).all()
    assert blocks
    for block in blocks:
        local = to_local(block.starts_at, "Europe/London")
        assert local.weekday() < 5 and (local.hour, local.minute) == (9, 0)
    # From a Friday, the next working days are Monday to Wednesday.
    assert working_days_after(date(2026, 12, 4), 3) == [
        date(2026, 12, 7),
        date(2026, 12, 8),
        date(2026, 12, 9),
    ]
