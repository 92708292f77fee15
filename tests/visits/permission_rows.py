"""Who may import a shopper's file of unsent work: the programme's coordinator and admins. A coordinator of
another programme sees the page, but a file of this programme's shopper is refused (403). A checked file
waiting for confirmation is its uploader's alone: anyone else, an admin included, finds nothing (404)."""

from app.extensions import db
from app.visits.models import UnsentWorkUpload
from tests.permissions_kit import HTML, Expect, Route, page_for, redirect, submission_body
from tests.questionnaires.permission_rows import multipart_file
from tests.visits.payloads import signed_file, unsent_work_file

NOT_FOUND_PAGE = Expect(404, "text/html")


def _file(cast, user):
    """The shopper's signed file with one report for their assignment: imported, it changes something."""
    content = unsent_work_file(cast.shopper, [submission_body(cast.assignment)])
    return multipart_file(signed_file(content), filename="shopper-unsent.json")


def _upload(cast, suffix=""):
    """The programme coordinator's checked file, waiting for them to confirm it."""
    if "unsent_work_upload" not in cast.__dict__:
        content = unsent_work_file(cast.shopper, [submission_body(cast.assignment)])
        upload = UnsentWorkUpload(
            coordinator_id=cast.coordinator.id, shopper_id=cast.shopper.id, content=signed_file(content)
        )
        db.session.add(upload)
        db.session.commit()
        cast.__dict__["unsent_work_upload"] = upload.id
    return f"/coordinator/unsent-work/{cast.__dict__['unsent_work_upload']}{suffix}"


UPLOADERS_ONLY = dict(other_coordinator=NOT_FOUND_PAGE, admin=NOT_FOUND_PAGE)

ROWS = {
    ("GET", "/coordinator/unsent-work"): Route(
        lambda c: "/coordinator/unsent-work", page_for(coordinator=HTML, other_coordinator=HTML, admin=HTML)
    ),
    ("POST", "/coordinator/unsent-work"): Route(
        lambda c: "/coordinator/unsent-work",
        page_for(coordinator=Expect(303), other_coordinator=Expect(403, "text/html"), admin=Expect(303)),
        body=_file,
    ),
    ("GET", "/coordinator/unsent-work/<id:upload_id>"): Route(
        _upload, page_for(coordinator=HTML, **UPLOADERS_ONLY)
    ),
    ("POST", "/coordinator/unsent-work/<id:upload_id>"): Route(
        _upload, page_for(coordinator=HTML, **UPLOADERS_ONLY)
    ),
    ("POST", "/coordinator/unsent-work/<id:upload_id>/discard"): Route(
        lambda c: _upload(c, "/discard"),
        page_for(coordinator=redirect("/coordinator/unsent-work"), **UPLOADERS_ONLY),
    ),
}
