"""Who may use the accounts pages: forgotten passwords and invitations (anyone with the link), people and
roles (admins, and coordinators for the people of their own programme). Partner managers and reviewers
manage nobody, of their organisation or any other."""

import itertools

from app.accounts import people, reset
from app.accounts.models import Role
from app.extensions import db
from tests.factories import PASSWORD, make_user
from tests.permissions_kit import FORBIDDEN_PAGE, HTML, Route, everyone, page_for, redirect

_numbers = itertools.count(1)
STAFF = dict(coordinator=HTML, other_coordinator=HTML, admin=HTML)


def _cached(cast, name, make):
    if name not in cast.__dict__:
        cast.__dict__[name] = make()
    return cast.__dict__[name]


def person(cast):
    """A reviewer of the coordinator's programme: whom the coordinator and admins manage."""
    return _cached(cast, "accounts_person", lambda: make_user(Role.reviewer, programme=cast.world.programme))


def inactive_person(cast):
    """A deactivated reviewer of the coordinator's programme, to reactivate."""
    return _cached(
        cast,
        "accounts_inactive",
        lambda: make_user(Role.reviewer, programme=cast.world.programme, active=False),
    )


def _person_url(suffix=""):
    return lambda cast: f"/people/{person(cast).id}{suffix}"


def _reset_body(cast, user):
    """An address with an account (new for each test: an address may ask only so often)."""
    someone = _cached(cast, "reset_someone", lambda: make_user(Role.shopper, programme=cast.world.programme))
    return {"data": {"email": someone.email}}


def reset_token(cast):
    return _cached(cast, "reset_token", lambda: reset.reset_token(make_user(Role.coordinator)))


def join_token(cast):
    def make():
        _, token = people.invite(
            cast.admin,
            f"invited{next(_numbers)}@council.example",
            "Ina Vited",
            {Role.reviewer},
            cast.world.programme,
            None,
        )
        db.session.commit()
        return token

    return _cached(cast, "join_token", make)


def _invite_body(cast, user):
    programme_id = user.programme_id if user is not None and user.programme_id else cast.world.programme.id
    return {
        "data": {
            "display_name": "Rowan Reviewer",
            "email": f"reviewer{next(_numbers)}@council.example",
            "roles": ["reviewer"],
            "programme_id": str(programme_id),
            "organisation_id": "0",
        }
    }


MANAGE = dict(coordinator=HTML, admin=HTML, other_coordinator=FORBIDDEN_PAGE)


def _manage_change(cast_path):
    return page_for(
        coordinator=redirect(cast_path), admin=redirect(cast_path), other_coordinator=FORBIDDEN_PAGE
    )


def _to_person(cast):
    return f"/people/{person(cast).id}"


ROWS = {
    # --- forgotten passwords: open to all ---
    ("GET", "/account/forgot-password"): Route(lambda c: "/account/forgot-password", everyone(HTML)),
    ("POST", "/account/forgot-password"): Route(
        lambda c: "/account/forgot-password",
        everyone(redirect("/account/forgot-password/sent")),
        body=_reset_body,
    ),
    ("GET", "/account/forgot-password/sent"): Route(
        lambda c: "/account/forgot-password/sent", everyone(HTML)
    ),
    ("GET", "/account/reset-password/<token>"): Route(
        lambda c: f"/account/reset-password/{reset_token(c)}", everyone(HTML)
    ),
    ("POST", "/account/reset-password/<token>"): Route(
        lambda c: f"/account/reset-password/{reset_token(c)}",
        everyone(redirect("/sign-in")),
        body=lambda c, u: {"data": {"password": PASSWORD + "-new", "confirm_password": PASSWORD + "-new"}},
    ),
    # --- invitations: open to whoever has the link ---
    ("GET", "/join/<token>"): Route(lambda c: f"/join/{join_token(c)}", everyone(HTML)),
    ("POST", "/join/<token>"): Route(
        lambda c: f"/join/{join_token(c)}",
        everyone(redirect("/")),
        body=lambda c, u: {"data": {"password": PASSWORD, "confirm_password": PASSWORD}},
    ),
    # --- people and roles ---
    ("GET", "/people"): Route(lambda c: "/people", page_for(**STAFF)),
    ("GET", "/people/invite"): Route(lambda c: "/people/invite", page_for(**STAFF)),
    ("POST", "/people/invite"): Route(
        lambda c: (c.world, "/people/invite")[1],
        page_for(**{role: redirect("/people") for role in STAFF}),
        body=_invite_body,
    ),
    ("GET", "/people/<id:user_id>"): Route(_person_url(), page_for(**MANAGE)),
    ("POST", "/people/<id:user_id>/roles"): Route(
        _person_url("/roles"),
        _manage_change(_to_person),
        body=lambda c, u: {"data": {"roles": ["coordinator"], "organisation_id": "0"}},
    ),
    ("POST", "/people/<id:user_id>/deactivate"): Route(
        _person_url("/deactivate"), _manage_change(_to_person)
    ),
    ("POST", "/people/<id:user_id>/reactivate"): Route(
        lambda c: f"/people/{inactive_person(c).id}/reactivate",
        _manage_change(lambda c: f"/people/{inactive_person(c).id}"),
    ),
}
