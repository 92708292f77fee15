"""A received report, as the shopper's app would send it."""

from app.extensions import db
from app.visits.models import Submission
from app.visits.schemas import SubmissionArgs
from app.visits.services import receive
from tests.factories import make_assignment, make_shopper
from tests.visits.payloads import submission_payload


def make_submission(world, shopper=None, assignment=None, **overrides) -> Submission:
    shopper = shopper or make_shopper(world)
    assignment = assignment or make_assignment(world, shopper)
    [outcome] = receive(shopper, [SubmissionArgs().load(submission_payload(assignment, **overrides))])
    assert outcome.status == 201, outcome
    db.session.commit()
    return (
        db.session.get(Submission, outcome.submission["id"])
        if "id" in (outcome.submission or {})
        else db.session.query(Submission)
        .filter_by(assignment_id=assignment.id)
        .order_by(Submission.id.desc())
        .first()
    )
