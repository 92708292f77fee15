"""Review: the queue's filters, the report view, approve / return / reject, 409s, the audit trail, the app's view."""

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments.models import AssignmentState
from app.audit.models import AuditEvent
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.programmes.models import Channel
from app.visits import review
from app.visits.models import SubmissionState
from tests.conftest import sign_in
from tests.factories import make_assignment, make_shopper, make_user
from tests.review.helpers import make_submission


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


def token(client, path):
    html = client.get(path).get_data(as_text=True)
    return html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_approve_moves_report_and_assignment_and_is_audited_then_a_second_approval_is_refused(
    world, coordinator
):
    submission = make_submission(world)
    review.approve(submission, coordinator)
    db.session.commit()
    assert submission.state is SubmissionState.approved
    assert submission.assignment.state is AssignmentState.approved
    assert submission.reviewed_by_id == coordinator.id
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "submission.approved" in actions and "assignment.approved" in actions
    with pytest.raises(DomainError) as caught:
        review.approve(submission, coordinator)
    assert caught.value.status == 409


def test_return_sends_the_comment_to_the_shoppers_app(client, world, coordinator):
    shopper = make_shopper(world)
    submission = make_submission(world, shopper)
    with pytest.raises(Invalid):
        review.return_to_shopper(submission, coordinator, "   ")
    review.return_to_shopper(submission, coordinator, "Add the time you were seen.")
    db.session.commit()
    assert submission.assignment.state is AssignmentState.returned
    sign_in(client, shopper)
    brief = client.get(f"/api/v1/assignments/{submission.assignment_id}").get_json()
    returned = brief["returned_report"]
    assert {k: returned[k] for k in ("uuid", "revision", "review_comment")} == {
        "uuid": str(submission.uuid),
        "revision": 1,
        "review_comment": "Add the time you were seen.",
    }
    # The report itself, so that a phone that never held it can fix it.
    assert returned["content"]["answers"] == submission.answers


def test_reject_records_the_reason_and_frees_the_work_then_returning_it_is_refused(world, coordinator):
    submission = make_submission(world)
    review.reject(submission, coordinator, "The visit was made outside the window.")
    db.session.commit()
    assert submission.state is SubmissionState.rejected
    assert submission.review_comment == "The visit was made outside the window."
    assert submission.assignment.state is AssignmentState.cancelled and submission.assignment.flagged
    with pytest.raises(DomainError, match="rejected; it cannot be returned"):
        review.return_to_shopper(submission, coordinator, "Try again")


def test_the_queue_filters_by_wave_organisation_channel_flag_and_state(world, coordinator):
    visit = make_submission(world)
    shopper = make_shopper(world)
    call = make_submission(
        world, shopper, make_assignment(world, shopper, contact_point=world.district_phone)
    )
    late_assignment = make_assignment(
        world, make_shopper(world), contact_point=world.county_office, state=AssignmentState.withdrawn
    )
    flagged = make_submission(world, late_assignment.shopper, late_assignment)
    everything = review.QueueFilters()
    assert {s.id for s in review.queue(world.programme.id, everything).items} == {
        visit.id,
        call.id,
        flagged.id,
    }
    assert [
        s.id for s in review.queue(world.programme.id, review.QueueFilters(channel=Channel.telephone)).items
    ] == [call.id]
    assert [
        s.id
        for s in review.queue(world.programme.id, review.QueueFilters(organisation_id=world.county.id)).items
    ] == [flagged.id]
    assert [
        s.id for s in review.queue(world.programme.id, review.QueueFilters(flag="assignment_withdrawn")).items
    ] == [flagged.id]
    review.approve(visit, coordinator)
    assert visit.id not in {s.id for s in review.queue(world.programme.id, everything).items}
    assert [
        s.id
        for s in review.queue(
            world.programme.id, review.QueueFilters(states={SubmissionState.approved}, wave_id=world.wave.id)
        ).items
    ] == [visit.id]
    assert review.queue(world.programme.id + 999, everything).items == []


def test_the_report_page_labels_answers_and_shows_flags(client, world, coordinator):
    assignment = make_assignment(world, make_shopper(world), state=AssignmentState.withdrawn)
    submission = make_submission(world, assignment.shopper, assignment)
    sign_in(client, coordinator)
    html = client.get(f"/coordinator/review/{submission.id}").get_data(as_text=True)
    assert "Were you greeted?" in html and "Resolved" in html and "Yes" in html
    assert "The assignment had been withdrawn" in html
    queue = client.get("/coordinator/review?flag=assignment_withdrawn").get_data(as_text=True)
    assert f"#{submission.id}" in queue


def test_decisions_through_the_pages_field_errors_and_409s(client, world, coordinator):
    submission = make_submission(world)
    sign_in(client, coordinator)
    path = f"/coordinator/review/{submission.id}"
    response = client.post(f"{path}/return", data={"csrf_token": token(client, path), "comment": ""})
    assert response.status_code == 422 and "Say what the shopper should change." in response.get_data(
        as_text=True
    )
    response = client.post(f"{path}/reject", data={"csrf_token": token(client, path), "reason": ""})
    assert response.status_code == 422
    assert db.session.get(type(submission), submission.id).state is SubmissionState.submitted
    csrf = token(client, path)
    assert client.post(f"{path}/approve", data={"csrf_token": csrf}).status_code == 302
    assert client.post(f"{path}/approve", data={"csrf_token": csrf}).status_code == 409
    assert client.post(f"{path}/return", data={"csrf_token": csrf, "comment": "x"}).status_code == 409
    assert client.post(f"{path}/reject", data={"csrf_token": csrf, "reason": "x"}).status_code == 409
    assert db.session.get(type(submission), submission.id).state is SubmissionState.approved


def test_the_queue_refuses_a_bad_filter(client, world, coordinator):
    sign_in(client, coordinator)
    assert client.get("/coordinator/review?state=nonsense").status_code == 422


def test_start_review_claims_the_report_names_the_reviewer_and_is_audited(world, coordinator):
    submission = make_submission(world)
    review.start_review(submission, coordinator)
    db.session.commit()
    assert submission.state is SubmissionState.in_review
    assert submission.assignment.state is AssignmentState.in_review
    assert submission.reviewed_by_id == coordinator.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "submission.in_review"))
    assert event.actor_id == coordinator.id and event.object_id == str(submission.id)
    with pytest.raises(DomainError) as caught:  # claimed already
        review.start_review(submission, coordinator)
    assert caught.value.status == 409


@pytest.mark.parametrize(
    "decide, state, assignment_state",
    [
        (lambda s, who: review.approve(s, who), SubmissionState.approved, AssignmentState.approved),
        (
            lambda s, who: review.return_to_shopper(s, who, "Add the time."),
            SubmissionState.returned,
            AssignmentState.returned,
        ),
        (
            lambda s, who: review.reject(s, who, "Out of window."),
            SubmissionState.rejected,
            AssignmentState.cancelled,
        ),
    ],
)
def test_every_decision_works_from_in_review_even_by_a_colleague(
    world, coordinator, decide, state, assignment_state
):
    colleague = make_user(Role.coordinator, programme=world.programme)
    submission = make_submission(world)
    review.start_review(submission, coordinator)
    decide(submission, colleague)
    db.session.commit()
    assert submission.state is state and submission.assignment.state is assignment_state
    assert submission.reviewed_by_id == colleague.id
    with pytest.raises(DomainError):  # decided: it can no longer be claimed
        review.start_review(submission, coordinator)


def test_start_review_through_the_pages_and_the_queue_shows_who_reviews(client, world, coordinator):
    submission = make_submission(world)
    sign_in(client, coordinator)
    path = f"/coordinator/review/{submission.id}"
    csrf = token(client, path)
    assert "Start review" in client.get(path).get_data(as_text=True)
    assert client.post(f"{path}/start", data={"csrf_token": csrf}).status_code == 302
    assert client.post(f"{path}/start", data={"csrf_token": csrf}).status_code == 409
    page = client.get(path).get_data(as_text=True)
    assert f"Being reviewed by {coordinator.display_name}" in page and "Start review" not in page
    queue = client.get("/coordinator/review").get_data(as_text=True)
    assert f"#{submission.id}" in queue and coordinator.display_name in queue.split("<tbody>")[1]
    response = client.post(f"{path}/return", data={"csrf_token": csrf, "comment": ""})
    assert response.status_code == 422 and "Say what the shopper should change." in response.get_data(
        as_text=True
    )
    assert db.session.get(type(submission), submission.id).state is SubmissionState.in_review
    assert (
        client.post(f"{path}/reject", data={"csrf_token": csrf, "reason": "Out of window."}).status_code
        == 302
    )
    assert db.session.get(type(submission), submission.id).state is SubmissionState.rejected
    assert client.post(f"{path}/start", data={"csrf_token": csrf}).status_code == 409
