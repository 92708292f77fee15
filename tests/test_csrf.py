"""Where Flask-WTF finds the CSRF token: a form field or the X-CSRFToken header, never a JSON body field."""

import json

import pytest

from tests.conftest import csrf_headers


@pytest.fixture
def client_and_token(own_app):
    @own_app.post("/test/taken")
    def taken():
        return "taken"

    client = own_app.test_client()
    return client, csrf_headers(client)["X-CSRFToken"]


@pytest.mark.parametrize(
    "how",
    [
        "urlencoded form, token in its field",
        "multipart form, token in its field",
        "urlencoded form, token in the header",
        "JSON, token in the header",
        "no body, token in the header",
    ],
)
def test_the_csrf_token_is_found_where_a_request_can_carry_it(client_and_token, how):
    client, token = client_and_token
    header = {"X-CSRFToken": token}
    if how == "urlencoded form, token in its field":
        response = client.post("/test/taken", data={"name": "x", "csrf_token": token})
    elif how == "multipart form, token in its field":
        response = client.post(
            "/test/taken", data={"name": "x", "csrf_token": token}, content_type="multipart/form-data"
        )
    elif how == "urlencoded form, token in the header":
        response = client.post("/test/taken", data={"name": "x"}, headers=header)
    elif how == "JSON, token in the header":
        response = client.post("/test/taken", json={"name": "x"}, headers=header)
    else:
        response = client.post("/test/taken", headers=header)
    assert (response.status_code, response.get_data(as_text=True)) == (200, "taken")


@pytest.mark.parametrize(
    "how",
    [
        "JSON, token in a body field",
        "text/plain form, token in its text",  # a form a browser may send, which werkzeug does not read as one
        "urlencoded form, no token",
        "JSON, no token",
    ],
)
def test_a_token_anywhere_else_or_nowhere_is_refused(client_and_token, how):
    client, token = client_and_token
    if how == "JSON, token in a body field":
        response = client.post(
            "/test/taken", data=json.dumps({"csrf_token": token}), content_type="application/json"
        )
    elif how.startswith("text/plain"):
        response = client.post("/test/taken", data=f"csrf_token={token}", content_type="text/plain")
    elif how.startswith("urlencoded"):
        response = client.post("/test/taken", data={"name": "x"})
    else:
        response = client.post("/test/taken", json={"name": "x"})
    assert response.status_code == 400
    assert "taken" not in response.get_data(as_text=True)
