"""Browser tests: Debian's Chromium, driven by Playwright, against the real app under gunicorn.

The server is the one production runs (``gunicorn wsgi:app``, two workers) on
a fresh SQLite file holding the demo data, so every test starts from the demo
sign-ins in the README. Tests that change the demo data restore it with the
``restore_demo`` fixture. Tests that stop the server (offline sync) use
``live_server.stop()`` / ``start()``; the ``base_url`` fixture starts it again
for the next test if a test left it stopped.

Every test in this folder is marked ``browser``; ``-m "not browser"`` leaves
them out (the PostgreSQL run of scripts/test does).
"""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from config import Config
from tests.server_kit import NO_CONTROL_SOCKET, free_port

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = Config.DEMO_PASSWORD
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows the end of gunicorn's log."""
    report = yield
    if report.failed and _SERVERS and item.path.is_relative_to(HERE):
        report.sections.append(("gunicorn log (last 200 lines)", _SERVERS[0].log_tail(200)))
    return report


_SERVERS = []  # the running LiveServer, for the failure report above


class LiveServer:
    """gunicorn serving ``wsgi:app`` on one port and one SQLite file, which survive a stop and start."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.db_path = workdir / "shopper.db"
        self.log_path = workdir / "gunicorn.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "FLASK_APP")},
            "APP_ENV": "development",
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "RATELIMIT_STORAGE_URI": "memory://",
            "PYTHONUNBUFFERED": "1",
        }
        self.process = None
        self._log = None
        self._demo_app = None

    # --- data ---------------------------------------------------------------------------------------------
    def flask(self, *args: str) -> str:
        """Run ``flask --app wsgi ARGS`` against this server's database; its output, or a failure with it."""
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            pytest.fail(
                f"flask {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}",
                pytrace=False,
            )
        return result.stdout

    def load_demo(self) -> None:
        self.flask("db", "upgrade")
        self.flask("demo")

    def reload_demo(self) -> None:
        """Put the demo data back as ``flask demo`` made it (every session is signed out).

        The same command, run in this process: a new Python importing the app for each test that
        changes the data cost seconds each.
        """
        from app import create_app
        from app.extensions import db
        from config import DevConfig

        if self._demo_app is None:
            self._demo_app = create_app(
                type(
                    "LiveServerDemo",
                    (DevConfig,),
                    {
                        "SQLALCHEMY_DATABASE_URI": self.env["DATABASE_URL"],
                        "SECRET_KEY": self.env["SECRET_KEY"],
                    },
                )
            )
        result = self._demo_app.test_cli_runner().invoke(args=["demo", "--replace"])
        with self._demo_app.app_context():
            db.engine.dispose()  # no connection kept open on the server's database
        if result.exit_code != 0:
            pytest.fail(
                f"flask demo --replace exited {result.exit_code}:\n{result.output}\n{result.exception!r}",
                pytrace=False,
            )

    # --- process ------------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 30) -> None:
        if self.running:
            return
        self._log = open(self.log_path, "a", encoding="utf-8")
        self._log.write(f"--- starting gunicorn on {self.url} ---\n")
        self._log.flush()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
                "--graceful-timeout",
                "5",
                *NO_CONTROL_SOCKET,
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() ends the workers too
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                self._close()
                pytest.fail(f"gunicorn exited with {code} on start:\n{self.log_tail(100)}", pytrace=False)
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop(kill=True)
        pytest.fail(
            f"gunicorn did not answer /healthz within {timeout}s:\n{self.log_tail(100)}", pytrace=False
        )

    def stop(self, kill: bool = False) -> None:
        """Stop the server: gracefully, or at once with ``kill=True`` (a crash, a pulled plug)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if kill:
            try:  # the workers share the group; make sure none outlives the master
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._close()
        self._wait_until_refused()

    def _wait_until_refused(self, timeout: float = 10) -> None:
        """Return once nothing accepts connections on the port (a dying worker may hold it a moment)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            except OSError:
                return
            time.sleep(0.1)

    def restart(self, kill: bool = False) -> None:
        self.stop(kill=kill)
        self.start()

    def _close(self) -> None:
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 200) -> str:
        try:
            return "\n".join(
                self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            )
        except FileNotFoundError:
            return "(no log)"


@contextlib.contextmanager
def demo_server(workdir: Path):
    """A LiveServer in ``workdir`` with the demo data, started, and stopped afterwards (the fixture, bench/)."""
    server = LiveServer(workdir)
    server.load_demo()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app under gunicorn with the demo data; ``.url``, ``.stop()``, ``.start()``, ``.restart()``."""
    with demo_server(tmp_path_factory.mktemp("live")) as server:
        _SERVERS.append(server)
        try:
            yield server
        finally:
            _SERVERS.remove(server)


@pytest.fixture
def base_url(live_server) -> str:
    """The running server's address, with no trailing slash (started again if an earlier test stopped it)."""
    live_server.start()
    return live_server.url


@pytest.fixture
def restore_demo(live_server):
    """For a test that changes the demo data: puts it back afterwards for the tests that follow."""
    yield
    live_server.reload_demo()


# --- the browser ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing (apt-get install chromium; scripts/test does this)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def launch_options() -> dict:
    """For ``launch`` and ``launch_persistent_context``: Debian's Chromium, headless, no background calls."""
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser(playwright, launch_options):
    browser = playwright.chromium.launch(**launch_options)
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    """A fresh, incognito browser profile that lets the service worker run."""
    context = browser.new_context(service_workers="allow")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page in that context, watched (see ``watch_page``)."""
    page = context.new_page()
    watch_page(page)
    return page


CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile});
});
"""


def watch_page(page) -> None:
    """Keep what the page went through, for the tests to check.

    ``page.console_messages``: console output and uncaught errors; ``page.document_responses``: the responses
    that loaded a document in the main frame (the last one is the page shown); CSP violations are collected
    in the page for ``csp_violations``.
    """
    page.console_messages = []
    page.document_responses = []
    page.on(
        "response",
        lambda response: (
            response.request.resource_type == "document"
            and response.frame == page.main_frame
            and page.document_responses.append(response)
        ),
    )
    page.on("console", lambda message: page.console_messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: page.console_messages.append(f"pageerror: {error}"))
    page.add_init_script(CSP_WATCH)


def csp_violations(page) -> list[str]:
    """CSP violations seen in the console so far, and those the current document reported."""
    seen = [
        m for m in page.console_messages if "Content Security Policy" in m or "Content-Security-Policy" in m
    ]
    try:
        reported = page.evaluate("window.__cspViolations || []")
    except Exception:  # noqa: BLE001  (a page that is navigating has no window to ask)
        reported = []
    return seen + [f"securitypolicyviolation: {v}" for v in reported]


# What an accessibility check fails on: axe-core's two worst impacts (WCAG 2.2 AA failures, in practice).
SERIOUS = ("serious", "critical")


def accessibility_problems(page) -> str:
    """The page as it stands: axe-core's serious and critical violations and any CSP violation, as a report; ""
    when there are none."""
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    return (results.generate_report() if serious else "") + "\n".join(csp_violations(page))


def assert_accessible(page, view: str = "") -> None:
    problems = accessibility_problems(page)
    assert not problems, f"{view or page.url}:\n{problems}"


def sign_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in page, as a person would."""
    page.goto(base_url + "/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
