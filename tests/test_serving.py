"""gunicorn.conf.py's stock gthread worker, under a real gunicorn with the repository's settings.

The app served is a bare WSGI one that says which process answered, sleeps on ``/slow?SECONDS`` and
streams on ``/stream?SECONDS`` (a line every quarter of a second), so that each test shows where and how
a request ran, not only that it was answered. One worker process, so that "another request" means
another request of the same process.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.server_kit import NO_CONTROL_SOCKET, free_port

ROOT = Path(__file__).resolve().parents[1]

TEST_APP = """
import os, time

def app(environ, start_response):
    path, query = environ["PATH_INFO"], environ["QUERY_STRING"]
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return stream(float(query))
    if path == "/slow":
        time.sleep(float(query))
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]

def stream(seconds):
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        yield b"line\\n"
        time.sleep(0.25)
    yield f"done {os.getpid()}\\n".encode()
"""


class Server:
    def __init__(self, tmp_path: Path, *args: str):
        (tmp_path / "serving_test_app.py").write_text(TEST_APP)
        self.port = free_port()
        self.log = tmp_path / "gunicorn.log"
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--pythonpath",
                str(tmp_path),
                "--graceful-timeout",
                "5",
                *NO_CONTROL_SOCKET,
                *args,
                "serving_test_app:app",
            ],
            cwd=ROOT,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.get("/")
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail("gunicorn did not answer:\n" + self.log.read_text())

    def connection(self, timeout: float = 10) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def get(self, path: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, str]:
        """GET on ``connection`` (left open), else on a connection of its own."""
        own = connection is None
        connection = connection or self.connection()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            if own:
                connection.close()

    def raw(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self._log_file.close()


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(*args: str) -> Server:
        servers.append(Server(tmp_path, *args))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def _in_background(call) -> tuple[threading.Thread, list]:
    results = []
    thread = threading.Thread(target=lambda: results.append(call()))
    thread.start()
    return thread, results


def test_a_kept_alive_connection_is_served_request_after_request(serve):
    server = serve()
    connection = server.connection()
    answers, sockets = [], []
    for _ in range(3):
        answers.append(server.get("/", connection))
        sockets.append(connection.sock)
    assert answers == [(200, answers[0][1])] * 3
    assert sockets[0] is not None and all(sock is sockets[0] for sock in sockets)  # never reconnected
    connection.close()


@pytest.mark.parametrize("path", ["/slow?5", "/stream?5"])
def test_a_response_running_longer_than_the_worker_timeout_is_not_cut(serve, path):
    """gunicorn's sync worker would be ended at 2 s (its heartbeat waits for the request); gthread's main
    loop keeps beating while a thread serves, so the request runs to its end and the worker lives on."""
    server = serve("--timeout", "2")
    pid = server.get("/")[1]
    connection = server.connection(timeout=15)
    started = time.monotonic()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode()
    took = time.monotonic() - started
    connection.close()
    assert response.status == 200 and took >= 5
    if path.startswith("/stream"):
        lines = body.splitlines()
        assert lines[-1] == f"done {pid}" and lines.count("line") >= 15
    else:
        assert body == pid
    assert server.get("/")[1] == pid  # the same process: not ended and replaced
    assert "WORKER TIMEOUT" not in server.log.read_text()


def test_a_slow_request_does_not_hold_up_another_in_the_same_process(serve):
    server = serve()
    pid = server.get("/")[1]
    slow, answers = _in_background(lambda: server.get("/slow?3"))
    time.sleep(0.3)  # the slow one is being served by now
    started = time.monotonic()
    assert server.get("/") == (200, pid)
    assert time.monotonic() - started < 1.5
    slow.join(timeout=10)
    assert answers == [(200, pid)]


def test_a_connection_that_sends_nothing_holds_up_nobody(serve):
    """A browser's preconnection: one thread may wait for its request, the others serve."""
    server = serve()
    with server.raw():
        time.sleep(0.3)  # accepted by now
        started = time.monotonic()
        assert server.get("/")[0] == 200
        assert time.monotonic() - started < 1.5


def test_a_connection_that_never_sends_its_request_is_closed(serve):
    """gthread waits up to 5 s for a new connection's request on a thread, then the keep-alive timeout."""
    server = serve("--keep-alive", "1")
    with server.raw() as silent:
        silent.settimeout(15)
        started = time.monotonic()
        assert silent.recv(1) == b""  # closed by the server
        assert time.monotonic() - started < 10


def test_pipelined_requests_are_each_answered_once_in_order(serve):
    server = serve()
    pid = server.get("/")[1].encode()
    count = 60
    with server.raw() as pipe:
        pipe.sendall(b"".join(b"GET /?%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(count)))
        received = b""
        deadline = time.monotonic() + 10
        while received.count(b"HTTP/1.1 200 OK") < count and time.monotonic() < deadline:
            chunk = pipe.recv(65536)
            if not chunk:
                break
            received += chunk
        time.sleep(0.2)  # nothing more comes
        pipe.setblocking(False)
        try:
            received += pipe.recv(65536)
        except BlockingIOError:
            pass
    assert received.count(b"HTTP/1.1 200 OK") == count
    assert received.count(b"\r\n\r\n" + pid) == count


def test_a_stopping_worker_finishes_the_request_it_is_serving(serve):
    server = serve()
    pid = server.get("/")[1]
    request, answers = _in_background(lambda: server.get("/slow?1.5"))
    time.sleep(0.5)
    os.kill(server.process.pid, signal.SIGTERM)
    request.join(timeout=10)
    assert answers == [(200, pid)]
    assert server.process.wait(timeout=10) == 0


def test_a_stopping_worker_finishes_a_stream_under_way(serve):
    server = serve()
    pid = server.get("/")[1]
    request, answers = _in_background(lambda: server.get("/stream?2"))
    time.sleep(0.5)
    os.kill(server.process.pid, signal.SIGTERM)
    request.join(timeout=10)
    assert answers and answers[0][0] == 200 and answers[0][1].endswith(f"done {pid}\n")
    assert server.process.wait(timeout=10) == 0
