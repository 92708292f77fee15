"""Security headers, and the checks that keep a production deployment from starting unsafe."""

import sqlalchemy as sa
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
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "microphone": "()", "camera": "(self)"},
    )


def refuse_unsafe_production(app):
    """Raise ``UnsafeConfiguration`` for a missing or known secret, or demo accounts with the demo password."""
    secret = app.config.get("SECRET_KEY")
    if not secret:
        raise UnsafeConfiguration("SECRET_KEY is not set")
    if secret in (DEMO_SECRET_KEY, "test-secret") or len(secret) < 32:
        raise UnsafeConfiguration("SECRET_KEY is a known demo value or shorter than 32 characters")
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
