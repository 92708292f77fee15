"""Accounts: sign-in, sessions, roles, and the shopper's confidentiality and conflict gate."""


def register(app, api):
    from app.accounts import people_routes, reset_routes  # noqa: F401  (their pages, on bp)
    from app.accounts.api import blp
    from app.accounts.routes import bp

    app.register_blueprint(bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
