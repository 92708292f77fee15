"""Who may review reports: the programme's coordinator, its reviewers and admins (a coordinator of another
programme sees their own, empty, queue but none of this programme's reports)."""

from tests.permissions_kit import HTML, Expect, Route, page_for
from tests.review.helpers import make_submission

STAFF_PAGE = page_for(coordinator=HTML, reviewer=HTML, admin=HTML)
STAFF_CHANGE = page_for(coordinator=Expect(302), reviewer=Expect(302), admin=Expect(302))


def _report(cast, suffix=""):
    if "review_submission" not in cast.__dict__:
        cast.__dict__["review_submission"] = make_submission(cast.world, cast.shopper, cast.assignment)
    return f"/coordinator/review/{cast.__dict__['review_submission'].id}{suffix}"


ROWS = {
    ("GET", "/coordinator/review"): Route(
        lambda c: "/coordinator/review",
        page_for(coordinator=HTML, other_coordinator=HTML, reviewer=HTML, admin=HTML),
    ),
    ("GET", "/coordinator/review/<id:submission_id>"): Route(_report, STAFF_PAGE),
    ("POST", "/coordinator/review/<id:submission_id>/start"): Route(
        lambda c: _report(c, "/start"), STAFF_CHANGE
    ),
    ("POST", "/coordinator/review/<id:submission_id>/approve"): Route(
        lambda c: _report(c, "/approve"), STAFF_CHANGE
    ),
    ("POST", "/coordinator/review/<id:submission_id>/return"): Route(
        lambda c: _report(c, "/return"),
        STAFF_CHANGE,
        body=lambda c, u: {"data": {"comment": "Add the time."}},
    ),
    ("POST", "/coordinator/review/<id:submission_id>/reject"): Route(
        lambda c: _report(c, "/reject"),
        STAFF_CHANGE,
        body=lambda c, u: {"data": {"reason": "Out of window."}},
    ),
}
