"""Visits: what shoppers capture (reports, exit interviews, call logs), its idempotent sync, and review."""


def register(app, api):
    from app.visits.api import blp
    from app.visits.import_routes import bp as unsent_work_bp
    from app.visits.review_routes import bp as review_bp

    app.register_blueprint(review_bp)
    app.register_blueprint(unsent_work_bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
