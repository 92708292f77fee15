"""Error handling: problem+json under /api, friendly HTML pages elsewhere."""
from flask import render_template
from werkzeug.exceptions import HTTPException

from app.api.problems import http_exception_to_problem, wants_problem


def handle_http_exception(error: HTTPException):
    if wants_problem():
        return http_exception_to_problem(error)
    if error.code and error.code < 400:  # redirects raised as exceptions
        return error
    return render_template("errors/error.html", error=error), error.code


def register_errors(app):
    # Flask logs an unhandled exception, then hands this handler an InternalServerError.
    app.register_error_handler(HTTPException, handle_http_exception)
