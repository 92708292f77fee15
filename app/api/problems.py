"""RFC 9457 problem details for every error under /api/v1.

Every problem has a stable machine-readable ``code`` that the app branches on;
``title`` and ``detail`` are for people.
"""

from flask import Response, json, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE_BASE = "https://service-shopper.example/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

# Stable codes for plain HTTP errors; routes pass their own code where they know more.
DEFAULT_CODES = {
    400: "bad_request",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "server_error",
}


class ApiProblem(HTTPException):
    """An error with a known code, raised from API handlers and services' callers."""

    def __init__(self, status: int, code: str, detail: str = "", **extra):
        super().__init__(description=detail)
        self.code = status
        self.problem_code = code
        self.extra = extra


def problem_response(status: int, code: str, title: str, detail: str = "", **extra) -> Response:
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)


def wants_problem() -> bool:
    return request.path.startswith("/api/")


def _field_errors(messages) -> dict:
    """Flatten webargs' ``{"json": {"field": [...]}}`` to ``{"field": [...]}``."""
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "headers", "form", "view_args"}:
        merged = {}
        for location_errors in messages.values():
            if isinstance(location_errors, dict):
                merged.update(location_errors)
            else:
                merged["_body"] = location_errors
        return merged
    return messages


def http_exception_to_problem(error: HTTPException) -> Response:
    status = error.code or 500
    title = error.name
    detail = error.description or ""
    extra = {}
    code = DEFAULT_CODES.get(status, "http_error")
    if isinstance(error, ApiProblem):
        code = error.problem_code
        extra = error.extra
    elif isinstance(error, CSRFError):
        code = "csrf_failed"
        title = "CSRF token missing or invalid"
        detail = "Send the token from GET /api/v1/session in the X-CSRFToken header. " + error.description
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if messages is not None:
        field_errors = _field_errors(messages)
        if status == 400 or "_body" in field_errors:
            code = "malformed_json"
            detail = "The request body is not valid JSON."
        else:
            code = "validation_failed"
            detail = "Some fields are not valid; see errors."
            extra["errors"] = field_errors
    if status == 500:
        detail = "Something went wrong on our side. Nothing you sent was changed."
    response = problem_response(status, code, title, detail, **extra)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    for name, value in error.get_headers():  # Allow on 405 (Retry-After on 429: app/errors.py)
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
