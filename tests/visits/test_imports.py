"""A shopper's file of unsent work, imported by their coordinator: each finished item stored once, flagged and in
the coordinator's name; drafts and answers to offers listed, not applied; a bad file refused with its reason."""

import base64
import json
import re
import uuid

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments.models import Assignment, AssignmentState
from app.audit.models import AuditEvent
from app.extensions import db
from app.visits.import_routes import MAX_FILE_BYTES
from app.visits.models import Submission
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper, make_user, make_world
from tests.questionnaires.permission_rows import multipart_file
from tests.test_permissions import database_snapshot
from tests.visits.payloads import signed_file, submission_payload, unsent_work_file

PATH = "/coordinator/unsent-work"


def upload_file(client, content, filename="shopper-unsent-2026-11-30-10-04.json"):
    """Upload the file (signed as the app signs it, unless given as bytes): the answer is the page asking
    whose work it is, or the refusal."""
    raw = content if isinstance(content, bytes) else signed_file(content)
    return client.post(PATH, headers=csrf_headers(client), **multipart_file(raw, filename=filename))


def post_file(client, content, **kwargs):
    """Upload the file and, once it is checked, confirm it: the answer is what became of the work."""
    response = upload_file(client, content, **kwargs)
    if response.status_code != 303:
        return response
    confirmation = client.get(response.headers["Location"])
    assert confirmation.status_code == 200 and "Whose work is this?" in confirmation.get_data(as_text=True)
    return client.post(response.headers["Location"], headers=csrf_headers(client))


@pytest.fixture
def shopper(world):
    return make_shopper(world)


@pytest.fixture
def coordinator(client, world):
    user = make_user(Role.coordinator, programme=world.programme)
    sign_in(client, user)
    return user


def _stored(uuids) -> list[Submission]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(Submission).where(Submission.uuid.in_([uuid.UUID(u) for u in uuids])))
    )


def test_each_finished_item_is_stored_once_flagged_and_in_the_coordinators_name(
    client, world, shopper, coordinator
):
    assignments = [make_assignment(world, shopper) for _ in range(2)]
    bodies = [submission_payload(a) for a in assignments]
    draft = {
        **submission_payload(make_assignment(world, shopper)),
        "completed_at": None,
        "answers": {},
        "started_at": "2026-11-30T09:15:00+01:00",
    }
    offered = make_assignment(world, shopper)
    decisions = [
        {
            "uuid": str(uuid.uuid4()),
            "created_at": "2026-11-30T09:00:00Z",
            "method": "POST",
            "path": f"/api/v1/assignments/{offered.id}/decline",
            "body": {"reason_code": "conflict", "reason": "My sister works there"},
        }
    ]
    file = unsent_work_file(shopper, bodies, [draft], decisions)

    response = post_file(client, file)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<strong>2</strong> stored now" in page and "<strong>0</strong> received before" in page
    assert "<strong>1</strong> unfinished draft(s)" in page and "started 30 Nov 08:15 UTC" in page
    assert "declined (“My sister works there”)" in page
    stored = _stored(b["uuid"] for b in bodies)
    assert len(stored) == 2
    assert all(s.shopper_id == shopper.id and "imported" in s.flags for s in stored)
    assert {s.answers["helpful"] for s in stored} == {4}
    for s in stored:
        assert f'href="/coordinator/review/{s.id}"' in page
    received = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "submission.received")
    ).all()
    assert sorted(e.object_id for e in received) == sorted(str(s.id) for s in stored)
    assert {e.actor_id for e in received} == {coordinator.id}
    assert {db.session.get(Assignment, a.id).state for a in assignments} == {AssignmentState.submitted}
    place = f"{assignments[0].contact_point.organisation.short_name} · {assignments[0].contact_point.name}"
    assert place in page  # coordinators know work by where it is
    # The draft is not a report, and the answer to the offer is not applied.
    assert _stored([draft["uuid"]]) == []
    assert db.session.get(Assignment, offered.id).state is not AssignmentState.declined

    report_page = client.get(f"/coordinator/review/{stored[0].id}").get_data(as_text=True)
    assert f"submission.received, by {coordinator.display_name}" in report_page
    assert "Imported by a coordinator from the shopper&#39;s file of unsent work" in report_page
    queue = client.get("/coordinator/review?flag=imported&state=waiting").get_data(as_text=True)
    assert "2 report(s)" in queue and all(
        f'href="/coordinator/review/{s.id}?flag=imported"' in queue for s in stored
    )

    again = post_file(client, file)  # the same file a second time
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "<strong>0</strong> stored now" in page and "<strong>2</strong> received before" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 2


def test_work_the_phone_did_send_is_neither_stored_twice_nor_flagged(client, world, shopper, coordinator):
    sent, unsent = (submission_payload(make_assignment(world, shopper)) for _ in range(2))
    phone = client.application.test_client()
    sign_in(phone, shopper)
    assert (
        phone.put(f"/api/v1/submissions/{sent['uuid']}", json=sent, headers=csrf_headers(phone)).status_code
        == 201
    )

    page = post_file(client, unsent_work_file(shopper, [sent, unsent])).get_data(as_text=True)
    assert "<strong>1</strong> stored now" in page and "<strong>1</strong> received before" in page
    [from_phone] = _stored([sent["uuid"]])
    [from_file] = _stored([unsent["uuid"]])
    assert "imported" not in from_phone.flags and "imported" in from_file.flags


def test_a_forged_file_learns_nothing_of_other_shoppers_work(client, world, shopper, coordinator):
    theirs = make_assignment(world, make_shopper(world), contact_point=world.district_phone)
    body = submission_payload(theirs)
    page = post_file(client, unsent_work_file(shopper, [body], [body])).get_data(as_text=True)
    assert "This assignment is not yours." in page and world.district_phone.name not in page
    assert _stored([body["uuid"]]) == []


def test_one_bad_item_keeps_none_of_the_others_out(client, world, shopper, coordinator):
    good = submission_payload(make_assignment(world, shopper))
    malformed = submission_payload(make_assignment(world, shopper), answers={"helpful": "very"})
    not_theirs = submission_payload(make_assignment(world, make_shopper(world)))
    changed = {**good, "notes": "Written again, differently."}  # the same UUID with other content
    response = post_file(client, unsent_work_file(shopper, [good, malformed, not_theirs, "not an object"]))
    # The good item goes through receive, the others are refused before it: the page keeps the file's order.
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>1</strong> stored now" in page and "<strong>3</strong> refused" in page
    assert "answers.helpful:" in page and "This assignment is not yours." in page
    outcomes = re.findall(r"<td>\s*(Stored|<strong>Refused</strong>)", page)
    assert outcomes == [
        "Stored",
        "<strong>Refused</strong>",
        "<strong>Refused</strong>",
        "<strong>Refused</strong>",
    ]
    assert len(_stored([good["uuid"]])) == 1 and _stored([malformed["uuid"], not_theirs["uuid"]]) == []

    page = post_file(client, unsent_work_file(shopper, [changed])).get_data(as_text=True)
    assert (
        "<strong>1</strong> refused" in page
        and "A different report with this UUID was received already" in page
    )
    assert _stored([good["uuid"]])[0].notes == good["notes"]


def _wrong(shopper):
    right = unsent_work_file(shopper)
    return {
        "not JSON": (b"\xff\xfe not json", "not JSON"),
        "a list": (b"[1, 2]", "not a file of unsent work"),
        "another format": (
            {**right, "format": "service-shopper-questionnaire"},
            "Not a file of unsent work.",
        ),
        "a later version": ({**right, "version": 2}, "Only version 1 of the file can be imported."),
        "no shopper": ({k: v for k, v in right.items() if k != "shopper"}, "shopper: Missing data"),
        "an unknown shopper": (
            {**right, "shopper": {**right["shopper"], "id": 987654}},
            "not made by the app of shopper number 987654",
        ),
        "another e-mail": (
            {**right, "shopper": {**right["shopper"], "email": "someone.else@example.org"}},
            "check whose file it is",
        ),
        "submissions not a list": ({**right, "submissions": {"a": 1}}, "submissions: Not a valid list."),
    }


@pytest.mark.parametrize(
    "case",
    [
        "not JSON",
        "a list",
        "another format",
        "a later version",
        "no shopper",
        "an unknown shopper",
        "another e-mail",
        "submissions not a list",
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_its_reason_and_nothing_stored(
    client, world, shopper, coordinator, case
):
    content, reason = _wrong(shopper)[case]
    content = content if isinstance(content, bytes) else signed_file(content, signer=shopper.id)
    before = database_snapshot()
    response = post_file(client, content)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The file was not imported" in page and reason in page and 'aria-invalid="true"' in page
    assert database_snapshot() == before


def test_a_file_wrong_in_several_ways_is_refused_with_every_reason(client, world, shopper, coordinator):
    response = post_file(
        client, {**unsent_work_file(shopper), "format": "service-shopper-questionnaire", "version": 2}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    listed = page[page.index("Every reason the file was refused") :]
    assert "Not a file of unsent work." in listed and "Only version 1 of the file can be imported." in listed


def test_a_file_over_the_apps_body_limit_is_still_taken_up_to_the_pages_own(
    client, world, shopper, coordinator
):
    body = submission_payload(make_assignment(world, shopper))
    padded = unsent_work_file(shopper, [body])
    padded["about"] = "x" * (
        client.application.config["MAX_CONTENT_LENGTH"] + 1
    )  # a file full of photos, say
    response = post_file(client, padded)
    assert response.status_code == 200 and len(_stored([body["uuid"]])) == 1

    padded["about"] = "x" * (MAX_FILE_BYTES + 1)
    padded = signed_file(padded)
    before = database_snapshot()
    response = post_file(client, padded)
    assert response.status_code == 413
    assert "larger than this page takes (at most 32.0 MB). Nothing was saved." in response.get_data(
        as_text=True
    )
    assert database_snapshot() == before
    # Elsewhere the app's own limit holds: the shopper's own upload of that size is refused.
    shopper_client = sign_in(client.application.test_client(), shopper)
    assert (
        shopper_client.put(
            f"/api/v1/submissions/{uuid.uuid4()}",
            data=b"x" * (MAX_FILE_BYTES // 2),
            content_type="application/json",
            headers=csrf_headers(shopper_client),
        ).status_code
        == 413
    )


def test_no_file_is_a_field_error(client, coordinator):
    response = client.post(PATH, headers=csrf_headers(client), data={})
    assert response.status_code == 422
    assert "Choose the file the shopper gave you." in response.get_data(as_text=True)


def test_a_coordinator_of_another_programme_stores_nothing(client, world, shopper):
    body = submission_payload(make_assignment(world, shopper))
    sign_in(client, make_user(Role.coordinator, programme=make_world().programme))
    file = signed_file(unsent_work_file(shopper, [body]))
    before = database_snapshot()
    response = post_file(client, file)
    assert response.status_code == 403
    assert "a shopper in another programme" in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_an_admin_imports_for_any_programme(client, world, shopper):
    body = submission_payload(make_assignment(world, shopper))
    sign_in(client, make_user(Role.admin))
    assert "<strong>1</strong> stored now" in post_file(client, unsent_work_file(shopper, [body])).get_data(
        as_text=True
    )
    assert "imported" in _stored([body["uuid"]])[0].flags


def test_the_review_queue_links_to_the_import(client, coordinator):
    assert f'href="{PATH}"' in client.get("/coordinator/review").get_data(as_text=True)


# --- the file proves who made it (signed in a session of the shopper it names) ------------------------


def test_a_file_is_taken_only_once_the_coordinator_confirms_whose_work_it_is(
    client, world, shopper, coordinator
):
    body = submission_payload(make_assignment(world, shopper))
    response = upload_file(client, unsent_work_file(shopper, [body]))
    assert response.status_code == 303 and _stored([body["uuid"]]) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert shopper.display_name in page and shopper.email in page and f"shopper number {shopper.id}" in page
    assert "<strong>1</strong> finished item(s)" in page and _stored([body["uuid"]]) == []

    discarded = client.post(response.headers["Location"] + "/discard", headers=csrf_headers(client))
    assert discarded.status_code == 302 and _stored([body["uuid"]]) == []
    assert client.post(response.headers["Location"], headers=csrf_headers(client)).status_code == 404


def test_another_coordinators_upload_is_not_found(client, world, shopper, coordinator):
    response = upload_file(
        client, unsent_work_file(shopper, [submission_payload(make_assignment(world, shopper))])
    )
    colleague = sign_in(
        client.application.test_client(), make_user(Role.coordinator, programme=world.programme)
    )
    assert colleague.get(response.headers["Location"]).status_code == 404
    assert colleague.post(response.headers["Location"], headers=csrf_headers(colleague)).status_code == 404


def _refusal(client, raw) -> str:
    before = database_snapshot()
    response = upload_file(client, raw)
    assert response.status_code == 422, response.status_code
    assert database_snapshot() == before
    page = response.get_data(as_text=True)
    assert "The file was not imported" in page
    return page


def test_an_unsigned_or_changed_file_is_refused_with_its_reason(client, world, shopper, coordinator):
    body = submission_payload(make_assignment(world, shopper))
    content = unsent_work_file(shopper, [body])
    assert "is not signed by the shopper app" in _refusal(client, json.dumps(content).encode())
    signed = signed_file(content)
    changed = signed.replace(b"Queue of three", b"Queue of seven")
    assert "signature does not match" in _refusal(client, changed)
    assert "signature does not match" in _refusal(client, signed.replace(b'"hmac":"', b'"hmac":"A'))


def test_a_file_made_by_one_shopper_cannot_name_another(client, world, shopper, coordinator):
    """The probe's forgery: shopper A's app (A's session and key) writes a file that names shopper B."""
    other = make_shopper(world)
    body = submission_payload(make_assignment(world, other))
    forged = signed_file(unsent_work_file(other, [body]), signer=shopper.id)
    assert f"not made by the app of shopper number {other.id}" in _refusal(client, forged)
    # Nor with B's session number and A's key: the key depends on the account.
    b_session = signed_file(unsent_work_file(other, []))  # makes a session of B's
    b_session_id = json.loads(b_session)["signature"]["session"]
    forged = signed_file(unsent_work_file(other, [body]), session_id=b_session_id, signer=shopper.id)
    assert "signature does not match" in _refusal(client, forged)


def test_the_session_hands_a_shopper_the_key_their_app_signs_with(client, world, shopper):
    from app.accounts.models import UserSession
    from app.visits.signing import export_key

    sign_in(client, shopper)
    key = client.get("/api/v1/session").get_json()["export_key"]
    session = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == shopper.id)).one()
    assert key["session"] == session.id
    assert base64.urlsafe_b64decode(key["key"] + "=") == export_key(shopper.id, session.id)
    coordinator = sign_in(
        client.application.test_client(), make_user(Role.coordinator, programme=world.programme)
    )
    assert coordinator.get("/api/v1/session").get_json()["export_key"] is None


# --- files no app makes: refused with their reasons, never a server error ----------------------------


def test_files_no_app_makes_are_refused_with_their_reasons(client, world, shopper, coordinator):
    right = unsent_work_file(shopper)
    deep = signed_file(right).replace(b'"refused":[]', b'"refused":' + b"[" * 5_000 + b"]" * 5_000)
    assert "nested deeper than 32 levels" in _refusal(client, deep)
    draft = {**submission_payload(make_assignment(world, shopper)), "started_at": "9999-12-31T23:00:00-05:00"}
    page = _refusal(client, signed_file(unsent_work_file(shopper, drafts=[draft])))
    assert "drafts" in page and "2000 and 2099" in page
    huge = {**right, "shopper": {**right["shopper"], "id": 2**70}}
    assert "Not a number this app gives anything." in _refusal(client, signed_file(huge, signer=shopper.id))
    twenty_digits = 10**19
    page = _refusal(
        client,
        signed_file(
            unsent_work_file(shopper, drafts=[{**draft, "started_at": None, "assignment_id": twenty_digits}])
        ),
    )
    assert "Not a number this app gives anything." in page
    decision = {
        "uuid": str(uuid.uuid4()),
        "method": "POST",
        "path": f"/api/v1/assignments/{twenty_digits}/accept",
        "body": {},
    }
    page = _refusal(client, signed_file(unsent_work_file(shopper, decisions=[decision])))
    assert "Not an answer to an offer that the shopper app makes." in page
