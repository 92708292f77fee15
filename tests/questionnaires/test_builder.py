"""The builder's services, called directly: sections, questions, freezing and new versions."""

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.db_types import utcnow
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes.models import Channel, ServiceStandard
from app.questionnaires import exchange, services
from app.questionnaires.models import CriticalScope, Question, QuestionType
from tests.factories import make_user


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


@pytest.fixture
def version(world):
    return world.visit_version


def _question_values(**overrides):
    values = dict(
        key="queue_length",
        text="How many people were waiting?",
        help_text="Count them.",
        type=QuestionType.number,
        weight=1.0,
        na_allowed=False,
        critical=False,
        required=True,
        options=None,
        scale_min=None,
        scale_max=None,
    )
    return {**values, **overrides}


def _layout(version):
    db.session.refresh(version)
    return [(s.position, s.title, [(q.position, q.key) for q in s.questions]) for s in version.sections]


def test_sections_are_added_renamed_moved_and_deleted_when_empty(version, coordinator):
    services.add_section(version, " Leaving ", coordinator)
    services.rename_section(version.sections[1], "On the way out", coordinator)
    assert services.move_section(version.sections[1], "up", coordinator)
    assert not services.move_section(version.sections[0], "up", coordinator)  # already first
    db.session.commit()
    assert _layout(version) == [
        (1, "On the way out", []),
        (2, "Welcome", [(1, "greeted"), (2, "helpful"), (3, "outcome")]),
    ]
    with pytest.raises(DomainError, match="only an empty section"):
        services.delete_section(version.sections[1], coordinator)
    services.delete_section(version.sections[0], coordinator)
    db.session.commit()
    assert [s.title for s in version.sections] == ["Welcome"]


def test_a_question_is_added_with_everything_the_shopper_and_scoring_need(world, version, coordinator):
    standard = ServiceStandard(
        programme_id=world.programme.id,
        code="SEEN_15M",
        name="Seen in 15 minutes",
        channel=Channel.in_person,
        threshold=15,
        unit="minutes",
    )
    db.session.add(standard)
    section = version.sections[0]
    question = services.save_question(
        version,
        None,
        section,
        _question_values(
            type=QuestionType.multi_choice,
            critical=True,
            na_allowed=True,
            weight=2.5,
            options=[{"value": "a", "label": "A", "score": 1}, {"value": "b", "label": "B", "score": 0}],
        ),
        standard,
        coordinator,
    )
    db.session.commit()
    assert (question.position, question.section_id, question.standard.code) == (4, section.id, "SEEN_15M")
    exported = exchange.export(version)["sections"][0]["questions"][-1]
    assert exported == {
        "key": "queue_length",
        "type": "multi_choice",
        "text": "How many people were waiting?",
        "help_text": "Count them.",
        "weight": 2.5,
        "na_allowed": True,
        "critical": True,
        "required": True,
        "standard": "SEEN_15M",
        "options": [{"value": "a", "label": "A", "score": 1}, {"value": "b", "label": "B", "score": 0}],
        "scale_min": None,
        "scale_max": None,
        "translations": {},
    }
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="question.added"))
    assert event.data["changed"]["type"] == [None, "multi_choice"]


@pytest.mark.parametrize(
    "values, field",
    [
        (dict(key="greeted"), "key"),  # already in the version
        (dict(key="2fast"), "key"),
        (dict(type=QuestionType.single_choice), "options"),
        (dict(type=QuestionType.scale, scale_min=3, scale_max=3), "scale_max"),
        (dict(scale_min=1, scale_max=5), "scale_max"),  # a number question has no scale
        (dict(type=QuestionType.photo, critical=True), "critical"),
    ],
)
def test_a_bad_question_is_refused_on_its_field_and_changes_nothing(version, coordinator, values, field):
    before = _layout(version)
    with pytest.raises(services.FieldInvalid) as refused:
        services.save_question(
            version, None, version.sections[0], _question_values(**values), None, coordinator
        )
    assert refused.value.field == field
    db.session.rollback()
    assert _layout(version) == before


def test_a_question_keeps_its_own_key_when_changed_and_moves_between_sections(version, coordinator):
    later = services.add_section(version, "Later", coordinator)
    greeted = version.sections[0].questions[0]
    services.save_question(
        version, greeted, later, _question_values(key="greeted", type=QuestionType.yes_no), None, coordinator
    )
    services.move_question(version.sections[0].questions[1], "up", coordinator)
    db.session.commit()
    assert _layout(version) == [
        (1, "Welcome", [(1, "outcome"), (2, "helpful")]),
        (2, "Later", [(3, "greeted")]),
    ]
    services.delete_question(greeted, coordinator)
    db.session.commit()
    assert _layout(version)[1] == (2, "Later", [])


def _freeze(version):
    version.frozen_at = utcnow()
    db.session.commit()


FROZEN_CHANGES = {
    "change the scoring": lambda v, who: services.set_critical_scope(v, CriticalScope.section, who),
    "add a section": lambda v, who: services.add_section(v, "More", who),
    "rename a section": lambda v, who: services.rename_section(v.sections[0], "Renamed", who),
    "move a section": lambda v, who: services.move_section(v.sections[0], "down", who),
    "delete a section": lambda v, who: services.delete_section(v.sections[0], who),
    "add a question": lambda v, who: services.save_question(
        v, None, v.sections[0], _question_values(), None, who
    ),
    "change a question": lambda v, who: services.save_question(
        v, v.sections[0].questions[0], v.sections[0], _question_values(key="greeted"), None, who
    ),
    "move a question": lambda v, who: services.move_question(v.sections[0].questions[0], "down", who),
    "delete a question": lambda v, who: services.delete_question(v.sections[0].questions[0], who),
}


@pytest.mark.parametrize("change", FROZEN_CHANGES.values(), ids=FROZEN_CHANGES.keys())
def test_every_change_to_a_frozen_version_is_refused(version, coordinator, change):
    _freeze(version)
    before = exchange.export(version)
    with pytest.raises(services.VersionFrozen) as refused:
        change(version, coordinator)
    assert refused.value.status == 409 and "new version" in refused.value.message
    db.session.rollback()
    assert exchange.export(version) == before


def test_the_freeze_is_read_from_the_database_not_from_memory(version, coordinator):
    """A first capture committed by another request after the version was loaded still stops a change."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE questionnaire_version SET frozen_at = :now WHERE id = :id"),
            {"now": utcnow(), "id": version.id},
        )
    assert version.frozen_at is None  # what this session holds
    with pytest.raises(services.VersionFrozen):
        services.add_section(version, "More", coordinator)


def test_a_new_version_copies_everything_and_is_open_for_changes(world, version, coordinator):
    standard = ServiceStandard(
        programme_id=world.programme.id,
        code="S",
        name="S",
        channel=Channel.in_person,
        threshold=15,
        unit="minutes",
    )
    db.session.add(standard)
    version.sections[0].questions[0].standard = standard
    _freeze(version)
    copy = services.new_version_from(version, coordinator)
    db.session.commit()
    assert (copy.number, copy.frozen_at, copy.questionnaire_id) == (2, None, version.questionnaire_id)
    assert exchange.export(copy) == exchange.export(version)
    assert {q.id for q in copy.questions}.isdisjoint({q.id for q in version.questions})
    services.add_section(copy, "New in version 2", coordinator)  # the copy can change
    third = services.new_version_from(version, coordinator)  # from version 1 again: the next free number
    db.session.commit()
    assert third.number == 3
    assert db.session.scalar(sa.select(sa.func.count(Question.id)).filter_by(version_id=version.id)) == 3
