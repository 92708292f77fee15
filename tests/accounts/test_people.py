"""People and roles: invitations (by a real SMTP server), role changes, deactivation that ends sessions at
once, who sees whom, and the audit trail of each."""

import sqlalchemy as sa

from app.accounts.models import AccountInvite, Role, User
from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import csrf_headers, sign_in
from tests.factories import PASSWORD, make_user, make_world


def _actions(object_type, object_id) -> list[str]:
    return db.session.scalars(
        sa.select(AuditEvent.action)
        .filter_by(object_type=object_type, object_id=str(object_id))
        .order_by(AuditEvent.id)
    ).all()


def _invite(client, **fields):
    data = {"display_name": "Pat Partner", "email": "pat@north.example", "organisation_id": "0"} | fields
    return client.post("/people/invite", data=data, headers=csrf_headers(client))


def test_a_coordinator_invites_a_partner_manager_who_joins_by_the_link(app, world, smtp_inbox):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    client = sign_in(app.test_client(), coordinator)
    page = client.get("/people/invite").get_data(as_text=True)
    assert 'value="admin"' not in page  # a coordinator cannot make an administrator

    response = _invite(client, roles=["partner_manager"], organisation_id=str(world.district.id))
    assert response.status_code == 302 and response.headers["Location"] == "/people"
    (message,) = smtp_inbox.to("pat@north.example")
    path = smtp_inbox.link_in(message, "/join/")

    newcomer = app.test_client()
    page = newcomer.get(path)
    assert page.status_code == 200 and "partner manager" in page.get_data(as_text=True)
    joined = newcomer.post(
        path, data={"password": PASSWORD, "confirm_password": PASSWORD}, headers=csrf_headers(newcomer)
    )
    assert joined.status_code == 302
    user = db.session.scalar(sa.select(User).filter_by(email="pat@north.example"))
    assert user.roles == {Role.partner_manager}
    assert (user.organisation_id, user.programme_id) == (world.district.id, world.programme.id)
    assert newcomer.get("/").headers["Location"] == "/results"  # signed in, home for a partner manager

    invite = db.session.scalar(sa.select(AccountInvite))
    assert _actions("account_invite", invite.id) == ["account.invited", "account.invite_accepted"]
    assert newcomer.get(path).status_code == 410  # single use
    late = app.test_client()
    again = late.post(
        path, data={"password": PASSWORD, "confirm_password": PASSWORD}, headers=csrf_headers(late)
    )
    assert again.status_code == 410


def test_a_partner_manager_without_an_organisation_is_a_field_error(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    response = _invite(client, roles=["partner_manager"])
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "A partner manager belongs to one organisation: choose it." in body
    assert 'id="organisation_id-error"' in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccountInvite)) == 0


def test_an_organisation_of_another_partnership_is_refused(client, world):
    other = make_world()
    sign_in(client, make_user(Role.admin))
    response = _invite(
        client,
        roles=["partner_manager"],
        programme_id=str(world.programme.id),
        organisation_id=str(other.district.id),
    )
    assert response.status_code == 422
    assert "That organisation is not in this programme." in response.get_data(as_text=True)


def test_bad_invitations_are_field_errors(client, world):
    make_user(Role.shopper, email="taken@example.org", programme=world.programme)
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    assert "Choose only from the roles listed." in _invite(client, roles=["admin"]).get_data(as_text=True)
    assert "Choose at least one role." in _invite(client).get_data(as_text=True)
    assert "Type a whole e-mail address" in _invite(client, roles=["reviewer"], email="nobody").get_data(
        as_text=True
    )
    taken = _invite(client, roles=["reviewer"], email="Taken@example.org")
    assert taken.status_code == 422 and "has an account already" in taken.get_data(as_text=True)
    other = make_world()
    elsewhere = _invite(client, roles=["reviewer"], programme_id=str(other.programme.id))
    assert elsewhere.status_code == 422  # not a programme they may choose


def test_an_expired_or_unknown_invitation_is_refused(client, world):
    from app.accounts import people
    from app.db_types import utcnow

    invite, token = people.invite(
        make_user(Role.admin), "late@council.example", "Lee Late", {Role.reviewer}, world.programme, None
    )
    invite.expires_at = utcnow()
    db.session.commit()
    assert "expired" in client.get(f"/join/{token}").get_data(as_text=True)
    assert client.get(f"/join/{token}").status_code == 410
    assert client.get("/join/no-such-token").status_code == 404


def test_roles_change_and_take_effect_at_once(app, world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    reviewer = make_user(Role.reviewer, programme=world.programme)
    theirs = sign_in(app.test_client(), reviewer)
    assert theirs.get("/coordinator/review").status_code == 200
    assert theirs.get("/people").status_code == 403

    client = sign_in(app.test_client(), coordinator)
    response = client.post(
        f"/people/{reviewer.id}/roles",
        data={"roles": ["coordinator"], "organisation_id": "0"},
        headers=csrf_headers(client),
    )
    assert response.status_code == 302
    assert theirs.get("/people").status_code == 200  # the same session, the new role
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="account.roles_changed"))
    assert (event.actor_id, event.object_id) == (coordinator.id, str(reviewer.id))
    assert (event.data["before"], event.data["after"]) == (["reviewer"], ["coordinator"])
    assert event.programme_id == world.programme.id and event.origin == "127.0.0.1"


def test_a_partner_manager_role_needs_an_organisation_of_the_programme(client, world):
    person = make_user(Role.reviewer, programme=world.programme)
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    response = client.post(
        f"/people/{person.id}/roles",
        data={"roles": ["partner_manager"], "organisation_id": "0"},
        headers=csrf_headers(client),
    )
    assert response.status_code == 422
    assert "choose it" in response.get_data(as_text=True)
    assert db.session.get(User, person.id).roles == {Role.reviewer}


def test_a_shopper_keeps_the_roles_a_coordinator_cannot_give(client, world):
    shopper = make_user(Role.shopper, programme=world.programme)
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    client.post(
        f"/people/{shopper.id}/roles",
        data={"roles": ["reviewer"], "organisation_id": "0"},
        headers=csrf_headers(client),
    )
    assert db.session.get(User, shopper.id).roles == {Role.shopper, Role.reviewer}


def test_deactivation_ends_every_session_at_once(app, world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    person = make_user(Role.reviewer, programme=world.programme)
    phone, laptop = sign_in(app.test_client(), person), sign_in(app.test_client(), person)
    assert phone.get("/api/v1/session").status_code == 200

    client = sign_in(app.test_client(), coordinator)
    assert client.post(f"/people/{person.id}/deactivate", headers=csrf_headers(client)).status_code == 302
    assert phone.get("/api/v1/session").status_code == 401  # the old cookie is anonymous now
    assert laptop.get("/coordinator/review").headers["Location"].startswith("/sign-in")
    stranger = app.test_client()
    refused = stranger.post(
        "/api/v1/session", json={"email": person.email, "password": PASSWORD}, headers=csrf_headers(stranger)
    )
    assert refused.status_code == 401  # and no new sign-in

    assert client.post(f"/people/{person.id}/reactivate", headers=csrf_headers(client)).status_code == 302
    assert phone.get("/api/v1/session").status_code == 401  # reactivating brings no old session back
    assert _actions("user_account", person.id)[-3:] == [
        "account.deactivated",
        "account.sign_in_failed",
        "account.reactivated",
    ]


def test_nobody_deactivates_or_changes_themselves(client):
    admin = make_user(Role.admin)
    sign_in(client, admin)
    client.post(f"/people/{admin.id}/deactivate", headers=csrf_headers(client), follow_redirects=True)
    assert db.session.get(User, admin.id).active
    response = client.post(
        f"/people/{admin.id}/roles",
        data={"roles": ["reviewer"], "organisation_id": "0"},
        headers=csrf_headers(client),
    )
    assert response.status_code == 422
    assert db.session.get(User, admin.id).roles == {Role.admin}


def test_who_sees_whom(client, world):
    other = make_world()
    mine = make_user(Role.reviewer, programme=world.programme, email="mina.mine@example.test")
    theirs = make_user(Role.reviewer, programme=other.programme, email="theo.theirs@example.test")
    admin = make_user(Role.admin, email="ada.admin@example.test")
    manager = make_user(
        Role.partner_manager,
        programme=world.programme,
        organisation=world.district,
        email="pam.manager@example.test",
    )
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    page = client.get("/people").get_data(as_text=True)
    assert "mina.mine" in page and "pam.manager" in page and "North District Council" in page
    assert "theo.theirs" not in page and "ada.admin" not in page
    assert "Partner manager" in page and "Reviewer" in page
    only = client.get("/people?role=partner_manager").get_data(as_text=True)
    assert "pam.manager" in only and "mina.mine" not in only
    assert client.get(f"/people/{theirs.id}").status_code == 403
    assert client.get(f"/people/{admin.id}").status_code == 403
    assert client.get(f"/people/{mine.id}").status_code == 200
    assert client.get(f"/people/{manager.id}").status_code == 200
    assert client.get("/people/999999").status_code == 404
    assert client.get("/people?role=nonsense&page=1").status_code == 200
    assert client.get("/people?page=0").status_code == 404
