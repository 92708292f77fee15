"""Isolation (issue 18): a partner manager of organisation A never sees B's detail, an unreleased wave, a
report of B's — whatever page, export, API call or id is tried — nor any shopper's identity or a staff
name entered in a report; a shopper and a signed-out visitor are refused every one of these routes."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.extensions import db
from app.programmes.models import Wave
from app.releases import services as releases
from tests.conftest import sign_in
from tests.factories import make_shopper
from tests.partner_results import isolation_routes as probes
from tests.plans.helpers import OTHER_PARTNER_ACTION
from tests.releases.helpers import (
    OTHER_PARTNER_NOTE,
    SHOPPER_EMAIL,
    SHOPPER_NAME,
    STAFF_NAME,
    STAFF_NAME_INTRODUCED,
    partner_manager,
    released,
)
from tests.results.helpers import GOOD, in_wave

REFUSED = {403, 404}
B_CONTACT_POINT = "South Offices"  # B's detail: its contact point appears in its reports only


@dataclass
class IsolationWorld:
    world: object
    a: object
    b: object
    released: Wave
    unreleased: Wave
    withdrawn: Wave
    own_report: object
    b_report: object
    unreleased_report: object
    named_shopper: object


@pytest.fixture
def iso(app, world):
    coordinator, own, other = released(world)  # wave 1 to every partner
    unreleased = Wave(
        programme=world.programme,
        number=2,
        name="Wave 2",
        starts_on=world.wave.ends_on + timedelta(days=1),
        ends_on=world.wave.ends_on + timedelta(days=30),
    )
    withdrawn = Wave(
        programme=world.programme,
        number=3,
        name="Wave 3",
        starts_on=world.wave.ends_on + timedelta(days=31),
        ends_on=world.wave.ends_on + timedelta(days=60),
    )
    db.session.add_all([unreleased, withdrawn])
    db.session.commit()
    unreleased_report = in_wave(world, unreleased, coordinator, GOOD, world.district_office)
    in_wave(world, withdrawn, coordinator, GOOD, world.district_office)
    releases.close_review(withdrawn, coordinator)
    releases.withdraw(releases.release(withdrawn, world.district, coordinator), coordinator, "In error")
    db.session.commit()
    return IsolationWorld(
        world,
        world.district,
        world.other_district,
        world.wave,
        unreleased,
        withdrawn,
        own[0],
        other,
        unreleased_report,
        own[2],
    )


FORBIDDEN_STRINGS = (
    SHOPPER_NAME,
    SHOPPER_EMAIL,
    STAFF_NAME,
    STAFF_NAME_INTRODUCED,
    OTHER_PARTNER_NOTE,
    B_CONTACT_POINT,
    OTHER_PARTNER_ACTION,  # B's improvement plan and its response to a finding
)


def _body(response) -> str:
    data = response.get_data()
    if data[:2] == b"PK":  # an XLSX: read its cells
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r)
    if data[:5] == b"%PDF-":  # the wave report: its text
        import io

        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode()


def _leaks(text: str, iso) -> list[str]:
    found = [s for s in FORBIDDEN_STRINGS if s.lower() in text.lower()]
    shopper_ids = [
        f'"shopper_id": {iso.named_shopper.shopper_id}',
        f'"shopper": {iso.named_shopper.shopper_id}',
    ]
    return found + [s for s in shopper_ids if s in text]


def test_a_partner_manager_sees_their_own_released_results_and_none_of_the_others(client, iso):
    sign_in(client, partner_manager(iso.world, iso.a))
    problems = []
    for probe in probes.PROBES:
        url = probe.url(iso)
        response = client.get(url)
        if probe.kind == probes.OWN:
            if response.status_code != 200:
                problems.append(f"{url}: {response.status_code}, wanted 200")
        elif probe.kind == probes.OTHER_ORGANISATION and url.startswith("/results/"):
            pass  # the partner's pages take no organisation: the query is ignored, and nothing of B's shows
        elif response.status_code not in REFUSED:
            problems.append(f"{url}: {response.status_code}, wanted 403 or 404")
        leaked = _leaks(_body(response), iso)
        if leaked:
            problems.append(f"{url}: carries {leaked}")
    assert problems == []


def test_the_own_pages_carry_the_own_detail(client, iso):
    """The control of the test above: the partner's own pages do show their own reports."""
    sign_in(client, partner_manager(iso.world, iso.a))
    log = client.get(f"/results/waves/{iso.released.id}/log").get_data(as_text=True)
    assert "North Offices" in log and "[name removed]" in log
    assert STAFF_NAME in iso.named_shopper.notes  # the seed is there, only not shown
    overview = client.get(f"/results/waves/{iso.released.id}").get_data(as_text=True)
    assert "Thanks to [name removed] for staying late" in overview  # the commendation, naming no one
    csv = client.get(f"/api/v1/exports/reports.csv?wave={iso.released.id}").get_data(as_text=True)
    assert "North Offices" in csv and "South Offices" not in csv
    assert client.get(f"/results/waves/{iso.released.id}/log/{iso.named_shopper.id}").status_code == 200
    # B's own manager does see B's report: what A was refused exists.
    sign_in(client, partner_manager(iso.world, iso.b))
    assert client.get(f"/results/waves/{iso.released.id}/log/{iso.b_report.id}").status_code == 200


@pytest.mark.parametrize("who", ["shopper", "signed_out"])
def test_a_shopper_and_a_signed_out_visitor_are_refused_every_route(client, iso, who):
    if who == "shopper":
        sign_in(client, make_shopper(iso.world))
    problems = []
    for probe in probes.PROBES:
        url = probe.url(iso)
        response = client.get(url)
        refused = response.status_code in {401, 403} or (
            who == "signed_out" and response.status_code == 302 and "/sign-in" in response.headers["Location"]
        )
        if not refused:
            problems.append(f"{url}: {response.status_code}")
    assert problems == []


def test_no_partner_facing_response_names_a_shopper_or_staff(client, iso):
    """Every page, export and API answer the partner manager can reach, scanned for the seeded strings."""
    sign_in(client, partner_manager(iso.world, iso.a))
    for probe in probes.PROBES:
        if probe.kind != probes.OWN:
            continue
        url = probe.url(iso)
        text = _body(client.get(url))
        assert _leaks(text, iso) == [], url
        assert str(iso.named_shopper.shopper_id) not in _ids_in(text), url


def _ids_in(text: str) -> set[str]:
    """Values of JSON keys that would carry a user id (none should exist)."""
    import re

    return set(re.findall(r'"(?:shopper_id|user_id|reviewed_by_id|shopper)"\s*:\s*(\d+)', text))
