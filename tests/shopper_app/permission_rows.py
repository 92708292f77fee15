"""The shopper app's routes: the shell and its cache manifest are public (they hold nothing about anyone)."""
from tests.permissions_kit import HTML, Expect, Route, everyone

ROWS = {
    ("GET", "/app"): Route(lambda cast: "/app", everyone(HTML)),
    ("GET", "/app/shell.js"): Route(lambda cast: "/app/shell.js", everyone(Expect(200, "text/javascript"))),
}
