"""Visits: what shoppers capture (reports, exit interviews, call logs), its idempotent sync, and review."""

from flask import Blueprint

# The pages, over several modules; ``register`` imports them.
bp = Blueprint("visits", __name__)


def register(app, api):
    from app.visits import import_routes, review_routes  # noqa: F401  (their pages on ``bp``)
    from app.visits.api import blp

    app.register_blueprint(bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
