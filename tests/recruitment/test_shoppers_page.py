"""The coordinator's list of shoppers: their programme's only, a page at a time, found by name or e-mail, with
each one's gate and work, in as many statements for 200 shoppers as for 10."""

import re

from app.accounts.models import Role
from app.assignments.models import AssignmentState
from app.extensions import db
from app.programmes.models import Programme
from tests.conftest import sign_in
from tests.factories import make_assignment, make_shopper, make_user
from tests.listing_kit import add_reports, counted_statements


def _named(user, name):
    user.display_name = name
    db.session.commit()
    return user


def _shoppers(world, n, start=0):
    return [
        _named(make_shopper(world, email=f"shopper{i:03d}@example.test"), f"Shopper {i:03d}")
        for i in range(start, start + n)
    ]


def test_the_list_pages_and_finds_by_name_or_email(client, world):
    shoppers = _shoppers(world, 57)
    make_assignment(world, shoppers[0])
    make_assignment(world, shoppers[0], state=AssignmentState.withdrawn)
    ungated = _named(make_shopper(world, gate_passed=False), "Aaron Ungated")
    neighbour = Programme(partnership=world.partnership, name="Neighbour")
    db.session.add(neighbour)
    db.session.commit()
    _named(make_user(Role.shopper, programme=neighbour), "Elsewhere Shopper")
    sign_in(client, make_user(Role.coordinator, programme=world.programme))

    first = client.get("/coordinator/shoppers").get_data(as_text=True)
    assert "Shoppers, by name (58)" in first and "1–50 of 58" in first
    assert "Elsewhere Shopper" not in first  # another programme's
    rows = first.split("<tbody>")[1]
    assert rows.index("Aaron Ungated") < rows.index("Shopper 000")
    aaron = rows.split("Aaron Ungated")[1].split("</tr>")[0]
    assert "Not yet" in aaron
    shopper0 = rows.split("Shopper 000")[1].split("</tr>")[0]
    assert (
        "<td>Done</td>" in shopper0 and "<td>1</td>" in shopper0
    )  # one open assignment, the withdrawn not counted
    second = client.get("/coordinator/shoppers?page=2").get_data(as_text=True)
    assert "51–58 of 58" in second and "Shopper 056" in second

    found = client.get("/coordinator/shoppers?q=SHOPPER04").get_data(as_text=True)
    assert "matching “SHOPPER04” (10)" in found and "Shopper 049" in found and "Shopper 050" not in found
    assert "No shopper" in client.get("/coordinator/shoppers?q=nobody").get_data(as_text=True)
    assert client.get("/coordinator/shoppers?page=0").status_code == 404
    assert ungated.id  # listed though not through the gate


def test_the_list_makes_as_many_statements_for_200_shoppers_as_for_10(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    counts = []
    for start, n in ((0, 10), (10, 190)):
        for shopper in _shoppers(world, n, start):
            make_assignment(world, shopper)
        client.get("/coordinator/shoppers")
        with counted_statements() as statements:
            assert client.get("/coordinator/shoppers").status_code == 200
        counts.append(statements[0])
    assert counts[0] == counts[1], counts


def test_reports_sent_are_counted_for_the_shopper_who_sent_them(client, world):
    sender, successor = _shoppers(world, 2)
    report = add_reports(world, [sender], 1)[0]
    add_reports(world, [sender], 2)
    report.assignment.shopper_id = successor.id  # given to someone else after the report came
    db.session.commit()
    sign_in(client, make_user(Role.coordinator, programme=world.programme))

    rows = client.get("/coordinator/shoppers").get_data(as_text=True).split("<tbody>")[1].split("</tr>")
    # Each row's cells: e-mail, gate, open assignments, reports sent, account.
    sent = {
        name: re.findall(r"<td>([^<]*)</td>", row)[3]
        for row in rows
        for name in ("Shopper 000", "Shopper 001")
        if name in row
    }
    assert sent == {"Shopper 000": "3", "Shopper 001": "0"}
