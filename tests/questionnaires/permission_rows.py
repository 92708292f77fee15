"""Who may use the questionnaire pages: the programme's coordinator and admins, nobody else.

The version the rows work on is made fresh in the url lambdas (three questions in "Welcome", and an
empty section "Spare"), so that every change goes through, and kept on the cast.
"""

import json

from app.extensions import db
from app.programmes.models import Channel
from app.questionnaires.models import Section
from tests.factories import make_questionnaire
from tests.permissions_kit import HTML, Expect, Route, page_for

STAFF_PAGE = page_for(coordinator=HTML, admin=HTML)
STAFF_CHANGE = page_for(coordinator=Expect(302), admin=Expect(302))
STAFF_JSON = page_for(coordinator=Expect(200, "application/json"), admin=Expect(200, "application/json"))


def version(cast):
    if "builder_version" not in cast.__dict__:
        made = make_questionnaire(cast.world.programme, Channel.letter)
        made.sections.append(Section(position=2, title="Spare"))
        db.session.commit()
        cast.__dict__["builder_version"] = made
    return cast.__dict__["builder_version"]


def _section(cast, title):
    return next(s for s in version(cast).sections if s.title == title)


def _question(cast):
    return version(cast).sections[0].questions[0]


def v_url(suffix=""):
    return lambda c: f"/questionnaire-versions/{version(c).id}{suffix}"


def p_url(suffix=""):
    return lambda c: f"/programmes/{c.world.programme.id}/questionnaires{suffix}"


def question_form(cast, key="wait_minutes") -> dict:
    return {
        "section_id": _section(cast, "Welcome").id,
        "text": "How long did you wait?",
        "key": key,
        "type": "number",
        "weight": "1",
        "standard_id": "0",
        "required": "y",
    }


def import_file(cast, user):
    document = {
        "format": "service-shopper-questionnaire",
        "format_version": 1,
        "title": "Imported",
        "channel": "email",
        "sections": [
            {"title": "Only", "questions": [{"key": "replied", "type": "yes_no", "text": "Did they reply?"}]}
        ],
    }
    return multipart_file(json.dumps(document).encode())


def multipart_file(content: bytes, name="file", filename="questionnaire.json") -> dict:
    """A multipart body as bytes (not a stream), so that the same body can be sent twice."""
    boundary = "c2setupboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/json\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


V = "/questionnaire-versions/<id:version_id>"
ROWS = {
    ("GET", "/programmes/<id:programme_id>/questionnaires"): Route(p_url(), STAFF_PAGE),
    ("POST", "/programmes/<id:programme_id>/questionnaires/new"): Route(
        p_url("/new"), STAFF_CHANGE, body=lambda c, u: {"data": {"title": "Letters", "channel": "letter"}}
    ),
    ("POST", "/programmes/<id:programme_id>/questionnaires/from-template"): Route(
        p_url("/from-template"), STAFF_CHANGE, body=lambda c, u: {"data": {"template": "telephone_call"}}
    ),
    ("POST", "/programmes/<id:programme_id>/questionnaires/import"): Route(
        p_url("/import"), STAFF_CHANGE, body=import_file
    ),
    ("GET", V): Route(v_url(), STAFF_PAGE),
    ("GET", f"{V}/preview"): Route(v_url("/preview"), STAFF_PAGE),
    ("GET", f"{V}/export"): Route(v_url("/export"), STAFF_JSON),
    ("POST", f"{V}/new-version"): Route(v_url("/new-version"), STAFF_CHANGE),
    ("POST", f"{V}/scoring"): Route(
        v_url("/scoring"), STAFF_CHANGE, body=lambda c, u: {"data": {"critical_scope": "section"}}
    ),
    ("POST", f"{V}/sections"): Route(
        v_url("/sections"), STAFF_CHANGE, body=lambda c, u: {"data": {"new-section-title": "Afterwards"}}
    ),
    ("POST", f"{V}/sections/<id:section_id>"): Route(
        lambda c: f"/questionnaire-versions/{version(c).id}/sections/{_section(c, 'Welcome').id}",
        STAFF_CHANGE,
        body=lambda c, u: {"data": {f"section-{_section(c, 'Welcome').id}-title": "Arriving"}},
    ),
    ("POST", f"{V}/sections/<id:section_id>/move"): Route(
        lambda c: f"/questionnaire-versions/{version(c).id}/sections/{_section(c, 'Welcome').id}/move",
        STAFF_CHANGE,
        body=lambda c, u: {"data": {"direction": "down"}},
    ),
    ("POST", f"{V}/sections/<id:section_id>/delete"): Route(
        lambda c: f"/questionnaire-versions/{version(c).id}/sections/{_section(c, 'Spare').id}/delete",
        STAFF_CHANGE,
    ),
    ("GET", f"{V}/questions/new"): Route(v_url("/questions/new"), STAFF_PAGE),
    ("POST", f"{V}/questions/new"): Route(
        v_url("/questions/new"), STAFF_CHANGE, body=lambda c, u: {"data": question_form(c)}
    ),
    ("GET", f"{V}/questions/<id:question_id>"): Route(
        lambda c: f"/questionnaire-versions/{version(c).id}/questions/{_question(c).id}", STAFF_PAGE
    ),
    ("POST", f"{V}/questions/<id:question_id>"): Route(
        lambda c: f"/questionnaire-versions/{version(c).id}/questions/{_question(c).id}",
        STAFF_CHANGE,
        body=lambda c, u: {"data": question_form(c, key="greeting_wait")},
    ),
    ("POST", f"{V}/questions/<id:question_id>/move"): Route(
        lambda c: f"/questionnaire-versions/{version(c).id}/questions/{_question(c).id}/move",
        STAFF_CHANGE,
        body=lambda c, u: {"data": {"direction": "down"}},
    ),
    ("POST", f"{V}/questions/<id:question_id>/delete"): Route(
        lambda c: f"/questionnaire-versions/{version(c).id}/questions/{_question(c).id}/delete", STAFF_CHANGE
    ),
}
