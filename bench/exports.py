"""Exports benchmark: the full answers export, CSV and XLSX, of N approved reports, under a real gunicorn.

    python bench/exports.py                                   # SQLite, 100,000 reports
    python bench/exports.py --reports 10000
    python bench/exports.py --db postgresql --pg-url postgresql+psycopg://postgres@127.0.0.1:55435/postgres

A fresh database with the real migrations; one partnership of 5 organisations, each with an office and a
contact centre; a questionnaire of 10 questions (every kind of answer that is labelled: yes/no, scale
with N/A, single and multiple choice, duration, number, time, text); N approved reports spread over the
contact points, a fifth of them telephone shops with a call log, inserted in bulk (the table's INSERT
with many rows at once). Then the app under gunicorn with the repository's ``gunicorn.conf.py``, a
coordinator signs in (POST /api/v1/session) and downloads ``/api/v1/exports/answers.csv`` and
``answers.xlsx`` in full, one after the other; each must hold the N x 10 answers (read back after the
clock stops: the CSV's lines, one per answer, counted; the XLSX's answer cells, a row per report and a
column per question on a sheet per questionnaire version, counted with openpyxl in read-only mode). Each
download's time is printed with the CPU the workers used for it: on a shared machine the CPU is the
steadier figure, and what the time would be with a core to itself.

Peak memory is the largest VmHWM (peak resident set) of the gunicorn worker processes, read from
/proc when both downloads are done: the process that served them. It is reset after the sign-in
(argon2 holds 64 MB for the moment of checking the password) and before the first download.
Then one organisation's wave report as a PDF (``/waves/<wave 2>/report/<Council 0>.pdf``, the results
recomputed with the app's own ``recompute`` first, as approval would have made them), read back with pypdf.
The last line of output is one JSON object: {"db", "reports", "csv_s", "xlsx_s", "peak_rss_mb", "pdf_s"}.
Everything runs on 127.0.0.1 (--port, default 18500) and stops by itself.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-not-secret"
COORDINATOR = "coordinator@bench.test"
QUESTIONS = 10
BATCH = 5000


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="approved reports (default 100000)")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--pg-url", default=os.environ.get("PG_URL"), help="PostgreSQL server (--db postgresql)"
    )
    parser.add_argument("--port", type=int, default=18500)
    parser.add_argument(
        "--timeout",
        type=int,
        help="override gunicorn.conf.py's timeout (30 s: a longer request ends its worker), to measure past it",
    )
    return parser.parse_args()


# --- the database ------------------------------------------------------------------------------------


def postgres_database(server_url: str):
    """A fresh database on the server, dropped afterwards."""
    import psycopg

    name = f"shopper_exports_bench_{os.getpid()}"
    admin = server_url.replace("postgresql+psycopg://", "postgresql://")

    def run(sql):
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    run(f"DROP DATABASE IF EXISTS {name}")
    run(f"CREATE DATABASE {name}")
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}", lambda: run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _questions(version):
    from app.questionnaires.models import Question, QuestionType

    choices = [
        {"value": v, "label": v.replace("_", " ").capitalize()} for v in ("resolved", "redirected", "none")
    ]
    kinds = [
        ("greeted", QuestionType.yes_no, {}),
        ("helpful", QuestionType.scale, {"scale_min": 1, "scale_max": 5, "na_allowed": True}),
        ("outcome", QuestionType.single_choice, {"options": choices}),
        ("offered", QuestionType.multi_choice, {"options": choices}),
        ("wait", QuestionType.duration, {}),
        ("staff", QuestionType.number, {}),
        ("arrived", QuestionType.time, {}),
        ("signage", QuestionType.yes_no, {"na_allowed": True}),
        ("clean", QuestionType.scale, {"scale_min": 1, "scale_max": 5}),
        ("comment", QuestionType.text, {}),
    ]
    return [
        Question(version=version, position=i, key=key, text=f"Question {i}: {key}?", type=kind, **extra)
        for i, (key, kind, extra) in enumerate(kinds, start=1)
    ]


def _answers(number: int) -> dict:
    return {
        "greeted": number % 3 != 0,
        "helpful": None if number % 7 == 0 else 1 + number % 5,
        "outcome": ("resolved", "redirected", "none")[number % 3],
        "offered": ["resolved", "redirected"][: 1 + number % 2],
        "wait": 30 + number % 900,
        "staff": number % 4,
        "arrived": f"{9 + number % 8:02d}:{number % 60:02d}",
        "signage": None if number % 11 == 0 else number % 2 == 0,
        "clean": 1 + number % 5,
        "comment": "=Looks fine"
        if number % 97 == 0
        else f"The desk was busy; seen after {number % 20} minutes.",
    }


def _call_log(number: int, dialled: datetime) -> dict:
    return {
        "dialled_at": dialled.isoformat(),
        "seconds_to_answer": None if number % 13 == 0 else 10 + number % 300,
        "rings": 2 + number % 9,
        "recorded_message": {
            "heard": False,
            "gave_name": None,
            "gave_hours": None,
            "gave_alternative": None,
            "comment": "",
        },
        "transfers": [{"to": "Revenues team", "announced": number % 2 == 0, "seconds_waiting": 20}][
            : number % 2
        ],
        "outcome": "resolved",
        "abandoned_after_minutes": None,
        "handle_time_seconds": 120 + number % 600,
    }


def prepare(url: str, reports: int) -> tuple[int, int]:
    """Make the data set; (wave 2's id, the first organisation's id): the wave report to time."""
    os.environ.setdefault("APP_ENV", "development")
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.accounts.models import Role, User, UserRole
    from app.accounts.passwords import hash_password
    from app.assignments.models import Assignment, AssignmentState
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
    from app.questionnaires.models import Questionnaire, QuestionnaireVersion, Section
    from app.visits.models import Submission, SubmissionKind, SubmissionState
    from config import DevConfig

    app = create_app(type("BenchConfig", (DevConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        upgrade()
        partnership = Partnership(name="Bench Partnership")
        areas = [
            ServiceArea(partnership=partnership, code="waste", name="Waste"),
            ServiceArea(partnership=partnership, code="planning", name="Planning"),
        ]
        programme = Programme(partnership=partnership, name="Bench Programme")
        points = []
        for n in range(5):
            organisation = Organisation(
                partnership=partnership, name=f"Council {n}", short_name=f"C{n}", tier=Tier.district
            )
            for channel, name in ((Channel.in_person, "Offices"), (Channel.telephone, "Contact centre")):
                points.append(
                    ContactPoint(
                        organisation=organisation,
                        channel=channel,
                        name=f"{name} {n}",
                        locator="1 High St",
                        service_areas=areas,
                    )
                )
        waves = [
            Wave(
                programme=programme,
                number=n,
                name=f"Wave {n}",
                starts_on=date(2026, 3 * n, 1),
                ends_on=date(2026, 3 * n, 28),
            )
            for n in (1, 2)
        ]
        scenarios = [
            Scenario(
                programme=programme,
                service_area=a,
                title=f"About {a.name}",
                persona="A resident",
                question="?",
            )
            for a in areas
        ]
        versions = {}
        for channel in (Channel.in_person, Channel.telephone):
            questionnaire = Questionnaire(programme=programme, channel=channel, title=channel.value)
            version = QuestionnaireVersion(questionnaire=questionnaire, number=1)
            section = Section(version=version, position=1, title="The visit")
            section.questions = _questions(version)
            versions[channel] = version
        coordinator = User(
            email=COORDINATOR,
            display_name="Bench Coordinator",
            password_hash=hash_password(PASSWORD),
            programme=programme,
        )
        coordinator.role_rows = [UserRole(role=Role.coordinator)]
        shoppers = []
        for n in range(50):
            shopper = User(
                email=f"shopper{n}@bench.test",
                display_name=f"Shopper {n}",
                password_hash="x",
                programme=programme,
            )
            shopper.role_rows = [UserRole(role=Role.shopper)]
            shoppers.append(shopper)
        db.session.add_all([*points, *waves, *scenarios, *versions.values(), coordinator, *shoppers])
        db.session.commit()
        base = datetime(2026, 3, 2, 9, tzinfo=UTC)
        for start in range(0, reports, BATCH):
            assignments, submissions = [], []
            for number in range(start + 1, min(reports, start + BATCH) + 1):
                point = points[number % len(points)]
                wave = waves[number % 2]
                shopper = shoppers[number % len(shoppers)]
                version = versions[point.channel]
                started = base + timedelta(days=91 * (number % 2), minutes=number % 20000)
                assignments.append(
                    dict(
                        id=number,
                        wave_id=wave.id,
                        shopper_id=shopper.id,
                        contact_point_id=point.id,
                        scenario_id=scenarios[number % 2].id,
                        questionnaire_version_id=version.id,
                        channel=point.channel,
                        window_starts_at=started - timedelta(days=1),
                        window_ends_at=started + timedelta(days=6),
                        state=AssignmentState.approved,
                        created_at=started,
                        state_changed_at=started,
                    )
                )
                call = point.channel is Channel.telephone
                submissions.append(
                    dict(
                        uuid=uuid.uuid4(),
                        assignment_id=number,
                        wave_id=wave.id,
                        programme_id=wave.programme_id,
                        shopper_id=shopper.id,
                        kind=SubmissionKind.call if call else SubmissionKind.visit,
                        questionnaire_version_id=version.id,
                        started_at=started,
                        completed_at=started + timedelta(minutes=20),
                        received_at=started + timedelta(minutes=25),
                        revision=1,
                        state=SubmissionState.approved,
                        flags=[],
                        answers=_answers(number),
                        notes="Queue of three; seen within ten minutes.",
                        commendation="The adviser was patient." if number % 5 == 0 else "",
                        evidence=[],
                        replies=[],
                        call_log=_call_log(number, started) if call else None,
                        content_hash="0" * 64,
                        review_comment="",
                        reviewed_at=started + timedelta(days=1),
                        reviewed_by_id=coordinator.id,
                    )
                )
            db.session.execute(sa.insert(Assignment), assignments)
            db.session.execute(sa.insert(Submission), submissions)
            db.session.commit()
        # The wave report reads the results engine's roll-ups, as approval would have made them.
        from app.results.services import recompute

        began = time.perf_counter()
        recompute()
        db.session.commit()
        print(f"results recomputed in {time.perf_counter() - began:.1f} s", flush=True)
        # The planner's statistics after a bulk load, as autovacuum would gather them soon after on PostgreSQL
        # (without them it planned the export's cursor over 100,000 reports as if there were a few dozen).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
        report = (waves[1].id, points[0].organisation_id)
        db.engine.dispose()
    return report


# --- the server and the downloads ---------------------------------------------------------------------


def start_gunicorn(url: str, port: int, log: Path, timeout: int | None) -> subprocess.Popen:
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": url}
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        *(["--timeout", str(timeout)] if timeout else []),
        "--error-logfile",
        str(log),
        "wsgi:app",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"gunicorn did not start; see {log}")


def sign_in(port: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/api/v1/session")
    response = connection.getresponse()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = json.loads(response.read())["csrf_token"]
    body = json.dumps({"email": COORDINATOR, "password": PASSWORD})
    headers = {"Content-Type": "application/json", "X-CSRFToken": token, "Cookie": cookie}
    connection.request("POST", "/api/v1/session", body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError(f"sign-in failed: {response.status} {data[:200]!r}")
    return {"Cookie": response.getheader("Set-Cookie").split(";", 1)[0]}


def download(port: int, path: str, headers: dict, into: Path) -> float:
    """Seconds from the request to the last byte, the body written to ``into``."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {response.read()[:300]!r}")
    with open(into, "wb") as file:
        while chunk := response.read(1 << 16):
            file.write(chunk)
    return time.perf_counter() - started


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pids) -> float:
    """User and system CPU the processes have used (proc(5): utime and stime, fields 14 and 15)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field}")


def peak_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM")


def reset_peak_rss(pid: int) -> float:
    """Start the process's peak resident set (VmHWM) again from now (proc(5), clear_refs "5"); its RSS now."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return _status_mb(pid, "VmRSS")


class AnonSampler:
    """The largest RssAnon (memory the process allocated itself, without file pages such as SQLite's memory
    map of the database, which the page cache shares and can drop) of the workers, sampled every 20 ms."""

    def __init__(self, pids):
        import threading

        self.pids, self.peak, self._stop = pids, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for pid in self.pids:
                self.peak = max(self.peak, _status_mb(pid, "RssAnon"))
            self._stop.wait(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def main():
    options = arguments()
    scratch = tempfile.TemporaryDirectory(prefix="bench-exports-")  # removed when the run ends
    workdir = Path(scratch.name)
    if options.db == "sqlite":
        url, drop = f"sqlite:///{workdir / 'bench.db'}", lambda: None
    else:
        if not options.pg_url:
            sys.exit("--db postgresql needs --pg-url (or PG_URL)")
        url, drop = postgres_database(options.pg_url)
    try:
        began = time.perf_counter()
        report_wave, report_organisation = prepare(url, options.reports)
        print(f"{options.reports} approved reports made in {time.perf_counter() - began:.1f} s", flush=True)
        server = start_gunicorn(url, options.port, workdir / "gunicorn.log", options.timeout)
        try:
            headers = sign_in(options.port)
            workers = worker_pids(server.pid)
            timings, peaks = {}, {}
            downloads = {
                "answers.csv": "/api/v1/exports/answers.csv",
                "answers.xlsx": "/api/v1/exports/answers.xlsx",
                "report.pdf": f"/waves/{report_wave}/report/{report_organisation}.pdf",
            }
            for name, path in downloads.items():
                # Each download's own peak: VmHWM started again from now (after the sign-in's argon2 too).
                idle = {pid: reset_peak_rss(pid) for pid in workers}
                cpu = cpu_seconds(workers)
                with AnonSampler(workers) as anon:
                    timings[name] = download(options.port, path, headers, workdir / name)
                used = cpu_seconds(workers) - cpu
                peaks[name] = max(peak_rss_mb(pid) for pid in workers)
                print(
                    f"{name}: {timings[name]:.1f} s, {used:.1f} s of the workers' CPU (load average "
                    f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); peak RSS {peaks[name]:.0f} MB "
                    f"(before: {', '.join(f'{mb:.0f}' for mb in idle.values())} MB), of which allocated "
                    f"(RssAnon) at most {anon.peak:.0f} MB",
                    flush=True,
                )
            csv_s, xlsx_s, pdf_s = timings["answers.csv"], timings["answers.xlsx"], timings["report.pdf"]
        finally:
            server.terminate()
            server.wait(timeout=30)
        expected = options.reports * QUESTIONS
        with open(workdir / "answers.csv", encoding="utf-8-sig") as file:
            csv_rows = sum(1 for _ in file) - 1
        import openpyxl

        # The workbook has a sheet per questionnaire version, a row per report and a column per question
        # after the six that say where the report was made: its answers are its cells past those.
        workbook = openpyxl.load_workbook(workdir / "answers.xlsx", read_only=True)
        xlsx_rows = 0
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(min_row=2, values_only=True):
                xlsx_rows += sum(1 for value in row[6:] if value is not None)
        workbook.close()
        sizes = {name: (workdir / name).stat().st_size / 1e6 for name in ("answers.csv", "answers.xlsx")}
        print(
            f"answers: csv {csv_rows} rows, xlsx {xlsx_rows} cells (expected {expected}); "
            f"sizes: csv {sizes['answers.csv']:.0f} MB, xlsx {sizes['answers.xlsx']:.0f} MB",
            flush=True,
        )
        from pypdf import PdfReader

        pdf = PdfReader(workdir / "report.pdf")
        pdf_text = "".join(page.extract_text() for page in pdf.pages)
        print(
            f"report: {len(pdf.pages)} pages, {(workdir / 'report.pdf').stat().st_size / 1e3:.0f} kB",
            flush=True,
        )
        if "Council 0: Wave 2 report" not in pdf_text or "Duty of care" not in pdf_text:
            sys.exit("the wave report PDF lacks its title or its duty-of-care statement")
        if csv_rows != expected or xlsx_rows != expected:
            sys.exit("an export is short:\n" + (workdir / "gunicorn.log").read_text()[-2000:])
        print(
            json.dumps(
                {
                    "db": options.db,
                    "reports": options.reports,
                    "csv_s": round(csv_s, 2),
                    "xlsx_s": round(xlsx_s, 2),
                    "peak_rss_mb": round(max(peaks.values()), 1),  # of the three downloads
                    "pdf_s": round(pdf_s, 2),
                }
            )
        )
    finally:
        drop()
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
