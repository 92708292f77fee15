"""Ingest benchmark: simulated shoppers uploading reports to the app under a real gunicorn.

    python bench/ingest.py                       # SQLite (the yardstick first)
    python bench/ingest.py --start-pg            # ... and PostgreSQL, on a throwaway cluster (scripts/pg-start)
    python bench/ingest.py --pg-url postgresql+psycopg://postgres@127.0.0.1:55433/postgres
    python bench/ingest.py --driver python       # the load from Python threads instead of wrk

gunicorn runs with the repository's ``gunicorn.conf.py`` (the production settings, which depend on the
database; ``PROXY_HOPS=1`` as behind the README's proxy) unless --workers/--threads/--worker-class say
otherwise. Per database: first the yardstick,
``hello`` (a bare Flask app's GET /healthz, ``bench/baseline_apps.py``), under the settings the app gets
on that database and the same driver; then a fresh database, the real migrations, N shoppers (gate
passed) with accepted assignments, the app under gunicorn, each simulated shopper signing in with
POST /api/v1/session, and three phases, each a fixed amount of work spread over the shoppers (each
keeps a connection for --burst requests, then connects anew, as a phone does between bursts of sending):

    healthz  GET /healthz                       (the app's trivial route)
    put      PUT /api/v1/submissions/<uuid>     (one report per request)
    sync     POST /api/v1/sync                  (batches of --batch reports)

The load generator (--driver) is wrk when /usr/bin/wrk is installed (``bench/ingest.lua``: one wrk
thread and connection per shopper), else Python threads (``bench/load.py``). It prints each phase's
rates, latencies and gunicorn's CPU per request, then the PUT's and the sync's reports per second as
ratios to hello's requests per second in the same run, against the floors on SQLite (PUT >= 0.10 x hello, sync
>= 1.5 x hello). Afterwards every report must be stored exactly once and gunicorn's log must hold no
"database is locked" and no traceback. Everything runs on 127.0.0.1 and stops by itself.
"""

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import WRK, Device, free_port, process_cpu, run_phase, run_wrk_phase  # noqa: E402  (bench/load.py)

PASSWORD = "bench-password-not-secret"


def arguments():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.split("\n")[2:]),
    )
    parser.add_argument(
        "--shoppers", type=int, default=8, help="simulated shoppers = client connections (default 8)"
    )
    parser.add_argument(
        "--driver",
        choices=["wrk", "python"],
        default="wrk" if Path(WRK).exists() else "python",
        help=f"load generator: wrk ({WRK}, the default when installed) or Python threads",
    )
    parser.add_argument(
        "--config",
        default=str(ROOT / "gunicorn.conf.py"),
        help="gunicorn config file (default: the repository's gunicorn.conf.py)",
    )
    parser.add_argument("--workers", type=int, help="override the config: gunicorn worker processes")
    parser.add_argument("--threads", type=int, help="override the config: threads per worker")
    parser.add_argument("--worker-class", help="override the config: gunicorn worker class")
    parser.add_argument("--hello", type=int, default=20000, help="requests to the bare Flask app (yardstick)")
    parser.add_argument("--healthz", type=int, default=10000, help="GET /healthz of the app")
    parser.add_argument("--puts", type=int, default=8000, help="reports sent one per PUT")
    parser.add_argument("--batches", type=int, default=400, help="sync requests")
    parser.add_argument("--batch", type=int, default=100, help="reports per sync request (at most 100)")
    parser.add_argument("--time-limit", type=float, default=120, help="seconds per phase at most")
    parser.add_argument(
        "--burst",
        type=int,
        default=10,
        help="requests per connection: each shopper connects anew after this many, as a phone "
        "does between bursts of sending (0: one connection for the whole phase)",
    )
    parser.add_argument("--pg-url", default=os.environ.get("PG_URL"), help="a PostgreSQL server to use")
    parser.add_argument(
        "--start-pg", action="store_true", help="start a throwaway cluster with scripts/pg-start"
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="run one database only")
    parser.add_argument("--json", help="also write the results here")
    return parser.parse_args()


# --- databases --------------------------------------------------------------------------------------


def postgres_database(server_url: str):
    """A fresh database on the server; dropped afterwards."""
    import psycopg

    name = f"shopper_bench_{os.getpid()}"
    admin = server_url.replace("postgresql+psycopg://", "postgresql://")

    def run(sql):
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    run(f"DROP DATABASE IF EXISTS {name}")
    run(f"CREATE DATABASE {name}")
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}", lambda: run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def prepare(url: str, shoppers: int, per_shopper: int) -> list[dict]:
    """Migrate, then make one partnership and ``shoppers`` shoppers with ``per_shopper`` assignments each."""
    os.environ.setdefault("APP_ENV", "development")
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.accounts.models import (
        ConfidentialityAcknowledgement,
        ConfidentialityStatement,
        ConflictDeclaration,
        Role,
        User,
        UserRole,
    )
    from app.accounts.passwords import hash_password
    from app.assignments.models import Assignment, AssignmentState
    from app.db_types import utcnow
    from app.extensions import db
    from app.programmes.models import (
        Channel,
        ContactPoint,
        Organisation,
        Partnership,
        Programme,
        Scenario,
        ServiceArea,
        Tier,
        Wave,
    )
    from app.questionnaires.models import Question, Questionnaire, QuestionnaireVersion, QuestionType, Section
    from config import DevConfig

    config = type("BenchConfig", (DevConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    with app.app_context():
        upgrade()
        partnership = Partnership(name="Bench Partnership")
        organisation = Organisation(
            partnership=partnership, name="Bench Council", short_name="BC", tier=Tier.district
        )
        area = ServiceArea(partnership=partnership, code="waste", name="Waste")
        programme = Programme(partnership=partnership, name="Bench Programme")
        point = ContactPoint(
            organisation=organisation,
            channel=Channel.in_person,
            name="Offices",
            locator="1 High St",
            service_areas=[area],
        )
        wave = Wave(
            programme=programme,
            number=1,
            name="Wave 1",
            starts_on=date.today() - timedelta(days=7),
            ends_on=date.today() + timedelta(days=21),
        )
        scenario = Scenario(
            programme=programme,
            service_area=area,
            title="Missed bin",
            persona="A resident",
            question="My bin was missed",
        )
        statement = ConfidentialityStatement(programme=programme, version=1, text="Keep it confidential.")
        questionnaire = Questionnaire(programme=programme, channel=Channel.in_person, title="Visit")
        version = QuestionnaireVersion(questionnaire=questionnaire, number=1)
        section = Section(version=version, position=1, title="Visit")
        section.questions = [
            Question(version=version, position=1, key="greeted", text="Greeted?", type=QuestionType.yes_no),
            Question(
                version=version,
                position=2,
                key="helpful",
                text="Helpful?",
                type=QuestionType.scale,
                scale_min=1,
                scale_max=5,
                na_allowed=True,
            ),
            Question(
                version=version,
                position=3,
                key="outcome",
                text="Outcome",
                type=QuestionType.single_choice,
                options=[
                    {"value": "resolved", "label": "Resolved"},
                    {"value": "redirected", "label": "Redirected"},
                ],
            ),
            Question(version=version, position=4, key="wait", text="Wait", type=QuestionType.duration),
            Question(version=version, position=5, key="comment", text="Comment", type=QuestionType.text),
        ]
        db.session.add_all([point, wave, scenario, statement, version])
        password_hash = hash_password(PASSWORD)
        users = []
        for number in range(shoppers):
            user = User(
                email=f"shopper{number}@bench.test",
                display_name=f"Shopper {number}",
                password_hash=password_hash,
                programme=programme,
            )
            user.role_rows = [UserRole(role=Role.shopper)]
            users.append(user)
        db.session.add_all(users)
        db.session.flush()
        for user in users:
            db.session.add(ConfidentialityAcknowledgement(user_id=user.id, statement_id=statement.id))
            db.session.add(ConflictDeclaration(user_id=user.id, declared_none=True))
        now = utcnow()
        rows = [
            dict(
                wave_id=wave.id,
                shopper_id=user.id,
                contact_point_id=point.id,
                scenario_id=scenario.id,
                questionnaire_version_id=version.id,
                channel=Channel.in_person,
                window_starts_at=now - timedelta(days=1),
                window_ends_at=now + timedelta(days=6),
                state=AssignmentState.accepted,
                created_at=now,
                state_changed_at=now,
            )
            for user in users
            for _ in range(per_shopper)
        ]
        for start in range(0, len(rows), 5000):
            db.session.execute(sa.insert(Assignment), rows[start : start + 5000])
        db.session.commit()
        ids = {}
        for assignment_id, shopper_id in db.session.execute(
            sa.select(Assignment.id, Assignment.shopper_id).order_by(Assignment.id)
        ):
            ids.setdefault(shopper_id, []).append(assignment_id)
        result = [
            {
                "email": u.email,
                "assignments": ids[u.id],
                "questionnaire_id": questionnaire.id,
                "version": version.number,
            }
            for u in users
        ]
        db.engine.dispose()
    return result


def count_submissions(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(sa.text("SELECT count(*) FROM submission"))
    engine.dispose()
    return count


# --- the server ------------------------------------------------------------------------------------

# The bench's gunicorn config: the chosen config file's settings unchanged, plus a hook by which each
# worker says it has loaded the app. Without the wait for every worker, the first phase's connections
# (kept alive for a burst) can all go to the one worker already up, and the figures measure part of
# the machine.
_BENCH_CONFIG = """\
_config = {config!r}
if _config:
    exec(compile(open(_config).read(), _config, "exec"))
_theirs = globals().get("post_worker_init")


def post_worker_init(worker):
    if _theirs:
        _theirs(worker)
    open({ready!r} + "/" + str(worker.pid), "w").close()
"""

FLOORS = {"PUT": 0.10, "sync": 1.5}  # reports/s as a multiple of hello's requests/s (issue 16)


def gunicorn_settings(options, env: dict) -> dict:
    """The settings gunicorn ends up with under ``env``: the config file's, then the command line's."""
    settings = {"workers": 1, "threads": 1, "worker_class": "sync", "keepalive": 2, "timeout": 30}
    if options.config and Path(options.config).exists():
        namespace = {}
        saved = dict(os.environ)
        os.environ.update(env)  # the config reads DATABASE_URL, as it does under gunicorn
        try:
            exec(compile(Path(options.config).read_text(), options.config, "exec"), namespace)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        settings.update({k: namespace[k] for k in settings if k in namespace})
    for name in ("workers", "threads", "worker_class"):
        if getattr(options, name):
            settings[name] = getattr(options, name)
    return settings


class Served:
    """gunicorn serving one app for the length of a ``with`` block: its port, its CPU and its log."""

    def __init__(self, app: str, options, env: dict, cwd: Path):
        self.app, self.options, self.env, self.cwd = app, options, env, cwd

    def __enter__(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="shopper-bench-log."))
        self.log = self.workdir / "gunicorn.log"
        self.port = free_port()
        ready = self.workdir / "ready"
        ready.mkdir()
        config = self.workdir / "gunicorn.bench.conf.py"
        chosen = Path(self.options.config).resolve() if Path(self.options.config).exists() else ""
        config.write_text(_BENCH_CONFIG.format(config=str(chosen), ready=str(ready)))
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--config",
            str(config),
        ]
        command += ["--log-level", "warning", "--error-logfile", str(self.log), "--no-control-socket"]
        for flag, value in (
            ("--workers", self.options.workers),
            ("--threads", self.options.threads),
            ("--worker-class", self.options.worker_class),
        ):
            command += [flag, str(value)] if value else []
        self.server = subprocess.Popen(
            command + [self.app],
            cwd=self.cwd,
            env={**os.environ, "APP_ENV": "development", **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        workers = gunicorn_settings(self.options, self.env)["workers"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if len(list(ready.iterdir())) >= workers:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                    connection.request("GET", "/healthz")
                    if connection.getresponse().status == 200:
                        time.sleep(0.2)  # from the hook to the worker's accept loop
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        self.server.terminate()
        raise RuntimeError("gunicorn did not start; see " + str(self.log))

    def __exit__(self, *exc):
        self.server.terminate()
        self.server.wait(timeout=30)
        self.log_text = self.log.read_text(errors="replace")
        shutil.rmtree(self.workdir, ignore_errors=True)

    def phase(self, label: str, devices, work, db_pid: int | None = None) -> dict:
        cpu_before = process_cpu(self.server.pid)
        db_cpu_before = process_cpu(db_pid) if db_pid else 0
        if self.options.driver == "wrk":
            figures = run_wrk_phase(self.port, devices, work, self.options.time_limit, self.options.burst)
        else:
            figures = run_phase(devices, work, self.options.time_limit, self.options.burst)
        figures["server_cpu_s"] = round(process_cpu(self.server.pid) - cpu_before, 2)
        figures["server_cpu_ms_per_request"] = round(
            1000 * figures["server_cpu_s"] / max(1, figures["requests"]), 2
        )
        figures["db_cpu_s"] = round(process_cpu(db_pid) - db_cpu_before, 2) if db_pid else None
        print(f"[{label}] {json.dumps(figures)}", flush=True)
        return figures


def spread(total: int, devices) -> int:
    return -(-total // len(devices))


def yardstick(options, env: dict) -> dict:
    """The bare Flask app's hello phase, under the gunicorn settings the app gets with ``env`` and the same
    driver."""
    with Served("baseline_apps:hello", options, env, ROOT / "bench") as served:
        devices = [Device(served.port, {}) for _ in range(options.shoppers)]
        work = [[("GET", "/healthz", None, 0)] * spread(options.hello, devices) for _ in devices]
        return served.phase("hello", devices, work)


def bench(name: str, url: str, options, db_pid: int | None = None) -> dict:
    """Prepare, serve, run the three phases; ``db_pid``: a PostgreSQL postmaster whose CPU to count too."""
    per_device_puts = spread(options.puts, range(options.shoppers))
    per_device_batches = spread(options.batches, range(options.shoppers))
    per_shopper = per_device_puts + per_device_batches * options.batch
    print(f"[{name}] preparing {options.shoppers} shoppers x {per_shopper} assignments", flush=True)
    shoppers = prepare(url, options.shoppers, per_shopper)
    # As in the README's production layout: a proxy in front hands on whole requests (so does the load).
    env = {"DATABASE_URL": url, "PROXY_HOPS": "1"}
    results = {
        "database": name,
        "gunicorn": gunicorn_settings(options, env),
        "hello": yardstick(options, env),
    }
    with Served("wsgi:app", options, env, ROOT) as served:
        devices = [Device(served.port, {**shopper, "password": PASSWORD}) for shopper in shoppers]
        phases = {
            "healthz": [[("GET", "/healthz", None, 0)] * spread(options.healthz, devices) for _ in devices],
            "put": [],
            "sync": [],
        }
        for device in devices:
            ids = iter(device.shopper["assignments"])
            puts = []
            for _ in range(per_device_puts):
                report = device.report(next(ids))
                puts.append(("PUT", f"/api/v1/submissions/{report['uuid']}", json.dumps(report).encode(), 1))
            phases["put"].append(puts)
            batches = []
            for _ in range(per_device_batches):
                batch = [device.report(next(ids)) for _ in range(options.batch)]
                batches.append(
                    ("POST", "/api/v1/sync", json.dumps({"submissions": batch}).encode(), len(batch))
                )
            phases["sync"].append(batches)
        for phase, work in phases.items():
            if any(work):  # --puts 0, --batches 0
                results[phase] = served.phase(f"{name}] [{phase}", devices, work, db_pid)
    stored = count_submissions(url)
    expected = sum(results[phase]["submissions"] for phase in ("put", "sync") if phase in results)
    results["stored"] = stored
    results["stored_exactly_once"] = stored == expected
    results["database_is_locked"] = served.log_text.count("database is locked")
    results["server_errors_logged"] = served.log_text.count("Traceback")
    print(
        f"[{name}] stored {stored} (expected {expected}); 'database is locked' in log: "
        f"{results['database_is_locked']}; tracebacks: {results['server_errors_logged']}",
        flush=True,
    )
    return results


PHASES = ("hello", "healthz", "put", "sync")


def table(all_results: list[dict]) -> str:
    lines = [
        "| database | phase | requests | reports | s | req/s | reports/s | p50 ms | p95 ms | max ms "
        "| server CPU ms/req | db CPU s | client CPU s | statuses |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in all_results:
        for phase in PHASES:
            f = result.get(phase)
            if not f:
                continue
            lines.append(
                f"| {result['database']} | {phase} | {f['requests']} | {f['submissions']} | {f['seconds']} "
                f"| {f['requests_per_s']} | {f['submissions_per_s']} | {f['p50_ms']} | {f['p95_ms']} "
                f"| {f['max_ms']} | {f['server_cpu_ms_per_request']} "
                f"| {f['db_cpu_s'] if f['db_cpu_s'] is not None else '-'} | {f['client_cpu_s']} "
                f"| {' '.join(f'{k}:{v}' for k, v in sorted(f['statuses'].items(), key=str))} |"
            )
    return "\n".join(lines)


def ratios(all_results: list[dict]) -> tuple[list[str], bool]:
    """The PUT's and the sync's reports/s as multiples of hello's req/s under the same settings, against the
    floors."""
    lines, met = [], True
    for result in all_results:
        hello = result["hello"]
        parts = []
        for label, phase in (("PUT", "put"), ("sync", "sync")):
            if phase not in result:
                continue
            ratio = result[phase]["submissions_per_s"] / hello["requests_per_s"]
            shown = f"{label} {result[phase]['submissions_per_s']} reports/s = {ratio:.2f} x hello"
            # The floors are SQLite's; PostgreSQL's ratios are measured in the same run to compare.
            if result["database"] == "sqlite":
                ok = ratio >= FLOORS[label]
                met &= ok
                shown += f" (floor {FLOORS[label]}: {'met' if ok else 'NOT MET'})"
            parts.append(shown)
        lines.append(
            f"{result['database']} (gunicorn {result['gunicorn']}): hello {hello['requests_per_s']} req/s; "
            + "; ".join(parts)
        )
    return lines, met


def machine(options) -> dict:
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "driver": options.driver,
        "burst": options.burst,
        "command": " ".join(sys.argv),
    }


def main():
    options = arguments()
    if not 1 <= options.batch <= 100:
        raise SystemExit("--batch must be 1..100")
    all_results, cleanups, pg_dir = [], [], None
    pg_url = options.pg_url
    started = machine(options)
    print(f"machine: {json.dumps(started)}", flush=True)
    try:
        if options.start_pg and not pg_url:
            output = subprocess.run(
                [str(ROOT / "scripts/pg-start")],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "PG_PORT": str(free_port())},
            ).stdout
            found = dict(
                line.removeprefix("export ").split("=", 1) for line in output.splitlines() if "=" in line
            )
            pg_dir, pg_url = found["PG_DIR"], found["PG_URL"]
        if options.only != "postgresql":
            workdir = Path(tempfile.mkdtemp(prefix="shopper-bench-db."))
            cleanups.append(lambda: shutil.rmtree(workdir, ignore_errors=True))
            all_results.append(bench("sqlite", f"sqlite:///{workdir / 'bench.db'}", options))
        if pg_url and options.only != "sqlite":
            url, drop = postgres_database(pg_url)
            cleanups.append(drop)
            db_pid = int(Path(pg_dir, "data", "postmaster.pid").read_text().split()[0]) if pg_dir else None
            all_results.append(bench("postgresql", url, options, db_pid))
    finally:
        for cleanup in reversed(cleanups):
            cleanup()
        if pg_dir:
            subprocess.run([str(ROOT / "scripts/pg-stop"), pg_dir], check=False)
    print()
    print(
        f"{started['date']}, {started['nproc']} cores, load average {started['load_average']} at the start, "
        f"{[round(x, 2) for x in os.getloadavg()]} at the end; "
        f"load from {started['driver']}, "
        + (
            f"{started['burst']} requests per connection"
            if started["burst"]
            else "one connection per shopper"
        )
    )
    print(table(all_results))
    lines, floors_met = ratios(all_results)
    print("\n".join(lines))
    if options.json:
        Path(options.json).write_text(
            json.dumps({"machine": started, "options": vars(options), "results": all_results}, indent=1)
        )
    if not all(r["stored_exactly_once"] and not r["database_is_locked"] for r in all_results):
        raise SystemExit("FAILED: a report was lost or stored twice, or the database was locked")
    if not floors_met:
        raise SystemExit("FAILED: a floor was not met")


if __name__ == "__main__":
    main()
