"""Recruitment services, called directly: sign-up, confirmation, quiz, decisions, invitations, personal data."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role, User
from app.accounts.passwords import password_matches
from app.audit.models import AuditEvent
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.recruitment import quiz as quiz_service
from app.recruitment import services
from app.recruitment.models import (
    ApplicationStatus,
    OutboxMessage,
    QuizAttempt,
    StaffInvite,
    VolunteerApplication,
)
from app.recruitment.personal_data import delete_personal_data, personal_data
from tests.factories import PASSWORD, make_application, make_assignment, make_quiz, make_shopper, make_user


def sign_up(world, email="rhian@example.org", password=PASSWORD):
    data = services.SignUp(
        full_name=" Rhian Evans ",
        email=email,
        password=password,
        phone="01632 960111",
        neighbourhood="Kingsmere",
        languages="English, Welsh",
        availability="Saturdays",
        accessibility_needs="Large print",
    )
    return services.sign_up(data, world.programme)


def actions():
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


# --- sign-up and confirmation ---------------------------------------------------------------------


def test_sign_up_makes_an_applicant_with_a_pending_application(world):
    application = sign_up(world, email="Rhian@Example.org")
    db.session.commit()
    user = application.user
    assert user.email == "rhian@example.org"
    assert user.roles == {Role.applicant}
    assert user.programme_id == world.programme.id
    assert password_matches(user.password_hash, PASSWORD) and PASSWORD not in user.password_hash
    assert application.status == ApplicationStatus.pending
    assert application.full_name == "Rhian Evans"
    assert application.consented_at is not None and application.email_confirmed_at is None
    assert actions() == ["application.submitted"]


@pytest.mark.parametrize(
    "password, code", [("short-pass", "weak_password"), ("demo-password-2026", "weak_password")]
)
def test_sign_up_refuses_short_and_demo_passwords(world, password, code):
    with pytest.raises(Invalid) as error:
        sign_up(world, password=password)
    assert error.value.code == code


def test_sign_up_with_a_taken_address_whatever_its_case_makes_nothing_and_names_the_account(world):
    taken = make_user(Role.shopper, email="taken@example.org")
    assert sign_up(world, email=" TAKEN@example.org ") is taken
    assert actions() == []
    with pytest.raises(Invalid) as error:  # a weak password is refused first, as for any address
        sign_up(world, email="taken@example.org", password="short-pass")
    assert error.value.code == "weak_password"


def test_the_confirmation_token_confirms_once_and_stays_harmless(world):
    application = sign_up(world)
    token = services.confirmation_token(application)
    assert services.confirm_email(token) is application
    first = application.email_confirmed_at
    assert first is not None
    services.confirm_email(token)
    assert application.email_confirmed_at == first
    assert actions().count("application.email_confirmed") == 1


def test_an_expired_or_tampered_token_is_refused(world):
    application = sign_up(world)
    token = services.confirmation_token(application)
    with pytest.raises(Invalid) as expired:
        services.confirm_email(token, max_age=-1)
    assert expired.value.code == "token_expired"
    with pytest.raises(Invalid) as tampered:
        services.confirm_email(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert tampered.value.code == "token_invalid"
    assert application.email_confirmed_at is None


def test_a_token_for_an_address_since_changed_is_refused(world):
    application = sign_up(world)
    token = services.confirmation_token(application)
    application.user.email = "new@example.org"
    with pytest.raises(Invalid):
        services.confirm_email(token)


def test_without_a_mail_server_the_confirmation_goes_to_the_outbox(world):
    application = sign_up(world)
    services.send_confirmation(application, "http://localhost/volunteer/confirm/abc")
    db.session.commit()
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.to_address == "rhian@example.org"
    assert "http://localhost/volunteer/confirm/abc" in message.body


def test_with_a_mail_server_the_message_goes_by_smtp(world, own_app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def login(self, username, password):
            sent.append(("login", username))

        def send_message(self, message):
            sent.append(("send", message["To"], message["Subject"]))

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(own_app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setitem(own_app.config, "MAIL_USERNAME", "mailer")
    services.send_confirmation(sign_up(world), "http://localhost/x")
    assert sent == [
        ("connect", "smtp.example.org", 587),
        ("starttls",),
        ("login", "mailer"),
        ("send", "rhian@example.org", "Confirm your e-mail address for Service Shopper"),
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


# --- the quiz -------------------------------------------------------------------------------------


def test_quiz_scoring_passes_at_the_mark_and_lists_the_wrong_answers(world):
    quiz = make_quiz(world.programme, pass_mark=50)
    application = make_application(world.programme)
    first, second = quiz.questions
    failed = quiz_service.take_quiz(application, quiz, {first.id: 1, second.id: 1})
    assert (failed.score, failed.passed) == (0, False)
    assert application.quiz_passed_at is None
    passed = quiz_service.take_quiz(application, quiz, {first.id: 0, second.id: 1})
    assert (passed.score, passed.passed, passed.pass_mark) == (50, True, 50)
    assert [r["right"] for r in passed.results] == [True, False]
    assert passed.results[1]["question"] == second.text
    assert application.quiz_passed_at is not None
    db.session.commit()
    assert len(quiz_service.attempts_of(application.user_id)) == 2


def test_quiz_needs_every_answer_and_a_real_option(world):
    quiz = make_quiz(world.programme)
    application = make_application(world.programme)
    first, second = quiz.questions
    with pytest.raises(Invalid):
        quiz_service.take_quiz(application, quiz, {first.id: 0})
    with pytest.raises(Invalid):
        quiz_service.take_quiz(application, quiz, {first.id: 0, second.id: 7})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 0


def test_the_quiz_is_closed_once_the_application_is_decided(world):
    quiz = make_quiz(world.programme)
    application = make_application(world.programme, status=ApplicationStatus.declined)
    with pytest.raises(DomainError) as error:
        quiz_service.take_quiz(application, quiz, {q.id: 0 for q in quiz.questions})
    assert error.value.code == "already_decided"


def test_an_attempt_keeps_the_question_as_asked_after_an_edit(world):
    quiz = make_quiz(world.programme)
    coordinator = make_user(Role.coordinator, programme=world.programme)
    application = make_application(world.programme)
    attempt = quiz_service.take_quiz(application, quiz, {q.id: 0 for q in quiz.questions})
    quiz_service.save_question(quiz, quiz.questions[0], "Reworded?", ["A", "B", "C"], 2, "", coordinator)
    assert attempt.results[0]["question"] == "Who fixes potholes?"


def test_saving_a_question_drops_blank_answers_and_keeps_the_right_one(world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    quiz = quiz_service.quiz_for(world.programme.id, create=True)
    question = quiz_service.save_question(
        quiz,
        None,
        "Who collects bins?",
        ["", "County", " ", "District", "", ""],
        3,
        "Districts do.",
        coordinator,
    )
    assert (question.options, question.correct_option) == (["County", "District"], 1)


@pytest.mark.parametrize(
    "options, correct, code",
    [
        (["Only one", "", ""], 0, "options_count"),
        (["A", "", "C"], 1, "correct_option_blank"),
        (["Same", "same"], 0, "options_repeat"),
    ],
)
def test_a_question_needs_two_distinct_answers_and_a_correct_one(world, options, correct, code):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    quiz = quiz_service.quiz_for(world.programme.id, create=True)
    with pytest.raises(Invalid) as error:
        quiz_service.save_question(quiz, None, "Q?", options, correct, "", coordinator)
    assert error.value.code == code


# --- decisions ------------------------------------------------------------------------------------


def test_approving_needs_a_passed_quiz_or_a_reason(world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    application = make_application(world.programme)
    with pytest.raises(Invalid) as error:
        services.approve(application, coordinator)
    assert error.value.code == "quiz_not_passed"
    assert application.status == ApplicationStatus.pending
    services.approve(application, coordinator, override_reason="Trained with the library volunteers")
    assert application.quiz_override_reason == "Trained with the library volunteers"
    assert application.user.roles == {Role.shopper}


def test_approving_a_passed_applicant_makes_them_a_shopper_and_is_audited(world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    application = make_application(world.programme, quiz_passed_at=utcnow())
    services.approve(application, coordinator)
    db.session.commit()
    assert application.status == ApplicationStatus.approved
    assert application.user.roles == {Role.shopper}
    assert application.user.programme_id == world.programme.id
    assert application.decided_by_id == coordinator.id
    assert actions() == ["application.approved"]


def test_declining_needs_a_reason_and_deciding_twice_is_refused(world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    application = make_application(world.programme, quiz_passed_at=utcnow())
    with pytest.raises(Invalid):
        services.decline(application, coordinator, "   ")
    services.decline(application, coordinator, "Enough volunteers in your area")
    assert application.user.roles == {Role.applicant}
    for decide in (
        lambda: services.approve(application, coordinator),
        lambda: services.decline(application, coordinator, "again"),
    ):
        with pytest.raises(DomainError) as error:
            decide()
        assert (error.value.code, error.value.status) == ("already_decided", 409)
    assert application.status == ApplicationStatus.declined
    assert actions() == ["application.declined"]


# --- staff on loan --------------------------------------------------------------------------------


def test_an_invitation_is_stored_hashed_and_works_once(world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    invite, token = services.invite_staff(world.programme, "Loan@Council.example", coordinator)
    db.session.commit()
    assert invite.token_hash != token and token not in invite.token_hash
    assert invite.expires_at - utcnow() > timedelta(days=6, hours=23)
    assert services.find_invite(token) is invite
    user = services.accept_invite(invite, "Sam Staff", PASSWORD)
    db.session.commit()
    assert (user.email, user.staff_on_loan, user.roles) == ("loan@council.example", True, {Role.shopper})
    assert user.programme_id == world.programme.id
    with pytest.raises(DomainError) as used:
        services.find_invite(token)
    assert used.value.code == "invite_used"
    with pytest.raises(DomainError):
        services.accept_invite(invite, "Someone else", PASSWORD)


def test_an_expired_or_unknown_invitation_is_refused(world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    invite, token = services.invite_staff(world.programme, "late@council.example", coordinator)
    invite.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(DomainError) as expired:
        services.find_invite(token)
    assert expired.value.code == "invite_expired"
    with pytest.raises(Invalid) as unknown:
        services.find_invite("no-such-token")
    assert unknown.value.code == "invite_unknown"


def test_inviting_an_address_with_an_account_is_refused(world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    with pytest.raises(Invalid):
        services.invite_staff(world.programme, coordinator.email, coordinator)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffInvite)) == 0


# --- personal data --------------------------------------------------------------------------------


def test_the_export_holds_the_user_application_and_attempts_but_no_hash(world):
    quiz = make_quiz(world.programme)
    application = make_application(world.programme)
    quiz_service.take_quiz(application, quiz, {q.id: 0 for q in quiz.questions})
    db.session.commit()
    data = personal_data(application.user)
    text = json.dumps(data)
    assert application.user.password_hash not in text and "password" not in text
    assert data["user"]["email"] == application.user.email
    assert data["application"]["full_name"] == "Alex Applicant"
    assert data["quiz_attempts"][0]["score"] == 100


def test_deleting_an_applicant_removes_them(world):
    quiz = make_quiz(world.programme)
    application = make_application(world.programme)
    quiz_service.take_quiz(application, quiz, {q.id: 0 for q in quiz.questions})
    user_id, email = application.user_id, application.user.email
    db.session.add(OutboxMessage(to_address=email, subject="s", body="b"))
    assert delete_personal_data(application.user) == "deleted"
    db.session.commit()
    assert db.session.get(User, user_id) is None
    for model in (VolunteerApplication, QuizAttempt, OutboxMessage):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    assert "account.deleted" in actions()


def test_deleting_a_shopper_with_work_anonymises_them_and_keeps_the_work(world):
    shopper = make_shopper(world)
    application = make_application(world.programme, user=shopper, status=ApplicationStatus.approved)
    assignment = make_assignment(world, shopper)
    assert delete_personal_data(shopper) == "anonymised"
    db.session.commit()
    user = db.session.get(User, shopper.id)
    assert (user.email, user.display_name, user.active) == (
        f"deleted-{user.id}@invalid",
        "Former volunteer",
        False,
    )
    assert not password_matches(user.password_hash, PASSWORD)
    assert application.full_name == application.phone == application.neighbourhood == ""
    assert db.session.get(type(assignment), assignment.id).shopper_id == user.id
    assert "account.anonymised" in actions()


def test_a_user_still_referenced_elsewhere_is_anonymised_rather_than_half_deleted(world, monkeypatch):
    """A table added later without ON DELETE must not turn a deletion into an error."""
    application = make_application(world.programme)
    monkeypatch.setattr("app.recruitment.personal_data.has_recorded_work", lambda user: False)

    def refuse(*args, **kwargs):
        raise sa.exc.IntegrityError("DELETE", {}, Exception("still referenced"))

    monkeypatch.setattr(db.session, "delete", refuse)
    assert delete_personal_data(application.user) == "anonymised"
    db.session.commit()
    assert db.session.get(User, application.user_id).display_name == "Former volunteer"


def test_sign_up_keeps_the_times_ticked_for_the_assignment_engine(world):
    from app.assignments.models import ShopperAvailability

    application = services.sign_up(
        services.SignUp(
            full_name="Rhian Evans",
            email="rhian@example.org",
            password=PASSWORD,
            neighbourhood="Kingsmere",
            languages="English",
            availability="Saturdays",
            available_times=frozenset({"weekend"}),
        ),
        world.programme,
    )
    db.session.commit()
    row = db.session.get(ShopperAvailability, application.user_id)
    assert (row.weekday_daytime, row.weekday_evening, row.weekend) == (False, False, True)
