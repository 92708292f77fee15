"""Assignments and the shopper's briefs; planning and the phone bank."""

from flask import Blueprint

# The pages, over several modules; ``register`` imports them.
bp = Blueprint("assignments", __name__)


def register(app, api):
    from app.assignments import blocks_routes, planning_routes, routes  # noqa: F401  (their pages on ``bp``)
    from app.assignments.api import blp

    app.register_blueprint(bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
