"""Two gunicorn instances of the app sharing one PostgreSQL database and one Redis (tests/test_scale_out.py).

``scaled_out`` makes a database of its own on the ``TEST_DATABASE_URL`` server (the suite's database is
emptied between tests, which would pull the rows from under the servers), migrates it, makes the
shoppers and their assignments with the factories in a process of its own (``python -m tests.scale_kit``),
and starts the two instances as production would, with the same ``SECRET_KEY``, ``DATABASE_URL`` and
``REDIS_URL``. Everything is stopped and dropped afterwards.
"""

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import requests

from tests.server_kit import NO_CONTROL_SOCKET, free_port

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Instance:
    url: str
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class ScaledOut:
    instances: list[Instance]
    database_url: str
    shoppers: list[dict]  # email, password, assignment ids
    decoy_emails: list[str]  # shoppers left for the rate-limit tests to guess at


def _admin_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _run_sql(server_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(server_url), autocommit=True) as connection:
        connection.execute(sql)


def _start(port: int, env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
            *NO_CONTROL_SOCKET,
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopping it ends its workers too
    )


def _wait_until_up(instance: Instance, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited on start:\n{instance.log_text()}")
        with contextlib.suppress(requests.RequestException):  # not listening yet, or its workers loading
            if requests.get(instance.url + "/healthz", timeout=10).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz:\n{instance.log_text()}")


def _stop(instance: Instance) -> None:
    if instance.process.poll() is None:
        os.killpg(instance.process.pid, signal.SIGTERM)
        try:
            instance.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(instance.process.pid, signal.SIGKILL)
            instance.process.wait()


@contextlib.contextmanager
def scaled_out(
    server_url: str, redis_url: str, workdir: Path, shoppers: int, per_shopper: int, decoys: int = 2
):
    name = f"shopper_scale_{os.getpid()}"
    database_url = f"{server_url.rpartition('/')[0]}/{name}"
    _run_sql(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _run_sql(server_url, f"CREATE DATABASE {name}")
    instances = []
    try:
        import redis

        redis.Redis.from_url(redis_url).flushdb()  # counts of an earlier run would trip the limits early
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("TEST_DATABASE_URL", "TEST_REDIS_URL", "RATELIMIT_STORAGE_URI", "FLASK_APP")
            },
            "APP_ENV": "development",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "PYTHONUNBUFFERED": "1",
        }
        prepared = subprocess.run(
            [sys.executable, "-m", "tests.scale_kit", str(shoppers + decoys), str(per_shopper)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if prepared.returncode != 0:
            raise RuntimeError(f"preparing the database failed:\n{prepared.stdout}\n{prepared.stderr}")
        made = json.loads(prepared.stdout.strip().splitlines()[-1])
        for number in range(2):
            port = free_port()
            log = workdir / f"gunicorn-{number}.log"
            with log.open("w") as log_file:  # the server has its own copy of the file descriptor
                instances.append(Instance(f"http://127.0.0.1:{port}", _start(port, env, log_file), log))
        for instance in instances:
            _wait_until_up(instance)
        yield ScaledOut(
            instances, database_url, made[:shoppers], [shopper["email"] for shopper in made[shoppers:]]
        )
    finally:
        for instance in instances:
            _stop(instance)
        _run_sql(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _prepare(shoppers: int, per_shopper: int) -> list[dict]:
    """Migrate DATABASE_URL, then make the factories' world, shoppers past the gate, accepted assignments."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.assignments.models import Assignment, AssignmentState
    from app.db_types import utcnow
    from app.extensions import db
    from config import DevConfig
    from tests.factories import PASSWORD, make_shopper, make_world

    app = create_app(DevConfig)
    with app.app_context():
        upgrade()
        world = make_world()
        users = [make_shopper(world) for _ in range(shoppers)]
        now = utcnow()
        point, version = world.district_office, world.visit_version
        rows = [
            dict(
                wave_id=world.wave.id,
                shopper_id=user.id,
                contact_point_id=point.id,
                scenario_id=world.waste_scenario.id,
                questionnaire_version_id=version.id,
                channel=point.channel,
                window_starts_at=now - timedelta(days=1),
                window_ends_at=now + timedelta(days=6),
                state=AssignmentState.accepted,
                created_at=now,
                state_changed_at=now,
            )
            for user in users
            for _ in range(per_shopper)
        ]
        db.session.execute(sa.insert(Assignment), rows)
        db.session.commit()
        ids = {}
        for assignment_id, shopper_id in db.session.execute(
            sa.select(Assignment.id, Assignment.shopper_id).order_by(Assignment.id)
        ):
            ids.setdefault(shopper_id, []).append(assignment_id)
        made = [
            {
                "email": user.email,
                "password": PASSWORD,
                "assignments": ids[user.id],
                "questionnaire_id": version.questionnaire_id,
                "questionnaire_version": version.number,
            }
            for user in users
        ]
        db.engine.dispose()
    return made


if __name__ == "__main__":
    print(json.dumps(_prepare(int(sys.argv[1]), int(sys.argv[2]))))
