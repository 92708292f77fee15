"""Who may use the programme set-up pages: the programme's coordinator and admins, nobody else.

Every kind of set-up object has the same six routes; the rows are made per kind. Objects to change or
delete are made fresh in the url lambdas (nothing refers to them, so a delete goes through) and kept
on the cast.
"""

import itertools
from datetime import date

from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import (
    Channel,
    ContactPoint,
    Organisation,
    ReferenceFigure,
    Scenario,
    ServiceArea,
    ServiceStandard,
    Tier,
    Wave,
    WaveStatus,
)
from app.programmes.setup_kinds import KINDS
from tests.permissions_kit import HTML, Expect, Route, page_for, redirect

_numbers = itertools.count(1)
STAFF_PAGE = page_for(coordinator=HTML, admin=HTML)
STAFF_CHANGE = page_for(coordinator=Expect(302), admin=Expect(302))
# The programmes a coordinator is part of: each coordinator (and an admin) has a list of their own.
ANY_STAFF_PAGE = page_for(coordinator=HTML, other_coordinator=HTML, admin=HTML)
TO_PROGRAMMES = page_for(coordinator=redirect("/programmes"), admin=redirect("/programmes"))


def _finished(cast, archived=False):
    """The cast's programme with its waves closed (so it may be archived), archived if asked."""
    programme = cast.world.programme
    for wave in programme.waves:
        wave.status = WaveStatus.closed
    programme.archived_at = utcnow() if archived else None
    db.session.commit()
    return programme


def new_programme_form(cast, user) -> dict:
    """A programme from nothing, in a new partnership, with its first wave."""
    n = next(_numbers)
    return {
        "data": {
            "name": f"Programme {n}",
            "source_id": "0",
            "partnership_id": "0",
            "new_partnership_name": f"Partnership {n}",
            "country": "GB",
            "timezone": "Europe/London",
            "wave_name": "Wave 1",
            "wave_starts_on": "2027-01-04",
            "wave_ends_on": "2027-02-26",
        }
    }


def _spare(cast, slug):
    """A fresh object of the kind ``slug`` in the cast's programme, that nothing refers to."""

    def make():
        world, n = cast.world, next(_numbers)
        obj = {
            "organisations": lambda: Organisation(
                partnership=world.partnership,
                name=f"Spare Council {n}",
                short_name=f"SC{n}",
                tier=Tier.district,
            ),
            "service-areas": lambda: ServiceArea(
                partnership=world.partnership, code=f"SP{n}", name=f"Spare {n}"
            ),
            "contact-points": lambda: ContactPoint(
                organisation=world.county,
                channel=Channel.email,
                name=f"Spare inbox {n}",
                locator=f"spare{n}@county.example",
                service_areas=[world.waste],
            ),
            "waves": lambda: Wave(
                programme=world.programme,
                number=100 + n,
                name=f"Spare wave {n}",
                starts_on=date(2027, 1, 1),
                ends_on=date(2027, 2, 1),
            ),
            "scenarios": lambda: Scenario(
                programme=world.programme,
                service_area=world.waste,
                title=f"Spare {n}",
                persona="A resident",
                question="What day are bins collected?",
            ),
            "standards": lambda: ServiceStandard(
                programme=world.programme,
                code=f"SPARE_{n}",
                name=f"Spare {n}",
                channel=Channel.email,
                threshold=3,
                unit="working_days",
            ),
            "reference-figures": lambda: ReferenceFigure(
                programme=world.programme, channel=Channel.letter, value=70, source="National average"
            ),
        }[slug]()
        db.session.add(obj)
        db.session.commit()
        return obj

    key = f"setup_spare_{slug}"
    if key not in cast.__dict__:
        cast.__dict__[key] = make()
    return cast.__dict__[key]


def valid_form(cast, slug) -> dict:
    """Form data that saves a new object of the kind ``slug`` (unique names each call)."""
    world, n = cast.world, next(_numbers)
    return {
        "organisations": {"name": f"Harbour Council {n}", "short_name": f"HC{n}", "tier": "district"},
        "service-areas": {"code": f"NEW{n}", "name": f"New area {n}"},
        "contact-points": {
            "organisation_id": world.district.id,
            "channel": "telephone",
            "name": f"Line {n}",
            "locator": "0113 496 0999",
            "service_area_ids": [world.waste.id],
            "active": "y",
        },
        "waves": {
            "number": 50 + n,
            "name": f"Wave {n}",
            "starts_on": "2027-03-01",
            "ends_on": "2027-04-30",
            "status": "planned",
        },
        "scenarios": {
            "title": f"Scenario {n}",
            "service_area_id": world.planning.id,
            "persona": "A homeowner",
            "question": "Do I need permission for a fence?",
            "cross_tier": "y",
        },
        "standards": {
            "code": f"STD_{n}",
            "name": f"Standard {n}",
            "channel": "telephone",
            "threshold": "20",
            "unit": "seconds",
        },
        "reference-figures": {"channel": "website", "value": "64.5", "source": "National average"},
    }[slug]


ROWS = {
    ("GET", "/programmes"): Route(lambda c: "/programmes", ANY_STAFF_PAGE),
    ("GET", "/programmes/new"): Route(lambda c: "/programmes/new", ANY_STAFF_PAGE),
    ("POST", "/programmes/new"): Route(
        lambda c: "/programmes/new",
        page_for(coordinator=Expect(302), other_coordinator=Expect(302), admin=Expect(302)),
        body=new_programme_form,
    ),
    ("POST", "/programmes/<id:programme_id>/switch"): Route(
        lambda c: f"/programmes/{c.world.programme.id}/switch",
        page_for(coordinator=redirect("/coordinator"), admin=redirect("/coordinator")),
    ),
    ("POST", "/programmes/<id:programme_id>/archive"): Route(
        lambda c: f"/programmes/{_finished(c).id}/archive", TO_PROGRAMMES
    ),
    ("POST", "/programmes/<id:programme_id>/restore"): Route(
        lambda c: f"/programmes/{_finished(c, archived=True).id}/restore", TO_PROGRAMMES
    ),
    ("GET", "/programmes/<id:programme_id>/setup"): Route(
        lambda c: f"/programmes/{c.world.programme.id}/setup", STAFF_PAGE
    ),
    ("GET", "/programmes/<id:programme_id>/settings"): Route(
        lambda c: f"/programmes/{c.world.programme.id}/settings", STAFF_PAGE
    ),
    ("POST", "/programmes/<id:programme_id>/settings"): Route(
        lambda c: f"/programmes/{c.world.programme.id}/settings",
        STAFF_CHANGE,
        body=lambda c, u: {
            "data": {
                "name": "Renamed programme",
                "general_instructions": "Be kind.",
                "min_sample": "8",
                "phone_shops_per_hour": "5",
                "exit_interviews_per_hour": "2",
                "visits_per_hour": "2",
                "give_up_minutes": "12",
                "retention_days": "400",
                "staff_policy": "no_individuals",
                "partner_visibility": "anonymised",
                "timezone": "Europe/Dublin",
                "country": "IE",
            }
        },
    ),
    ("GET", "/programmes/<id:programme_id>/confidentiality"): Route(
        lambda c: f"/programmes/{c.world.programme.id}/confidentiality", STAFF_PAGE
    ),
    ("POST", "/programmes/<id:programme_id>/confidentiality"): Route(
        lambda c: f"/programmes/{c.world.programme.id}/confidentiality",
        STAFF_CHANGE,
        body=lambda c, u: {"data": {"text": "Version two: keep everything confidential."}},
    ),
}

for _kind in KINDS:
    _slug = _kind.slug
    _base = f"/programmes/<id:programme_id>/{_slug}"

    def _url(suffix="", slug=_slug, spare=False):
        def url(c):
            item = f"/{_spare(c, slug).id}" if spare else ""
            return f"/programmes/{c.world.programme.id}/{slug}{item}{suffix}"

        return url

    ROWS.update(
        {
            ("GET", _base): Route(_url(), STAFF_PAGE),
            ("GET", f"{_base}/new"): Route(_url("/new"), STAFF_PAGE),
            ("POST", f"{_base}/new"): Route(
                _url("/new"), STAFF_CHANGE, body=lambda c, u, slug=_slug: {"data": valid_form(c, slug)}
            ),
            ("GET", f"{_base}/<id:item_id>"): Route(_url(spare=True), STAFF_PAGE),
            ("POST", f"{_base}/<id:item_id>"): Route(
                _url(spare=True), STAFF_CHANGE, body=lambda c, u, slug=_slug: {"data": valid_form(c, slug)}
            ),
            ("POST", f"{_base}/<id:item_id>/delete"): Route(_url("/delete", spare=True), STAFF_CHANGE),
        }
    )
