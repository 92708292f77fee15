"""Error handling: problem+json under /api, friendly HTML pages elsewhere."""

import time

from flask import Response, make_response, render_template
from werkzeug.exceptions import HTTPException, SecurityError

from app.api.problems import http_exception_to_problem, wants_problem
from app.extensions import limiter


def handle_http_exception(error: HTTPException):
    if isinstance(error, SecurityError):  # a Host header not in TRUSTED_HOSTS: no page can link anywhere
        return Response("This service is not reached at that host name.\n", 400, mimetype="text/plain")
    if wants_problem():
        response = http_exception_to_problem(error)
    elif error.code and error.code < 400:  # redirects raised as exceptions
        return error
    else:
        response = make_response(render_template("errors/error.html", error=error), error.code)
    if error.code == 429:
        response.headers["Retry-After"] = str(_seconds_until_allowed())
    return response


def _seconds_until_allowed() -> int:
    """Until the limit this request broke lets the next one through. Only a 429 says so: flask-limiter's own
    headers (off, RATELIMIT_HEADERS_ENABLED) put a Retry-After on every answer of a limited view, a wrong
    password's 401 included, as if the shopper had to wait."""
    breached = limiter.current_limit
    return max(1, breached.reset_at - int(time.time())) if breached is not None else 60


def register_errors(app):
    # Flask logs an unhandled exception, then hands this handler an InternalServerError.
    app.register_error_handler(HTTPException, handle_http_exception)
