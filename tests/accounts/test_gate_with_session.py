"""``sessions.load_user`` reads the gate in the session's statement; ``gate_required`` uses that answer.

It must be the gate as it stands at each request: a new statement published, or a declaration withdrawn,
closes the gate on the very next request of a session that is already signed in.
"""

import sqlalchemy as sa
from sqlalchemy import event

from app.accounts.models import ConfidentialityStatement, ConflictDeclaration
from app.extensions import db
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_shopper


def briefs(app, cookie_client):
    """A request in a fresh app context, so that the user is loaded from the session cookie."""
    with app.app_context():
        return cookie_client.get("/api/v1/assignments")


def test_the_gate_is_read_with_the_session_and_is_fresh_on_each_request(app, client, world):
    shopper = make_shopper(world)
    sign_in(client, shopper)
    csrf_headers(client)
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert briefs(app, client).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    # One statement for session, user, roles and gate; none of the gate's own.
    assert not any(
        s.lstrip().startswith("SELECT (SELECT confidentiality_statement.version") for s in statements
    )
    assert any("user_session" in s and "conflict_declaration" in s for s in statements)

    db.session.add(ConfidentialityStatement(programme=world.programme, version=2, text="Changed."))
    db.session.commit()
    response = briefs(app, client)
    assert (response.status_code, response.get_json()["gate"]) == (
        403,
        {"confidentiality": False, "conflicts": True},
    )

    db.session.execute(sa.delete(ConfidentialityStatement).where(ConfidentialityStatement.version == 2))
    db.session.execute(sa.delete(ConflictDeclaration).where(ConflictDeclaration.user_id == shopper.id))
    db.session.commit()
    response = briefs(app, client)
    assert (response.status_code, response.get_json()["gate"]) == (
        403,
        {"confidentiality": True, "conflicts": False},
    )
