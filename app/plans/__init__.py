"""Improvement plans (issue 18): a partner's actions on the findings of each released wave, their progress,
its responses to findings it disputes, and the coordinator's progress dashboard."""

from flask import Blueprint

bp = Blueprint("plans", __name__)


def register(app, api) -> None:
    from app.plans import routes  # noqa: F401  (the views, on ``bp``)

    app.register_blueprint(bp)
