"""Who may import a shopper's file of unsent work: the programme's coordinator and admins. A coordinator of
another programme sees the page, but a file of this programme's shopper is refused (403)."""

import json

from tests.permissions_kit import HTML, Expect, Route, page_for, submission_body
from tests.questionnaires.permission_rows import multipart_file
from tests.visits.payloads import unsent_work_file


def _file(cast, user):
    """The shopper's file with one report for their assignment: imported, it changes something."""
    content = unsent_work_file(cast.shopper, [submission_body(cast.assignment)])
    return multipart_file(json.dumps(content).encode(), filename="shopper-unsent.json")


ROWS = {
    ("GET", "/coordinator/unsent-work"): Route(
        lambda c: "/coordinator/unsent-work", page_for(coordinator=HTML, other_coordinator=HTML, admin=HTML)
    ),
    ("POST", "/coordinator/unsent-work"): Route(
        lambda c: "/coordinator/unsent-work",
        page_for(coordinator=HTML, other_coordinator=Expect(403, "text/html"), admin=HTML),
        body=_file,
    ),
}
