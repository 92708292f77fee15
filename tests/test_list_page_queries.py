"""List pages that grow with the programme make as many SQL statements for 200 rows as for 10 (no query per
row). Each feature's own long lists (the review queue, the wave's assignments) have theirs beside their
other tests; these are the rest."""

import pytest

from app.accounts.models import Role
from app.assignments.models import AssignmentState
from app.extensions import db
from app.programmes.models import Channel, ContactPoint
from app.recruitment.models import QuizAttempt
from tests.conftest import sign_in
from tests.factories import make_application, make_quiz, make_shopper, make_user
from tests.listing_kit import add_assignments, counted_statements, sqlite_plans


def _applicants(world, n):
    from app.recruitment.models import TrainingQuiz

    quiz = db.session.query(TrainingQuiz).filter_by(programme_id=world.programme.id).first()
    quiz = quiz or make_quiz(world.programme)
    for i in range(n):
        application = make_application(world.programme, full_name=f"Applicant {i}")
        for score in range(i % 3):  # none, one or two attempts
            db.session.add(
                QuizAttempt(user_id=application.user_id, quiz_id=quiz.id, score=40 + score, pass_mark=50)
            )
    db.session.commit()


def _flagged(world, n):
    rows = add_assignments(world, [make_shopper(world)], n, state=AssignmentState.withdrawn)
    for a in rows:
        a.flagged, a.flag_reason = True, "A conflict was declared"
    db.session.commit()


def _contact_points(world, n):
    for i in range(n):
        organisation = (world.county, world.district, world.other_district)[i % 3]
        db.session.add(
            ContactPoint(
                organisation=organisation,
                channel=Channel.email,
                name=f"Inbox {i}",
                locator=f"inbox{i}@example.test",
                service_areas=[world.waste] if i % 2 else [world.waste, world.planning],
            )
        )
    db.session.commit()


PAGES = {
    "applicants": (lambda world: "/coordinator/applicants", _applicants),
    "coordinator home": (lambda world: "/coordinator", _flagged),
    "contact points": (lambda world: f"/programmes/{world.programme.id}/contact-points", _contact_points),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_a_list_page_makes_as_many_queries_for_200_rows_as_for_10(client, world, page):
    path_of, grow = PAGES[page]
    coordinator = make_user(Role.coordinator, programme=world.programme)
    sign_in(client, coordinator)
    path, counts = path_of(world), []
    for n in (10, 190):
        grow(world, n)
        client.get(path)
        with counted_statements() as statements:
            assert client.get(path).status_code == 200
        counts.append(statements[0])
    assert counts[0] == counts[1], counts


def test_the_home_page_finds_the_flagged_assignments_by_their_index_without_statistics(client, world):
    """With no statistics, SQLite read every assignment of the programme's waves to find the flagged ones."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL's depends on its statistics")
    add_assignments(world, [make_shopper(world)], 30)
    _flagged(world, 3)
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    with sqlite_plans("assignment.flagged") as plans:
        assert client.get("/coordinator").status_code == 200
    assert plans and all("USING INDEX ix_assignment_flagged" in plan for plan in plans), plans


def test_the_applicants_page_pages_and_shows_each_latest_attempt(client, world):
    _applicants(world, 57)
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    first = client.get("/coordinator/applicants").get_data(as_text=True)
    assert "oldest first (57)" in first and "1–50 of 57" in first and "Not passed (41%)" in first
    second = client.get("/coordinator/applicants?page=2").get_data(as_text=True)
    assert "51–57 of 57" in second and "Applicant 56" in second and "Applicant 3<" not in second
    assert client.get("/coordinator/applicants?page=0").status_code == 404


def test_a_set_up_list_pages_and_finds(client, world):
    _contact_points(world, 120)
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    path = f"/programmes/{world.programme.id}/contact-points"
    total = db.session.query(ContactPoint).count()
    first = client.get(path).get_data(as_text=True)
    assert f"Contact points ({total})" in first and f"1–50 of {total}" in first and 'name="q"' in first
    last = client.get(f"{path}?page=3").get_data(as_text=True)
    assert f"101–{total} of {total}" in last
    found = client.get(f"{path}?q=inbox11").get_data(as_text=True)  # inbox11, inbox110 … inbox119
    assert "matching “inbox11” (11)" in found and "Inbox 119" in found and "Inbox 12<" not in found
    assert "No contact point holds" in client.get(f"{path}?q=nowhere").get_data(as_text=True)
    assert client.get(f"{path}?page=0").status_code == 404
    overview = client.get(f"/programmes/{world.programme.id}/setup").get_data(as_text=True)
    assert str(total) in overview
