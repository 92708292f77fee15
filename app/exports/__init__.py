"""Exports: approved reports, their answers and the telephone call logs, as streamed CSV and XLSX."""


def register(app, api):
    from app.exports.api import blp

    api.register_blueprint(blp, url_prefix="/api/v1")
