"""The shopper app's routes: the shell and its cache manifest are public (they hold nothing about anyone);
the API it alone uses (gate options, accepting and declining a brief) is the gated shopper's."""

from tests.permissions_kit import GATE_INCOMPLETE, HTML, JSON, Expect, Route, api_for, everyone

ROWS = {
    ("GET", "/app"): Route(lambda cast: "/app", everyone(HTML)),
    ("GET", "/app/shell.js"): Route(lambda cast: "/app/shell.js", everyone(Expect(200, "text/javascript"))),
    ("GET", "/sw-classic.js"): Route(lambda cast: "/sw-classic.js", everyone(Expect(200, "text/javascript"))),
}

ROWS.update(
    {
        # Before the gate too: naming conflicts is part of it.
        ("GET", "/api/v1/gate/options"): Route(
            lambda cast: "/api/v1/gate/options", api_for(shopper=JSON, shopper_ungated=JSON)
        ),
        # The shopper's own offer (cast.assignment); the ungated shopper is stopped before it is looked at.
        ("POST", "/api/v1/assignments/<id:assignment_id>/accept"): Route(
            lambda cast: f"/api/v1/assignments/{cast.assignment.id}/accept",
            api_for(shopper=JSON, shopper_ungated=GATE_INCOMPLETE),
            body=lambda cast, user: {"json": {}},
        ),
        ("POST", "/api/v1/assignments/<id:assignment_id>/decline"): Route(
            lambda cast: f"/api/v1/assignments/{cast.assignment.id}/decline",
            api_for(shopper=JSON, shopper_ungated=GATE_INCOMPLETE),
            body=lambda cast, user: {"json": {"reason_code": "not_available"}},
        ),
    }
)
