"""Configuration from the environment.

Development defaults to SQLite in the instance folder; ``DATABASE_URL``
selects PostgreSQL (``postgresql+psycopg://...``). Production has no default
secret and refuses to start with a known one (see ``app.security``).
"""

import os
from datetime import timedelta
from urllib.parse import urlsplit

DEMO_SECRET_KEY = "demo-secret-not-for-production"


def _hosts(names: str | None) -> list[str] | None:
    return [name.strip() for name in names.split(",") if name.strip()] if names else None


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SESSION_COOKIE_NAME = "shopper_session"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A signed-in session lasts this long without use; the server-side session record enforces it.
    SESSION_IDLE_TIMEOUT = timedelta(hours=12)
    # And this long at most from sign-in, however often used (ASVS 7.3.2); the cookie lasts as long.
    SESSION_ABSOLUTE_LIFETIME = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_LIFETIME
    # Re-sign and re-send the cookie only when the session record is touched (app/accounts/sessions.py),
    # not on every response.
    SESSION_REFRESH_EACH_REQUEST = False
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; an offline phone may wait days
    WTF_CSRF_SSL_STRICT = True

    MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # an oversized body gets 413, not a crash

    # Flask-Compress (app/compression.py): the text the app serves itself, brotli or gzip. Exports (CSV, XLSX,
    # PDF) are not in the list: they stream as they are written, and XLSX and PDF are compressed already.
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/problem+json",
        "application/manifest+json",
        "image/svg+xml",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_STREAMS = False  # see app/compression.py
    # Flask-Static-Digest (app/static_assets.py): hashed copies only; Flask-Compress compresses as it sends.
    FLASK_STATIC_DIGEST_COMPRESSION: list[str] = []

    # Redis, shared by every process and instance; unset: each process keeps its own counts in memory.
    REDIS_URL = os.environ.get("REDIS_URL")
    # Where Flask-Limiter counts (the sign-in limit, app/accounts/limits.py): REDIS_URL unless set apart.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = False  # a 429 says when to try again (app/errors.py); other answers need not
    # Failed sign-ins, every door together: one account from one client, one account, one client.
    SIGN_IN_LIMIT_PER_ACCOUNT_AND_CLIENT = os.environ.get(
        "SIGN_IN_LIMIT_PER_ACCOUNT_AND_CLIENT", "5 per 15 minutes"
    )
    SIGN_IN_LIMIT_PER_ACCOUNT = os.environ.get("SIGN_IN_LIMIT_PER_ACCOUNT", "20 per 15 minutes")
    SIGN_IN_LIMIT_PER_CLIENT = os.environ.get("SIGN_IN_LIMIT_PER_CLIENT", "30 per 15 minutes")
    # Sign-ups that got through the form (each mails the address), per e-mail address and per client.
    SIGN_UP_LIMIT_PER_ADDRESS = os.environ.get("SIGN_UP_LIMIT_PER_ADDRESS", "3 per day")
    SIGN_UP_LIMIT_PER_CLIENT = os.environ.get("SIGN_UP_LIMIT_PER_CLIENT", "10 per hour")
    # "Forgot your password?": requests per e-mail address and per client address, and the link's lifetime.
    PASSWORD_RESET_LIMIT_PER_ADDRESS = os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3 per hour")
    PASSWORD_RESET_LIMIT_PER_CLIENT = os.environ.get("PASSWORD_RESET_LIMIT_PER_CLIENT", "10 per hour")
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))  # seconds

    # Where the service is reached (scheme and host, e.g. https://shopper.example.org): the links in
    # e-mails are made on it, never on a request's Host header. Required in production.
    BASE_URL = os.environ.get("BASE_URL")
    # Host names the app answers to (comma-separated); any other Host header is a 400. Unset: any, except
    # in production, where BASE_URL's host is the default.
    TRUSTED_HOSTS = _hosts(os.environ.get("TRUSTED_HOSTS"))

    FORCE_HTTPS = False
    # Proxies in front that set X-Forwarded-For/-Proto: without this, behind a proxy every
    # client shares the proxy's address, and the per-client sign-in limit locks everyone out.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    DEMO_PASSWORD = "demo-password-2026"
    # argon2.PasswordHasher keyword arguments; None: argon2-cffi's defaults, above OWASP's minimums.
    PASSWORD_HASH_PARAMETERS = None

    API_TITLE = "Service Shopper API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    PROPAGATE_EXCEPTIONS = False


class DevConfig(Config):
    ENV_NAME = "development"


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    # Weak on purpose and for tests only: the suite hashes and checks passwords thousands of times.
    # tests/test_config.py checks that every other configuration hashes with the strong defaults.
    PASSWORD_HASH_PARAMETERS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


class ProdConfig(Config):
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")  # no default: refused at start-up when missing
    SESSION_COOKIE_SECURE = True
    FORCE_HTTPS = os.environ.get("FORCE_HTTPS", "1") == "1"
    TRUSTED_HOSTS = Config.TRUSTED_HOSTS or (
        [urlsplit(Config.BASE_URL).hostname]
        if Config.BASE_URL and urlsplit(Config.BASE_URL).hostname
        else None
    )


CONFIGS = {"development": DevConfig, "test": TestConfig, "production": ProdConfig}


def config_from_env():
    return CONFIGS[os.environ.get("APP_ENV", "development")]
