"""GET /api/v1/exports/plans.{csv,xlsx}: every partner's plan for the coordinator, a partner's own on its
released waves, read back (CSV with ``csv``, XLSX with openpyxl), free text neutralised."""

from datetime import date

import pytest

from app.accounts.models import Role
from app.exports.tables import PLANS_HEADER
from app.extensions import db
from app.plans import services as plans
from app.plans.models import ActionStatus
from app.releases import services as releases
from tests.conftest import sign_in
from tests.exports.helpers import csv_header, read_csv, read_xlsx
from tests.factories import make_user
from tests.plans.helpers import planned_world


@pytest.fixture
def data(app, world):
    coordinator, wave2 = planned_world(world)
    north = make_user(Role.partner_manager, programme=world.programme, organisation=world.district)
    south = make_user(Role.partner_manager, programme=world.programme, organisation=world.other_district)
    for manager, organisation, text in (
        (north, world.district, '=HYPERLINK("x")'),
        (south, world.other_district, "South's own"),
    ):
        action = plans.add_action(
            world.wave,
            organisation.id,
            plans.Finding.parse("channel||in_person"),
            manager,
            action=text,
            owner_role="Reception team leader",
            due_on=date(2030, 1, 31),
            status=ActionStatus.in_progress,
        )
        plans.add_note(action, "+ signs up", date(2026, 12, 1), manager)
    plans.add_action(
        wave2,
        world.district.id,
        plans.Finding.parse(f"service_area||{world.waste.id}"),
        north,
        action="Wave 2 action",
        owner_role="Head of service",
        due_on=date(2020, 1, 1),
        status=ActionStatus.planned,
    )
    plans.add_response(
        world.wave, world.district.id, plans.Finding.parse("channel||telephone"), "-1 is wrong", north
    )
    db.session.commit()
    return world, coordinator, wave2, north, south


def test_the_coordinator_exports_every_partners_plan(client, data):
    world, coordinator, wave2, north, south = data
    sign_in(client, coordinator)
    response = client.get("/api/v1/exports/plans.csv")
    assert response.status_code == 200 and csv_header(response) == PLANS_HEADER
    rows = read_csv(response)
    assert [r["Action or response"] for r in rows] == [
        '\'=HYPERLINK("x")',
        "South's own",
        "Wave 2 action",
        "'-1 is wrong",
    ]
    first = rows[0]
    assert first["Finding"] == "Channel: In person" and first["Status"] == "In progress"
    assert first["Progress notes"] == "2026-12-01: + signs up" and first["Due by"] == "2030-01-31"
    assert rows[2]["Progress"] == "Overdue" and rows[3]["Kind"] == "Response to a finding"
    header, xlsx_rows, cells = read_xlsx(client.get("/api/v1/exports/plans.xlsx"))
    assert header == PLANS_HEADER
    assert [r["Action or response"] for r in xlsx_rows] == [r["Action or response"] for r in rows]
    assert xlsx_rows[0]["Due by"].date() == date(2030, 1, 31)
    assert all(c.data_type != "f" for row in cells for c in row)


def test_a_partner_exports_its_own_plan_on_released_waves_only(client, data):
    world, coordinator, wave2, north, south = data
    releases.withdraw(releases.current_release(wave2.id, world.district.id), coordinator, "Too early")
    db.session.commit()
    sign_in(client, north)
    rows = read_csv(client.get("/api/v1/exports/plans.csv"))
    assert [r["Action or response"] for r in rows] == [
        '\'=HYPERLINK("x")',
        "'-1 is wrong",
    ]  # not South's, not wave 2's
    assert {r["Organisation"] for r in rows} == {world.district.name}
    assert client.get(f"/api/v1/exports/plans.csv?organisation={world.other_district.id}").status_code == 403
    assert client.get(f"/api/v1/exports/plans.xlsx?wave={wave2.id}").status_code == 403
