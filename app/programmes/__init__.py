"""Partnership, organisations, service areas, contact points, programmes and waves."""

from flask import Blueprint

# The pages, over several modules; ``register`` imports them.
bp = Blueprint("programmes", __name__)


def register(app, api):
    from app.programmes import lifecycle_routes, routes, setup_routes  # noqa: F401  (their pages on ``bp``)
    from app.programmes.api import blp

    app.register_blueprint(bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
