"""Queue-send benchmark: 1,000 reports queued in one browser, sent when it comes back online (target <= 10 s).

    python bench/queue_send.py [--count 1000]

Starts the app under gunicorn with the demo data (the browser tests' LiveServer), opens /app in Debian's
Chromium as shopper1, goes offline, puts COUNT finished exit interviews in the app's IndexedDB outbox (as
capture would), comes back online and times from the `online` event until the outbox is empty (the app sends
in batches of 100 through POST /api/v1/sync). Afterwards the server's database must hold exactly COUNT new
submissions. Exits non-zero if not, or if it took longer than 10 s.
"""

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, demo_server  # noqa: E402
from tests.shopper_app.browser_kit import (  # noqa: E402
    exit_interview,
    expected,
    go_offline,
    go_online,
    last_submission_id,
    new_page,
    open_app,
    seed_queue,
    submissions_since,
    unsent,
    wait_until,
)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as workdir, demo_server(Path(workdir)) as server:
        before = last_submission_id(server.db_path)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(service_workers="allow")
            page = new_page(context)
            open_app(page, server.url, "shopper1@demo.test")
            go_offline(context)
            seed_queue(page, "exit_interview", args.count, expected(exit_interview(1)))
            page.reload()
            page.get_by_role("heading", name="My briefs").wait_for()
            assert unsent(page) == args.count
            started = time.monotonic()
            go_online(context)
            wait_until(lambda: unsent(page) == 0, timeout=120, message="the outbox to empty", page=page)
            elapsed = time.monotonic() - started
            browser.close()
        stored = submissions_since(server.db_path, before)
    distinct = len({row["uuid"] for row in stored})
    print(
        f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}; "
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(
        f"{args.count} queued reports sent in {elapsed:.2f} s ({args.count / elapsed:.0f}/s); "
        f"server holds {len(stored)} new submissions, {distinct} distinct (target: all, in <= 10 s)"
    )
    return 0 if len(stored) == distinct == args.count and elapsed <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
