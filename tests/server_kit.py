"""What the tests that start a real gunicorn share (tests/browser/conftest.py, tests/test_serving.py,
tests/scale_kit.py)."""

import os
import random
import socket

# gunicorn opens a control socket in ~/.gunicorn by default, shared with any other gunicorn there.
NO_CONTROL_SOCKET = ["--no-control-socket"]


def free_port() -> int:
    """A port nobody listens on: the system's choice, or one in ``TEST_PORTS`` (e.g. ``18100-18199``) where
    several people share a machine and each keeps to a range."""
    low, _, high = os.environ.get("TEST_PORTS", "").partition("-")
    candidates = random.sample(range(int(low), int(high) + 1), int(high) - int(low) + 1) if high else [0]
    for candidate in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise OSError(f"no free port in TEST_PORTS={os.environ['TEST_PORTS']}")
