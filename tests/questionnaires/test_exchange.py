"""JSON import and export of questionnaire versions, and the ready templates in that format."""

import copy
import json

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.programmes.models import Channel, ServiceStandard
from app.questionnaires import exchange, services
from app.questionnaires.models import QuestionType
from app.questionnaires.ready_templates import TEMPLATE_DIR, ready_templates
from tests.factories import make_user

VALID = {
    "format": "service-shopper-questionnaire",
    "format_version": 1,
    "title": "Telephone",
    "channel": "telephone",
    "critical_scope": "section",
    "sections": [
        {
            "title": "Getting through",
            "questions": [
                {
                    "key": "answer_wait",
                    "type": "duration",
                    "text": "How long until answered?",
                    "weight": 2,
                    "standard": "TEL_ANSWER_20S",
                },
                {
                    "key": "result",
                    "type": "single_choice",
                    "text": "How did it end?",
                    "options": [
                        {"value": "person", "label": "A person", "score": 1},
                        {"value": "voicemail", "label": "Voicemail"},
                    ],
                },
            ],
        },
        {
            "title": "The answer",
            "questions": [
                {
                    "key": "helpful",
                    "type": "scale",
                    "text": "How helpful?",
                    "scale_min": 1,
                    "scale_max": 5,
                    "na_allowed": True,
                    "help_text": "1 = not at all",
                },
                {"key": "accurate", "type": "yes_no", "text": "Correct?", "critical": True, "weight": 3},
                {"key": "notes", "type": "text", "text": "Notes", "required": False, "weight": 0},
            ],
        },
    ],
}


def _broken(change):
    document = copy.deepcopy(VALID)
    change(document)
    return json.dumps(document)


def _question(document, section=0, index=0):
    return document["sections"][section]["questions"][index]


MALFORMED = {
    "not JSON": ("{'title': 'x'", "Not valid JSON"),
    "a list": ("[1, 2]", "one JSON object"),
    "nested 5,000 deep": ('{"title": ' + "[" * 5_000 + "]" * 5_000 + "}", "nested deeper than 32 levels"),
    "NaN": ('{"title": NaN}', "Not valid JSON"),
    "another format": (_broken(lambda d: d.update(format="kobo")), "format: Must be equal to"),
    "unknown channel": (_broken(lambda d: d.update(channel="fax")), "channel: Must be one of"),
    "unknown type": (_broken(lambda d: _question(d).update(type="slider")), "sections.0.questions.0.type"),
    "duplicate keys": (
        _broken(lambda d: _question(d, 1, 0).update(key="answer_wait")),
        "repeated: answer_wait",
    ),
    "a key not in snake_case": (_broken(lambda d: _question(d).update(key="Answer Wait")), "snake_case"),
    "choices without options": (
        _broken(lambda d: _question(d, 0, 1).update(options=None)),
        "needs at least two options",
    ),
    "one option only": (_broken(lambda d: _question(d, 0, 1)["options"].pop()), "needs at least two options"),
    "repeated option values": (
        _broken(lambda d: _question(d, 0, 1)["options"][1].update(value="person")),
        "repeated: person",
    ),
    "options on a yes/no": (
        _broken(
            lambda d: _question(d, 1, 1).update(
                options=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]
            )
        ),
        "Only a single or multiple choice question has options",
    ),
    "a scale upside down": (
        _broken(lambda d: _question(d, 1, 0).update(scale_min=5, scale_max=1)),
        "highest point must be above",
    ),
    "a scale without ends": (
        _broken(lambda d: _question(d, 1, 0).update(scale_max=None)),
        "needs a lowest and a highest point",
    ),
    "a scale as text": (
        _broken(lambda d: _question(d, 1, 0).update(scale_min="1")),
        "scale_min: Not a valid integer",
    ),
    "a negative weight": (_broken(lambda d: _question(d).update(weight=-1)), "weight"),
    "a score above 1": (_broken(lambda d: _question(d, 0, 1)["options"][0].update(score=3)), "score"),
    "a critical text question": (
        _broken(lambda d: _question(d, 1, 2).update(critical=True)),
        "needs an answer that can fail",
    ),
    '"true" as a boolean': (_broken(lambda d: _question(d).update(required="true")), "required"),
    "an unknown field": (_broken(lambda d: _question(d).update(colour="red")), "colour: Unknown field"),
    "no sections": (_broken(lambda d: d.update(sections=[])), "sections"),
    "no questions": (
        _broken(lambda d: [s.update(questions=[]) for s in d["sections"]]),
        "at least one question",
    ),
    "a blank question": (_broken(lambda d: _question(d).update(text="  ")), "Must not be blank"),
    "a missing key": (_broken(lambda d: _question(d).pop("key")), "key: Missing data"),
}


@pytest.mark.parametrize("text, reason", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_document_is_refused_with_the_reason(text, reason):
    with pytest.raises(exchange.ImportRefused) as refused:
        exchange.parse(text)
    assert any(reason in line for line in refused.value.reasons), refused.value.reasons


def test_a_valid_document_is_read_with_its_defaults():
    content = exchange.parse(json.dumps(VALID))
    first = content["sections"][0]["questions"][0]
    assert (
        first["type"] is QuestionType.duration and first["required"] is True and first["na_allowed"] is False
    )
    assert content["channel"] is Channel.telephone


@pytest.fixture
def programme_with_standard(world):
    db.session.add(
        ServiceStandard(
            programme_id=world.programme.id,
            code="TEL_ANSWER_20S",
            name="20 seconds",
            channel=Channel.telephone,
            threshold=20,
            unit="seconds",
        )
    )
    db.session.commit()
    return world.programme


def test_export_then_import_gives_an_equal_version(programme_with_standard):
    coordinator = make_user(Role.coordinator, programme=programme_with_standard)
    version, _ = services.create_from_content(
        programme_with_standard, exchange.parse(json.dumps(VALID)), coordinator
    )
    exported = exchange.export(version)
    again, _ = services.create_from_content(
        programme_with_standard, exchange.parse(json.dumps(exported)), coordinator
    )
    db.session.commit()
    assert again.id != version.id
    assert exchange.export(again) == exported
    # And the export says what was imported, defaults filled in.
    assert exported["sections"][0]["questions"][0]["standard"] == "TEL_ANSWER_20S"
    assert exported["sections"][0]["questions"][1]["options"][1] == {
        "value": "voicemail",
        "label": "Voicemail",
        "score": None,
    }
    assert exported["critical_scope"] == "section"


def test_an_import_naming_a_standard_the_programme_lacks_is_refused(world):
    from app.errors_domain import Invalid

    with pytest.raises(Invalid, match="TEL_ANSWER_20S"):
        services.create_from_content(world.programme, exchange.parse(json.dumps(VALID)), None)


# --- the ready templates ------------------------------------------------------------------------------------------


def test_there_is_a_valid_template_for_every_channel():
    templates = ready_templates()
    assert {content["channel"] for content in templates.values()} == set(Channel)
    assert len(list(TEMPLATE_DIR.glob("*.json"))) == len(templates)


def _keys(content):
    return [q["key"] for s in content["sections"] for q in s["questions"]]


def test_the_exit_interview_asks_consent_first_and_covers_the_satisfaction_drivers():
    exit_interview = next(c for c in ready_templates().values() if c["channel"] is Channel.exit_interview)
    first = exit_interview["sections"][0]["questions"][0]
    assert first["key"] == "consent" and first["critical"]
    drivers = {
        "satisfaction",
        "need_addressed",
        "ease",
        "reasonable_time",
        "treated_fairly",
        "staff_helpful",
        "trust",
    }
    scales = {
        q["key"]: q for s in exit_interview["sections"] for q in s["questions"] if q["type"].value == "scale"
    }
    assert drivers <= set(scales)
    assert all((scales[k]["scale_min"], scales[k]["scale_max"]) == (1, 5) for k in drivers)


def test_the_website_task_covers_finding_completing_and_accessibility():
    website = next(c for c in ready_templates().values() if c["channel"] is Channel.website)
    titles = [s["title"] for s in website["sections"]]
    assert titles[:3] == ["Finding it", "Completing the task", "Accessible"]
    assert {"found_answer", "task_completed", "accessibility"} <= set(_keys(website))


def test_a_template_makes_a_questionnaire_even_without_the_standards_it_names(world):
    telephone = ready_templates()["telephone_call"]
    version, dropped = services.create_from_content(
        world.programme, telephone, None, unknown_standards="drop"
    )
    db.session.commit()
    assert "TEL_ANSWER_20S" in dropped
    assert [q.key for s in version.sections for q in s.questions] == _keys(telephone)
    assert all(q.standard is None for s in version.sections for q in s.questions)
