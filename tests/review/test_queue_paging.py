"""The review queue at any size: filters, orders and pages in SQL, every report reachable, the next report
after a decision in the same queue, and a number of queries that does not grow with the rows."""

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.extensions import db
from app.programmes.models import Channel
from app.visits import review
from app.visits.models import Flag, Submission, SubmissionState
from tests.conftest import sign_in
from tests.factories import make_shopper, make_user, make_world
from tests.listing_kit import add_reports, counted_statements, sqlite_plans
from tests.review.test_review import token

STATES = (
    SubmissionState.submitted,
    SubmissionState.in_review,
    SubmissionState.approved,
    SubmissionState.submitted,
    SubmissionState.returned,
)


def _flags(i):
    return {0: [], 1: [Flag.late.value], 2: [Flag.late.value, Flag.second_report.value]}[i % 3] + (
        [Flag.imported.value] if i % 7 == 0 else []
    )


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


@pytest.fixture
def reports(world):
    """The world's reports; another programme's, alike, are never in its queue."""
    other = make_world()
    add_reports(other, [make_shopper(other)], 20, None, STATES, _flags)
    shoppers = [make_shopper(world) for _ in range(3)]
    points = [world.district_office, world.county_office, world.other_office, world.district_phone]
    return add_reports(world, shoppers, 47, points, STATES, _flags)


def _matches(world, filters):
    def match(s):
        point = s.assignment.contact_point
        return (
            s.state in filters.states
            and (not filters.flag or filters.flag in s.flags)
            and (not filters.organisation_id or point.organisation_id == filters.organisation_id)
            and (not filters.channel or s.assignment.channel is filters.channel)
            and (not filters.wave_id or s.assignment.wave_id == filters.wave_id)
        )

    return match


def _sort_key(sort):
    if sort == "organisation":
        return lambda s: (s.assignment.contact_point.organisation.name, s.received_at, s.id)
    return lambda s: (s.received_at, s.id)


def _filter_cases(world):
    return {
        "waiting": review.QueueFilters(),
        "approved": review.QueueFilters(states={SubmissionState.approved}),
        "late": review.QueueFilters(flag=Flag.late.value),
        "second report, any state": review.QueueFilters(
            flag=Flag.second_report.value, states=set(SubmissionState)
        ),
        "imported": review.QueueFilters(flag=Flag.imported.value, states=set(SubmissionState)),
        "organisation": review.QueueFilters(organisation_id=world.district.id),
        "telephone": review.QueueFilters(channel=Channel.telephone, states=set(SubmissionState)),
        "wave": review.QueueFilters(wave_id=world.wave.id, states={SubmissionState.returned}),
    }


@pytest.mark.parametrize("organisation_reads_up_to", [review.ORGANISATION_READS_UP_TO, 8])
@pytest.mark.parametrize("sort", list(review.SORTS))
def test_every_report_is_reachable_page_by_page_under_each_filter_and_order(
    world, reports, sort, organisation_reads_up_to, monkeypatch
):
    """Sorted by organisation, the first pages merge a read per partner and the later ones (past two pages
    of four here) are one sorted read: the pages join up either way."""
    monkeypatch.setattr(review, "ORGANISATION_READS_UP_TO", organisation_reads_up_to)
    for name, filters in _filter_cases(world).items():
        expected = sorted(filter(_matches(world, filters), reports), key=_sort_key(sort))
        if sort == "received":
            expected.reverse()
        assert expected, name
        seen, page = [], review.queue(world.programme.id, filters, sort, 1, per_page=4)
        assert page.total == len(expected), name
        for number in range(1, page.pages + 1):
            page = review.queue(world.programme.id, filters, sort, number, per_page=4)
            seen += [s.id for s in page.items]
        assert seen == [s.id for s in expected], (name, sort)


@pytest.mark.parametrize("merged_at_most", [review.MERGED_READS_AT_MOST, 1])
@pytest.mark.parametrize("sort", list(review.SORTS))
def test_an_admins_queue_holds_every_programmes_reports_in_order(
    world, reports, sort, merged_at_most, monkeypatch
):
    """Read a programme (and, by organisation, a partner) and a state at a time and merged (or, past the most
    reads a merge takes, in one sorted read), every programme's reports in one order."""
    monkeypatch.setattr(review, "MERGED_READS_AT_MOST", merged_at_most)
    everyone = db.session.scalars(sa.select(Submission)).all()
    for name, filters in _filter_cases(world).items():
        if filters.organisation_id or filters.wave_id:
            continue  # the other programme has neither
        expected = sorted(filter(_matches(world, filters), everyone), key=_sort_key(sort))
        if sort == "received":
            expected.reverse()
        if name == "waiting":
            assert len({s.programme_id for s in expected}) == 2
        page = review.queue(None, filters, sort, 1, per_page=len(expected) + 1)
        assert [s.id for s in page.items] == [s.id for s in expected], (name, sort)
        assert page.total == len(expected)


def test_next_in_queue_walks_the_same_filter_in_order_even_once_a_report_has_left_it(world, reports):
    filters = review.QueueFilters(flag=Flag.late.value)
    expected = [s.id for s in sorted(filter(_matches(world, filters), reports), key=_sort_key("age"))]
    walked, current = [expected[0]], reports[[s.id for s in reports].index(expected[0])]
    while (current := review.next_in_queue(world.programme.id, filters, "age", current)) is not None:
        walked.append(current.id)
    assert walked == expected


@pytest.mark.parametrize("sort", list(review.SORTS))
@pytest.mark.parametrize("admin", [False, True])
def test_next_in_queue_walks_each_filter_in_the_queues_own_order(world, reports, sort, admin):
    """From its first report to its last, under every filter and order, for a coordinator and for an admin
    (every programme's); and from a report the filter leaves out, on to the next one that it holds."""
    programme_id = None if admin else world.programme.id
    for name, filters in _filter_cases(world).items():
        listed = [s.id for s in review.queue(programme_id, filters, sort, 1, per_page=1000).items]
        walked, current = listed[:1], db.session.get(Submission, listed[0])
        while len(walked) <= len(listed):
            current = review.next_in_queue(programme_id, filters, sort, current)
            if current is None:
                break
            walked.append(current.id)
        assert walked == listed, (name, sort)
    outside = next(s for s in reports if s.assignment.contact_point.organisation_id != world.district.id)
    filters = _filter_cases(world)["organisation"]
    key = _sort_key(sort)
    following = [
        s.id
        for s in sorted(filter(_matches(world, filters), reports), key=key, reverse=sort == "received")
        if (key(s) < key(outside) if sort == "received" else key(s) > key(outside))
    ]
    found = review.next_in_queue(programme_id, filters, sort, outside)
    assert (found.id if found else None) == (following[0] if following else None)


def test_the_queue_pages_through_the_links_and_shows_the_total(client, world, coordinator):
    shoppers = [make_shopper(world) for _ in range(2)]
    made = add_reports(world, shoppers, 2 * review.PER_PAGE + 7, flags_for=_flags)
    late = {s.id for s in made if Flag.late.value in s.flags}
    sign_in(client, coordinator)
    path, seen = "/coordinator/review?flag=late&sort=received", set()
    while path:
        html = client.get(path).get_data(as_text=True)
        assert f"{len(late)} report(s)" in html
        seen |= {int(i) for i in re.findall(r'href="/coordinator/review/(\d+)\?', html)}
        following = re.search(r'<a href="([^"]+)" rel="next">', html)
        path = following and following.group(1).replace("&amp;", "&")
    assert seen == late


def test_after_a_decision_the_coordinator_goes_on_to_the_next_report_of_the_same_queue(
    client, world, coordinator
):
    made = add_reports(world, [make_shopper(world)], 6, flags_for=_flags)
    late = [s for s in made if Flag.late.value in s.flags]  # 1, 2, 4, 5
    sign_in(client, coordinator)
    query = "flag=late"
    first = f"/coordinator/review/{late[0].id}?{query}"
    page = client.get(first).get_data(as_text=True)
    assert f"Next report in this queue (#{late[1].id})" in page
    response = client.post(
        f"/coordinator/review/{late[0].id}/approve?{query}", data={"csrf_token": token(client, first)}
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/coordinator/review/{late[1].id}?flag=late")
    last = f"/coordinator/review/{late[-1].id}?{query}"
    response = client.post(
        f"/coordinator/review/{late[-1].id}/return?{query}",
        data={"csrf_token": token(client, last), "comment": "Add the time."},
    )
    assert response.location.endswith("/coordinator/review?flag=late")
    second = f"/coordinator/review/{late[1].id}?{query}"
    start = client.post(
        f"/coordinator/review/{late[1].id}/start?{query}", data={"csrf_token": token(client, second)}
    )
    assert start.location.endswith(f"/coordinator/review/{late[1].id}?flag=late")


def test_a_page_number_past_the_end_or_nonsense_gets_a_clear_answer(client, world, coordinator, reports):
    sign_in(client, coordinator)
    assert "No report matches." in client.get("/coordinator/review?page=999").get_data(as_text=True)
    assert client.get("/coordinator/review?page=0").status_code == 422
    assert client.get("/coordinator/review?page=abc").status_code == 422
    assert client.get("/coordinator/review?sort=nonsense").status_code == 422


@pytest.mark.parametrize("path", ["/coordinator/review", "/coordinator/review?flag=late&sort=organisation"])
def test_the_queue_makes_as_many_queries_for_200_reports_as_for_10(client, world, coordinator, path):
    shoppers = [make_shopper(world) for _ in range(3)]
    points = [world.district_office, world.county_office, world.other_office]
    sign_in(client, coordinator)
    counts = []
    for n in (10, 190):
        made = add_reports(world, shoppers, n, points, STATES, _flags)
        for s in made[:5]:  # several reviewers named in the queue
            s.reviewed_by_id = coordinator.id if s.state is not SubmissionState.submitted else None
        db.session.commit()
        client.get(path)  # warm: the first request of a session loads more
        with counted_statements() as statements:
            assert client.get(path).status_code == 200
        counts.append(statements[0])
    assert counts[0] == counts[1]


def test_a_flag_filter_reads_the_index_of_flagged_reports(app, world, reports):
    """The filter says that a report has a flag in the partial index's own words (``FLAGGED``), so SQLite
    reads the flagged reports' index, not every waiting report."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL's depends on its statistics")
    with sqlite_plans("CAST(submission.flags AS TEXT)") as plans:
        review.queue(world.programme.id, review.QueueFilters(flag=Flag.late.value))
    assert plans and all("ix_submission_flagged" in plan for plan in plans), plans


def test_sorted_by_organisation_the_first_page_merges_each_partners_reports_in_the_index_order(
    app, world, reports
):
    """Each partner's waiting reports are read in the queue index's order and cut at the page, and merged:
    not every waiting report joined to its organisation and sorted."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL's depends on its statistics")
    with sqlite_plans("AS name") as plans:
        page = review.queue(world.programme.id, review.QueueFilters(), "organisation", 1, per_page=4)
    assert len(page.items) == 4
    [plan] = plans
    assert "MERGE (UNION ALL)" in plan and "SCAN organisation" not in plan, plan
    partners = len(world.programme.partnership.organisations)
    assert plan.count("USING COVERING INDEX ix_submission_queue (programme_id=? AND state=?)") == 2 * partners
