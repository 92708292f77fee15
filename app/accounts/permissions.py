"""Role and gate checks shared by pages and the API."""

from functools import wraps

from flask import abort, redirect, url_for
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.services import gate_status
from app.api.problems import ApiProblem, wants_problem
from app.extensions import login_manager


def runs_programme(user, programme_id: int | None) -> bool:
    """An admin, or a coordinator of this programme: who may see and change everything in it."""
    return user.has_role(Role.admin) or (
        user.has_role(Role.coordinator) and programme_id is not None and user.programme_id == programme_id
    )


def reviews_programme(user, programme_id: int | None) -> bool:
    """Who may review this programme's reports: whoever runs it, and its reviewers."""
    return runs_programme(user, programme_id) or (
        user.has_role(Role.reviewer) and programme_id is not None and user.programme_id == programme_id
    )


def not_found(detail: str = "Not found."):
    if wants_problem():
        raise ApiProblem(404, "not_found", detail)
    abort(404)


def forbid(code: str = "forbidden", detail: str = "You may not see or change this."):
    if wants_problem():
        raise ApiProblem(403, code, detail)
    abort(403, detail)


def roles_required(*roles: Role):
    """Signed in (else 401 / sign-in page) with one of ``roles`` (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                forbid()
            return view(*args, **kwargs)

        return wrapped

    return decorator


def gate_required(view):
    """A shopper sees no brief until the confidentiality and conflict gate is passed."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        # Read with the session by ``sessions.load_user`` at the start of this request, when it was.
        status = getattr(getattr(current_user, "session_record", None), "gate", None) or gate_status(
            current_user
        )
        if not status.ready:
            if wants_problem():
                raise ApiProblem(
                    403,
                    "gate_incomplete",
                    "Acknowledge the confidentiality statement and declare your conflicts of interest first.",
                    gate={"confidentiality": status.confidentiality, "conflicts": status.conflicts},
                )
            endpoint = "accounts.confidentiality" if not status.confidentiality else "accounts.conflicts"
            return redirect(url_for(endpoint))
        return view(*args, **kwargs)

    return wrapped


shopper_required = roles_required(Role.shopper)
staff_required = roles_required(Role.coordinator, Role.admin)
review_required = roles_required(Role.coordinator, Role.reviewer, Role.admin)
