"""Who may read the audit trail: admins (every event) and coordinators (their programme's)."""

from tests.permissions_kit import HTML, Expect, Route, page_for

STAFF = dict(coordinator=HTML, other_coordinator=HTML, admin=HTML)
CSV = Expect(200, "text/csv")

ROWS = {
    ("GET", "/audit"): Route(lambda c: (c.world, "/audit")[1], page_for(**STAFF)),
    ("GET", "/audit.csv"): Route(
        lambda c: (c.world, "/audit.csv")[1], page_for(coordinator=CSV, other_coordinator=CSV, admin=CSV)
    ),
}
