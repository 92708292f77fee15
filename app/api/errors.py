from contextlib import contextmanager

from app.api.problems import ApiProblem
from app.errors_domain import DomainError
from app.extensions import db


@contextmanager
def raise_as_problem():
    """Turn a service's ``DomainError`` into a problem response, rolling back what it changed."""
    try:
        yield
    except DomainError as error:
        db.session.rollback()
        raise ApiProblem(error.status, error.code, error.message) from error
