"""Who may use the recruitment pages. Objects are made in the url lambdas and kept on the cast."""

import itertools

from app.accounts.models import Role
from app.recruitment import services
from tests.factories import PASSWORD, make_application, make_quiz, make_user
from tests.permissions_kit import FORBIDDEN_PAGE, HTML, JSON, Expect, Route, everyone, page_for, redirect

_numbers = itertools.count(1)
PDF = Expect(200, "application/pdf")
STAFF = dict(coordinator=HTML, other_coordinator=HTML, admin=HTML)
VOLUNTEERS = dict(applicant=HTML, shopper=HTML, shopper_ungated=HTML)


def _cached(cast, name, make):
    return (
        cast.__dict__.setdefault(name, None) or cast.__dict__.__setitem__(name, make()) or cast.__dict__[name]
    )


def quiz(cast):
    return _cached(cast, "recruitment_quiz", lambda: make_quiz(cast.world.programme))


def own_application(cast):
    """The signed-in applicant's own application (the quiz exists, so it can be taken)."""
    quiz(cast)
    return _cached(
        cast, "own_application", lambda: make_application(cast.world.programme, user=cast.applicant)
    )


def pending_application(cast):
    """Someone else's pending application in the coordinator's programme."""
    return _cached(cast, "pending_application", lambda: make_application(cast.world.programme))


def invite_token(cast):
    def make():
        inviter = make_user(Role.coordinator, programme=cast.world.programme)
        _, token = services.invite_staff(
            cast.world.programme, f"staff{next(_numbers)}@council.example", inviter
        )
        from app.extensions import db

        db.session.commit()
        return token

    return _cached(cast, "invite_token", make)


def confirmation_token(cast):
    return services.confirmation_token(own_application(cast))


def _sign_up_body(cast, user):
    cast.world  # noqa: B018  (a programme to apply to)
    return {
        "data": {
            "full_name": "Rhian Evans",
            "email": f"resident{next(_numbers)}@example.org",
            "password": PASSWORD,
            "confirm_password": PASSWORD,
            "programme_id": cast.world.programme.id,
            "neighbourhood": "Kingsmere",
            "languages": "English, Welsh",
            "availability": "Saturdays",
            "available_times": ["weekend"],
            "consent": "y",
        }
    }


def _quiz_answers(cast, user):
    return {"data": {f"q{q.id}": "0" for q in quiz(cast).questions}}


def _question_body(cast, user):
    return {
        "data": {
            "text": "Who collects bins?",
            "option_1": "The district council",
            "option_2": "The county council",
            "correct": "1",
        }
    }


def _question_url(cast):
    return f"/coordinator/quiz/questions/{quiz(cast).questions[0].id}"


ROWS = {
    # --- public ---
    ("GET", "/volunteer"): Route(lambda c: (c.world, "/volunteer")[1], everyone(HTML)),
    ("POST", "/volunteer"): Route(
        lambda c: "/volunteer", everyone(redirect("/volunteer/sent")), body=_sign_up_body
    ),
    ("GET", "/volunteer/sent"): Route(lambda c: "/volunteer/sent", everyone(HTML)),
    ("GET", "/volunteer/confirm/<token>"): Route(
        lambda c: f"/volunteer/confirm/{confirmation_token(c)}", everyone(HTML)
    ),
    ("GET", "/training"): Route(lambda c: "/training", everyone(HTML)),
    ("GET", "/training.pdf"): Route(lambda c: "/training.pdf", everyone(PDF)),
    ("GET", "/invite/<token>"): Route(lambda c: f"/invite/{invite_token(c)}", everyone(HTML)),
    ("POST", "/invite/<token>"): Route(
        lambda c: f"/invite/{invite_token(c)}",
        everyone(redirect("/briefs")),
        body=lambda c, u: {
            "data": {"display_name": "Sam Staff", "password": PASSWORD, "confirm_password": PASSWORD}
        },
    ),
    # --- applicants and volunteers ---
    ("GET", "/application"): Route(lambda c: (own_application(c), "/application")[1], page_for(**VOLUNTEERS)),
    ("POST", "/application/confirmation"): Route(
        lambda c: (own_application(c), "/application/confirmation")[1],
        page_for(applicant=redirect("/application")),
    ),
    ("GET", "/application/quiz"): Route(
        lambda c: (own_application(c), "/application/quiz")[1], page_for(applicant=HTML)
    ),
    ("POST", "/application/quiz"): Route(
        lambda c: (own_application(c), "/application/quiz")[1],
        page_for(applicant=redirect("/application/quiz")),
        body=_quiz_answers,
    ),
    ("GET", "/account/data"): Route(lambda c: "/account/data", page_for(**VOLUNTEERS)),
    ("POST", "/account/data"): Route(
        lambda c: "/account/data",
        page_for(applicant=redirect("/"), shopper=redirect("/"), shopper_ungated=redirect("/")),
        body=lambda c, u: {"data": {"confirmation": "delete my data", "password": PASSWORD}},
    ),
    ("GET", "/account/data.json"): Route(
        lambda c: "/account/data.json", page_for(applicant=JSON, shopper=JSON, shopper_ungated=JSON)
    ),
    ("GET", "/account/availability"): Route(lambda c: "/account/availability", page_for(**VOLUNTEERS)),
    ("POST", "/account/availability"): Route(
        lambda c: "/account/availability",
        page_for(**{role: redirect("/account/availability") for role in VOLUNTEERS}),
        body=lambda c, u: {"data": {"available_times": ["weekend"]}},
    ),
    ("GET", "/account/details"): Route(
        lambda c: (own_application(c), "/account/details")[1], page_for(**VOLUNTEERS)
    ),
    ("POST", "/account/details"): Route(
        lambda c: (own_application(c), "/account/details")[1],
        page_for(**{role: redirect("/application") for role in VOLUNTEERS}),
        body=lambda c, u: {
            "data": {
                "full_name": "Rhian Evans-Jones",
                "neighbourhood": "Riverside",
                "languages": "English",
                "availability": "Sundays",
            }
        },
    ),
    # --- the coordinator ---
    ("GET", "/coordinator/applicants"): Route(
        lambda c: (pending_application(c), "/coordinator/applicants")[1], page_for(**STAFF)
    ),
    ("GET", "/coordinator/applicants/<id:application_id>"): Route(
        lambda c: f"/coordinator/applicants/{pending_application(c).id}",
        page_for(coordinator=HTML, admin=HTML, other_coordinator=FORBIDDEN_PAGE),
    ),
    ("POST", "/coordinator/applicants/<id:application_id>/approve"): Route(
        lambda c: f"/coordinator/applicants/{pending_application(c).id}/approve",
        page_for(coordinator=redirect("/coordinator/applicants"), admin=redirect("/coordinator/applicants")),
        body=lambda c, u: {"data": {"override_reason": "Known to us from the library volunteers."}},
    ),
    ("POST", "/coordinator/applicants/<id:application_id>/decline"): Route(
        lambda c: f"/coordinator/applicants/{pending_application(c).id}/decline",
        page_for(coordinator=redirect("/coordinator/applicants"), admin=redirect("/coordinator/applicants")),
        body=lambda c, u: {"data": {"reason": "We have enough volunteers in your area for now."}},
    ),
    ("GET", "/coordinator/shoppers"): Route(lambda c: "/coordinator/shoppers", page_for(**STAFF)),
    ("GET", "/coordinator/quiz"): Route(lambda c: (quiz(c), "/coordinator/quiz")[1], page_for(**STAFF)),
    ("POST", "/coordinator/quiz"): Route(
        lambda c: (quiz(c), "/coordinator/quiz")[1],
        page_for(
            coordinator=redirect("/coordinator/quiz"),
            other_coordinator=redirect("/coordinator/quiz"),
            admin=redirect("/coordinator/quiz"),
        ),
        body=lambda c, u: {"data": {"pass_mark": "70"}},
    ),
    ("GET", "/coordinator/quiz/questions/new"): Route(
        lambda c: (c.world, "/coordinator/quiz/questions/new")[1], page_for(**STAFF)
    ),
    ("POST", "/coordinator/quiz/questions/new"): Route(
        lambda c: (c.world, "/coordinator/quiz/questions/new")[1],
        page_for(
            coordinator=redirect("/coordinator/quiz"),
            other_coordinator=redirect("/coordinator/quiz"),
            admin=redirect("/coordinator/quiz"),
        ),
        body=_question_body,
    ),
    ("GET", "/coordinator/quiz/questions/<id:question_id>"): Route(
        _question_url, page_for(coordinator=HTML, admin=HTML, other_coordinator=FORBIDDEN_PAGE)
    ),
    ("POST", "/coordinator/quiz/questions/<id:question_id>"): Route(
        _question_url,
        page_for(
            coordinator=redirect("/coordinator/quiz"),
            admin=redirect("/coordinator/quiz"),
            other_coordinator=FORBIDDEN_PAGE,
        ),
        body=_question_body,
    ),
    ("POST", "/coordinator/quiz/questions/<id:question_id>/remove"): Route(
        lambda c: _question_url(c) + "/remove",
        page_for(
            coordinator=redirect("/coordinator/quiz"),
            admin=redirect("/coordinator/quiz"),
            other_coordinator=FORBIDDEN_PAGE,
        ),
    ),
    ("GET", "/coordinator/invites"): Route(lambda c: (c.world, "/coordinator/invites")[1], page_for(**STAFF)),
    ("POST", "/coordinator/invites"): Route(
        lambda c: (c.world, "/coordinator/invites")[1],
        page_for(
            coordinator=redirect("/coordinator/invites"),
            other_coordinator=redirect("/coordinator/invites"),
            admin=redirect("/coordinator/invites"),
        ),
        body=lambda c, u: {"data": {"email": f"loan{next(_numbers)}@council.example"}},
    ),
    ("GET", "/dev/outbox"): Route(lambda c: "/dev/outbox", page_for(**STAFF)),
}
