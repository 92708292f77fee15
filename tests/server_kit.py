"""What the tests that start a real gunicorn share (tests/browser/conftest.py, tests/test_serving.py)."""

import socket

# gunicorn opens a control socket in ~/.gunicorn by default, shared with any other gunicorn there.
NO_CONTROL_SOCKET = ["--no-control-socket"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
