"""Questionnaires, their frozen versions, sections and questions."""

from flask import Blueprint

# The pages, over several modules; ``register`` imports them.
bp = Blueprint("questionnaire_pages", __name__)


def register(app, api):
    from app.questionnaires import builder_routes, routes  # noqa: F401  (their pages on ``bp``)
    from app.questionnaires.api import blp

    app.register_blueprint(bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
