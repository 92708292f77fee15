"""Results benchmark: every results page and GET /api/v1/results variant, timed as a coordinator at scale.

    python bench/results.py --db sqlite --reports 100000
    python bench/results.py --db postgresql --reports 100000   # a throwaway cluster (scripts/pg-start)
    python bench/results.py --db postgresql --pg-url postgresql+psycopg://...   # a server you run

1. a fresh database with the real migrations, then ``bench/results_data.py``: 11 organisations, 6 service
   areas, 6 channels, 3 waves and N approved reports with their answers (about ten each) and call logs,
   bulk-inserted, with a progress bar and the generation time;
2. the roll-ups built by the app itself, ``app.results.services.recompute`` (what `flask results recompute`
   runs), timed;
3. gunicorn with the repository's gunicorn.conf.py on 127.0.0.1 (``--port``), the coordinator signed in
   with POST /api/v1/session, then each page and API variant requested ``--repeat`` times after two warm-ups,
   one request at a time; p95 in milliseconds.

The last line of output is one JSON object:
``{"db", "reports", "answers", "generation_s", "recompute_s", "pages": {path: p95_ms}, "slowest_ms",
"load_average"}`` (the one-minute load average when the timing ended: the machine may be shared).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-2026-results"


def arguments():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument(
        "--port", type=int, default=18250, help="gunicorn's port on 127.0.0.1 (default 18250)"
    )
    parser.add_argument(
        "--pg-port", type=int, default=55432, help="the throwaway cluster's port (default 55432)"
    )
    parser.add_argument(
        "--pg-url", help="an existing PostgreSQL server: a database is made on it and dropped"
    )
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file / PostgreSQL database")
    return parser.parse_args()


def start_cluster(port: int) -> tuple[str, str]:
    """scripts/pg-start on ``port``: (url, data directory)."""
    output = subprocess.run(
        [str(ROOT / "scripts" / "pg-start")],
        env={**os.environ, "PG_PORT": str(port)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = dict(line.split("=", 1) for line in output.split() if "=" in line)
    return values["PG_URL"].strip("'\""), values["PG_DIR"].strip("'\"")


def postgres_database(server_url: str) -> tuple[str, callable]:
    import psycopg

    name = f"shopper_results_{os.getpid()}"
    admin = server_url.replace("postgresql+psycopg://", "postgresql://")

    def run(sql):
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    run(f"DROP DATABASE IF EXISTS {name}")
    run(f"CREATE DATABASE {name}")
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}", lambda: run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def prepare(url: str, reports: int) -> dict:
    """Migrate, generate and recompute in this process; the timings and counts."""
    os.environ["DATABASE_URL"] = url
    from flask_migrate import upgrade

    from app import create_app
    from app.accounts.passwords import hash_password
    from app.extensions import db
    from app.results.services import approved_count, recompute
    from bench.results_data import generate

    app = create_app()
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        made = generate(reports, hash_password(PASSWORD))
        generation = time.perf_counter() - started
        print(
            f"generated {reports} approved reports, {made['answers']} answers in {generation:.1f} s",
            flush=True,
        )
        import click

        started = time.perf_counter()
        with click.progressbar(length=approved_count(), label="Recomputing the roll-ups") as bar:
            outcome = recompute(progress=bar.update)
        db.session.commit()
        recomputed = time.perf_counter() - started
        print(
            f"recompute: {outcome.reports} reports, {outcome.cells} cells in {recomputed:.1f} s", flush=True
        )
        ids = _ids(made["programme_id"])
        db.session.commit()
        # The planner's statistics after a bulk load, as autovacuum would gather them soon after on PostgreSQL.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
            if (
                db.engine.dialect.name == "sqlite"
            ):  # the bulk load's write-ahead log, as an automatic checkpoint would
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
    return {
        "answers": made["answers"],
        "generation_s": round(generation, 1),
        "recompute_s": round(recomputed, 1),
        **ids,
    }


def _ids(programme_id: int) -> dict:
    import sqlalchemy as sa

    from app.extensions import db
    from app.programmes.models import Organisation, Programme, ServiceArea, Wave

    programme = db.session.get(Programme, programme_id)
    return {
        "programme": programme_id,
        "waves": list(
            db.session.scalars(sa.select(Wave.id).filter_by(programme_id=programme_id).order_by(Wave.number))
        ),
        "organisation": db.session.scalars(
            sa.select(Organisation.id).filter_by(partnership_id=programme.partnership_id)
        ).first(),
        "service_area": db.session.scalars(
            sa.select(ServiceArea.id).filter_by(partnership_id=programme.partnership_id)
        ).first(),
    }


def variants(ids: dict) -> list[str]:
    base = f"/programmes/{ids['programme']}/results"
    first_wave, organisation, area = ids["waves"][0], ids["organisation"], ids["service_area"]
    pages = [base + suffix for suffix in ("", "/league", "/trend", "/measures", "/strengths", "/reports")]
    pages += [
        f"{base}?wave={first_wave}&channel=telephone",
        f"{base}/league?organisation={organisation}&service_area={area}",
        f"{base}/measures?channel=telephone",
        f"{base}/reports?wave={first_wave}&organisation={organisation}&channel=telephone",
    ]
    api = "/api/v1/results"
    groups = [
        "organisation",
        "service_area",
        "channel",
        "contact_point",
        "wave",
        "organisation,channel",
        "organisation,service_area",
        "channel,wave",
        "organisation,wave",
        "organisation,service_area,channel,contact_point,wave",
    ]
    pages += [f"{api}?group_by={g}" for g in groups]
    pages += [
        f"{api}?wave={first_wave}&organisation={organisation}&group_by=service_area,channel",
        f"{api}?channel=telephone&service_area={area}&group_by=organisation",
    ]
    return pages


def serve(url: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": url}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--error-logfile",
            str(log),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import requests

    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    return server
            except requests.RequestException:  # not listening yet, or its workers still loading
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {log}")
    except BaseException:
        server.terminate()
        raise


def time_pages(port: int, pages: list[str], repeat: int) -> dict:
    import requests

    from bench.results_data import COORDINATOR

    session = requests.Session()
    token = session.get(f"http://127.0.0.1:{port}/api/v1/session", timeout=30).json()["csrf_token"]
    signed = session.post(
        f"http://127.0.0.1:{port}/api/v1/session",
        json={"email": COORDINATOR, "password": PASSWORD},
        headers={"X-CSRFToken": token},
        timeout=30,
    )
    signed.raise_for_status()
    timings = {}
    for path in pages:
        samples = []
        for attempt in range(repeat + 2):
            started = time.perf_counter()
            response = session.get(f"http://127.0.0.1:{port}{path}", timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
            if attempt >= 2:
                samples.append(elapsed)
        samples.sort()
        timings[path] = round(samples[max(0, int(len(samples) * 0.95 + 0.5) - 1)], 1)
        print(f"  p95 {timings[path]:8.1f} ms  {path}", flush=True)
    return timings


def main():
    options = arguments()
    # Stopped from outside (timeout, kill): still stop gunicorn and the cluster and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    # Removed when the run ends, unless the database in it is to be kept.
    scratch = None if options.keep else tempfile.TemporaryDirectory(prefix="results-bench-")
    workdir = Path(tempfile.mkdtemp(prefix="results-bench-") if options.keep else scratch.name)
    cluster_dir = None
    if options.db == "sqlite":
        url, drop = f"sqlite:///{workdir / 'bench.db'}", lambda: None
    else:
        server_url = options.pg_url
        if server_url is None:
            server_url, cluster_dir = start_cluster(options.pg_port)
        url, drop = postgres_database(server_url)
    try:
        prepared = prepare(url, options.reports)
        server = serve(url, options.port, workdir / "gunicorn.log")
        try:
            pages = time_pages(options.port, variants(prepared), options.repeat)
            load_during = round(os.getloadavg()[0], 2)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if not options.keep:
            drop()
        else:
            print(f"the database is kept: {url}", flush=True)
        if cluster_dir:
            subprocess.run([str(ROOT / "scripts" / "pg-stop"), cluster_dir], check=False)
    print(
        json.dumps(
            {
                "db": options.db,
                "reports": options.reports,
                "answers": prepared["answers"],
                "generation_s": prepared["generation_s"],
                "recompute_s": prepared["recompute_s"],
                "pages": pages,
                "slowest_ms": max(pages.values()),
                # The machine is shared: the load average while the pages were timed says how far to trust them.
                "load_average": load_during,
            }
        )
    )


if __name__ == "__main__":
    main()
