"""Results: scoring, statistics (Wilson, Newcombe), roll-ups computed ahead, the coordinator's results pages,
``GET /api/v1/results`` and ``flask results recompute``."""


def register(app, api) -> None:
    """The results pages, API and command (``create_app`` calls each feature's ``register``)."""
    from app.results.api import blp as results_api
    from app.results.cli import results_cli
    from app.results.routes import bp as results_pages

    app.register_blueprint(results_pages)
    api.register_blueprint(results_api, url_prefix="/api/v1")
    app.cli.add_command(results_cli)
