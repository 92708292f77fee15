"""The load generators of ``bench/ingest.py``: simulated phones on keep-alive connections, sent by Python
threads (``run_phase``) or by wrk (``run_wrk_phase``, with ``bench/ingest.lua``), and CPU from /proc."""

import http.client
import json
import math
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.server_kit import free_port  # noqa: E402,F401  (the tests' one: TEST_PORTS keeps to a range)

WRK = "/usr/bin/wrk"


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its (live) children, from /proc."""
    return sum(cpu_by_process(pid).values())


def cpu_by_process(pid: int) -> dict[int, float]:
    """User + system CPU seconds of a process and of each of its (live) children, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for candidate in [pid] + children(pid):
        try:
            fields = Path(f"/proc/{candidate}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[candidate] = (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return seconds


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Device:
    """One shopper's phone: a keep-alive connection, the session cookie and the CSRF token.

    ``shopper`` has ``questionnaire_id`` and ``version`` for the reports it makes, and, to sign in,
    ``email`` and ``password`` (without them the device talks to a yardstick app that has no sign-in).
    """

    def __init__(self, port: int, shopper: dict):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.shopper = shopper
        self.headers = {"Content-Type": "application/json"}
        if "email" not in shopper:
            return
        status, body = self.request("GET", "/api/v1/session")
        self.headers["X-CSRFToken"] = json.loads(body)["csrf_token"]
        status, body = self.request(
            "POST",
            "/api/v1/session",
            json.dumps({"email": shopper["email"], "password": shopper["password"]}).encode(),
        )
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
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()  # the server closes it: the next request opens a new connection
        return response.status, data

    def report(self, assignment_id: int) -> dict:
        """A finished visit report for the benchmark's questionnaire, as the app sends it."""
        started = time.time() - 1800
        return {
            "uuid": str(uuid.uuid4()),
            "assignment_id": assignment_id,
            "kind": "visit",
            "questionnaire_id": self.shopper["questionnaire_id"],
            "questionnaire_version": self.shopper["version"],
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "completed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started + 1200)),
            "answers": {
                "greeted": True,
                "helpful": 4,
                "outcome": "resolved",
                "wait": 240,
                "comment": "Seen at the main desk after a short wait; clear answer.",
            },
            "notes": "Queue of three.",
        }


def run_phase(devices, work: list[list], time_limit: float, burst: int = 0) -> dict:
    """Each device sends its own list of (method, path, body, submissions) in turn; returns the figures."""
    latencies, statuses, submissions = [], {}, [0]
    lock = threading.Lock()
    deadline = time.monotonic() + time_limit

    def drive(device, items):
        mine, my_statuses, my_subs = [], {}, 0
        for number, (method, path, body, count) in enumerate(items, 1):
            if time.monotonic() > deadline:
                break
            if burst and number > 1 and (number - 1) % burst == 0:
                device.connection.close()  # the burst is over: the next request opens a new connection
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

    threads = [threading.Thread(target=drive, args=(d, w)) for d, w in zip(devices, work, strict=False)]
    load_before = os.getloadavg()[0]
    began, cpu_began = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p):
        return (
            round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)
            if latencies
            else None
        )

    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "submissions": submissions[0],
        "submissions_per_s": round(submissions[0] / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "max_ms": pct(1.0),
        "statuses": statuses,
        "client_cpu_s": round(time.process_time() - cpu_began, 2),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


def run_wrk_phase(port: int, devices, work: list[list], time_limit: float, burst: int = 0) -> dict:
    """``run_phase``'s work and figures, sent by wrk: one wrk thread with one connection per device, each
    sending that device's requests, with its headers (cookie, CSRF token), in turn (``bench/ingest.lua``).

    The bodies are the ones ``work`` holds, written to one file per device before the clock starts.
    "seconds" runs from starting wrk until its last thread has had its last answer; client_cpu_s is
    wrk's CPU (this process only waits meanwhile).
    """
    jobs = [(device, items) for device, items in zip(devices, work, strict=False) if items]
    with tempfile.TemporaryDirectory(prefix="shopper-bench-wrk.") as folder:
        for number, (device, items) in enumerate(jobs, 1):
            device.connection.close()  # wrk opens its own; the sign-in connection would only idle
            lines = [f"{name}: {value}" for name, value in device.headers.items()] + [""]
            lines += [
                f"{method}\t{path}\t{count}\t{(body or b'').decode()}" for method, path, body, count in items
            ]
            Path(folder, f"{number}.http").write_text("\n".join(lines) + "\n")
        # ingest.lua sends nothing new after time_limit; wrk's own limits are a backstop that leaves
        # the requests then under way a minute to be answered (http.client's timeout in run_phase)
        backstop = f"{math.ceil(time_limit) + 60}s"
        command = [
            WRK,
            "--threads",
            str(len(jobs)),
            "--connections",
            str(len(jobs)),
            "--duration",
            backstop,
            "--timeout",
            backstop,
            "--script",
            str(Path(__file__).with_name("ingest.lua")),
            f"http://127.0.0.1:{port}/",
            "--",
            folder,
            str(time_limit),
            str(burst),
        ]
        load_before = os.getloadavg()[0]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        wrk = subprocess.Popen(command, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        finished, elapsed, errors = 0, None, []
        for line in wrk.stderr:  # each thread writes "finished" after its last answer (or at the time limit)
            if line != "finished\n":
                errors.append(line)
            elif (finished := finished + 1) == len(jobs):
                elapsed = time.perf_counter() - began
                while (
                    wrk.poll() is None
                ):  # wrk's main thread sleeps for all of --duration unless interrupted;
                    wrk.send_signal(signal.SIGINT)  # again if the first came before it listened for it
                    try:
                        wrk.wait(timeout=1)
                    except subprocess.TimeoutExpired:
                        pass
        output = wrk.stdout.read()
        wrk.wait()
        elapsed = elapsed or time.perf_counter() - began  # wrk's backstop came first
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
    if wrk.returncode != 0 or not output.strip():
        raise RuntimeError(f"wrk failed ({wrk.returncode}): {''.join(errors)}{output}")
    figures = json.loads(output.strip().splitlines()[-1])  # done() in ingest.lua: the last line
    statuses = {int(k) if k.isdigit() else k: n for k, n in figures["statuses"].items()}
    return {
        "requests": figures["requests"],
        "seconds": round(elapsed, 2),
        "requests_per_s": round(figures["requests"] / elapsed, 1),
        "submissions": figures["submissions"],
        "submissions_per_s": round(figures["submissions"] / elapsed, 1),
        "p50_ms": figures["p50_ms"],
        "p95_ms": figures["p95_ms"],
        "max_ms": figures["max_ms"],
        "statuses": statuses,
        "client_cpu_s": round(wrk_cpu, 2),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }
