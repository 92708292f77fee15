"""Who may export: the programme's coordinators and admins; a partner manager their own organisation's
released waves only (nothing is released here, so ``not_released``), and never another organisation.
Each route is asked for North District (the partner manager's organisation): a coordinator of another
partnership is refused it, the other partner manager too."""

from app.exports.api import FORMATS
from app.exports.tables import TABLES
from tests.permissions_kit import Expect, Route, api_for, problem


def _rows():
    rows = {}
    for table in TABLES:
        for extension, mimetype in FORMATS.items():
            path = f"/api/v1/exports/{table}.{extension}"
            rows[("GET", path)] = Route(
                lambda c, path=path: f"{path}?organisation={c.world.district.id}",
                api_for(
                    coordinator=Expect(200, mimetype),
                    admin=Expect(200, mimetype),
                    other_coordinator=problem(403, "not_yours"),
                    partner_manager=problem(403, "not_released"),
                    other_partner_manager=problem(403, "not_yours"),
                ),
            )
    return rows


ROWS = _rows()
