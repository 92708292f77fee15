"""Static files under content-hashed names, cached for a year; the plain names revalidated; the shell's modules
mapped to their hashed files by an import map that the CSP lets run."""

import hashlib
import json
import re
from pathlib import Path

import pytest

from app.shopper_app import shell
from app.static_assets import MANIFEST, changed_since_compile, is_hashed_copy

STATIC = Path(__file__).parents[1] / "app" / "static"
HASHED = re.compile(r"/static/(?P<name>[\w/.-]+)-(?P<md5>[0-9a-f]{32})(?P<ext>\.\w+)")


def _linked(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_the_compile_is_current_and_names_each_copy_by_its_content():
    assert not changed_since_compile(STATIC), "run `flask --app wsgi digest compile`"
    manifest = json.loads((STATIC / MANIFEST).read_text())
    assert "css/app.css" in manifest and "js/shopper-app/main.js" in manifest
    for plain, hashed in manifest.items():
        assert is_hashed_copy(hashed) and not is_hashed_copy(plain), plain
        assert (STATIC / hashed).read_bytes() == (STATIC / plain).read_bytes()
        assert _md5(STATIC / plain) in hashed


@pytest.mark.parametrize("path", ["/", "/sign-in", "/volunteer", "/app"])
def test_pages_link_static_files_by_their_hashed_names(client, path):
    html = client.get(path).get_data(as_text=True)
    linked = _linked(html)
    assert linked, html
    for url in linked:
        match = HASHED.fullmatch(url)
        assert match, url
        assert match["md5"] == _md5(STATIC / (match["name"] + match["ext"]))


def test_a_hashed_file_is_cached_for_a_year_and_a_plain_name_is_revalidated(client):
    hashed = next(
        url for url in _linked(client.get("/sign-in").get_data(as_text=True)) if url.endswith(".css")
    )
    with client.get(hashed) as response:
        assert response.status_code == 200
        assert response.cache_control.public and response.cache_control.immutable
        assert response.cache_control.max_age == 365 * 24 * 3600 and not response.cache_control.no_cache
        assert "Set-Cookie" not in response.headers
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200 and response.cache_control.no_cache
        assert not response.cache_control.max_age and not response.cache_control.immutable
    with client.get(hashed.replace(".css", "x.css")) as response:  # a name nobody made
        assert response.status_code == 404 and not response.cache_control.immutable


def test_the_shell_maps_every_module_to_its_hashed_file_under_its_own_nonce(client):
    response = client.get("/app")
    html = response.get_data(as_text=True)
    found = re.search(r'<script type="importmap" nonce="([^"]+)">(.*?)</script>', html, re.S)
    assert found, html
    nonce, imports = found[1], json.loads(found[2])["imports"]
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    modules = [name for name in shell.STATIC_FILES if name.endswith(".js")]
    assert set(imports) == {f"/static/{name}" for name in modules}
    for plain, hashed in imports.items():
        assert HASHED.fullmatch(hashed) and hashed.startswith(plain.removesuffix(".js") + "-"), hashed
    # Another page's nonce is another: a nonce is never reused.
    assert f"'nonce-{nonce}'" not in client.get("/app").headers["Content-Security-Policy"]


def test_the_service_worker_caches_the_shell_under_the_names_the_page_asks_for(client):
    body = client.get("/app/shell.js").get_data(as_text=True)
    urls = json.loads(body.removeprefix("self.SHELL = ").rstrip().rstrip(";"))["urls"]
    html = client.get("/app").get_data(as_text=True)
    imports = json.loads(re.search(r'<script type="importmap"[^>]*>(.*?)</script>', html, re.S)[1])["imports"]
    asked = set(_linked(html)) | set(imports.values())
    assert asked <= set(urls), asked - set(urls)
    # The web app manifest (a static file) links its icon by the plain name: cached under that name.
    with client.get("/manifest.webmanifest") as response:  # closes the file it sends
        manifest = json.loads(response.get_data())
    assert {icon["src"] for icon in manifest["icons"]} & set(urls) == {"/static/icons/icon-192.png"}
