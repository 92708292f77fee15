"""``sessions.load_user`` reads session, user, roles and gate in one statement, and hands
the request a real, persistent ``User`` of its session: relationships load, changes are saved."""

import secrets

import sqlalchemy as sa
from sqlalchemy import event

from app.accounts.models import Role, User, UserRole, UserSession
from app.accounts.sessions import _digest, load_user
from app.extensions import db
from tests.factories import make_shopper, make_user


def _signed_in(user) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_digest(token), user_id=user.id))
    db.session.commit()
    return token


def _statements_of(call):
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        return call(), statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def test_the_user_comes_from_one_statement_and_is_a_persistent_object(app, world):
    user = make_user(Role.coordinator, Role.shopper, programme=world.programme)
    token = _signed_in(user)
    with app.app_context(), app.test_request_context():  # a request's own, empty session
        loaded, statements = _statements_of(lambda: load_user(token))
        assert len(statements) == 1  # the session, its user, roles and gate
        assert isinstance(loaded, User) and sa.inspect(loaded).persistent
        assert (loaded.id, loaded.email, loaded.roles) == (
            user.id,
            user.email,
            {Role.coordinator, Role.shopper},
        )
        assert loaded.session_record.token == token and loaded.get_id() == token
        roles_again, statements = _statements_of(lambda: loaded.roles)
        assert statements == []  # the roles came with the user
        assert loaded.programme.name == world.programme.name  # relationships load as usual
        loaded.display_name = "Renamed by a page"
        loaded.role_rows = [row for row in loaded.role_rows if row.role is not Role.coordinator]
        assert loaded.roles == {Role.shopper}  # a page that changes the roles sees its change at once
        db.session.commit()  # the changes are written, as for a user a query loaded
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Renamed by a page"
    assert db.session.get(User, user.id).roles == {Role.shopper}


def test_a_role_added_in_the_request_counts_at_once(app, world):
    user = make_user(Role.applicant, programme=world.programme)
    token = _signed_in(user)
    with app.app_context(), app.test_request_context():
        loaded = load_user(token)
        assert not loaded.has_role(Role.shopper)
        loaded.role_rows.append(UserRole(role=Role.shopper))
        assert loaded.has_role(Role.shopper) and loaded.roles == {Role.applicant, Role.shopper}
        db.session.commit()
        assert loaded.has_role(Role.shopper)  # after the commit too, from the reloaded rows


def test_a_user_without_roles_has_none(app, world):
    user = make_user(programme=world.programme)
    token = _signed_in(user)
    with app.app_context(), app.test_request_context():
        assert load_user(token).roles == set()


def test_a_user_the_session_holds_already_is_the_one_handed_back(app, world):
    shopper = make_shopper(world)
    token = _signed_in(shopper)
    with app.test_request_context():  # the test's session, which holds the shopper
        assert load_user(token) is shopper


def test_an_ended_or_unknown_session_or_an_inactive_user_is_nobody(app, world):
    shopper = make_shopper(world)
    token = _signed_in(shopper)
    with app.app_context(), app.test_request_context():
        assert load_user("not-a-token") is None
    db.session.execute(sa.update(UserSession).values(ended_at=sa.func.now()))
    db.session.commit()
    with app.app_context(), app.test_request_context():
        assert load_user(token) is None
    token = _signed_in(shopper)
    shopper.active = False
    db.session.commit()
    with app.app_context(), app.test_request_context():
        assert load_user(token) is None
