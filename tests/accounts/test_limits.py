"""app/accounts/limits.py: one sign-in limit for both doors, per account and client, account, client."""

import pytest

from app.accounts import limits
from tests.accounts.test_sign_in import page_csrf
from tests.conftest import csrf_headers
from tests.factories import PASSWORD, make_shopper

ATTACKER = "198.51.100.66"
OWNER = "203.0.113.5"


@pytest.fixture
def limited(own_app):
    """Only the per account and client limit is tight enough to trip in these tests."""
    own_app.config["SIGN_IN_LIMIT_PER_ACCOUNT_AND_CLIENT"] = "3 per minute"
    own_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "100 per minute"
    own_app.config["SIGN_IN_LIMIT_PER_CLIENT"] = "100 per minute"
    return own_app


def _by_page(client, email, password, address):
    data = {"email": email, "password": password, "csrf_token": page_csrf(client)}
    return client.post("/sign-in", data=data, environ_base={"REMOTE_ADDR": address}).status_code


def _by_api(client, email, password, address):
    return client.post(
        "/api/v1/session",
        json={"email": email, "password": password},
        headers=csrf_headers(client),
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_the_page_and_the_api_count_failed_attempts_together(limited, world):
    shopper = make_shopper(world)
    client = limited.test_client()
    failed = [
        _by_page(client, shopper.email, "wrong", ATTACKER),
        _by_api(client, shopper.email, "wrong", ATTACKER),
        _by_page(client, shopper.email, "wrong", ATTACKER),
    ]
    assert failed == [422, 401, 422]  # three attempts, not three at each door
    assert _by_api(client, shopper.email, "wrong", ATTACKER) == 429
    assert _by_page(client, shopper.email, PASSWORD, ATTACKER) == 429  # the right password too, there


def test_an_attacker_locked_out_does_not_lock_the_owner_out(limited, world):
    shopper = make_shopper(world)
    attacker = limited.test_client()
    for _ in range(3):
        _by_api(attacker, shopper.email, "wrong", ATTACKER)
    assert _by_api(attacker, shopper.email, PASSWORD, ATTACKER) == 429
    owner = limited.test_client()
    assert _by_api(owner, shopper.email, PASSWORD, OWNER) == 200
    assert _by_page(limited.test_client(), shopper.email, PASSWORD, OWNER) == 302


def test_the_account_ceiling_holds_whichever_door_and_client(own_app, world):
    own_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "4 per minute"
    shopper = make_shopper(world)
    client = own_app.test_client()
    for number in range(4):
        door = _by_page if number % 2 else _by_api
        assert door(client, shopper.email, "wrong", f"192.0.2.{number}") in (401, 422)
    assert _by_api(client, shopper.email, PASSWORD, "192.0.2.99") == 429
    assert _by_page(client, shopper.email, PASSWORD, "192.0.2.98") == 429


@pytest.mark.parametrize("depth", [10, 5_000])
def test_a_deeply_nested_body_has_no_address_to_count_against(app, depth):
    body = '{"email": ' + "[" * depth + "]" * depth + "}"
    with app.test_request_context(
        "/api/v1/session", method="POST", data=body, content_type="application/json"
    ):
        assert limits._submitted_email() == ""
