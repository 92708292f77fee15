"""Recruitment pages, thinly: field errors and nothing half-saved, decisions answered 409 twice, links work."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role, User
from app.audit.models import AuditEvent
from app.db_types import utcnow
from app.extensions import db
from app.recruitment import services
from app.recruitment.models import (
    ApplicationStatus,
    OutboxMessage,
    QuizQuestion,
    StaffInvite,
    VolunteerApplication,
)
from tests.conftest import csrf_headers, sign_in
from tests.factories import PASSWORD, make_application, make_quiz, make_user


def errors(response) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", e).replace("Error:", "").strip()
        for e in re.findall(r'class="error-message"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)
    ]


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


SIGN_UP = {
    "full_name": "Rhian Evans",
    "email": "rhian@example.org",
    "password": PASSWORD,
    "confirm_password": PASSWORD,
    "neighbourhood": "Kingsmere",
    "languages": "English",
    "availability": "Saturdays",
    "available_times": ["weekday_evening", "weekend"],
    "consent": "y",
}


def test_signing_up_sends_a_link_that_confirms_then_the_applicant_signs_in(client, world):
    response = client.post(
        "/volunteer", headers=csrf_headers(client), data=SIGN_UP | {"programme_id": world.programme.id}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/volunteer/sent"
    assert "Check your e-mail" in client.get("/volunteer/sent").get_data(as_text=True)
    assert client.get("/application").status_code == 302  # not signed in: the same answer as a taken address
    link = re.search(
        r"http://localhost(/volunteer/confirm/\S+)", db.session.scalar(sa.select(OutboxMessage)).body
    )
    assert client.get(link.group(1)).status_code == 200
    applicant = db.session.scalar(sa.select(User).filter_by(email="rhian@example.org"))
    sign_in(client, applicant)
    assert "Confirmed" in client.get("/application").get_data(as_text=True)


@pytest.mark.parametrize(
    "change, field_error",
    [
        ({"full_name": ""}, "Enter your name."),
        ({"email": "not-an-address"}, "Enter an e-mail address like name@example.com."),
        ({"password": "short", "confirm_password": "short"}, "Use at least 12 characters."),
        ({"confirm_password": "something else entirely"}, "The two passwords are not the same."),
        (
            {"password": "demo-password-2026", "confirm_password": "demo-password-2026"},
            "That password is published for the demo; choose your own.",
        ),
        ({"consent": ""}, "Tick the box to agree to how your details are used."),
        ({"availability": ""}, "Say when you could usually help."),
        ({"available_times": ""}, "Tick at least one time of the week."),
        ({"available_times": ["weekend", "someday"]}, "Choose only from the times listed."),
    ],
)
def test_sign_up_errors_are_field_errors_and_nothing_is_saved(client, world, change, field_error):
    data = {k: v for k, v in (SIGN_UP | {"programme_id": world.programme.id} | change).items() if v != ""}
    response = client.post("/volunteer", headers=csrf_headers(client), data=data)
    assert response.status_code == 422
    assert field_error in errors(response)
    assert count(VolunteerApplication) == 0 and count(OutboxMessage) == 0
    assert db.session.scalar(sa.select(User).filter_by(email="rhian@example.org")) is None


def _sign_up(client, world, **changes):
    response = client.post(
        "/volunteer",
        headers=csrf_headers(client),
        data=SIGN_UP | {"programme_id": world.programme.id} | changes,
    )
    return response, response.headers.get("Set-Cookie", "").split("=")[0]


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_mail(client, world):
    """The probe's enumeration: sign-up must not tell whether an address has an account."""
    owner = make_user(Role.shopper, email="taken@example.org", programme=world.programme)
    new, new_cookie = _sign_up(client.application.test_client(), world, email="new@example.org")
    taken, taken_cookie = _sign_up(client.application.test_client(), world, email="Taken@example.org")
    assert (taken.status_code, taken.headers["Location"]) == (new.status_code, new.headers["Location"])
    assert taken.get_data() == new.get_data() and taken_cookie == new_cookie
    assert count(VolunteerApplication) == 1
    mail = db.session.scalar(sa.select(OutboxMessage).filter_by(to_address=owner.email))
    assert "You already have an account" in mail.body and "http://localhost/sign-in" in mail.body
    assert mail.programme_id == world.programme.id


def test_sign_up_is_limited_per_address_and_per_client(own_app, world):
    own_app.config.update(SIGN_UP_LIMIT_PER_ADDRESS="2 per day", SIGN_UP_LIMIT_PER_CLIENT="3 per hour")
    make_user(Role.shopper, email="taken@example.org")
    for _ in range(2):
        assert _sign_up(own_app.test_client(), world, email="taken@example.org")[0].status_code == 302
    limited = _sign_up(own_app.test_client(), world, email="taken@example.org")[0]
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    # Another address from the same client: one more, then that client is limited too.
    assert _sign_up(own_app.test_client(), world, email="other@example.org")[0].status_code == 302
    assert _sign_up(own_app.test_client(), world, email="third@example.org")[0].status_code == 429
    # A form with errors is not counted: a typo does not use up anyone's sign-ups.
    assert count(OutboxMessage) == 3


def test_links_in_e_mails_follow_the_base_url_not_the_host_header(own_app, world):
    # The session cookie is not sent to another host, nor so the CSRF token's pair: not what is tested here.
    own_app.config.update(BASE_URL="https://shopper.example.org", WTF_CSRF_ENABLED=False)
    client = own_app.test_client()
    response = client.post(
        "/volunteer",
        headers={"Host": "evil.example"},
        data=SIGN_UP | {"programme_id": world.programme.id},
    )
    assert response.status_code == 302
    body = db.session.scalar(sa.select(OutboxMessage)).body
    assert "https://shopper.example.org/volunteer/confirm/" in body and "evil.example" not in body


def test_resending_the_confirmation_waits_between_mails_and_stops_for_the_day(client, world):
    application = make_application(world.programme)
    sign_in(client, application.user)

    def resend():
        response = client.post("/application/confirmation", headers=csrf_headers(client))
        assert response.status_code == 302
        return client.get("/application").get_data(as_text=True)

    assert "We have sent the confirmation e-mail again." in resend()
    assert "give it 5 minutes to arrive" in resend()
    assert count(OutboxMessage) == 1
    events = db.session.scalars(sa.select(AuditEvent).filter_by(action="application.confirmation_sent")).all()
    for event in events:  # the first was sent long enough ago
        event.occurred_at = utcnow() - services.RESEND_COOLDOWN
    for _ in range(services.CONFIRMATIONS_PER_DAY - 1):
        db.session.add(
            AuditEvent(
                action="application.confirmation_sent",
                object_type="volunteer_application",
                object_id=str(application.id),
                occurred_at=utcnow() - timedelta(hours=20),
            )
        )
    db.session.commit()
    assert "5 times today" in resend()
    assert count(OutboxMessage) == 1


def test_a_bad_confirmation_link_says_so(client, world):
    response = client.get("/volunteer/confirm/not-a-token")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_the_training_manual_is_a_page_and_a_pdf(client):
    page = client.get("/training").get_data(as_text=True)
    assert "Never identify staff" in page and "Cross-tier questions" in page
    pdf = client.get("/training.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_the_quiz_page_shows_field_errors_then_the_result_with_wrong_answers(client, world):
    from tests.recruitment.test_quiz_fairness import answer

    quiz = make_quiz(world.programme, pass_mark=100)
    application = make_application(world.programme)
    sign_in(client, application.user)
    first, second = quiz.questions
    response = client.post("/application/quiz", headers=csrf_headers(client), data={f"q{first.id}": "0"})
    assert response.status_code == 422 and errors(response) == ["Choose an answer."]
    response = answer(client, {first.id: "The county council", second.id: "Their name"})
    assert response.status_code == 302
    page = client.get("/application/quiz").get_data(as_text=True)
    assert "50% — not passed" in page and "What do you record about staff?" in page and "Try again" in page
    answer(client, {first.id: "The county council", second.id: "Their role"})
    assert db.session.get(VolunteerApplication, application.id).quiz_passed_at is not None


def test_the_coordinators_question_form_shows_field_errors_and_saves_nothing(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    response = client.post(
        "/coordinator/quiz/questions/new",
        headers=csrf_headers(client),
        data={"text": "", "option_1": "Only one"},
    )
    assert response.status_code == 422
    assert {"Write the question.", "Choose the correct answer."} <= set(errors(response))
    response = client.post(
        "/coordinator/quiz/questions/new",
        headers=csrf_headers(client),
        data={"text": "Q?", "option_1": "A", "correct": "2"},
    )
    assert response.status_code == 422
    assert errors(response) == ["The correct answer must be one of the answers you wrote."]
    assert count(QuizQuestion) == 0


def test_the_pass_mark_must_be_a_percentage(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    response = client.post("/coordinator/quiz", headers=csrf_headers(client), data={"pass_mark": "120"})
    assert response.status_code == 422 and errors(response) == ["Give a percentage from 0 to 100."]


def test_approving_without_the_quiz_needs_a_reason_and_deciding_twice_is_409(client, world):
    application = make_application(world.programme)
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    url = f"/coordinator/applicants/{application.id}"
    response = client.post(url + "/approve", headers=csrf_headers(client), data={})
    assert response.status_code == 422
    assert errors(response) == [
        "The applicant has not passed the quiz. Give a reason to approve them anyway."
    ]
    response = client.post(url + "/decline", headers=csrf_headers(client), data={"reason": ""})
    assert response.status_code == 422 and errors(response) == ["Give the reason; the applicant will see it."]
    assert db.session.get(VolunteerApplication, application.id).status == ApplicationStatus.pending

    assert (
        client.post(
            url + "/decline", headers=csrf_headers(client), data={"reason": "Enough volunteers nearby"}
        ).status_code
        == 302
    )
    again = client.post(url + "/approve", headers=csrf_headers(client), data={"override_reason": "x"})
    assert again.status_code == 409
    assert "already declined" in again.get_data(as_text=True)
    sign_in(client, application.user)
    assert "Enough volunteers nearby" in client.get("/application").get_data(as_text=True)


def test_a_coordinator_of_another_programme_cannot_decide(client, world):
    from tests.factories import make_world

    other = make_world()
    application = make_application(world.programme)
    sign_in(client, make_user(Role.coordinator, programme=other.programme))
    response = client.post(
        f"/coordinator/applicants/{application.id}/approve",
        headers=csrf_headers(client),
        data={"override_reason": "x"},
    )
    assert response.status_code == 403
    assert application.full_name not in client.get("/coordinator/applicants").get_data(as_text=True)


def test_an_invitation_link_works_once_then_shows_a_clear_page(client, world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    sign_in(client, coordinator)
    response = client.post("/coordinator/invites", headers=csrf_headers(client), data={"email": "bad"})
    assert response.status_code == 422 and count(StaffInvite) == 0
    client.post("/coordinator/invites", headers=csrf_headers(client), data={"email": "loan@council.example"})
    path = re.search(
        r"http://localhost(/invite/\S+)", db.session.scalar(sa.select(OutboxMessage)).body
    ).group(1)

    invitee = client.application.test_client()
    response = invitee.post(
        path,
        headers=csrf_headers(invitee),
        data={"display_name": "", "password": PASSWORD, "confirm_password": PASSWORD},
    )
    assert response.status_code == 422 and errors(response) == ["Enter your name."]
    response = invitee.post(
        path,
        headers=csrf_headers(invitee),
        data={"display_name": "Sam Staff", "password": PASSWORD, "confirm_password": PASSWORD},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/briefs"
    user = db.session.scalar(sa.select(User).filter_by(email="loan@council.example"))
    assert user.staff_on_loan and user.roles == {Role.shopper}
    used = client.application.test_client().get(path)
    assert used.status_code == 410 and "used already" in used.get_data(as_text=True)


def test_deleting_needs_the_phrase_and_the_password(client, world):
    application = make_application(world.programme)
    sign_in(client, application.user)
    response = client.post(
        "/account/data",
        headers=csrf_headers(client),
        data={"confirmation": "delete", "password": "wrong password here"},
    )
    assert response.status_code == 422 and errors(response) == ["Type “delete my data” exactly."]
    response = client.post(
        "/account/data",
        headers=csrf_headers(client),
        data={"confirmation": "delete my data", "password": "wrong password here"},
    )
    assert response.status_code == 422 and errors(response) == ["That is not your password."]
    assert db.session.get(VolunteerApplication, application.id) is not None
    response = client.post(
        "/account/data",
        headers=csrf_headers(client),
        data={"confirmation": "Delete my data", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert count(VolunteerApplication) == 0
    assert client.get("/application").status_code == 302  # signed out


def test_the_download_is_json_without_the_password_hash(client, world):
    application = make_application(world.programme)
    sign_in(client, application.user)
    response = client.get("/account/data.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_json()["application"]["full_name"] == "Alex Applicant"
    assert application.user.password_hash not in response.get_data(as_text=True)


def test_the_outbox_is_not_there_in_production(client, world, own_app, monkeypatch):
    sign_in(client, make_user(Role.admin))
    assert client.get("/dev/outbox").status_code == 200
    monkeypatch.setitem(own_app.config, "ENV_NAME", "production")
    assert client.get("/dev/outbox").status_code == 404


def test_the_approved_applicant_becomes_a_shopper_on_their_next_request(client, world):
    application = make_application(world.programme, quiz_passed_at=utcnow())
    services.approve(application, make_user(Role.coordinator, programme=world.programme))
    db.session.commit()
    sign_in(client, application.user)
    assert client.get("/briefs").headers["Location"] == "/gate/confidentiality"


def test_answering_the_quiz_after_the_decision_is_409(client, world):
    quiz = make_quiz(world.programme)
    application = make_application(world.programme, status=ApplicationStatus.declined, decision_reason="Full")
    sign_in(client, application.user)
    response = client.post(
        "/application/quiz", headers=csrf_headers(client), data={f"q{q.id}": "0" for q in quiz.questions}
    )
    assert response.status_code == 409
    assert "the quiz is closed" in response.get_data(as_text=True)


def test_the_outbox_shows_a_coordinator_their_own_programmes_mail_only(client, world):
    from app.recruitment.mail import send_mail
    from tests.factories import make_world

    other = make_world()
    send_mail("ours@example.org", "About our programme", "ours", world.programme.id)
    send_mail("theirs@example.org", "About their programme", "theirs", other.programme.id)
    db.session.commit()
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    page = client.get("/dev/outbox").get_data(as_text=True)
    assert "ours@example.org" in page and "theirs@example.org" not in page
    admin = sign_in(client.application.test_client(), make_user(Role.admin))
    page = admin.get("/dev/outbox").get_data(as_text=True)
    assert "ours@example.org" in page and "theirs@example.org" in page
