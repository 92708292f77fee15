"""The retention job (SPEC §7): a dry run lists, a real run deletes exactly what is past the period and
nothing else, logs it, and leaves every score as it was."""

import base64
import copy
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Channel
from app.questionnaires.models import Question, QuestionType
from app.results import figures
from app.results.models import ReportResult
from app.retention.models import RetentionDeletion
from app.retention.services import delete_due, due_for_deletion
from app.visits import review
from app.visits.models import Submission
from tests.conftest import sign_in
from tests.factories import make_assignment, make_questionnaire, make_shopper
from tests.results.helpers import coordinator_of
from tests.review.helpers import make_submission

PHOTO = base64.b64encode(b"\xff\xd8\xff\xe0 a tiny jpeg").decode()
OLD = timedelta(days=400)  # the programme keeps 365 days


def photo(photo_id="p1"):
    return {
        "id": photo_id,
        "kind": "photo",
        "content_type": "image/jpeg",
        "data": PHOTO,
        "caption": "Door sign",
    }


@pytest.fixture
def exit_version(world):
    version = make_questionnaire(world.programme, Channel.exit_interview)
    section = version.sections[0]
    section.questions += [
        Question(version=version, position=4, key="comments", text="Anything else?", type=QuestionType.text),
        Question(
            version=version,
            position=5,
            key="picture",
            text="A photo",
            type=QuestionType.photo,
            required=False,
        ),
    ]
    db.session.commit()
    return version


def report(world, coordinator, version=None, age=OLD, received_age=None, approve=True, **overrides):
    shopper = make_shopper(world)
    channel = Channel.exit_interview if version else Channel.in_person
    assignment = make_assignment(world, shopper, version=version, channel=channel)
    submission = make_submission(world, shopper=shopper, assignment=assignment, **overrides)
    if approve:
        review.approve(submission, coordinator)
    now = utcnow()
    submission.completed_at = now - age
    submission.received_at = now - (age if received_age is None else received_age)
    db.session.commit()
    return submission


ANSWERS = {
    "greeted": True,
    "helpful": 4,
    "outcome": "resolved",
    "comments": "My neighbour at no. 4 was rude.",
}


@pytest.fixture
def reports(world, exit_version):
    coordinator = coordinator_of(world)
    with_photo = {"answers": {**ANSWERS, "picture": "p1"}, "evidence": [photo()]}
    return {
        "coordinator": coordinator,
        # an exit interview past the period: its free text and its photo go
        "old_exit": report(world, coordinator, exit_version, commendation="Kind Mrs Smith", **with_photo),
        # the same a day short of the period (by the device and by the server): nothing goes
        "young_exit": report(world, coordinator, exit_version, age=timedelta(days=364), **with_photo),
        # a visit past the period by the device's clock only: its photo goes, its notes (the shopper's) stay
        "old_visit": report(world, coordinator, received_age=timedelta(days=2), evidence=[photo()]),
        # an old visit without a photo: nothing to delete
        "plain_visit": report(world, coordinator),
    }


def _snapshot(submission):
    db.session.refresh(submission)
    return copy.deepcopy(
        {
            "answers": submission.answers,
            "notes": submission.notes,
            "commendation": submission.commendation,
            "evidence": submission.evidence,
            "content_hash": submission.content_hash,
        }
    )


def _results(world):
    names = figures.Names(world.programme)
    rows = figures.rows(world.programme, names, world.wave, figures.Filters(), ("organisation", "channel"))
    scores = dict(db.session.execute(sa.select(ReportResult.submission_id, ReportResult.score)).all())
    return rows, scores


def test_dry_run_lists_what_is_due_and_deletes_nothing(world, reports, runner):
    before = {name: _snapshot(s) for name, s in reports.items() if name != "coordinator"}
    due = {d.submission.id: d for d in due_for_deletion(utcnow())}
    old_exit, old_visit = reports["old_exit"], reports["old_visit"]
    assert set(due) == {old_exit.id, old_visit.id}
    assert due[old_exit.id].text_fields == ["comments", "notes", "commendation"]
    assert (due[old_exit.id].photos, due[old_exit.id].photo_bytes) == (1, len(base64.b64decode(PHOTO)))
    assert due[old_visit.id].text_fields == [] and due[old_visit.id].photos == 1

    result = runner.invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"Would delete report {old_exit.id} (exit interview" in result.output
    assert "free text (comments, notes, commendation); 1 photo" in result.output
    assert f"Would delete report {old_visit.id} (visit" in result.output
    assert "2 report(s) have something past the retention period; nothing deleted" in result.output
    db.session.expire_all()
    assert {name: _snapshot(s) for name, s in reports.items() if name != "coordinator"} == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RetentionDeletion)) == 0


def test_a_run_deletes_exactly_what_is_past_the_period_logs_it_and_keeps_the_scores(world, reports, runner):
    untouched = {name: _snapshot(reports[name]) for name in ("young_exit", "plain_visit")}
    old_exit_before, old_visit_before = _snapshot(reports["old_exit"]), _snapshot(reports["old_visit"])
    results_before = _results(world)

    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "Deleted free text or photos from 2 report(s)" in result.output
    db.session.expire_all()

    old_exit = _snapshot(reports["old_exit"])
    assert old_exit["answers"] == {k: v for k, v in old_exit_before["answers"].items() if k != "comments"}
    assert old_exit["notes"] == "" and old_exit["commendation"] == ""
    [kept_item] = old_exit["evidence"]
    assert "data" not in kept_item and "caption" not in kept_item
    assert kept_item["id"] == "p1" and kept_item["deleted_at"]  # the photo answer still names it
    assert old_exit["content_hash"] == old_exit_before["content_hash"]  # a late replay is still one
    old_visit = _snapshot(reports["old_visit"])
    assert (
        old_visit["notes"] == old_visit_before["notes"]
        and old_visit["answers"] == old_visit_before["answers"]
    )
    assert "data" not in old_visit["evidence"][0]
    assert {name: _snapshot(reports[name]) for name in untouched} == untouched

    log = db.session.scalars(sa.select(RetentionDeletion).order_by(RetentionDeletion.submission_id)).all()
    assert [(e.submission_id, e.text_fields, e.photos, e.retention_days) for e in log] == [
        (reports["old_exit"].id, ["comments", "notes", "commendation"], 1, 365),
        (reports["old_visit"].id, [], 1, 365),
    ]
    assert _results(world) == results_before
    recomputed = runner.invoke(args=["results", "recompute"])
    assert "0 scores changed" in recomputed.output, recomputed.output
    db.session.expire_all()
    assert _results(world) == results_before

    again = runner.invoke(args=["retention", "run"])
    assert "from 0 report(s)" in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RetentionDeletion)) == 2


def test_superseded_revisions_lose_the_same(world, exit_version):
    coordinator = coordinator_of(world)
    submission = report(world, coordinator, exit_version, approve=False, answers=ANSWERS, evidence=[photo()])
    review.return_to_shopper(submission, coordinator, "Please add the outcome.")
    db.session.commit()
    from app.visits.schemas import SubmissionArgs
    from app.visits.services import receive
    from tests.visits.payloads import submission_payload

    body = submission_payload(
        submission.assignment,
        uuid=str(submission.uuid),
        answers={**ANSWERS, "helpful": 5},
        evidence=[photo()],
    )
    [outcome] = receive(submission.shopper, [SubmissionArgs().load(body)])
    assert outcome.status in (200, 201), outcome
    submission.completed_at = submission.received_at = utcnow() - OLD
    db.session.commit()
    [due] = due_for_deletion(utcnow())
    assert due.revisions == 1
    delete_due([due], utcnow())
    db.session.commit()
    db.session.expire_all()
    [revision] = db.session.get(Submission, submission.id).revisions
    assert "comments" not in revision.content["answers"] and revision.content["notes"] == ""
    assert all("data" not in e for e in revision.content["evidence"])


def test_a_longer_period_keeps_the_report(world, reports):
    world.programme.retention_days = 500
    db.session.commit()
    assert due_for_deletion(utcnow()) == []


def test_the_coordinator_reads_the_log(world, reports, client, runner):
    runner.invoke(args=["retention", "run"])
    sign_in(client, reports["coordinator"])
    page = client.get(f"/programmes/{world.programme.id}/deletions")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"#{reports['old_exit'].id} Exit interview" in text
    assert "the answer to “Anything else?”; Notes; Commendation; 1 photo" in text
    assert f"#{reports['young_exit'].id} " not in text
