"""app/serving.py: the gunicorn worker, under a real gunicorn with the repository's gunicorn.conf.py.

The app served is a bare WSGI one that says which process and which thread answered, so that each test
shows where a request ran, not only that it was answered.
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

WHO_ANSWERS = """
import os, threading, time

def app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(float(environ["QUERY_STRING"]))
    thread = "main" if threading.current_thread() is threading.main_thread() else "pool"
    body = f"{os.getpid()} {thread}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


class Server:
    def __init__(self, tmp_path: Path, *args: str):
        (tmp_path / "who_answers.py").write_text(WHO_ANSWERS)
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
                "who_answers:app",
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


def test_the_configured_worker_serves_each_request_on_its_main_thread_over_a_kept_alive_connection(serve):
    server = serve()
    connection = server.connection()
    answers, sockets = [], []
    for _ in range(3):
        answers.append(server.get("/", connection))
        sockets.append(connection.sock)
    pid = answers[0][1].split()[0]
    assert answers == [(200, f"{pid} main")] * 3
    assert sockets[0] is not None and all(sock is sockets[0] for sock in sockets)  # never reconnected
    connection.close()


def test_a_connection_that_sends_nothing_holds_up_nobody(serve):
    """With one process and one thread, gthread would wait up to 5 s for the silent connection's request."""
    server = serve()
    with server.raw():
        time.sleep(0.3)  # accepted by now
        started = time.monotonic()
        assert server.get("/")[0] == 200
        assert time.monotonic() - started < 1.5


def test_a_connection_that_never_sends_its_request_is_closed_after_the_keep_alive_timeout(serve):
    server = serve("--keep-alive", "1")
    with server.raw() as silent:
        started = time.monotonic()
        assert silent.recv(1) == b""  # closed by the server
        assert time.monotonic() - started < 5


def test_pipelined_requests_are_each_answered_once_in_order(serve):
    server = serve()
    count = 60
    with server.raw() as pipe:
        pipe.sendall(b"".join(b"GET /?%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(count)))
        received = b""
        deadline = time.monotonic() + 10
        while received.count(b" main") < count and time.monotonic() < deadline:
            chunk = pipe.recv(65536)
            if not chunk:
                break
            received += chunk
    assert received.count(b"HTTP/1.1 200 OK") == count
    assert received.count(b" main") == count


def test_with_more_threads_it_is_gthread_and_serves_from_its_pool(serve):
    server = serve("--threads", "2")
    assert server.get("/")[1].endswith(" pool")


def test_a_stopping_worker_finishes_the_request_it_is_serving(serve):
    server = serve()
    answers = []
    request = threading.Thread(target=lambda: answers.append(server.get("/slow?1.5")))
    request.start()
    time.sleep(0.5)
    os.kill(server.process.pid, signal.SIGTERM)
    request.join(timeout=10)
    assert answers and answers[0][0] == 200 and answers[0][1].endswith(" main")
    assert server.process.wait(timeout=10) == 0


def test_a_request_that_runs_past_the_timeout_ends_its_worker_and_another_takes_over(serve):
    server = serve("--timeout", "2")
    first_pid = server.get("/")[1].split()[0]
    slow = server.connection(timeout=15)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        server.get("/slow?6", slow)
    slow.close()
    deadline = time.monotonic() + 10
    while True:
        try:
            status, body = server.get("/")
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    assert status == 200 and body.split()[0] != first_pid
