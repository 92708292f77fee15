"""The shell page and the service worker's shell manifest: public, uncached by HTTP, versioned by content."""

import json
import re
from pathlib import Path

from app.shopper_app import shell
from app.static_assets import is_hashed_copy


def _manifest(client) -> dict:
    body = client.get("/app/shell.js").get_data(as_text=True)
    assert body.startswith("self.SHELL = ")
    return json.loads(body.removeprefix("self.SHELL = ").rstrip().rstrip(";"))


def test_shell_page_is_static_and_not_held_in_the_http_cache(client):
    response = client.get("/app")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    html = response.get_data(as_text=True)
    assert re.search(r'<script type="module" src="/static/js/shopper-app/main-[0-9a-f]{32}\.js">', html)
    assert "<script>" not in html and "style=" not in html  # the CSP forbids inline script and style


def test_manifest_lists_every_shell_file_and_each_one_exists(client):
    manifest = _manifest(client)
    assert manifest["urls"][0] == "/app"
    for url in manifest["urls"]:
        with client.get(url) as response:  # closes the static file it sends
            assert response.status_code == 200, url


def test_version_changes_with_the_deployments_label(client, monkeypatch):
    plain = _manifest(client)["version"]
    monkeypatch.setenv("SHOPPER_APP_VERSION", "2026-11-23.2")
    labelled = _manifest(client)["version"]
    assert labelled != plain and labelled.endswith("-2026-11-23.2")


def test_every_module_the_app_imports_is_in_the_shell(app):
    """A module left out of the list would be missing offline."""

    folder = Path(app.static_folder) / "js" / "shopper-app"
    listed = {name for name in shell.STATIC_FILES if name.startswith("js/shopper-app/")}
    modules = [path for path in folder.glob("*.js") if not is_hashed_copy(path.name)]
    assert listed == {f"js/shopper-app/{path.name}" for path in modules}
    for path in modules:
        for imported in re.findall(r'from "\./([\w-]+\.js)"', path.read_text()):
            assert f"js/shopper-app/{imported}" in listed
