"""The questionnaire pages: frozen versions refuse every change (409), forms and imports show their errors."""

import json
import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.db_types import utcnow
from app.extensions import db
from app.questionnaires.models import Questionnaire, QuestionnaireVersion
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_user
from tests.permissions_kit import Cast
from tests.questionnaires import permission_rows
from tests.questionnaires.permission_rows import multipart_file
from tests.questionnaires.test_exchange import VALID
from tests.test_permissions import database_snapshot


@pytest.fixture
def cast(world):
    cast = Cast()
    cast.__dict__["world"] = world
    return cast


@pytest.fixture
def signed_in(client, world):
    return sign_in(client, make_user(Role.coordinator, programme=world.programme))


UNSAFE_BUILDER_ROUTES = sorted(
    key
    for key in permission_rows.ROWS
    if key[0] == "POST"
    and key[1].startswith("/questionnaire-versions/")
    and not key[1].endswith("/new-version")
)


@pytest.mark.parametrize("method, rule", UNSAFE_BUILDER_ROUTES, ids=[r for _, r in UNSAFE_BUILDER_ROUTES])
def test_every_change_to_a_used_version_is_refused_with_409_and_a_message(signed_in, cast, method, rule):
    route = permission_rows.ROWS[(method, rule)]
    version = permission_rows.version(cast)
    version.frozen_at = utcnow()
    db.session.commit()
    url, body = route.url(cast), route.body(cast, None)
    before = database_snapshot()

    response = signed_in.open(url, method=method, headers=csrf_headers(signed_in), **body)

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Nothing was changed" in page and "Make a new version from it" in page
    assert database_snapshot() == before


def test_a_used_version_shows_it_is_read_only_and_offers_a_new_version(signed_in, cast):
    version = permission_rows.version(cast)
    version.frozen_at = utcnow()
    db.session.commit()
    page = signed_in.get(f"/questionnaire-versions/{version.id}").get_data(as_text=True)
    assert "Read-only." in page and "New version from this one" in page
    assert "/questions/new" not in page and "Add section" not in page
    response = signed_in.post(
        f"/questionnaire-versions/{version.id}/new-version", headers=csrf_headers(signed_in)
    )
    assert response.status_code == 302
    copy = db.session.scalar(
        sa.select(QuestionnaireVersion).filter_by(questionnaire_id=version.questionnaire_id, number=2)
    )
    assert response.headers["Location"].endswith(f"/questionnaire-versions/{copy.id}")
    assert "Add section" in signed_in.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"key": "Greeting Wait"}, "key", "snake_case"),
        ({"key": "greeted"}, "key", "Another question in this version has that key"),
        ({"type": "single_choice"}, "options", "needs at least two options"),
        ({"type": "single_choice", "options": "a | A\nb"}, "options", "Line 2"),
        ({"type": "single_choice", "options": "a | A | 2\nb | B"}, "options", "from 0 to 1"),
        ({"type": "scale", "scale_min": "5", "scale_max": "1"}, "scale_max", "above the lowest"),
        ({"weight": "-1"}, "weight", "From 0 to 100"),
        ({"text": ""}, "text", "Write the question"),
        ({"type": "essay"}, "type", "Not a valid choice"),
        ({"section_id": "999999"}, "section_id", "Not a valid choice"),
    ],
)
def test_a_bad_question_shows_field_errors_and_saves_nothing(signed_in, cast, change, field, message):
    version = permission_rows.version(cast)
    data = {**permission_rows.question_form(cast), **change}
    before = database_snapshot()
    response = signed_in.post(
        f"/questionnaire-versions/{version.id}/questions/new", data=data, headers=csrf_headers(signed_in)
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and f'href="#{field}"' in page
    assert database_snapshot() == before


def test_a_question_is_added_with_options_from_the_form(signed_in, cast):
    version = permission_rows.version(cast)
    data = {
        **permission_rows.question_form(cast),
        "key": "tone",
        "type": "single_choice",
        "options": "warm | Warm | 1\ncold | Cold | 0\n\n",
        "critical": "y",
        "help_text": "Pick one.",
    }
    response = signed_in.post(
        f"/questionnaire-versions/{version.id}/questions/new", data=data, headers=csrf_headers(signed_in)
    )
    assert response.status_code == 302
    question = next(q for q in version.sections[0].questions if q.key == "tone")
    assert question.options == [
        {"value": "warm", "label": "Warm", "score": 1.0},
        {"value": "cold", "label": "Cold", "score": 0.0},
    ]
    assert question.critical and question.help_text == "Pick one."
    edit = signed_in.get(f"/questionnaire-versions/{version.id}/questions/{question.id}").get_data(
        as_text=True
    )
    assert "warm | Warm | 1" in edit


def _import(client, programme, content: bytes):
    return client.post(
        f"/programmes/{programme.id}/questionnaires/import",
        headers=csrf_headers(client),
        **multipart_file(content),
    )


def test_a_malformed_import_is_refused_with_the_reason_and_saves_nothing(signed_in, world):
    document = json.loads(json.dumps(VALID))
    document["sections"][0]["questions"][1]["options"] = None
    document["sections"][1]["questions"][0]["type"] = "slider"
    before = database_snapshot()
    response = _import(signed_in, world.programme, json.dumps(document).encode())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The file was not imported" in page
    assert "needs at least two options" in page and "sections.1.questions.0.type" in page
    assert database_snapshot() == before
    assert _import(signed_in, world.programme, b"\xff\xfe not json").status_code == 422


def test_an_import_and_its_export_round_trip(signed_in, world):
    document = json.loads(json.dumps(VALID))
    for question in document["sections"][0]["questions"]:
        question["standard"] = None
    response = _import(signed_in, world.programme, json.dumps(document).encode())
    assert response.status_code == 302
    version_id = int(re.search(r"/questionnaire-versions/(\d+)$", response.headers["Location"]).group(1))
    exported = signed_in.get(f"/questionnaire-versions/{version_id}/export")
    assert exported.mimetype == "application/json"
    assert 'filename="telephone-v1.json"' in exported.headers["Content-Disposition"]
    again = _import(signed_in, world.programme, exported.data)
    again_id = int(re.search(r"(\d+)$", again.headers["Location"]).group(1))
    assert signed_in.get(f"/questionnaire-versions/{again_id}/export").get_json() == exported.get_json()


def test_new_from_template_and_blank(signed_in, world):
    path = f"/programmes/{world.programme.id}/questionnaires"
    assert (
        signed_in.post(
            path + "/from-template", data={"template": "nonsense"}, headers=csrf_headers(signed_in)
        ).status_code
        == 422
    )
    response = signed_in.post(
        path + "/from-template", data={"template": "exit_interview"}, headers=csrf_headers(signed_in)
    )
    assert response.status_code == 302
    builder = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Did the resident agree to answer" in builder
    assert (
        signed_in.post(
            path + "/new", data={"title": " ", "channel": "email"}, headers=csrf_headers(signed_in)
        ).status_code
        == 422
    )
    assert (
        signed_in.post(
            path + "/new", data={"title": "Letters", "channel": "letter"}, headers=csrf_headers(signed_in)
        ).status_code
        == 302
    )
    titles = set(
        db.session.scalars(sa.select(Questionnaire.title).filter_by(programme_id=world.programme.id))
    )
    assert {"Exit interview", "Letters"} <= titles


def test_the_preview_shows_every_question_as_a_disabled_control(signed_in, cast):
    version = permission_rows.version(cast)
    page = signed_in.get(f"/questionnaire-versions/{version.id}/preview").get_data(as_text=True)
    assert "Were you greeted?" in page and "How helpful?" in page and "Redirected" in page
    # the sign-out form in the header and the language form in the footer have inputs of their own
    form = page.split("<form aria-label")[1].split("</form>")[0]
    controls = re.findall(r"<(?:input|textarea)[^>]*>", form)
    assert controls and all("disabled" in c for c in controls)
    assert "Not applicable" in page  # the scale question allows N/A
    assert "<button" not in form  # nothing to send


def test_a_section_title_error_is_shown_on_the_builder(signed_in, cast):
    version = permission_rows.version(cast)
    response = signed_in.post(
        f"/questionnaire-versions/{version.id}/sections",
        data={"new-section-title": " "},
        headers=csrf_headers(signed_in),
    )
    assert response.status_code == 422 and "Give the section a title." in response.get_data(as_text=True)


def test_a_non_empty_section_is_not_deleted(signed_in, cast):
    version = permission_rows.version(cast)
    welcome = version.sections[0]
    response = signed_in.post(
        f"/questionnaire-versions/{version.id}/sections/{welcome.id}/delete",
        headers=csrf_headers(signed_in),
        follow_redirects=True,
    )
    assert "only an empty section can go" in response.get_data(as_text=True)
    assert len(version.sections) == 2


def test_another_coordinators_version_and_parts_are_out_of_reach(signed_in, cast):
    from tests.factories import make_world

    other = make_world().visit_version
    assert signed_in.get(f"/questionnaire-versions/{other.id}").status_code == 403
    mine = permission_rows.version(cast)
    foreign_question = other.sections[0].questions[0]
    assert (
        signed_in.get(f"/questionnaire-versions/{mine.id}/questions/{foreign_question.id}").status_code == 404
    )


def test_the_critical_scope_is_set_on_the_builder(signed_in, cast):
    version = permission_rows.version(cast)
    path = f"/questionnaire-versions/{version.id}/scoring"
    assert (
        signed_in.post(path, data={"critical_scope": "team"}, headers=csrf_headers(signed_in)).status_code
        == 422
    )
    assert (
        signed_in.post(path, data={"critical_scope": "section"}, headers=csrf_headers(signed_in)).status_code
        == 302
    )
    db.session.refresh(version)
    assert version.critical_scope.value == "section"


def test_a_shoppers_copy_of_a_version_leaves_its_scoring_out(client, world):
    """Shoppers are briefed on what is measured, not how it is scored (SECURITY.md); coordinators see all."""
    from app.accounts.models import Role
    from app.questionnaires.schemas import SCORING_FIELDS
    from tests.conftest import sign_in
    from tests.factories import make_assignment, make_shopper, make_user

    version = world.visit_version
    path = f"/api/v1/questionnaires/{version.questionnaire_id}/versions/{version.number}"
    briefed = make_shopper(world)
    make_assignment(world, briefed)
    shopper = sign_in(client.application.test_client(), briefed)
    copy = shopper.get(path).get_json()
    questions = [q for section in copy["sections"] for q in section["questions"]]
    assert questions and all({"key", "type", "text"} <= q.keys() for q in questions)
    assert "critical_scope" not in copy
    assert not any({"weight", "critical"} & q.keys() for q in questions)
    assert not any("score" in option for q in questions for option in q.get("options") or [])
    assert not any("threshold" in (q.get("standard") or {}) for q in questions)
    coordinator = sign_in(client, make_user(Role.coordinator, programme=world.programme))
    full = coordinator.get(path).get_json()
    assert "critical_scope" in full and all("weight" in q for s in full["sections"] for q in s["questions"])
    assert len(SCORING_FIELDS) == 5
