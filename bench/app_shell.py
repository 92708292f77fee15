"""App-shell benchmark: what the service worker caches for the shell, and an offline reload to the brief list.

    python bench/app_shell.py [--reloads 10]

1. Starts the app under gunicorn with the demo data (the browser tests' LiveServer), reads the shell list the
   service worker caches (GET /app/shell.js), fetches each file and sums its bytes raw and gzipped (level 9),
   icons aside (target: <= 100 KB gzipped).
2. In Debian's Chromium (Playwright): signs in to /app as shopper1, waits for the complete shell bucket, goes
   offline (set_offline and every request aborted), then reloads N times and reports the time from the start
   of the navigation to the first brief card on screen (performance.now() in the page), min/median/max.
"""

import argparse
import gzip
import platform
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, demo_server  # noqa: E402
from tests.shopper_app.browser_kit import go_offline, new_page, open_app  # noqa: E402

CARD_SEEN = """
window.__briefsAt = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('.card')) { window.__briefsAt = performance.now(); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""


def shell_bytes(base_url: str) -> list[tuple[str, int, int]]:
    with urllib.request.urlopen(base_url + "/app/shell.js") as response:
        text = response.read().decode()
    import json

    urls = json.loads(text.removeprefix("self.SHELL = ").rstrip().rstrip(";"))["urls"]
    sizes = []
    for url in urls:
        with urllib.request.urlopen(base_url + url) as response:
            body = response.read()
        sizes.append((url, len(body), len(gzip.compress(body, 9))))
    return sizes


def offline_reloads(base_url: str, reloads: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, service_workers="allow"
        )
        try:
            page = new_page(context)
            page.add_init_script(CARD_SEEN)
            open_app(page, base_url, "shopper1@demo.test")
            go_offline(context)
            times = []
            for _ in range(reloads):
                page.reload()
                page.locator(".card").first.wait_for()
                times.append(page.evaluate("window.__briefsAt"))
            return times
        finally:
            context.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reloads", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, demo_server(Path(workdir)) as server:
        sizes = shell_bytes(server.url)
        times = offline_reloads(server.url, args.reloads)
    print(
        f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}; "
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(f"{'file':48} {'bytes':>8} {'gzip':>8}")
    for url, raw, packed in sizes:
        print(f"{url:48} {raw:8} {packed:8}")
    shell = [(raw, packed) for url, raw, packed in sizes if "/icons/" not in url]
    icons = [(raw, packed) for url, raw, packed in sizes if "/icons/" in url]
    total_raw, total_gzip = sum(r for r, _ in shell), sum(g for _, g in shell)
    print(
        f"shell without icons: {total_raw} bytes, {total_gzip} gzipped ({total_gzip / 1024:.1f} KB; target <= 100 KB)"
    )
    print(f"icons: {sum(r for r, _ in icons)} bytes")
    print(
        f"offline reload to the first brief card, ms over {len(times)} reloads: min {min(times):.0f}, "
        f"median {statistics.median(times):.0f}, max {max(times):.0f}"
    )
    return 0 if total_gzip <= 100 * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
