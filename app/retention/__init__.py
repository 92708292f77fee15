"""Duty of care (SPEC §7): exit-interview free text and evidence photos are deleted once older than the
programme's retention period, by ``flask retention run``, and each deletion is logged for the coordinator."""

from flask import Blueprint

bp = Blueprint("retention", __name__)


def register(app, api) -> None:
    from app.retention import routes  # noqa: F401  (its page on ``bp``)
    from app.retention.cli import retention_cli

    app.register_blueprint(bp)
    app.cli.add_command(retention_cli)
