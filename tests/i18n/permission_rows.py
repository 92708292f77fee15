"""Languages: choosing one is open to everyone (a signed-in user's choice is kept as their setting); the app's
strings are public like its shell; the API's setting is each signed-in user's own."""

from tests.permissions_kit import JSON, Expect, Route, api_for, everyone, redirect

ROWS = {
    ("POST", "/language"): Route(
        lambda c: "/language",
        everyone(redirect("/")),
        body=lambda c, u: {"data": {"language": "cy"}},
    ),
    ("GET", "/app/messages/<code>.json"): Route(
        lambda c: "/app/messages/cy.json", everyone(Expect(200, "application/json"))
    ),
    ("PUT", "/api/v1/session/language"): Route(
        lambda c: "/api/v1/session/language", api_for(JSON), body=lambda c, u: {"json": {"language": "cy"}}
    ),
}
