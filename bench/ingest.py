"""Ingest benchmark: simulated shoppers uploading reports to the app under a real gunicorn.

    python bench/ingest.py                       # SQLite only
    python bench/ingest.py --pg-url postgresql+psycopg://postgres@127.0.0.1:55433/postgres
    python bench/ingest.py --start-pg            # also PostgreSQL, on a throwaway cluster (scripts/pg-start)
    python bench/ingest.py --driver python       # the load from Python threads instead of wrk

gunicorn runs with the repository's ``gunicorn.conf.py`` (the production
settings) unless --workers/--threads/--worker-class say otherwise. First the
two yardsticks of ``bench/baseline_apps.py`` under the same settings:

    hello    GET /healthz of a bare Flask app
    insert   PUT of one report into a bare sqlite3 table, one INSERT and commit per request

then, per database: a fresh database, the real migrations, N shoppers (gate
passed) with assignments made directly through the app's models, the app
under gunicorn, each simulated shopper signing in with POST /api/v1/session,
and four phases, each a fixed amount of work spread over the shoppers
(each keeps a connection for --burst requests, then connects anew, as a phone
does between bursts of sending; the load starts once every worker has loaded the app):

    healthz  GET /healthz                       (the same app's trivial route)
    checked  PUT of a valid report to another UUID's address: everything a PUT does before it
             receives the report (sign-in check, CSRF, validation), answered 422 uuid_mismatch
    put      PUT /api/v1/submissions/<uuid>     (one report per request)
    sync     POST /api/v1/sync                  (batches of --batch reports)

The load generator (--driver) is wrk when /usr/bin/wrk is installed: one wrk
thread and connection per shopper, sending that shopper's requests in turn
(``bench/ingest.lua``), so the client takes little of the CPU the server is
measured on; otherwise, or with --driver python, one Python thread per shopper
(``bench/load.py``: ``run_phase``). Either way the sign-in is Python's, every
request body is built beforehand (a fresh UUID per report), the yardsticks get
the same driver as the app, and the figures mean the same.

It reports requests and submissions per second, p50/p95/max latency per
request, the CPU used by gunicorn per request, by PostgreSQL (when this script
started it) and by the load generator, the load average, and each rate as a
ratio of the same run's yardsticks. Afterwards every report must be stored
exactly once and gunicorn's log must hold no "database is locked". Everything
runs on 127.0.0.1 and stops by itself.
"""

import argparse
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import WRK, Device, cpu_by_process, free_port, process_cpu, run_phase, run_wrk_phase  # noqa: E402  (bench/load.py)

PASSWORD = "bench-password-not-secret"


def arguments():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.split("\n")[2:]),
    )
    parser.add_argument(
        "--shoppers", type=int, default=8, help="simulated shoppers = client threads (default 8)"
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
    parser.add_argument("--threads", type=int, help="override the config: threads per worker (gthread)")
    parser.add_argument("--worker-class", help="override the config: gunicorn worker class")
    parser.add_argument("--hello", type=int, default=20000, help="requests to the bare Flask app (yardstick)")
    parser.add_argument("--inserts", type=int, default=10000, help="PUTs to the bare sqlite3 app (yardstick)")
    parser.add_argument("--healthz", type=int, default=10000, help="GET /healthz of the app")
    parser.add_argument(
        "--checked",
        type=int,
        default=8000,
        help="PUTs refused after every check, before receiving (uuid_mismatch); 0: no such phase",
    )
    parser.add_argument("--puts", type=int, default=8000, help="reports sent one per PUT")
    parser.add_argument("--batches", type=int, default=400, help="sync requests")
    parser.add_argument("--batch", type=int, default=100, help="reports per sync request (at most 100)")
    parser.add_argument("--no-yardsticks", action="store_true", help="skip the bare hello and insert apps")
    parser.add_argument("--time-limit", type=float, default=120, help="seconds per phase at most")
    parser.add_argument(
        "--burst",
        type=int,
        default=10,
        help="requests per connection: each shopper connects anew after this many, as a phone "
        "does between bursts of sending (0: one connection for the whole phase)",
    )
    parser.add_argument(
        "--app", default="wsgi:app", help="the WSGI app gunicorn serves (for what-if experiments)"
    )
    parser.add_argument(
        "--root",
        default=str(ROOT),
        help="the source tree gunicorn serves the app from (e.g. an older checkout, to compare)",
    )
    parser.add_argument("--pg-url", default=os.environ.get("PG_URL"), help="a PostgreSQL server to use")
    parser.add_argument(
        "--start-pg", action="store_true", help="start a throwaway cluster with scripts/pg-start"
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="run one database only")
    parser.add_argument("--json", help="also write the results here")
    return parser.parse_args()


# --- databases --------------------------------------------------------------------------------------


def sqlite_database(workdir: Path):
    return f"sqlite:///{workdir / 'bench.db'}", lambda: None


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
# (kept alive for the whole phase) can all go to the one worker already up: then one process, one GIL,
# does all the work, and the figures measure half the machine.
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


def start_gunicorn(app: str, port: int, options, log: Path, env: dict, cwd: Path) -> subprocess.Popen:
    """gunicorn serving ``app`` with the config file, and the command line's overrides, on 127.0.0.1:``port``;
    returns once every worker has loaded the app and the server answers."""
    env = {**os.environ, "APP_ENV": "development", **env}
    ready = log.parent / "ready"
    ready.mkdir()
    config = log.parent / "gunicorn.bench.conf.py"
    chosen = str(Path(options.config).resolve()) if options.config and Path(options.config).exists() else ""
    config.write_text(_BENCH_CONFIG.format(config=chosen, ready=str(ready)))
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
        "--config",
        str(config),
    ]
    for flag, value in (
        ("--workers", options.workers),
        ("--threads", options.threads),
        ("--worker-class", options.worker_class),
    ):
        command += [flag, str(value)] if value else []
    server = subprocess.Popen(
        command + [app], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    workers = gunicorn_settings(options)["workers"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if len(list(ready.iterdir())) >= workers:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    time.sleep(0.2)  # from the hook to the worker's accept loop
                    return server
        except OSError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start; see " + str(log))


def gunicorn_settings(options) -> dict:
    """The settings gunicorn ends up with: the config file's, then the command line's."""
    settings = {"workers": 1, "threads": 1, "worker_class": "sync", "keepalive": 2}
    if options.config and Path(options.config).exists():
        namespace = {}
        exec(compile(Path(options.config).read_text(), options.config, "exec"), namespace)
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
        self.server = start_gunicorn(self.app, self.port, self.options, self.log, self.env, self.cwd)
        return self

    def __exit__(self, *exc):
        self.server.terminate()
        self.server.wait(timeout=30)
        self.log_text = self.log.read_text(errors="replace")
        shutil.rmtree(self.workdir, ignore_errors=True)

    def phase(self, label: str, devices, work, db_pid: int | None = None) -> dict:
        cpu_before = cpu_by_process(self.server.pid)
        db_cpu_before = process_cpu(db_pid) if db_pid else 0
        if self.options.driver == "wrk":
            figures = run_wrk_phase(self.port, devices, work, self.options.time_limit, self.options.burst)
        else:
            figures = run_phase(devices, work, self.options.time_limit, self.options.burst)
        cpu_after = cpu_by_process(self.server.pid)
        used = {pid: cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after}
        figures["server_cpu_s"] = round(sum(used.values()), 2)
        # How the work fell across the worker processes (busiest first): a keep-alive connection stays
        # with the worker that accepted it, so a lopsided split means fewer cores at work.
        workers = sorted((v for pid, v in used.items() if pid != self.server.pid), reverse=True)
        figures["worker_cpu_split"] = [round(v / max(sum(workers), 1e-9), 2) for v in workers]
        figures["server_cpu_ms_per_request"] = round(
            1000 * figures["server_cpu_s"] / max(1, figures["requests"]), 2
        )
        figures["db_cpu_s"] = round(process_cpu(db_pid) - db_cpu_before, 2) if db_pid else None
        print(f"[{label}] {json.dumps(figures)}", flush=True)
        return figures


def spread(total: int, devices) -> int:
    return -(-total // len(devices))


def yardsticks(options) -> dict:
    """The bare Flask app and the bare sqlite3 insert app, under the same gunicorn settings."""
    results = {"database": "yardstick"}
    workdir = Path(tempfile.mkdtemp(prefix="shopper-bench-insert."))
    try:
        # The top folder too: gunicorn.conf.py's worker class is the app's (app/serving.py).
        env = {
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
            "BENCH_SQLITE_FILE": str(workdir / "insert.db"),
        }
        phone = {"questionnaire_id": 1, "version": 1}
        with Served("baseline_apps:hello", options, env, ROOT / "bench") as served:
            devices = [Device(served.port, phone) for _ in range(options.shoppers)]
            work = [[("GET", "/healthz", None, 0)] * spread(options.hello, devices) for _ in devices]
            results["hello"] = served.phase("hello", devices, work)
        with Served("baseline_apps:insert", options, env, ROOT / "bench") as served:
            devices = [Device(served.port, phone) for _ in range(options.shoppers)]
            work = []
            for device in devices:
                reports = [device.report(1) for _ in range(spread(options.inserts, devices))]
                work.append(
                    [("PUT", f"/api/v1/submissions/{r['uuid']}", json.dumps(r).encode(), 1) for r in reports]
                )
            results["insert"] = served.phase("insert", devices, work)
        results["database_is_locked"] = served.log_text.count("database is locked")
        connection = sqlite3.connect(workdir / "insert.db")
        results["stored"] = connection.execute("SELECT count(*) FROM report").fetchone()[0]
        connection.close()
        results["stored_exactly_once"] = results["stored"] == results["insert"]["submissions"]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def bench(name: str, url: str, options, db_pid: int | None = None) -> dict:
    """Prepare, serve, run the four phases; ``db_pid``: a PostgreSQL postmaster whose CPU to count too."""
    per_device_puts = -(-options.puts // options.shoppers)
    per_device_batches = -(-options.batches // options.shoppers)
    # The refused PUTs of the checked phase store nothing: the PUTs and syncs use their assignments again.
    per_shopper = max(
        per_device_puts + per_device_batches * options.batch, -(-options.checked // options.shoppers)
    )
    print(f"[{name}] preparing {options.shoppers} shoppers x {per_shopper} assignments", flush=True)
    shoppers = prepare(url, options.shoppers, per_shopper)
    results = {"database": name}
    root = Path(options.root)
    env = {
        "DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    with Served(options.app, options, env, root) as served:
        devices = [Device(served.port, {**shopper, "password": PASSWORD}) for shopper in shoppers]
        phases = {
            "healthz": [[("GET", "/healthz", None, 0)] * spread(options.healthz, devices) for _ in devices],
            "checked": [],
            "put": [],
            "sync": [],
        }
        for device in devices:
            ids = iter(device.shopper["assignments"])
            refused = device.shopper["assignments"][: spread(options.checked, devices)]
            phases["checked"].append(
                [
                    (
                        "PUT",
                        f"/api/v1/submissions/{uuid.uuid4()}",  # not the body's UUID
                        json.dumps(device.report(assignment_id)).encode(),
                        0,
                    )
                    for assignment_id in refused
                ]
            )
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
            if not any(work):  # --checked 0, --puts 0, --batches 0
                continue
            results[phase] = served.phase(f"{name}] [{phase}", devices, work, db_pid)
    stored = count_submissions(url)
    expected = sum(results[phase]["submissions"] for phase in ("put", "sync") if phase in results)
    results["stored_exactly_once"] = stored == expected
    results["stored"] = stored
    results["database_is_locked"] = served.log_text.count("database is locked")
    results["server_errors_logged"] = served.log_text.count("Traceback")
    print(
        f"[{name}] stored {stored} (expected {expected}); 'database is locked' in log: "
        f"{results['database_is_locked']}; tracebacks: {results['server_errors_logged']}",
        flush=True,
    )
    return results


PHASES = ("hello", "insert", "healthz", "checked", "put", "sync")


def table(all_results: list[dict]) -> str:
    lines = [
        "| database | phase | requests | submissions | s | req/s | submissions/s | p50 ms | p95 ms | max ms "
        "| app CPU ms/req | workers' CPU split | db CPU s | client CPU s | load avg | statuses |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
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
                f"| {'/'.join(f'{v:.2f}' for v in f['worker_cpu_split'])} "
                f"| {f['db_cpu_s'] if f['db_cpu_s'] is not None else '-'} | {f['client_cpu_s']} "
                f"| {f['load_before']}→{f['load_after']} "
                f"| {' '.join(f'{k}:{v}' for k, v in sorted(f['statuses'].items(), key=str))} |"
            )
    return "\n".join(lines)


def ratios(all_results: list[dict]) -> list[str]:
    """Each rate of the app as a multiple of the same run's yardsticks (the steadier figures on a shared machine)."""
    sticks = next((r for r in all_results if r["database"] == "yardstick"), {})
    lines = []
    for result in all_results:
        if result["database"] == "yardstick" or not all(
            phase in result for phase in ("healthz", "put", "sync")
        ):
            continue
        rates = {
            "healthz req/s": result["healthz"]["requests_per_s"],
            "PUT/s": result["put"]["submissions_per_s"],
            "sync reports/s": result["sync"]["submissions_per_s"],
        }
        for base_name, base in (
            ("hello", sticks.get("hello")),
            ("insert", sticks.get("insert")),
            ("app healthz", result["healthz"]),
        ):
            if base and base["requests_per_s"]:
                lines.append(
                    f"{result['database']}: "
                    + ", ".join(
                        f"{label} = {rate / base['requests_per_s']:.2f} x {base_name} req/s"
                        for label, rate in rates.items()
                        if not (base_name == "app healthz" and label == "healthz req/s")
                    )
                )
        hello = sticks.get("hello")
        if hello and hello["server_cpu_ms_per_request"]:
            unit = hello["server_cpu_ms_per_request"]
            sync = result["sync"]
            per_batch = sync["requests"] and round(sync["submissions"] / sync["requests"])
            per_report = (
                sync["server_cpu_ms_per_request"]
                / unit
                / max(1, sync["submissions"] / max(1, sync["requests"]))
            )
            lines.append(
                f"{result['database']}: server CPU per request in bare-hello requests: healthz "
                f"{result['healthz']['server_cpu_ms_per_request'] / unit:.1f}, PUT "
                f"{result['put']['server_cpu_ms_per_request'] / unit:.1f}, sync of {per_batch} "
                f"{result['sync']['server_cpu_ms_per_request'] / unit:.1f} "
                f"({per_report:.2f} per report)"
            )
        lines.extend(put_budget(result, sticks))
    return lines


def put_budget(result: dict, sticks: dict) -> list[str]:
    """Where a PUT's CPU goes, against what 1,000 PUTs/s leaves it on this machine (bench/README.md).

    The phase kept its cores busy a share ``used`` of the time (gunicorn, the client and PostgreSQL
    together; the rest went to the kernel, to other processes and to waiting). At 1,000/s, with the same
    share, each PUT gets ``used`` x cores ms of CPU, less what its client and database server take: that
    is the budget. ``checked`` is the PUT up to receiving the report (sign-in check, CSRF, validation,
    an answer), so ``put - checked`` is the receiving (``services.receive``: two reads, three writes, the
    commit, and their Python); the bare insert app's own (``insert - hello``) is one INSERT and commit
    through sqlite3."""
    checked, put = result.get("checked"), result.get("put")
    if not (checked and put and checked["requests"] and put["requests"]):
        return []
    cores = os.cpu_count() or 1
    client = put["client_cpu_s"] * 1000 / put["requests"]
    server = (put["db_cpu_s"] or 0) * 1000 / put["requests"]  # PostgreSQL's, when this script started it
    used = (put["server_cpu_s"] + put["client_cpu_s"] + (put["db_cpu_s"] or 0)) / put["seconds"] / cores
    budget = used * cores - client - server
    fixed, whole = checked["server_cpu_ms_per_request"], put["server_cpu_ms_per_request"]
    line = (
        f"{result['database']}: PUT CPU {whole:.2f} ms = {fixed:.2f} up to receiving (checked) "
        f"+ {whole - fixed:.2f} receiving; 1,000 PUT/s on {cores} cores busy {used:.0%} of the time, as in "
        f"this phase, leaves {budget:.2f} ms per PUT (after the client's {client:.2f}"
        + (f" and the database server's {server:.2f}" if server else "")
        + f"), so {max(0.0, budget - fixed):.2f} ms for receiving: "
        + (f"{whole - budget:.2f} ms ({1 - budget / whole:.0%}) too much" if whole > budget else "within it")
    )
    hello, insert = sticks.get("hello"), sticks.get("insert")
    if hello and insert:
        line += (
            f"; the bare insert app's own insert and commit (insert - hello): "
            f"{insert['server_cpu_ms_per_request'] - hello['server_cpu_ms_per_request']:.2f} ms"
        )
    return [line]


def machine(options) -> dict:
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "gunicorn": gunicorn_settings(options),
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
        if not options.no_yardsticks:
            all_results.append(yardsticks(options))
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
            url, _ = sqlite_database(workdir)
            all_results.append(bench("sqlite", url, options))
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
        f"{started['date']}, load average {started['load_average']} at the start, "
        f"{[round(x, 2) for x in os.getloadavg()]} at the end; gunicorn {started['gunicorn']}; "
        f"load from {started['driver']}, "
        + (
            f"{started['burst']} requests per connection"
            if started["burst"]
            else "one connection per shopper throughout"
        )
    )
    print(table(all_results))
    print("\n".join(ratios(all_results)))
    if options.json:
        Path(options.json).write_text(
            json.dumps({"machine": started, "options": vars(options), "results": all_results}, indent=1)
        )
    if not all(r["stored_exactly_once"] and not r["database_is_locked"] for r in all_results):
        raise SystemExit("FAILED: a report was lost or stored twice, or the database was locked")


if __name__ == "__main__":
    main()
