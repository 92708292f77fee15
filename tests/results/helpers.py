"""Approved reports in the test world, through the same receive and review doors as real ones."""

from app.accounts.models import Role
from app.extensions import db
from app.visits import review
from tests.factories import make_assignment, make_shopper, make_user
from tests.review.helpers import make_submission


def coordinator_of(world):
    return make_user(Role.coordinator, programme=world.programme)


def approved_report(world, coordinator, answers, contact_point=None, scenario=None, **overrides):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper, contact_point=contact_point, scenario=scenario)
    submission = make_submission(world, shopper=shopper, assignment=assignment, answers=answers, **overrides)
    review.approve(submission, coordinator)
    db.session.commit()
    return submission
