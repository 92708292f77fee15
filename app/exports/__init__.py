"""Exports: approved reports, their answers, the telephone call logs and improvement plans, as streamed CSV and
XLSX; the wave report as a printable page and its PDF."""


def register(app, api):
    from app.exports.api import blp
    from app.exports.routes import bp

    app.register_blueprint(bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
