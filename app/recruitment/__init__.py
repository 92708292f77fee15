"""Volunteer recruitment: applications, training, approval."""

from flask import Blueprint

# The pages, over several modules; ``register`` imports them.
bp = Blueprint("recruitment", __name__)


def register(app, api):
    from app.recruitment import details_routes, routes, staff_routes  # noqa: F401  (their pages on ``bp``)

    app.register_blueprint(bp)
