"""The reviewer clears a report's free text for partners when approving (issue 18): the approval form shows
it as the guard leaves it, the reviewer removes what the guard missed (a bare name in a sentence), and every
partner-facing page, API and export then carries the cleared text, through the guard again."""

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.releases import services as releases
from app.visits.models import Submission, SubmissionState
from tests.conftest import sign_in
from tests.exports.helpers import read_csv
from tests.factories import make_assignment, make_shopper, make_user
from tests.releases.helpers import partner_manager
from tests.review.helpers import make_submission

# A bare name in a sentence, which no pattern can tell from other words, beside ones the guard does catch.
NOTES = "Priyanka at the desk was curt. Mrs Thistlewood helped me later. Mail x.y@example.test"
COMMENDATION = "Thanks to Priyanka's colleague on the phones"
CLEARED = "A member of staff at the desk was curt. [name removed] helped me later. [e-mail removed]"


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


def token(html: str) -> str:
    return html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def release(world, coordinator):
    releases.close_review(world.wave, coordinator)
    releases.release_all(world.wave, coordinator)
    db.session.commit()


def test_the_approval_form_shows_the_guard_s_text_and_the_cleared_text_is_what_partners_read(
    client, world, coordinator
):
    submission = make_submission(world, notes=NOTES, commendation=COMMENDATION)
    sign_in(client, coordinator)
    path = f"/coordinator/review/{submission.id}"
    page = client.get(path).get_data(as_text=True)
    assert "What partners will read" in page
    # The guard's version, ready to edit: what it caught is gone, the bare name is still there.
    assert "[name removed] helped me later" in page and "[e-mail removed]" in page
    assert "Priyanka at the desk" in page

    response = client.post(
        f"{path}/approve",
        data={
            "csrf_token": token(page),
            "partner_notes": CLEARED,
            "partner_commendation": "Thanks to a colleague on the phones",
        },
    )
    assert response.status_code == 302
    stored = db.session.get(Submission, submission.id)
    assert stored.state is SubmissionState.approved
    assert stored.partner_texts == {"notes": CLEARED, "commendation": "Thanks to a colleague on the phones"}
    assert stored.notes == NOTES  # what the shopper wrote is kept as written, for the coordinator

    release(world, coordinator)
    sign_in(client, partner_manager(world))
    wave = world.wave.id
    partner_facing = [
        client.get(f"/results/waves/{wave}/log/{submission.id}"),
        client.get(f"/results/waves/{wave}"),
        client.get(f"/api/v1/exports/reports.csv?wave={wave}"),
        client.get(f"/api/v1/exports/reports.xlsx?wave={wave}"),
    ]
    assert all(r.status_code == 200 for r in partner_facing)
    report_page = partner_facing[0].get_data(as_text=True)
    assert "A member of staff at the desk was curt" in report_page
    assert "Thanks to a colleague on the phones" in partner_facing[1].get_data(as_text=True)
    assert "A member of staff at the desk was curt" in partner_facing[2].get_data(as_text=True)
    for response in partner_facing:
        assert b"Priyanka" not in response.get_data()

    # The coordinator's own export keeps the shopper's words.
    sign_in(client, coordinator)
    assert "Priyanka at the desk" in client.get(f"/api/v1/exports/reports.csv?wave={wave}").get_data(
        as_text=True
    )


def test_a_cleared_text_still_goes_through_the_guard(client, world, coordinator):
    submission = make_submission(world, notes=NOTES)
    sign_in(client, coordinator)
    path = f"/coordinator/review/{submission.id}"
    typed = "Seen by Mrs Thistlewood; ring 01632 960 983"
    client.post(
        f"{path}/approve",
        data={"csrf_token": token(client.get(path).get_data(as_text=True)), "partner_notes": typed},
    )
    release(world, coordinator)
    sign_in(client, partner_manager(world))
    page = client.get(f"/results/waves/{world.wave.id}/log/{submission.id}").get_data(as_text=True)
    assert "Thistlewood" not in page and "960 983" not in page
    assert "Seen by [name removed]; ring [number removed]" in page


def test_approval_without_the_texts_leaves_the_guard_alone_to_decide(client, world, coordinator):
    """A form opened before the texts were there, or an approval by the services (the demo): nothing cleared."""
    submission = make_submission(world, notes=NOTES)
    sign_in(client, coordinator)
    path = f"/coordinator/review/{submission.id}"
    assert (
        client.post(
            f"{path}/approve", data={"csrf_token": token(client.get(path).get_data(as_text=True))}
        ).status_code
        == 302
    )
    assert db.session.get(Submission, submission.id).partner_texts is None


def test_too_long_a_text_is_a_field_error_and_nothing_is_approved(client, world, coordinator):
    submission = make_submission(world, notes=NOTES)
    sign_in(client, coordinator)
    path = f"/coordinator/review/{submission.id}"
    response = client.post(
        f"{path}/approve",
        data={"csrf_token": token(client.get(path).get_data(as_text=True)), "partner_notes": "x" * 5001},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Keep this to 5000 characters." in html and 'aria-invalid="true"' in html
    stored = db.session.get(Submission, submission.id)
    assert stored.state is SubmissionState.submitted and stored.partner_texts is None
    # Without a valid CSRF token: refused, whatever the texts.
    assert client.post(f"{path}/approve", data={"partner_notes": CLEARED}).status_code == 400


def test_a_report_without_free_text_has_nothing_to_clear(client, world, coordinator):
    submission = make_submission(world, notes="", commendation="")
    sign_in(client, coordinator)
    page = client.get(f"/coordinator/review/{submission.id}").get_data(as_text=True)
    assert "What partners will read" not in page


def test_a_call_log_s_free_text_is_cleared_too(client, world, coordinator):
    """The recorded message's comment and where a transfer went are the reviewer's to clear, like the notes."""
    shopper = make_shopper(world)
    call_log = {
        "dialled_at": "2026-11-20T14:20:00+01:00",
        "seconds_to_answer": 45,
        "recorded_message": {
            "heard": True,
            "gave_name": True,
            "gave_hours": False,
            "gave_alternative": False,
            "comment": "It gave Priyanka's direct line",
        },
        "transfers": [
            {"to": "Priyanka in revenues", "announced": True},
            {"to": "Council tax", "announced": False},
        ],
        "outcome": "resolved",
        "handle_time_seconds": 305,
    }
    submission = make_submission(
        world,
        shopper,
        make_assignment(world, shopper, contact_point=world.district_phone),
        call_log=call_log,
        notes="",
    )
    sign_in(client, coordinator)
    path = f"/coordinator/review/{submission.id}"
    page = client.get(path).get_data(as_text=True)
    assert "Call: about the recorded message" in page and "Call: transfer 1 went to" in page
    assert "Priyanka in revenues" in page  # the guard cannot tell a bare name: the reviewer can
    response = client.post(
        f"{path}/approve",
        data={
            "csrf_token": token(page),
            "partner_call_log.comment": "It gave a member of staff's direct line",
            "partner_call_log.transfer.1": "A member of staff in revenues",
            "partner_call_log.transfer.2": "Council tax",
        },
    )
    assert response.status_code == 302
    assert db.session.get(Submission, submission.id).partner_texts == {
        "call_log.comment": "It gave a member of staff's direct line",
        "call_log.transfer.1": "A member of staff in revenues",
        "call_log.transfer.2": "Council tax",
    }

    release(world, coordinator)
    sign_in(client, partner_manager(world))
    [row] = read_csv(client.get(f"/api/v1/exports/calls.csv?wave={world.wave.id}"))
    assert row["Message comment"] == "It gave a member of staff's direct line"
    assert (
        "A member of staff in revenues (announced)" in row["Put through to"]
        and "Council tax" in row["Put through to"]
    )
    assert "Priyanka" not in str(row)
    sign_in(client, coordinator)  # the coordinator's export keeps the shopper's words
    [row] = read_csv(client.get(f"/api/v1/exports/calls.csv?wave={world.wave.id}"))
    assert row["Message comment"] == "It gave Priyanka's direct line"
