"""Configuration and start-up safety."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from argon2 import extract_parameters
from flask import request

from app import create_app
from app.accounts.models import Role
from app.accounts.passwords import hash_password, verify_password
from app.extensions import db
from app.security import UnsafeConfiguration
from config import DEMO_SECRET_KEY, DevConfig, ProdConfig
from tests.conftest import _config_for
from tests.factories import make_user

PRODUCTION_PLACE = {"BASE_URL": "https://shopper.example.org", "TRUSTED_HOSTS": ["shopper.example.org"]}


def prod_config(database_url, **overrides):
    values = {
        "SECRET_KEY": "x" * 48,
        "SQLALCHEMY_DATABASE_URI": database_url,
        **PRODUCTION_PLACE,
        **overrides,
    }
    return type("Prod", (ProdConfig,), values)


@pytest.mark.parametrize("secret", [None, "", DEMO_SECRET_KEY, "short-secret"])
def test_production_refuses_a_missing_or_known_secret(database_url, secret):
    with pytest.raises(UnsafeConfiguration):
        create_app(prod_config(database_url, SECRET_KEY=secret))


@pytest.mark.parametrize(
    "place",
    [
        {"BASE_URL": None},
        {"BASE_URL": "shopper.example.org"},  # no scheme: not a URL a link can be made on
        {"TRUSTED_HOSTS": None},
        {"TRUSTED_HOSTS": []},
    ],
)
def test_production_refuses_to_start_without_its_base_url_or_trusted_hosts(database_url, place):
    with pytest.raises(UnsafeConfiguration, match="BASE_URL|TRUSTED_HOSTS"):
        create_app(prod_config(database_url, **place))


def test_productions_trusted_hosts_default_to_the_base_urls(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("BASE_URL", "https://shopper.example.org")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    assert importlib.reload(config).ProdConfig.TRUSTED_HOSTS == ["shopper.example.org"]
    monkeypatch.setenv("TRUSTED_HOSTS", "shopper.example.org, www.shopper.example.org")
    assert importlib.reload(config).ProdConfig.TRUSTED_HOSTS == [
        "shopper.example.org",
        "www.shopper.example.org",
    ]
    monkeypatch.delenv("BASE_URL")
    monkeypatch.delenv("TRUSTED_HOSTS")
    importlib.reload(config)


def test_an_untrusted_host_is_refused(database_url):
    production = create_app(prod_config(database_url, FORCE_HTTPS=False))
    client = production.test_client()
    assert client.get("/healthz", headers={"Host": "shopper.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/v1/session", headers={"Host": "evil.example"}).status_code == 400


def test_production_refuses_demo_accounts_with_the_demo_password(app, database_url):
    user = make_user(Role.coordinator, email="coordinator@demo.test", is_demo=True)
    user.password_hash = hash_password(app.config["DEMO_PASSWORD"])
    db.session.commit()
    with pytest.raises(UnsafeConfiguration, match="coordinator@demo.test"):
        create_app(prod_config(database_url))
    user.password_hash = hash_password("a password of its own, changed after the demo")
    db.session.commit()
    production = create_app(prod_config(database_url))
    assert production.config["SESSION_COOKIE_SECURE"] is True


def test_production_starts_before_the_schema_exists(tmp_path):
    app = create_app(prod_config(f"sqlite:///{tmp_path / 'new.db'}"))
    assert app.config["ENV_NAME"] == "production"


@pytest.mark.parametrize("config", [ProdConfig, DevConfig])
def test_password_hashing_meets_owasp_minimums(tmp_path, config):
    """argon2id with at least m=19 MiB, t=2, p=1 (OWASP Password Storage Cheat Sheet): only TestConfig is weaker.

    A weaker hash (as the tests make) is upgraded at the next sign-in.
    """
    app = create_app(
        type(
            "Strong",
            (config,),
            {
                "SECRET_KEY": "x" * 48,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.db'}",
                **PRODUCTION_PLACE,
            },
        )
    )
    weak = create_app(_config_for(f"sqlite:///{tmp_path / 'new.db'}"))
    with weak.app_context():
        user = SimpleNamespace(password_hash=hash_password("something"))
    assert extract_parameters(user.password_hash).memory_cost < 19 * 1024
    with app.app_context():
        stored = hash_password("something")
        assert verify_password(user, "something")
    for password_hash in (stored, user.password_hash):
        assert password_hash.startswith("$argon2id$")
        parameters = extract_parameters(password_hash)
        assert (
            parameters.memory_cost >= 19 * 1024 and parameters.time_cost >= 2 and parameters.parallelism >= 1
        )


def test_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_service_worker_is_served_from_the_root_uncached(client):
    with client.get("/sw.js") as response:
        assert "addEventListener" in response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(database_url):
    app = create_app(type("Proxied", (_config_for(database_url),), {"PROXY_HOPS": 1}))
    app.add_url_rule("/whoami", "whoami", lambda: request.remote_addr)
    response = app.test_client().get(
        "/whoami", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    )
    assert response.get_data(as_text=True) == "203.0.113.7"


@pytest.mark.parametrize(
    "environment, storage",
    [
        ({}, "memory://"),
        ({"REDIS_URL": "redis://127.0.0.1:16379/0"}, "redis://127.0.0.1:16379/0"),
        (
            {
                "REDIS_URL": "redis://127.0.0.1:16379/0",
                "RATELIMIT_STORAGE_URI": "memcached://127.0.0.1:11211",
            },
            "memcached://127.0.0.1:11211",
        ),
    ],
)
def test_rate_limits_are_counted_in_redis_when_redis_url_is_set(environment, storage):
    script = "import config; print(config.DevConfig.RATELIMIT_STORAGE_URI, config.ProdConfig.RATELIMIT_STORAGE_URI)"
    environ = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "RATELIMIT_STORAGE_URI")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**environ, **environment},
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.stdout.split() == [storage, storage]


def test_personal_and_signed_in_answers_are_not_stored_static_files_are(client, world):
    from tests.conftest import sign_in
    from tests.factories import make_application, make_shopper

    def cache_control(client, path):
        with client.get(path) as response:
            return response.headers.get("Cache-Control", "")

    assert "no-store" not in cache_control(client, "/static/css/app.css")
    assert cache_control(client, "/sw.js") == "no-cache"
    assert cache_control(client, "/sign-in") == "no-store"  # a form with its CSRF token
    shopper = sign_in(client, make_shopper(world))
    for path in ("/briefs", "/api/v1/assignments", "/api/v1/session"):
        assert cache_control(shopper, path) == "no-store", path
    applicant = sign_in(client.application.test_client(), make_application(world.programme).user)
    assert cache_control(applicant, "/account/data.json") == "no-store"
    assert "no-store" not in cache_control(shopper, "/static/css/app.css")
