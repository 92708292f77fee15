"""CPU per request of the ingest path: what ``bench/ingest.py``'s floors come down to, measured so that a
busy machine does not move it.

    python bench/ingest_cpu.py                     # SQLite, under gunicorn
    python bench/ingest_cpu.py --pg-url postgresql+psycopg://postgres@127.0.0.1:55410/postgres
    python bench/ingest_cpu.py --in-process --profile sync   # Flask's test client, cProfile of a phase

The same world as ``bench/ingest.py`` (a fresh database, the real migrations, a shopper past the gate with
accepted assignments). Under gunicorn (the repository's ``gunicorn.conf.py`` with one worker process, so
that the one client's requests all reach the process measured) one client signs in and sends, one request
at a time on a keep-alive connection renewed every --burst requests: the yardstick ``hello`` (a bare Flask
app, ``bench/baseline_apps.py``, served the same way), the app's ``GET /healthz``, single-report PUTs and
syncs of --batch reports. Each phase's figure is the CPU that gunicorn's processes used (from /proc) per
request. Waiting for a busy core costs no CPU, so the figures hold on a shared machine. At the end: what
they imply for the floors of ``bench/ingest.py`` with the cores saturated (reports/s over hello's req/s
is hello's CPU per request over a report's), and, on PostgreSQL, the server's own CPU beside.

--in-process drives the app with Flask's test client in this process instead (``time.process_time``,
the test client's own work included) and --profile writes cProfile's top functions for one phase.
Under valgrind, --callgrind counts each phase's instructions instead, which no other work on the machine
changes (about 30 times slower: use small counts):

    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/ingest_cpu.py --in-process \
        --callgrind --hello 50 --healthz 20 --puts 20 --batches 6
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import FLOORS, PASSWORD, Served, postgres_database, prepare  # noqa: E402  (bench/ingest.py)
from load import Device, process_cpu  # noqa: E402


def arguments():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.split("\n")[2:]),
    )
    parser.add_argument("--pg-url", help="a PostgreSQL server (else SQLite in a temporary folder)")
    parser.add_argument(
        "--pg-dir", help="that server's folder (scripts/pg-start's PG_DIR): count its CPU per request too"
    )
    parser.add_argument("--hello", type=int, default=3000, help="requests to the bare Flask app")
    parser.add_argument("--healthz", type=int, default=2000, help="GET /healthz of the app")
    parser.add_argument("--puts", type=int, default=1500, help="single-report PUTs")
    parser.add_argument("--batches", type=int, default=40, help="syncs")
    parser.add_argument("--batch", type=int, default=100, help="reports per sync (at most 100)")
    parser.add_argument("--burst", type=int, default=10, help="requests per connection (0: one for all)")
    parser.add_argument("--threads", type=int, help="override the config: threads of the one worker")
    parser.add_argument("--in-process", action="store_true", help="Flask's test client in this process")
    parser.add_argument(
        "--profile", choices=["hello", "healthz", "put", "sync"], help="with --in-process: cProfile one phase"
    )
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="with --in-process, run under valgrind --tool=callgrind --instr-atstart=no: count the "
        "instructions of each phase (after 3 requests of warm-up) instead of CPU time",
    )
    parser.add_argument("--json", help="also write the results here")
    return parser.parse_args()


def reports(shopper: dict, count: int) -> list[dict]:
    device = SimpleNamespace(shopper=shopper)
    ids = shopper["assignments"]
    return [Device.report(device, ids.pop()) for _ in range(count)]


def work_for(options, shopper: dict) -> dict[str, list]:
    """Each phase's requests: (method, path, body, reports)."""
    puts = [
        ("PUT", f"/api/v1/submissions/{report['uuid']}", json.dumps(report).encode(), 1)
        for report in reports(shopper, options.puts)
    ]
    syncs = [
        ("POST", "/api/v1/sync", json.dumps({"submissions": reports(shopper, options.batch)}).encode(), 1)
        for _ in range(options.batches)
    ]
    return {"healthz": [("GET", "/healthz", None, 0)] * options.healthz, "put": puts, "sync": syncs}


def check(phase: str, status: int, body: bytes, batch: int) -> None:
    wanted = {"hello": 200, "healthz": 200, "put": 201, "sync": 200}[phase]
    if status != wanted:
        raise RuntimeError(f"{phase}: {status} {body[:300]!r}")
    if phase == "sync":
        results = json.loads(body)["results"]
        if len(results) != batch or any(r["status"] != 201 for r in results):
            raise RuntimeError(f"sync: {body[:300]!r}")


def under_gunicorn(options, url: str, shopper: dict) -> dict:
    served_options = SimpleNamespace(
        config=str(ROOT / "gunicorn.conf.py"), workers=1, threads=options.threads, worker_class=None
    )
    figures = {}

    db_pid = (
        int(Path(options.pg_dir, "data", "postmaster.pid").read_text().split()[0]) if options.pg_dir else None
    )

    def measure(served, device, phase, items):
        device.connection.close()
        before = process_cpu(served.server.pid)
        db_before = process_cpu(db_pid) if db_pid else 0
        for number, (method, path, body, _) in enumerate(items, 1):
            if options.burst and number > 1 and (number - 1) % options.burst == 0:
                device.connection.close()
            status, data = device.request(method, path, body)
            check(phase, status, data, options.batch)
        used = process_cpu(served.server.pid) - before
        figures[phase] = {"requests": len(items), "cpu_s": round(used, 2), "cpu_ms": 1000 * used / len(items)}
        line = f"[{phase}] {len(items)} requests, {figures[phase]['cpu_ms']:.2f} ms CPU each"
        if db_pid:
            figures[phase]["db_cpu_ms"] = 1000 * (process_cpu(db_pid) - db_before) / len(items)
            line += f" (+ PostgreSQL's {figures[phase]['db_cpu_ms']:.2f})"
        print(line, flush=True)

    with Served("baseline_apps:hello", served_options, {}, ROOT / "bench") as served:
        device = Device(served.port, {})
        measure(served, device, "hello", [("GET", "/healthz", None, 0)] * options.hello)
    with Served("wsgi:app", served_options, {"DATABASE_URL": url}, ROOT) as served:
        device = Device(served.port, {**shopper, "password": PASSWORD})
        for phase, items in work_for(options, shopper).items():
            measure(served, device, phase, items)
    return figures


def in_process(options, url: str, shopper: dict) -> dict:
    from baseline_apps import hello

    from app import create_app
    from config import DevConfig

    app = create_app(type("BenchConfig", (DevConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    figures = {}

    def measure(client, phase, items, headers):
        if options.callgrind:
            for method, path, body, _ in items[:3]:
                check(phase, *_sent(client, method, path, body, headers), options.batch)
            items = items[3:]
            _callgrind("--zero", "--instr=on")
        profile = cProfile.Profile() if options.profile == phase else None
        before = time.process_time()
        if profile:
            profile.enable()
        for method, path, body, _ in items:
            response = client.open(path, method=method, data=body, headers=headers)
            check(phase, response.status_code, response.get_data(), options.batch)
        if profile:
            profile.disable()
        used = time.process_time() - before
        figures[phase] = {"requests": len(items), "cpu_s": round(used, 2), "cpu_ms": 1000 * used / len(items)}
        if options.callgrind:
            _callgrind("--instr=off", f"--dump={phase}")
            figures[phase]["instructions"] = _callgrind_total() / len(items)
            print(
                f"[{phase}] {len(items)} requests, {figures[phase]['instructions'] / 1e6:.2f} M instructions each"
            )
            return
        print(f"[{phase}] {len(items)} requests, {figures[phase]['cpu_ms']:.2f} ms CPU each", flush=True)
        if profile:
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(40)
            print(out.getvalue())

    measure(hello.test_client(), "hello", [("GET", "/healthz", None, 0)] * options.hello, {})
    client = app.test_client()
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    signed_in = client.post(
        "/api/v1/session", json={"email": shopper["email"], "password": PASSWORD}, headers=headers
    )
    headers["X-CSRFToken"] = signed_in.get_json()["csrf_token"]
    for phase, items in work_for(options, shopper).items():
        measure(client, phase, items, headers)
    return figures


def _sent(client, method, path, body, headers):
    response = client.open(path, method=method, data=body, headers=headers)
    return response.status_code, response.get_data()


def _callgrind(*commands):
    for command in commands:
        subprocess.run(["callgrind_control", command, str(os.getpid())], check=True, capture_output=True)


def _callgrind_total() -> int:
    """The instructions in callgrind's last dump of this process (in the current folder, as it writes them)."""
    dumps = sorted(Path.cwd().glob(f"callgrind.out.{os.getpid()}*"), key=lambda p: p.stat().st_mtime)
    for line in dumps[-1].read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {dumps[-1]}")


def main():
    options = arguments()
    os.environ.setdefault("APP_ENV", "development")
    started = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "command": " ".join(sys.argv),
    }
    print(f"machine: {json.dumps(started)}", flush=True)
    cleanups = []
    try:
        if options.pg_url:
            url, drop = postgres_database(options.pg_url)
            cleanups.append(drop)
        else:
            folder = Path(tempfile.mkdtemp(prefix="shopper-bench-cpu."))
            cleanups.append(lambda: shutil.rmtree(folder, ignore_errors=True))
            url = f"sqlite:///{folder / 'bench.db'}"
        [shopper] = prepare(url, 1, options.puts + options.batches * options.batch)
        figures = (in_process if options.in_process else under_gunicorn)(options, url, shopper)
    finally:
        for cleanup in reversed(cleanups):
            cleanup()
    unit, scale, name = (
        ("instructions", 1e-6, "M instructions") if options.callgrind else ("cpu_ms", 1, "CPU ms")
    )
    hello, healthz, put, sync = (
        scale * figures[phase][unit] for phase in ("hello", "healthz", "put", "sync")
    )
    print(
        f"{name} per request: hello {hello:.3f}, healthz {healthz:.3f}, PUT {put:.2f}, "
        f"sync of {options.batch} {sync:.1f}"
    )
    print(
        f"at saturated cores: PUT {hello / put:.3f} x hello (floor {FLOORS['PUT']}: needs <= "
        f"{hello / FLOORS['PUT']:.2f}), sync {options.batch * hello / sync:.2f} x hello (floor "
        f"{FLOORS['sync']}: needs <= {options.batch * hello / FLOORS['sync']:.1f})"
    )
    if options.json:
        Path(options.json).write_text(json.dumps({"machine": started, "results": figures}, indent=1))


if __name__ == "__main__":
    main()
