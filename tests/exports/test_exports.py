"""GET /api/v1/exports/{reports,answers,calls}.{csv,xlsx}: read back, labelled, filtered, without identities."""

import copy
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import schemathesis

from app.accounts.models import Role
from app.db_types import utcnow
from app.exports.tables import ANSWERS_HEADER, CALLS_HEADER, REPORTS_HEADER
from app.extensions import db
from app.programmes.models import Channel, ContactPoint, Wave
from tests.conftest import sign_in
from tests.exports.helpers import approved, csv_header, every_byte, read_csv, read_xlsx
from tests.factories import make_assignment, make_questionnaire, make_shopper, make_user, make_world
from tests.review.helpers import make_submission

CALL_LOG = {
    "dialled_at": "2026-11-20T14:20:00+01:00",
    "seconds_to_answer": 45,
    "rings": 9,
    "recorded_message": {"heard": True, "gave_name": True, "gave_hours": False, "gave_alternative": True},
    "transfers": [
        {"to": "Revenues team", "announced": True, "seconds_waiting": 30},
        {"to": "=Senior adviser", "announced": False},
    ],
    "outcome": "resolved",
    "handle_time_seconds": 305,
}
SHOPPER_ID = 8_675_309
REVIEWER_ID = 7_654_321
INJECTED = '=HYPERLINK("http://evil.example","click")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Data:
    pass


@pytest.fixture
def data(world):
    d = Data()
    d.world = world
    d.shopper = make_shopper(world, id=SHOPPER_ID, email="secret.shopper@example.test")
    d.shopper.display_name = "Zebedee Quixote"
    d.coordinator = make_user(
        Role.coordinator,
        id=REVIEWER_ID,
        programme=world.programme,
        email="reviewer.person@example.test",
    )
    d.coordinator.display_name = "Reviewer Ramsbottom"
    d.wave2 = Wave(
        programme=world.programme,
        number=2,
        name="Wave 2",
        starts_on=world.wave.starts_on + timedelta(days=60),
        ends_on=world.wave.ends_on + timedelta(days=60),
    )
    db.session.add(d.wave2)
    db.session.commit()
    d.visit = approved(
        world,
        d.shopper,
        make_assignment(world, d.shopper),
        d.coordinator,
        answers={"greeted": True, "helpful": None, "outcome": "redirected"},
        notes=INJECTED,
        commendation="+ The receptionist was very kind",
    )
    d.call = approved(
        world,
        d.shopper,
        make_assignment(world, d.shopper, contact_point=world.district_phone),
        d.coordinator,
        call_log=copy.deepcopy(CALL_LOG),
        notes="Put on hold twice.",
    )
    d.south = approved(
        world, d.shopper, make_assignment(world, d.shopper, contact_point=world.other_office), d.coordinator
    )
    later = make_assignment(world, d.shopper)
    later.wave = d.wave2
    db.session.commit()
    d.later = approved(
        world,
        d.shopper,
        later,
        d.coordinator,
        answers={"greeted": False, "helpful": 2, "outcome": "resolved"},
    )
    d.waiting = make_submission(world, d.shopper, make_assignment(world, d.shopper), notes="not yet approved")
    return d


@pytest.fixture
def coordinator_client(client, data):
    sign_in(client, data.coordinator)
    return client


def reports_of(rows) -> set[int]:
    return {int(r["Report"]) for r in rows}


def test_answers_csv_has_one_labelled_row_per_report_and_question(coordinator_client, data):
    response = coordinator_client.get("/api/v1/exports/answers.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="answers-')
    assert csv_header(response) == ANSWERS_HEADER
    rows = read_csv(response)
    assert reports_of(rows) == {data.visit.id, data.call.id, data.south.id, data.later.id}  # approved only
    assert len(rows) == 4 * 3
    visit = {r["Question key"]: r for r in rows if int(r["Report"]) == data.visit.id}
    assert [visit[k]["Answer"] for k in ("greeted", "helpful", "outcome")] == [
        "Yes",
        "Not applicable",
        "Redirected",
    ]
    greeted = visit["greeted"]
    assert (greeted["Section"], greeted["Question"]) == ("Welcome", "Were you greeted?")
    assert [r["Question key"] for r in rows[:3]] == ["greeted", "helpful", "outcome"]  # questionnaire order
    later = {r["Question key"]: r["Answer"] for r in rows if int(r["Report"]) == data.later.id}
    assert later == {"greeted": "No", "helpful": "2", "outcome": "Resolved"}


def test_reports_csv_neutralises_formulas_and_keeps_the_shoppers_words(coordinator_client, data):
    response = coordinator_client.get("/api/v1/exports/reports.csv")
    assert csv_header(response) == REPORTS_HEADER
    rows = {int(r["Report"]): r for r in read_csv(response)}
    assert set(rows) == {data.visit.id, data.call.id, data.south.id, data.later.id}
    visit = rows[data.visit.id]
    assert visit["Notes"] == "'" + INJECTED
    assert visit["Commendation"] == "'+ The receptionist was very kind"
    assert visit["Time taken"] == "20 min 00 s"
    assert visit["Date"] == data.visit.completed_at.date().isoformat()  # to the day, no time
    assert rows[data.call.id]["Notes"] == "Put on hold twice."


def test_commendations_are_left_out_where_the_programme_does_not_allow_them(coordinator_client, data):
    data.world.programme.commendations_allowed = False
    db.session.commit()
    rows = read_csv(coordinator_client.get("/api/v1/exports/reports.csv"))
    assert {r["Commendation"] for r in rows} == {""}
    for extension in ("csv", "xlsx"):
        assert b"receptionist" not in every_byte(
            coordinator_client.get(f"/api/v1/exports/reports.{extension}")
        )


def test_calls_csv_has_one_row_per_call_with_its_transfers_summarised(coordinator_client, data):
    response = coordinator_client.get("/api/v1/exports/calls.csv")
    assert csv_header(response) == CALLS_HEADER
    [row] = read_csv(response)
    assert int(row["Report"]) == data.call.id
    assert row["Date"] == "2026-11-20"
    assert row["Answered by a person after"] == "45 s"
    assert row["Rings"] == "9"
    assert (row["Recorded message heard"], row["Message gave the hours"]) == ("Yes", "No")
    assert row["Outcome"] == "Resolved" and row["Handle time"] == "5 min 05 s"
    assert (row["Transfers"], row["Transfers announced"], row["Waiting in transfers"]) == ("2", "1", "30 s")
    assert row["Put through to"] == "Revenues team (announced, waited 30 s); =Senior adviser (not announced)"
    assert row["Channel"] == "Telephone"


def test_answers_xlsx_has_a_row_per_report_and_a_column_per_question_with_the_csvs_answers(
    coordinator_client, data
):
    csv_rows = read_csv(coordinator_client.get("/api/v1/exports/answers.csv"))
    response = coordinator_client.get("/api/v1/exports/answers.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert len(workbook.worksheets) == 2  # the in-person and the telephone questionnaire
    answers, where = {}, {}
    for sheet in workbook.worksheets:
        cells = list(sheet.iter_rows())
        header = [c.value for c in cells[0]]
        assert header[:6] == ["Report", "Wave", "Organisation", "Contact point", "Channel", "Service area"]
        for row in cells[1:]:
            values = [c.value for c in row]
            where[values[0]] = values[2]
            for title, cell in zip(header[6:], row[6:], strict=True):
                assert cell.data_type != "f"
                answers[(values[0], title.rsplit("(", 1)[1].rstrip(")"))] = cell.value
    assert answers == {(int(r["Report"]), r["Question key"]): r["Answer"] for r in csv_rows}
    assert where[data.south.id] == data.world.other_district.name


@pytest.mark.parametrize("table", ["reports", "calls"])
def test_xlsx_holds_what_the_csv_holds(coordinator_client, data, table):
    csv_rows = read_csv(coordinator_client.get(f"/api/v1/exports/{table}.csv"))
    response = coordinator_client.get(f"/api/v1/exports/{table}.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    header, rows, cells = read_xlsx(response)
    assert header == list(csv_rows[0])
    as_text = [
        {
            k: "" if v is None else str(v)[:10] if k in ("Date", "Sent", "First reply") else str(v)
            for k, v in r.items()
        }
        for r in rows
    ]
    assert as_text == csv_rows
    for row in cells:
        for cell in row:
            assert cell.data_type != "f"  # never a formula
            if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                pytest.fail(f"{cell.coordinate} begins a formula: {cell.value!r}")


def test_xlsx_writes_dates_as_dates_and_neutralised_text_as_text(coordinator_client, data):
    _, rows, _ = read_xlsx(coordinator_client.get("/api/v1/exports/reports.xlsx"))
    visit = next(r for r in rows if r["Report"] == data.visit.id)
    assert visit["Notes"] == "'" + INJECTED
    assert visit["Date"].date() == data.visit.completed_at.date()


@pytest.mark.parametrize(
    "path", [f"/api/v1/exports/{t}.{e}" for t in ("reports", "answers", "calls") for e in ("csv", "xlsx")]
)
def test_no_export_names_the_shopper_or_the_reviewer(coordinator_client, data, path):
    data_bytes = every_byte(coordinator_client.get(path))
    assert data_bytes.count(b"\n") >= 1
    for secret in (
        "secret.shopper@example.test",
        "Zebedee",
        "Quixote",
        str(SHOPPER_ID),
        "reviewer.person",
        "Ramsbottom",
        str(REVIEWER_ID),
        str(data.shopper.id),
    ):
        assert secret.encode() not in data_bytes, secret


def test_filters_by_wave_and_organisation(coordinator_client, data):
    def exported(query):
        return reports_of(read_csv(coordinator_client.get(f"/api/v1/exports/reports.csv?{query}")))

    world = data.world
    assert exported(f"wave={world.wave.id}") == {data.visit.id, data.call.id, data.south.id}
    assert exported(f"wave={data.wave2.id}") == {data.later.id}
    assert exported(f"organisation={world.district.id}") == {data.visit.id, data.call.id, data.later.id}
    assert exported(f"organisation={world.other_district.id}") == {data.south.id}
    assert exported(f"wave={data.wave2.id}&organisation={world.other_district.id}") == set()
    response = coordinator_client.get(f"/api/v1/exports/answers.xlsx?wave={data.wave2.id}")
    assert response.headers["Content-Disposition"].endswith(f'-wave-{data.wave2.id}.xlsx"')
    assert {r["Report"] for r in read_xlsx(response)[1]} == {data.later.id}


def test_an_empty_export_still_has_its_header(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    response = client.get("/api/v1/exports/calls.csv")
    assert response.status_code == 200 and read_csv(response) == [] and csv_header(response) == CALLS_HEADER
    header, rows, _ = read_xlsx(client.get("/api/v1/exports/calls.xlsx"))
    assert (header, rows) == (CALLS_HEADER, [])


def test_an_admin_exports_every_programme_and_a_coordinator_only_their_own(client, data):
    elsewhere = make_world()
    theirs = make_shopper(elsewhere)
    other_coordinator = make_user(Role.coordinator, programme=elsewhere.programme)
    foreign = approved(elsewhere, theirs, make_assignment(elsewhere, theirs), other_coordinator)
    ours = {data.visit.id, data.call.id, data.south.id, data.later.id}
    sign_in(client, make_user(Role.admin))
    assert reports_of(read_csv(client.get("/api/v1/exports/reports.csv"))) == ours | {foreign.id}
    assert reports_of(read_csv(client.get(f"/api/v1/exports/reports.csv?wave={elsewhere.wave.id}"))) == {
        foreign.id
    }
    sign_in(client, other_coordinator)
    assert reports_of(read_csv(client.get("/api/v1/exports/reports.csv"))) == {foreign.id}
    sign_in(client, data.coordinator)
    assert reports_of(read_csv(client.get("/api/v1/exports/reports.csv"))) == ours


@pytest.mark.parametrize(
    "who, query, status, code",
    [
        ("coordinator", lambda d, o: f"wave={o.wave.id}", 403, "not_yours"),
        ("coordinator", lambda d, o: f"organisation={o.district.id}", 403, "not_yours"),
        ("coordinator", lambda d, o: "wave=999999", 404, "not_found"),
        ("coordinator", lambda d, o: "organisation=999999", 404, "not_found"),
        ("partner_manager", lambda d, o: "", 403, "not_released"),
        ("partner_manager", lambda d, o: f"organisation={d.world.district.id}", 403, "not_released"),
        ("partner_manager", lambda d, o: f"wave={d.world.wave.id}", 403, "not_released"),
        ("partner_manager", lambda d, o: f"organisation={d.world.other_district.id}", 403, "not_yours"),
        ("partner_manager", lambda d, o: f"organisation={o.district.id}", 403, "not_yours"),
        ("shopper", lambda d, o: "", 403, "forbidden"),
        ("signed_out", lambda d, o: "", 401, "not_signed_in"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/exports/answers.csv", "/api/v1/exports/reports.xlsx"])
def test_who_may_export_which_organisation_and_wave(client, data, who, query, status, code, path):
    other = make_world()
    users = {
        "coordinator": data.coordinator,
        "partner_manager": make_user(
            Role.partner_manager, programme=data.world.programme, organisation=data.world.district
        ),
        "shopper": data.shopper,
    }
    if who in users:
        sign_in(client, users[who])
    response = client.get(f"{path}?{query(data, other)}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == code
    assert b"North Offices" not in response.get_data()


@pytest.mark.parametrize(
    "query, field",
    [
        ("wave=abc", "wave"),
        ("wave=0", "wave"),
        ("organisation=-3", "organisation"),
        ("wave=99999999999", "wave"),
    ],
)
def test_bad_query_values_are_422_with_field_errors(coordinator_client, query, field):
    response = coordinator_client.get(f"/api/v1/exports/answers.csv?{query}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "validation_failed"
    assert list(body["errors"]) == [field]


@pytest.mark.parametrize("path", ["/api/v1/exports/answers.csv", "/api/v1/exports/calls.xlsx"])
def test_a_coordinators_download_matches_the_openapi_document(app, coordinator_client, data, path):
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    case = api[path]["GET"].Case(query={"wave": data.world.wave.id})
    response = case.call(session=coordinator_client, app=app, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    case.validate_response(response)


def test_the_review_queue_links_the_six_downloads_with_its_filters(coordinator_client, data):
    page = coordinator_client.get("/coordinator/review").get_data(as_text=True)
    for table in ("reports", "answers", "calls"):
        for extension in ("csv", "xlsx"):
            assert f'href="/api/v1/exports/{table}.{extension}"' in page
    assert "stream" in page
    wave, organisation = data.world.wave.id, data.world.district.id
    page = coordinator_client.get(
        f"/coordinator/review?wave_id={wave}&organisation_id={organisation}"
    ).get_data(as_text=True)
    assert f"/api/v1/exports/answers.xlsx?wave={wave}&amp;organisation={organisation}" in page


def test_an_email_shop_shows_when_it_was_sent_and_first_answered_to_the_day(coordinator_client, data):
    world = data.world
    mailbox = ContactPoint(
        organisation=world.district, channel=Channel.email, name="North inbox", locator="help@north.example"
    )
    db.session.add(mailbox)
    version = make_questionnaire(world.programme, Channel.email)
    db.session.commit()
    assignment = make_assignment(world, data.shopper, contact_point=mailbox, version=version)
    started = utcnow() - timedelta(days=3)
    shop = approved(
        world,
        data.shopper,
        assignment,
        data.coordinator,
        started_at=started.isoformat(),
        completed_at=(started + timedelta(days=2)).isoformat(),
        sent_at=(started + timedelta(minutes=5)).isoformat(),
        replies=[
            {"received_at": (started + timedelta(days=2)).isoformat(), "summary": "A full answer."},
            {"received_at": (started + timedelta(days=1)).isoformat(), "summary": "An acknowledgement."},
        ],
    )
    [row] = [
        r
        for r in read_csv(coordinator_client.get("/api/v1/exports/reports.csv"))
        if int(r["Report"]) == shop.id
    ]
    zone = ZoneInfo(world.programme.timezone)
    assert row["Channel"] == "E-mail" and row["Replies"] == "2"
    assert row["Sent"] == (started + timedelta(minutes=5)).astimezone(zone).date().isoformat()
    assert row["First reply"] == (started + timedelta(days=1)).astimezone(zone).date().isoformat()
    assert row["Time taken"] == "48 h 00 min"
