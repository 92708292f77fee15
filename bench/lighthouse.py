"""Lighthouse on the public pages and the shopper app: performance, accessibility, best practices and SEO.

    python bench/lighthouse.py                  # /, /sign-in, /volunteer and /app, mobile (Lighthouse's default)
    python bench/lighthouse.py --pages / /app --runs 3

1. Installs Lighthouse from npm into bench/lighthouse/ (``npm ci``, pinned by its package-lock.json: 12.2.3,
   the last that runs on Debian's Node 20) when it is not there yet; no browser is downloaded.
2. Starts the app under gunicorn with the demo data (the browser tests' LiveServer, signed out).
3. Runs Lighthouse on Debian's /usr/bin/chromium, headless, ``--runs`` times per page, and keeps each category's
   median score. Lighthouse throttles as a mid-range phone on a slow 4G connection (simulated).

Prints each page's four scores and every audit that cost points (score below 1, with its weight), and as its
last line one JSON object: ``{"pages": {path: {category: score}}, "lowest": score, "lighthouse": version}``.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, demo_server  # noqa: E402

HERE = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("/", "/sign-in", "/volunteer", "/app")


def install() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def run_once(url: str, out: Path) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={flags}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    return json.loads(out.read_text())


def lost_points(report: dict) -> list[str]:
    """The audits that cost a category points: weight > 0 and a score below 1."""
    lines = []
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                lines.append(f"{name}: {ref['id']} (weight {ref['weight']}, score {audit['score']}) {value}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", nargs="+", default=list(PAGES))
    parser.add_argument("--runs", type=int, default=3, help="runs per page; each category's median is kept")
    args = parser.parse_args()
    install()
    scores, version = {}, None
    with tempfile.TemporaryDirectory() as workdir, demo_server(Path(workdir)) as server:
        for path in args.pages:
            runs = []
            for n in range(args.runs):
                report = run_once(server.url + path, Path(workdir) / f"report-{n}.json")
                version = report["lighthouseVersion"]
                runs.append(report)
            scores[path] = {
                name: round(100 * statistics.median(r["categories"][name]["score"] for r in runs))
                for name in CATEGORIES
            }
            print(
                f"{path}: " + ", ".join(f"{name} {score}" for name, score in scores[path].items()), flush=True
            )
            for line in sorted({line for r in runs for line in lost_points(r)}):
                print("   ", line)
    print(
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; lighthouse {version}; chromium {CHROMIUM}"
    )
    lowest = min(score for page in scores.values() for score in page.values())
    print(json.dumps({"pages": scores, "lowest": lowest, "lighthouse": version}))
    return 0 if lowest >= 95 else 1


if __name__ == "__main__":
    sys.exit(main())
