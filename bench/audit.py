"""The audit trail page at scale: the demo, with ``--events`` audit entries (309,000 by default), each view
of ``/audit`` timed as the coordinator and the admin, and the CSV download.

    python bench/audit.py                                  # SQLite, a file in a temporary folder
    python bench/audit.py --db postgresql --pg-url postgresql+psycopg://postgres@127.0.0.1:55460/postgres

The entries are bulk-inserted as ``app.audit.services.record`` writes them: 90% in the demo's programme,
10% in none (an admin's), spread over a year, over 40 actors and 30 kinds of action (sign-ins the
commonest), on 20,000 objects. Each view is requested ``--requests`` times after one warm-up, in process
through Flask's test client (the server's time, without a network). Prints p50 / p95 / size per view and
the CSV's rate, then one JSON line.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import build_demo, make_app, sign_in  # noqa: E402

CHUNK = 10_000
ACTIONS = [
    *["account.signed_in"] * 8,
    *["account.sign_in_failed"] * 2,
    "account.signed_out",
    "account.roles_changed",
    "account.invited",
    "account.deactivated",
    "account.password_reset",
    "submission.in_review",
    "submission.approved",
    "submission.returned",
    "submission.rejected",
    "submission.received",
    "assignment.offered",
    "assignment.reassigned",
    "export.downloaded",
    "programme.settings_changed",
    "wave.planned",
    "question.deleted",
    "organisation.created",
    "conflicts.declared",
    "confidentiality.acknowledged",
]


def fill(events: int) -> dict:
    import sqlalchemy as sa

    from app.accounts.models import User
    from app.audit.models import AuditEvent
    from app.extensions import db
    from app.programmes.models import Programme

    rng = random.Random(20261205)
    programme_id = db.session.scalar(sa.select(Programme.id).order_by(Programme.id).limit(1))
    actors = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
    actors = (actors * 40)[:40]
    start = datetime.now(UTC) - timedelta(days=365)
    rows = []
    for n in range(events):
        action = rng.choice(ACTIONS)
        rows.append(
            {
                "occurred_at": start + timedelta(seconds=n * 365 * 86400 // events),
                "actor_id": rng.choice(actors),
                "action": action,
                "object_type": action.partition(".")[0].replace("account", "user_account"),
                "object_id": str(rng.randrange(1, 20_000)),
                "data": {},
                "programme_id": programme_id if rng.random() < 0.9 else None,
                "origin": f"192.0.2.{rng.randrange(1, 255)}",
            }
        )
        if len(rows) == CHUNK:
            db.session.execute(sa.insert(AuditEvent), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(AuditEvent), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE audit_event"))
    else:
        db.session.execute(sa.text("ANALYZE"))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    middle = db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) // 2
    day = (start + timedelta(days=200)).date().isoformat()
    return {"total": total, "middle": middle, "day": day}


COORDINATOR, ADMIN = "coordinator@demo.test", "admin@demo.test"
VIEWS = [
    (COORDINATOR, "/audit"),
    (ADMIN, "/audit"),
    (COORDINATOR, "/audit?before={middle}"),
    (COORDINATOR, "/audit?kind=sign_ins"),
    (COORDINATOR, "/audit?kind=reviews&before={middle}"),
    (COORDINATOR, "/audit?kind=deletions"),
    (COORDINATOR, "/audit?action=account.deactivated"),
    (COORDINATOR, "/audit?person=coordinator@demo.test"),
    (COORDINATOR, "/audit?object=user+account+1234"),
    (COORDINATOR, "/audit?since={day}&until={day}"),
    (ADMIN, "/audit?kind=exports&since={day}"),
    (COORDINATOR, "/audit.csv?object=user+account+1234"),
]


def time_views(app, requests: int, values: dict) -> list:
    clients, results = {}, []
    for role, template in VIEWS:
        if role not in clients:
            with app.app_context():
                clients[role] = sign_in(app, role)
        path = template.format(**values)
        samples = []
        for n in range(requests + 1):
            started = time.perf_counter()
            response = clients[role].get(path)
            body = response.get_data()
            if n:
                samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        samples.sort()
        p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
        results.append((role.split("@")[0], path, statistics.median(samples), p95, len(body) / 1024))
    return results


def time_full_csv(app) -> tuple[int, float]:
    with app.app_context():
        client = sign_in(app, ADMIN)
    started = time.perf_counter()
    response = client.get("/audit.csv")
    lines = sum(chunk.count(b"\n") for chunk in response.response)
    return lines - 1, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=309_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("PG_URL", ""), help="an empty PostgreSQL database")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    if args.db == "sqlite":
        scratch = tempfile.TemporaryDirectory(prefix="audit-bench-")  # removed when the run ends
        url = f"sqlite:///{Path(scratch.name) / 'audit.db'}"
    elif args.pg_url:
        url = args.pg_url
    else:
        raise SystemExit("--db postgresql needs --pg-url (or PG_URL): an empty database it may wipe")
    app = make_app(url)
    with app.app_context():
        build_demo(url)
        started = time.perf_counter()
        values = fill(args.events)
        print(f"{values['total']:,} audit entries in {time.perf_counter() - started:.1f} s", flush=True)
    results = time_views(app, args.requests, values)
    print(f"{'as':<12} {'view':<48} {'p50 ms':>8} {'p95 ms':>8} {'kB':>7}")
    for role, path, p50, p95, kb in results:
        print(f"{role:<12} {path:<48} {p50:>8.1f} {p95:>8.1f} {kb:>7.1f}")
    rows, seconds = time_full_csv(app)
    print(f"CSV of every entry (admin): {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)")
    print(
        json.dumps(
            {
                "db": args.db,
                "events": values["total"],
                "views": {
                    f"{r} {p}": {"p50_ms": round(a, 1), "p95_ms": round(b, 1)} for r, p, a, b, _ in results
                },
                "slowest_p95_ms": round(max(r[3] for r in results), 1),
                "csv_rows_per_s": round(rows / seconds),
            }
        )
    )


if __name__ == "__main__":
    main()
