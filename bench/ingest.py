"""Ingest benchmark: simulated shoppers uploading reports to the app under a real gunicorn.

    python bench/ingest.py                       # SQLite only
    python bench/ingest.py --pg-url postgresql+psycopg://postgres@127.0.0.1:55433/postgres
    python bench/ingest.py --start-pg            # also PostgreSQL, on a throwaway cluster (scripts/pg-start)

For each database: a fresh database, the real migrations, N shoppers (gate
passed) with assignments made directly through the app's models, gunicorn on
loopback, each simulated shopper signing in with POST /api/v1/session. Then
three bounded phases, each a fixed amount of work spread over the shoppers'
threads (one keep-alive connection each):

    healthz  GET /healthz                       (the same app's trivial baseline)
    put      PUT /api/v1/submissions/<uuid>     (one report per request)
    sync     POST /api/v1/sync                  (batches of --batch reports)

and reports requests and submissions per second, p50/p95/max latency per
request, the CPU seconds used by gunicorn, by PostgreSQL (when this script
started it) and by this load generator, and checks afterwards that every
report is stored exactly once and that gunicorn's log has no "database is
locked". Everything runs on 127.0.0.1 and stops by itself.
"""
import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-not-secret"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shoppers", type=int, default=8, help="simulated shoppers = client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (sync closes each connection)")
    parser.add_argument("--healthz", type=int, default=6000, help="baseline requests")
    parser.add_argument("--puts", type=int, default=3000, help="reports sent one per PUT")
    parser.add_argument("--batches", type=int, default=200, help="sync requests")
    parser.add_argument("--batch", type=int, default=100, help="reports per sync request (at most 100)")
    parser.add_argument("--time-limit", type=float, default=120, help="seconds per phase at most")
    parser.add_argument("--app", default="wsgi:app", help="the WSGI app gunicorn serves (for what-if experiments)")
    parser.add_argument("--pg-url", default=os.environ.get("PG_URL"), help="a PostgreSQL server to use")
    parser.add_argument("--start-pg", action="store_true", help="start a throwaway cluster with scripts/pg-start")
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
    from app.accounts.models import (ConfidentialityAcknowledgement, ConfidentialityStatement,
                                     ConflictDeclaration, Role, User, UserRole)
    from app.accounts.passwords import hash_password
    from app.assignments.models import Assignment, AssignmentState
    from app.db_types import utcnow
    from app.extensions import db
    from app.programmes.models import (Channel, ContactPoint, Organisation, Partnership, Programme, Scenario,
                                       ServiceArea, Tier, Wave)
    from app.questionnaires.models import Question, Questionnaire, QuestionnaireVersion, QuestionType, Section
    from config import DevConfig

    config = type("BenchConfig", (DevConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    with app.app_context():
        upgrade()
        partnership = Partnership(name="Bench Partnership")
        organisation = Organisation(partnership=partnership, name="Bench Council", short_name="BC",
                                    tier=Tier.district)
        area = ServiceArea(partnership=partnership, code="waste", name="Waste")
        programme = Programme(partnership=partnership, name="Bench Programme")
        point = ContactPoint(organisation=organisation, channel=Channel.in_person, name="Offices",
                             locator="1 High St", service_areas=[area])
        wave = Wave(programme=programme, number=1, name="Wave 1", starts_on=date.today() - timedelta(days=7),
                    ends_on=date.today() + timedelta(days=21))
        scenario = Scenario(programme=programme, service_area=area, title="Missed bin", persona="A resident",
                            question="My bin was missed")
        statement = ConfidentialityStatement(programme=programme, version=1, text="Keep it confidential.")
        questionnaire = Questionnaire(programme=programme, channel=Channel.in_person, title="Visit")
        version = QuestionnaireVersion(questionnaire=questionnaire, number=1)
        section = Section(version=version, position=1, title="Visit")
        section.questions = [
            Question(version=version, position=1, key="greeted", text="Greeted?", type=QuestionType.yes_no),
            Question(version=version, position=2, key="helpful", text="Helpful?", type=QuestionType.scale,
                     scale_min=1, scale_max=5, na_allowed=True),
            Question(version=version, position=3, key="outcome", text="Outcome", type=QuestionType.single_choice,
                     options=[{"value": "resolved", "label": "Resolved"},
                              {"value": "redirected", "label": "Redirected"}]),
            Question(version=version, position=4, key="wait", text="Wait", type=QuestionType.duration),
            Question(version=version, position=5, key="comment", text="Comment", type=QuestionType.text),
        ]
        db.session.add_all([point, wave, scenario, statement, version])
        password_hash = hash_password(PASSWORD)
        users = []
        for number in range(shoppers):
            user = User(email=f"shopper{number}@bench.test", display_name=f"Shopper {number}",
                        password_hash=password_hash, programme=programme)
            user.role_rows = [UserRole(role=Role.shopper)]
            users.append(user)
        db.session.add_all(users)
        db.session.flush()
        for user in users:
            db.session.add(ConfidentialityAcknowledgement(user_id=user.id, statement_id=statement.id))
            db.session.add(ConflictDeclaration(user_id=user.id, declared_none=True))
        now = utcnow()
        rows = [dict(wave_id=wave.id, shopper_id=user.id, contact_point_id=point.id, scenario_id=scenario.id,
                     questionnaire_version_id=version.id, channel=Channel.in_person,
                     window_starts_at=now - timedelta(days=1), window_ends_at=now + timedelta(days=6),
                     state=AssignmentState.accepted, created_at=now, state_changed_at=now)
                for user in users for _ in range(per_shopper)]
        for start in range(0, len(rows), 5000):
            db.session.execute(sa.insert(Assignment), rows[start:start + 5000])
        db.session.commit()
        ids = {}
        for assignment_id, shopper_id in db.session.execute(
                sa.select(Assignment.id, Assignment.shopper_id).order_by(Assignment.id)):
            ids.setdefault(shopper_id, []).append(assignment_id)
        result = [{"email": u.email, "assignments": ids[u.id], "questionnaire_id": questionnaire.id,
                   "version": version.number} for u in users]
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

def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int, options, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "development",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(options.workers),
               "--threads", str(options.threads), "--worker-class", options.worker_class, "--keep-alive", "600",
               "--backlog", "256", "--log-level", "warning", "--error-logfile", str(log), options.app]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start; see " + str(log))


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its (live) children, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for candidate in [pid] + children(pid):
        try:
            fields = Path(f"/proc/{candidate}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


# --- the simulated shoppers ---------------------------------------------------------------------------

class Device:
    """One shopper's phone: a keep-alive connection, the session cookie and the CSRF token."""

    def __init__(self, port: int, shopper: dict):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.shopper = shopper
        self.headers = {"Content-Type": "application/json"}
        status, body = self.request("GET", "/api/v1/session")
        self.headers["X-CSRFToken"] = json.loads(body)["csrf_token"]
        status, body = self.request("POST", "/api/v1/session",
                                    json.dumps({"email": shopper["email"], "password": PASSWORD}).encode())
        if status != 200:
            raise RuntimeError(f"sign-in failed: {status} {body[:200]!r}")
        self.headers["X-CSRFToken"] = json.loads(body)["csrf_token"]

    def request(self, method: str, path: str, body: bytes | None = None):
        """One request; sent again once on a fresh connection if the idle one was closed (PUT and sync are
        idempotent, which is the point of them)."""
        try:
            self.connection.request(method, path, body=body, headers=self.headers)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest):
            self.connection.close()
            self.connection.request(method, path, body=body, headers=self.headers)
            response = self.connection.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.headers["Cookie"] = cookie.split(";", 1)[0]
        return response.status, data

    def report(self, assignment_id: int) -> dict:
        started = time.time() - 1800
        return {
            "uuid": str(uuid.uuid4()), "assignment_id": assignment_id, "kind": "visit",
            "questionnaire_id": self.shopper["questionnaire_id"], "questionnaire_version": self.shopper["version"],
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "completed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started + 1200)),
            "answers": {"greeted": True, "helpful": 4, "outcome": "resolved", "wait": 240,
                        "comment": "Seen at the main desk after a short wait; clear answer."},
            "notes": "Queue of three.",
        }


def run_phase(devices, work: list[list], time_limit: float) -> dict:
    """Each device sends its own list of (method, path, body, submissions) in turn; returns the figures."""
    latencies, statuses, submissions = [], {}, [0]
    lock = threading.Lock()
    deadline = time.monotonic() + time_limit

    def drive(device, items):
        mine, my_statuses, my_subs = [], {}, 0
        for method, path, body, count in items:
            if time.monotonic() > deadline:
                break
            began = time.perf_counter()
            try:
                status, data = device.request(method, path, body)
            except OSError as error:  # counted, not fatal: the figures say how many
                my_statuses[type(error).__name__] = my_statuses.get(type(error).__name__, 0) + 1
                device.connection.close()
                continue
            mine.append(time.perf_counter() - began)
            if method == "POST" and path == "/api/v1/sync" and status == 200:
                for result in json.loads(data)["results"]:
                    my_statuses[result["status"]] = my_statuses.get(result["status"], 0) + 1
                    my_subs += result["status"] in (200, 201)
            else:
                my_statuses[status] = my_statuses.get(status, 0) + 1
                my_subs += count if status in (200, 201) else 0
        with lock:
            latencies.extend(mine)
            submissions[0] += my_subs
            for status, n in my_statuses.items():
                statuses[status] = statuses.get(status, 0) + n

    threads = [threading.Thread(target=drive, args=(d, w)) for d, w in zip(devices, work)]
    began, cpu_began = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p):
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else None

    return {"requests": len(latencies), "seconds": round(elapsed, 2),
            "requests_per_s": round(len(latencies) / elapsed, 1),
            "submissions": submissions[0], "submissions_per_s": round(submissions[0] / elapsed, 1),
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "max_ms": pct(1.0), "statuses": statuses,
            "client_cpu_s": round(time.process_time() - cpu_began, 2)}


def bench(name: str, url: str, options, db_pid: int | None = None) -> dict:
    """Prepare, serve, run the three phases; ``db_pid``: a PostgreSQL postmaster whose CPU to count too."""
    per_device_puts = -(-options.puts // options.shoppers)
    per_device_batches = -(-options.batches // options.shoppers)
    per_shopper = per_device_puts + per_device_batches * options.batch
    print(f"[{name}] preparing {options.shoppers} shoppers x {per_shopper} assignments", flush=True)
    shoppers = prepare(url, options.shoppers, per_shopper)
    workdir = Path(tempfile.mkdtemp(prefix="shopper-bench-log."))
    log = workdir / "gunicorn.log"
    port = free_port()
    server = start_gunicorn(url, port, options, log)
    results = {"database": name}
    try:
        devices = [Device(port, shopper) for shopper in shoppers]
        phases = {
            "healthz": [[("GET", "/healthz", None, 0)] * -(-options.healthz // options.shoppers) for _ in devices],
            "put": [], "sync": [],
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
                batches.append(("POST", "/api/v1/sync", json.dumps({"submissions": batch}).encode(), len(batch)))
            phases["sync"].append(batches)
        for phase, work in phases.items():
            cpu_before = process_cpu(server.pid)
            db_cpu_before = process_cpu(db_pid) if db_pid else 0
            figures = run_phase(devices, work, options.time_limit)
            figures["server_cpu_s"] = round(process_cpu(server.pid) - cpu_before, 2)
            figures["db_cpu_s"] = round(process_cpu(db_pid) - db_cpu_before, 2) if db_pid else None
            results[phase] = figures
            print(f"[{name}] {phase}: {json.dumps(figures)}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = count_submissions(url)
    expected = results["put"]["submissions"] + results["sync"]["submissions"]
    log_text = log.read_text(errors="replace")
    results["stored_exactly_once"] = stored == expected
    results["stored"] = stored
    results["database_is_locked"] = log_text.count("database is locked")
    results["server_errors_logged"] = log_text.count("Traceback")
    shutil.rmtree(workdir, ignore_errors=True)
    print(f"[{name}] stored {stored} (expected {expected}); 'database is locked' in log: "
          f"{results['database_is_locked']}; tracebacks: {results['server_errors_logged']}", flush=True)
    return results


def table(all_results: list[dict]) -> str:
    lines = ["| database | phase | requests | submissions | s | req/s | submissions/s | p50 ms | p95 ms "
             "| max ms | app CPU s | db CPU s | client CPU s | statuses |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for result in all_results:
        for phase in ("healthz", "put", "sync"):
            f = result[phase]
            lines.append(f"| {result['database']} | {phase} | {f['requests']} | {f['submissions']} | {f['seconds']} "
                         f"| {f['requests_per_s']} | {f['submissions_per_s']} | {f['p50_ms']} | {f['p95_ms']} "
                         f"| {f['max_ms']} | {f['server_cpu_s']} | {f['db_cpu_s'] if f['db_cpu_s'] is not None else '-'} "
                         f"| {f['client_cpu_s']} "
                         f"| {' '.join(f'{k}:{v}' for k, v in sorted(f['statuses'].items(), key=str))} |")
    return "\n".join(lines)


def main():
    options = arguments()
    if not 1 <= options.batch <= 100:
        raise SystemExit("--batch must be 1..100")
    all_results, cleanups, pg_dir = [], [], None
    pg_url = options.pg_url
    try:
        if options.start_pg and not pg_url:
            output = subprocess.run([str(ROOT / "scripts/pg-start")], check=True, capture_output=True, text=True,
                                    env={**os.environ, "PG_PORT": str(free_port())}).stdout
            found = dict(line.removeprefix("export ").split("=", 1) for line in output.splitlines() if "=" in line)
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
    print(table(all_results))
    for result in all_results:
        base = result["healthz"]["requests_per_s"]
        print(f"{result['database']}: PUT {result['put']['requests_per_s'] / base:.2f}x the healthz request rate; "
              f"sync {result['sync']['requests_per_s'] / base:.3f}x its request rate "
              f"({result['sync']['submissions_per_s'] / base:.2f}x in submissions)")
    if options.json:
        Path(options.json).write_text(json.dumps({"options": vars(options), "results": all_results}, indent=1))
    if not all(r["stored_exactly_once"] and not r["database_is_locked"] for r in all_results):
        raise SystemExit("FAILED: a report was lost or stored twice, or the database was locked")


if __name__ == "__main__":
    main()
