"""Text the app serves itself goes compressed (Flask-Compress: brotli, else gzip): pages, JSON, problem+json and
static files; exports stream as they are written, uncompressed; a compressed response's ETag
still gets the phone its 304."""

import gzip
import json
from pathlib import Path

import brotli

from app.accounts.models import Role
from tests.conftest import sign_in
from tests.factories import make_assignment, make_shopper, make_user

BR = {"Accept-Encoding": "br, gzip"}


def test_a_page_goes_in_brotli_or_gzip_and_says_it_varies(client):
    page = client.get("/volunteer", headers=BR)
    assert page.headers["Content-Encoding"] == "br" and "Accept-Encoding" in page.headers["Vary"]
    html = brotli.decompress(page.data).decode()
    assert "<html" in html and len(page.data) < len(html) / 2
    gzipped = client.get("/volunteer", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(gzipped.data).decode() == html
    plain = client.get("/volunteer")
    assert "Content-Encoding" not in plain.headers and plain.get_data(as_text=True) == html


def test_static_text_is_compressed_and_keeps_its_validators(client):
    with client.get(
        "/static/css/app.css", headers=BR
    ) as response:  # closing it closes the file (as a server does)
        body = response.get_data()
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
    assert int(response.headers["Content-Length"]) == len(body) and response.headers["ETag"]
    with client.get(
        "/static/css/app.css", headers={**BR, "If-None-Match": response.headers["ETag"]}
    ) as again:
        assert again.status_code == 304
    assert brotli.decompress(body) == (Path(client.application.static_folder) / "css/app.css").read_bytes()


def test_json_and_problems_are_compressed(client, world):
    openapi = client.get("/api/v1/openapi.json", headers=BR)
    assert openapi.headers["Content-Encoding"] == "br"
    assert brotli.decompress(openapi.data).startswith(b"{")


def test_a_compressed_briefs_etag_still_gets_a_304(client, world):
    shopper = make_shopper(world)
    for _ in range(6):  # enough briefs to pass the size below which nothing is compressed
        make_assignment(world, shopper)
    sign_in(client, shopper)
    first = client.get("/api/v1/briefs", headers=BR)
    assert first.headers["Content-Encoding"] == "br" and first.headers["ETag"].endswith(':br"')
    cursor = json.loads(brotli.decompress(first.data))["cursor"]
    held = {**BR, "If-None-Match": first.headers["ETag"]}
    for path in ("/api/v1/briefs", f"/api/v1/briefs?since={cursor}"):  # the app sends both
        again = client.get(path, headers=held)
        assert again.status_code == 304 and again.data == b"", path
        assert (
            again.headers["ETag"] == f'"{cursor}"'
        )  # the state: a small answer is not compressed, nor marked


def test_exports_stream_uncompressed(client, world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    sign_in(client, coordinator)
    response = client.get("/api/v1/exports/reports.csv", headers=BR)
    assert response.status_code == 200 and response.is_streamed
    assert "Content-Encoding" not in response.headers
    assert response.get_data(as_text=True).startswith("\ufeff") or response.get_data(as_text=True)


def test_public_pages_have_a_meta_description(client):
    for path in ("/", "/sign-in", "/volunteer", "/app"):
        html = client.get(path).get_data(as_text=True)
        assert '<meta name="description" content="' in html, path
        assert html.count('name="description"') == 1, path
