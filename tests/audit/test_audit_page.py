"""The audit trail page and its CSV: who reads what, the filters in SQL, keyset paging, and the entries the
accounts write (sign-ins, failed sign-ins, role changes, exports)."""

import csv
import io
from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import Role
from app.audit import listing
from app.audit.models import AuditEvent
from app.audit.services import record
from app.db_types import utcnow
from app.extensions import db
from tests.conftest import csrf_headers, sign_in
from tests.factories import PASSWORD, make_user, make_world


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_sign_ins_and_failed_sign_ins_are_in_it_with_where_from(app, world):
    user = make_user(Role.coordinator, programme=world.programme, email="cora@council.example")
    client = app.test_client()
    headers = csrf_headers(client)
    client.post("/api/v1/session", json={"email": user.email, "password": "wrong password"}, headers=headers)
    client.post("/api/v1/session", json={"email": "nobody@council.example", "password": "x"}, headers=headers)
    assert (
        client.post(
            "/api/v1/session", json={"email": user.email, "password": PASSWORD}, headers=headers
        ).status_code
        == 200
    )

    page = client.get("/audit?kind=sign_ins").get_data(as_text=True)
    assert page.count(">Failed sign-in<") == 1 and ">Signed in<" in page  # the programme's own account's
    admin = sign_in(app.test_client(), make_user(Role.admin))
    assert admin.get("/audit?kind=sign_ins").get_data(as_text=True).count(">Failed sign-in<") == 2
    assert "127.0.0.1" in page
    assert ">account.sign_in_failed<" not in page  # labels, not codes
    failed = db.session.scalars(sa.select(AuditEvent).filter_by(action="account.sign_in_failed")).all()
    assert {e.data["email"] for e in failed} == {"cora@council.example", "nobody@council.example"}
    # The unknown address belongs to no programme: only administrators read it.
    assert [e.programme_id for e in failed if e.object_id == ""] == [None]


def test_a_coordinator_reads_their_programme_and_an_admin_everything(app, world):
    other = make_world()
    coordinator = make_user(Role.coordinator, programme=world.programme)
    theirs = make_user(Role.coordinator, programme=other.programme)
    record("programme.settings_changed", world.programme, actor=coordinator)
    record("programme.settings_changed", other.programme, actor=theirs)
    db.session.commit()

    mine = _rows(sign_in(app.test_client(), coordinator).get("/audit.csv"))
    assert {r["Object id"] for r in mine if r["Object"] == "programme"} == {str(world.programme.id)}
    everything = _rows(sign_in(app.test_client(), make_user(Role.admin)).get("/audit.csv"))
    assert {r["Object id"] for r in everything if r["Object"] == "programme"} == {
        str(world.programme.id),
        str(other.programme.id),
    }
    assert (
        sign_in(
            app.test_client(),
            make_user(Role.partner_manager, programme=world.programme, organisation=world.district),
        )
        .get("/audit")
        .status_code
        == 403
    )
    assert (
        sign_in(app.test_client(), make_user(Role.reviewer, programme=world.programme))
        .get("/audit.csv")
        .status_code
        == 403
    )


def test_filters_by_person_kind_object_and_date(client, world):
    coordinator = make_user(Role.coordinator, programme=world.programme, email="cleo@council.example")
    reviewer = make_user(Role.reviewer, programme=world.programme)
    old = record(
        "account.roles_changed", reviewer, actor=coordinator, before=["reviewer"], after=["coordinator"]
    )
    old.occurred_at = utcnow() - timedelta(days=10)
    record("submission.approved", world.programme, actor=reviewer)
    record("export.downloaded", world.programme, actor=coordinator, table="reports", format="csv")
    db.session.commit()
    sign_in(client, coordinator)

    def actions(query):
        rows = _rows(client.get(f"/audit.csv?{query}"))
        return [r["Action code"] for r in rows if r["Action code"] != "export.audit_downloaded"]

    assert actions("person=Cleo@council.example") == ["export.downloaded", "account.roles_changed"]
    assert actions("kind=reviews") == ["submission.approved"]
    assert actions("kind=exports") == ["export.downloaded"]  # and the downloads of the trail itself
    assert actions(f"object=user account {reviewer.id}") == ["account.roles_changed"]
    assert actions(f"object=user_account:{reviewer.id}") == ["account.roles_changed"]
    today = utcnow().date()
    assert "account.roles_changed" not in actions(f"since={today.isoformat()}")
    assert actions(f"until={(today - timedelta(days=5)).isoformat()}") == ["account.roles_changed"]
    assert actions(f"actor={reviewer.id}") == ["submission.approved"]
    assert f"Only what {reviewer.display_name} did." in client.get(f"/audit?actor={reviewer.id}").get_data(
        as_text=True
    )
    roles_row = _rows(client.get("/audit.csv?kind=accounts"))[0]
    assert roles_row["Details"] == "after: coordinator; before: reviewer"
    page = client.get("/audit?kind=accounts").get_data(as_text=True)
    assert "Roles changed" in page and "after: coordinator; before: reviewer" in page


def test_bad_filters_are_field_errors(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    for query, message in [
        ("since=yesterday", "Not a valid date value."),
        ("since=2026-12-05&until=2026-12-01", "The last day is before the first."),
        ("person=nobody@council.example", "Nobody has this e-mail address."),
        ("kind=everything", "Not a valid choice."),
        ("object=%3Cscript%3E", "Write the kind of object"),
    ]:
        response = client.get(f"/audit?{query}")
        assert response.status_code == 422, query
        assert message in response.get_data(as_text=True), query
    assert client.get("/audit.csv?since=yesterday").status_code == 422


def test_pages_are_keyset_newest_first(client, world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    for n in range(120):
        record("programme.settings_changed", world.programme, actor=coordinator, n=n)
    db.session.commit()
    sign_in(client, coordinator)
    first = client.get("/audit").get_data(as_text=True)
    assert "n: 119" in first and "n: 70" in first and "n: 69" not in first
    assert "Newer entries" not in first
    events = db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id.desc())).all()
    second = client.get(f"/audit?before={events[49]}").get_data(as_text=True)
    assert "n: 69" in second and "n: 20" in second and "n: 70" not in second
    assert "Newer entries" in second and "Older entries" in second
    back = client.get(f"/audit?after={events[50]}").get_data(as_text=True)
    assert "n: 119" in back and "n: 70" in back and "n: 69" not in back


def test_exports_and_the_audit_download_are_audited(client, world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    sign_in(client, coordinator)
    assert client.get(f"/api/v1/exports/reports.csv?wave={world.wave.id}").status_code == 200
    assert client.get("/audit.csv?kind=exports").status_code == 200
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.like("export.%")).order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["export.downloaded", "export.audit_downloaded"]
    assert events[0].data == {"table": "reports", "format": "csv", "wave": world.wave.id}
    assert events[0].programme_id == world.programme.id == events[1].programme_id
    assert events[1].data == {"filters": {"kind": "exports"}}


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(client, world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    record("programme.settings_changed", world.programme, actor=coordinator, name="=HYPERLINK(1)")
    db.session.commit()
    sign_in(client, coordinator)
    (row,) = [r for r in _rows(client.get("/audit.csv")) if r["Action code"] == "programme.settings_changed"]
    assert row["Details"] == "name: =HYPERLINK(1)"  # not at the start of the cell: left as typed
    assert not any(v.startswith("=") for r in _rows(client.get("/audit.csv")) for v in r.values())


def test_every_event_of_a_kind_is_on_one_page_in_order_both_ways(world):
    """A kind's page merges its exact actions read one at a time (and its patterns): walked older and back
    newer, every event of the kind comes once, newest first, and nothing of another kind or programme."""
    other = make_world()
    coordinator = make_user(Role.coordinator, programme=world.programme)
    actions = [
        "account.signed_in",
        "submission.approved",
        "account.sign_in_failed",
        "questionnaire_section.deleted",  # a deletion by pattern
        "account.anonymised",  # a deletion by name
        "account.signed_out",
        "account.roles_changed",
    ]
    for n in range(40):
        record(actions[n % len(actions)], world.programme, actor=coordinator, programme_id=world.programme.id)
        record(actions[n % 3], other.programme, actor=coordinator, programme_id=other.programme.id)
    db.session.commit()

    for kind in listing.KINDS:
        filters = listing.AuditFilters(kind=kind)
        expected = [e.id for e in db.session.scalars(listing.events_query(world.programme.id, filters))]
        expected.sort(reverse=True)
        pages, before = [], None
        while True:
            page = listing.page_of(world.programme.id, filters, before=before, per_page=3)
            pages.append([e.id for e in page.events])
            if page.older is None:
                break
            before = page.older
        assert [i for ids in pages for i in ids] == expected, kind
        after = page.newer
        for previous in reversed(pages[:-1]):
            back = listing.page_of(world.programme.id, filters, after=after, per_page=3)
            assert [e.id for e in back.events] == previous, kind
            after = back.newer
        assert after is None, kind

    sign_ins = {
        e.action for e in listing.page_of(world.programme.id, listing.AuditFilters(kind="sign_ins")).events
    }
    assert sign_ins == {"account.signed_in", "account.sign_in_failed", "account.signed_out"}
    deletions = listing.page_of(world.programme.id, listing.AuditFilters(kind="deletions")).events
    assert {e.action for e in deletions} == {"questionnaire_section.deleted", "account.anonymised"}
    everything = listing.page_of(None, listing.AuditFilters(kind="sign_ins"), everything=True, per_page=100)
    assert {e.programme_id for e in everything.events} == {world.programme.id, other.programme.id}
