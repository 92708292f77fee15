"""Seven shoppers book a one-seat phone-bank block at the same moment, as the probe did: real concurrent
requests to a real gunicorn with several worker processes, on the test database (its SQLite file, or
PostgreSQL with TEST_DATABASE_URL). Exactly one booking, in every run; the others are told it is full."""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments import blocks
from app.assignments.models import PhoneBlockBooking
from app.extensions import db
from tests.assignments.test_blocks import tomorrow
from tests.factories import PASSWORD, make_shopper, make_user
from tests.server_kit import NO_CONTROL_SOCKET, free_port

ROOT = Path(__file__).resolve().parents[2]
SHOPPERS = 7
RUNS = 3
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def gunicorn(database_url, tmp_path):
    if database_url in ("sqlite://", "sqlite:///:memory:"):
        pytest.skip("gunicorn needs a database file or server")
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": database_url, "WEB_CONCURRENCY": "4"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", *NO_CONTROL_SOCKET, "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                break
        except requests.RequestException:  # not listening yet, or its workers still starting
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text()[-3000:])
        time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


def _signed_in(url, shopper) -> tuple[requests.Session, str]:
    browser = requests.Session()
    token = _CSRF.search(browser.get(url + "/sign-in").text).group(1)
    response = browser.post(
        url + "/sign-in",
        data={"email": shopper.email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return browser, _CSRF.search(browser.get(url + "/phone-bank").text).group(1)


def test_a_one_seat_block_booked_by_seven_at_once_has_one_booking(app, world, gunicorn):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    shoppers = [make_shopper(world) for _ in range(SHOPPERS)]
    one_seat = [
        blocks.create_block(world.wave, tomorrow(hour=8 + run), 1, coordinator) for run in range(RUNS)
    ]
    db.session.commit()
    browsers = [_signed_in(gunicorn, shopper) for shopper in shoppers]

    for block in one_seat:
        start = threading.Barrier(SHOPPERS)
        statuses = [None] * SHOPPERS

        def book(index, block_id=block.id, start=start, statuses=statuses):
            browser, token = browsers[index]
            start.wait(timeout=20)
            statuses[index] = browser.post(
                f"{gunicorn}/phone-bank/{block_id}/book", data={"csrf_token": token}, allow_redirects=False
            ).status_code

        threads = [threading.Thread(target=book, args=(i,)) for i in range(SHOPPERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        db.session.rollback()
        booked = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(PhoneBlockBooking)
            .where(PhoneBlockBooking.block_id == block.id)
        )
        assert booked == 1 and sorted(statuses) == [302] + [409] * (SHOPPERS - 1), statuses
