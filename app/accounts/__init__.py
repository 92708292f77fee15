"""Accounts: sign-in, sessions, roles, and the shopper's confidentiality and conflict gate."""


def register(app, api):
    from app.accounts.api import blp
    from app.accounts.routes import bp

    app.register_blueprint(bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
