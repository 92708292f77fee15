"""Security headers, and the checks that keep a production deployment from starting unsafe."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import session
from flask_talisman import Talisman

from config import DEMO_SECRET_KEY

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class UnsafeConfiguration(RuntimeError):
    pass


def init_security_headers(app):
    """Talisman made for this app: it keeps its options on itself, so one instance serves one app."""
    app.extensions["talisman"] = Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],  # the shell's import map (app/static_assets.py)
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "microphone": "()", "camera": "(self)"},
    )
    init_no_store(app)


def init_no_store(app):
    """Personal answers stay out of every cache (the browser's, a shared computer's, a proxy's): a response
    that depends on the session cookie is sent ``Cache-Control: no-store``: one whose session was read
    (``session.accessed``, for which Flask adds ``Vary: Cookie``): every signed-in request, every form with
    its CSRF token. A view that sets its own Cache-Control (the service worker's no-cache) keeps it, and
    static files, which never read the session, stay cacheable."""

    @app.after_request
    def no_store_when_personal(response):
        if session.accessed and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response


def refuse_unsafe_production(app):
    """Raise ``UnsafeConfiguration`` for a missing or known secret, no BASE_URL or trusted hosts, or demo
    accounts with the demo password."""
    secret = app.config.get("SECRET_KEY")
    if not secret:
        raise UnsafeConfiguration("SECRET_KEY is not set")
    if secret in (DEMO_SECRET_KEY, "test-secret") or len(secret) < 32:
        raise UnsafeConfiguration("SECRET_KEY is a known demo value or shorter than 32 characters")
    base_url = urlsplit(app.config.get("BASE_URL") or "")
    if base_url.scheme not in ("http", "https") or not base_url.hostname:
        raise UnsafeConfiguration(
            "BASE_URL is not set to where the service is reached (e.g. https://shopper.example.org): "
            "links in e-mails would follow each request's Host header"
        )
    if not app.config.get("TRUSTED_HOSTS"):
        raise UnsafeConfiguration("TRUSTED_HOSTS is empty: the app would answer to any Host header")
    from app.accounts.models import User
    from app.accounts.passwords import password_matches
    from app.extensions import db

    with app.app_context():
        try:
            demo_users = db.session.scalars(sa.select(User).where(User.is_demo)).all()
        except sa.exc.SQLAlchemyError:
            db.session.remove()
            db.engine.dispose()
            return  # no schema yet: nothing to check before `flask db upgrade`
        # Demo accounts share one hash until changed: verify each distinct hash once (argon2 is slow on purpose).
        hashes_still_demo = {
            password_hash
            for password_hash in {u.password_hash for u in demo_users}
            if password_matches(password_hash, app.config["DEMO_PASSWORD"])
        }
        still_demo = [u.email for u in demo_users if u.password_hash in hashes_still_demo]
        db.session.remove()
        # Close the pool before gunicorn forks workers: they must not share connections.
        db.engine.dispose()
    if still_demo:
        raise UnsafeConfiguration(
            "demo accounts still have the demo password: " + ", ".join(sorted(still_demo))
        )
