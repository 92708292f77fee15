"""The deletion log is the programme's: its coordinators and the admin (another programme's coordinator 403)."""

from tests.permissions_kit import HTML, Route, page_for

ROWS = {
    ("GET", "/programmes/<id:programme_id>/deletions"): Route(
        lambda c: f"/programmes/{c.world.programme.id}/deletions", page_for(coordinator=HTML, admin=HTML)
    ),
}
