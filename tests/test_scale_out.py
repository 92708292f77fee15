"""Scale-out: two gunicorn instances on one PostgreSQL database and one Redis serve the same shoppers.

Runs when ``TEST_DATABASE_URL`` is PostgreSQL and ``TEST_REDIS_URL`` is set, as in scripts/test's
PostgreSQL run; skipped otherwise, except in CI, where a PostgreSQL run without Redis is a failure.
"""

import itertools
import os
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests
import sqlalchemy as sa

from tests.scale_kit import scaled_out

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")

if DATABASE_URL.startswith("postgresql") and not REDIS_URL and os.environ.get("CI"):
    pytest.fail("CI's PostgreSQL run needs TEST_REDIS_URL (scripts/test starts Redis)", pytrace=False)
pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgresql") and REDIS_URL),
    reason="needs TEST_DATABASE_URL on PostgreSQL and TEST_REDIS_URL (scripts/test's PostgreSQL run)",
)

SHOPPERS = 4
REPORTS_PER_SHOPPER = 250  # 1,000 in all
SYNCED = 150  # per shopper, in batches of BATCH; the rest one PUT each
BATCH = 50
TIMEOUT = 60


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with scaled_out(
        DATABASE_URL, REDIS_URL, tmp_path_factory.mktemp("scale"), SHOPPERS, REPORTS_PER_SHOPPER
    ) as cluster:
        yield cluster
        for instance in cluster.instances:
            assert "Traceback" not in instance.log_text(), instance.log_text()[-5000:]


def _csrf(session: requests.Session, base: str) -> str:
    return session.get(base + "/api/v1/session", timeout=TIMEOUT).json()["csrf_token"]


def _api_sign_in(session, base, email, password) -> requests.Response:
    return session.post(
        base + "/api/v1/session",
        json={"email": email, "password": password},
        headers={"X-CSRFToken": _csrf(session, base)},
        timeout=TIMEOUT,
    )


def _page_sign_in(session, base, email, password) -> requests.Response:
    html = session.get(base + "/sign-in", timeout=TIMEOUT).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return session.post(
        base + "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=TIMEOUT,
    )


@pytest.mark.parametrize("first", [0, 1])
def test_the_sign_in_limit_trips_after_the_same_attempts_whichever_instance_they_hit(cluster, first):
    """The default limit per account and client is 5 per 15 minutes, counted in Redis: alternating
    instances, the sixth attempt is refused (each instance counting alone would allow ten)."""
    email = cluster.decoy_emails[first]
    bases = [cluster.instances[(first + n) % 2].url for n in range(8)]
    session = requests.Session()
    statuses = [_api_sign_in(session, base, email, "wrong").status_code for base in bases[:6]]
    assert statuses == [401] * 5 + [429]
    assert _api_sign_in(session, bases[6], email, "wrong").status_code == 429  # the other instance
    assert _page_sign_in(session, bases[7], email, "wrong").status_code == 429  # and the other door


def test_a_session_signed_in_on_one_instance_works_on_the_other(cluster):
    shopper = cluster.shoppers[0]
    one, other = (instance.url for instance in cluster.instances)
    session = requests.Session()
    signed_in = _api_sign_in(session, one, shopper["email"], shopper["password"])
    assert signed_in.status_code == 200
    token = signed_in.json()["csrf_token"]
    there = session.get(other + "/api/v1/session", timeout=TIMEOUT)
    assert there.status_code == 200 and there.json()["user"]["email"] == shopper["email"]
    # Signing out there (an unsafe request, with the token from here) ends the session here too.
    assert session.get(other + "/api/v1/assignments", timeout=TIMEOUT).status_code == 200
    assert session.delete(other + "/api/v1/session", headers={"X-CSRFToken": token}).status_code == 204
    assert session.get(one + "/api/v1/session", timeout=TIMEOUT).status_code == 401


def _report(shopper: dict, assignment_id: int) -> dict:
    started = datetime.now(UTC) - timedelta(minutes=30)
    return {
        "uuid": str(uuid.uuid4()),
        "assignment_id": assignment_id,
        "kind": "visit",
        "questionnaire_id": shopper["questionnaire_id"],
        "questionnaire_version": shopper["questionnaire_version"],
        "started_at": started.isoformat(),
        "completed_at": (started + timedelta(minutes=20)).isoformat(),
        "answers": {"greeted": True, "helpful": 4, "outcome": "resolved"},
    }


def test_a_thousand_reports_through_both_instances_at_once_are_each_stored_exactly_once(cluster):
    """Sync batches and single PUTs from four shoppers on eight threads, every batch and every fifth PUT
    sent to both instances at the same moment; every answer is 200 or 201, one 201 per report."""
    bases = [instance.url for instance in cluster.instances]
    work = []  # per shopper, its units: one request, or a pair sent to both instances at once
    expected = set()
    for shopper in cluster.shoppers:
        session = requests.Session()
        signed_in = _api_sign_in(session, bases[0], shopper["email"], shopper["password"])
        assert signed_in.status_code == 200
        headers = {
            "X-CSRFToken": signed_in.json()["csrf_token"],
            "Cookie": "; ".join(f"{name}={value}" for name, value in session.cookies.items()),
        }
        reports = [_report(shopper, assignment_id) for assignment_id in shopper["assignments"]]
        expected.update(report["uuid"] for report in reports)
        units = []
        for start in range(0, SYNCED, BATCH):
            body = {"submissions": reports[start : start + BATCH]}
            barrier = threading.Barrier(2, timeout=TIMEOUT)
            units.append([(barrier, base, "POST", "/api/v1/sync", body, headers) for base in bases])
        for number, report in enumerate(reports[SYNCED:]):
            path = f"/api/v1/submissions/{report['uuid']}"
            if number % 5 == 0:
                barrier = threading.Barrier(2, timeout=TIMEOUT)
                units.append([(barrier, base, "PUT", path, report, headers) for base in bases])
            else:
                units.append([(None, bases[number % 2], "PUT", path, report, headers)])
        work.append(units)
    # The shoppers' work interleaved, as phones send at the same time; a pair's halves side by side,
    # so that two of the pool's threads take them up together.
    jobs = [job for units in itertools.zip_longest(*work) for unit in units if unit for job in unit]

    def send(job):
        barrier, base, method, path, body, headers = job
        if barrier is not None:
            barrier.wait()
        response = requests.request(method, base + path, json=body, headers=headers, timeout=TIMEOUT)
        if method == "PUT":
            return [response.status_code]
        assert response.status_code == 200, response.text[:500]
        return [result["status"] for result in response.json()["results"]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(itertools.chain.from_iterable(pool.map(send, jobs)))

    assert set(statuses) <= {200, 201}, sorted(set(statuses))
    assert statuses.count(201) == len(expected) == SHOPPERS * REPORTS_PER_SHOPPER
    engine = sa.create_engine(cluster.database_url)
    try:
        with engine.connect() as connection:
            stored = [str(row) for row in connection.scalars(sa.text("SELECT uuid FROM submission"))]
    finally:
        engine.dispose()
    assert len(stored) == len(set(stored)) == len(expected)
    assert set(stored) == expected
