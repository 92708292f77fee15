"""Configuration and start-up safety."""
import pytest
from flask import request

from app import create_app
from app.accounts.models import Role
from app.accounts.passwords import hash_password, hasher
from app.extensions import db
from app.security import UnsafeConfiguration
from config import DEMO_SECRET_KEY, ProdConfig
from tests.conftest import _config_for
from tests.factories import make_user


def prod_config(database_url, **overrides):
    values = {"SECRET_KEY": "x" * 48, "SQLALCHEMY_DATABASE_URI": database_url, **overrides}
    return type("Prod", (ProdConfig,), values)


@pytest.mark.parametrize("secret", [None, "", DEMO_SECRET_KEY, "short-secret"])
def test_production_refuses_a_missing_or_known_secret(database_url, secret):
    with pytest.raises(UnsafeConfiguration):
        create_app(prod_config(database_url, SECRET_KEY=secret))


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


def test_password_hashing_meets_owasp_minimums():
    """argon2id with at least m=19 MiB, t=2, p=1 (OWASP Password Storage Cheat Sheet)."""
    stored = hash_password("something")
    assert stored.startswith("$argon2id$")
    assert hasher.memory_cost >= 19 * 1024 and hasher.time_cost >= 2 and hasher.parallelism >= 1


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
    response = app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"},
                                     environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.get_data(as_text=True) == "203.0.113.7"
