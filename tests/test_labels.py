"""app/labels.py: every stored code has a human label, durations read as minutes and seconds, and the
coordinator's pages show those words, never a raw code."""

import re
from html.parser import HTMLParser

import pytest

from app import labels
from app.accounts.models import Role
from app.assignments.models import AssignmentState
from app.programmes.models import Channel, Tier, WaveStatus
from app.questionnaires.models import QuestionType
from app.recruitment.models import ApplicationStatus
from app.visits.models import Flag, SubmissionKind, SubmissionState
from app.visits.schemas import CALL_OUTCOMES
from tests.conftest import sign_in
from tests.factories import make_application, make_assignment, make_shopper, make_user
from tests.review.helpers import make_submission

ENUMS = [
    Channel,
    SubmissionKind,
    AssignmentState,
    SubmissionState,
    WaveStatus,
    ApplicationStatus,
    Flag,
    Role,
    Tier,
    QuestionType,
]


@pytest.mark.parametrize("enum_class", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_its_own_words(enum_class):
    for member in enum_class:
        text = labels.label(member)
        assert text and "_" not in text and text != member.value, member
        assert text[0].isupper(), member


def test_the_string_forms_give_the_same_words_and_unknown_codes_read_as_words():
    assert labels.channel_label("exit_interview") == labels.label(Channel.exit_interview) == "Exit interview"
    assert labels.kind_label("call") == "Telephone shop"
    assert labels.flag_label("late") == labels.label(Flag.late)
    assert labels.label(AssignmentState.in_review) == "Being reviewed"
    assert {labels.outcome_label(o) for o in CALL_OUTCOMES} == set(labels.CALL_OUTCOME_LABELS.values())
    assert labels.flag_label("brand_new_flag") == "Brand new flag"
    assert labels.label(None) == labels.outcome_label(None) == "—"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (59.6, "1 min 00 s"),
        (245, "4 min 05 s"),
        (600, "10 min 00 s"),
        (3725, "1 h 02 min"),
    ],
)
def test_durations_read_as_minutes_and_seconds(seconds, text):
    assert labels.duration(seconds) == text


def test_no_duration_is_a_dash():
    assert labels.duration(None) == "—"


def test_the_catalogue_has_every_table_by_stored_value():
    catalogue = labels.catalogue()
    assert catalogue["channel"]["exit_interview"] == "Exit interview"
    assert set(catalogue["assignment_state"]) == {s.value for s in AssignmentState}


def test_the_filters_are_on_every_template(app):
    render = app.jinja_env.from_string(
        "{{ state|label }}|{{ 'telephone'|channel_label }}|{{ 245|duration }}|{{ 'abandoned'|outcome_label }}"
    )
    assert render.render(state=SubmissionState.in_review) == (
        "Being reviewed|Telephone|4 min 05 s|Abandoned (the shopper gave up)"
    )


class _Text(HTMLParser):
    """The words a person reads: text nodes outside script and style (attribute values are not read)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


RAW_CODES = re.compile(
    r"\b("
    + "|".join(sorted({m.value for e in ENUMS for m in e if "_" in m.value} | set(CALL_OUTCOMES)))
    + r")\b"
)


def test_the_coordinators_pages_show_no_raw_code(client, world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    shopper = make_shopper(world)
    make_assignment(world, shopper, state=AssignmentState.in_review)
    phoned = make_assignment(world, shopper, contact_point=world.district_phone)
    phoned.flagged, phoned.flag_reason = True, "A conflict was declared"
    submission = make_submission(world, shopper)
    submission.flags = [Flag.assignment_withdrawn.value, Flag.clock_skew.value]
    make_application(world.programme)
    from app.extensions import db

    db.session.commit()
    sign_in(client, coordinator)
    # Each page, and words it must show where a code (or the code with its underscores replaced) was.
    pages = {
        "/coordinator": [],
        "/coordinator/review": ["Submitted", "The device clock was far from the server's"],
        f"/coordinator/review/{submission.id}": ["The assignment had been withdrawn"],
        "/coordinator/planning": ["Planned"],
        f"/coordinator/waves/{world.wave.id}/assignments": ["Being reviewed", "Telephone"],
        f"/coordinator/waves/{world.wave.id}/plan": [],
        "/coordinator/applicants": [],
        f"/programmes/{world.programme.id}/organisations": [],
        f"/organisations/{world.district.id}": ["District council"],
        f"/programmes/{world.programme.id}/contact-points": ["In person", "Telephone"],
        f"/programmes/{world.programme.id}/waves": ["Planned"],
        f"/programmes/{world.programme.id}/questionnaires": ["In person"],
        "/programmes": ["planned"],
    }
    for path, words in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.get_data(as_text=True))
        assert not RAW_CODES.findall(text), (path, RAW_CODES.findall(text))
        assert "in review" not in text, path
        for word in words:
            assert word in text, (path, word)
    sign_in(client, shopper)  # and the shopper's own pages
    for path in ("/briefs", f"/briefs/{phoned.id}"):
        text = visible_text(client.get(path).get_data(as_text=True))
        assert not RAW_CODES.findall(text) and "Telephone" in text, path
