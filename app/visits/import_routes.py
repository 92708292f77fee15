"""The coordinator's pages for a shopper's file of unsent work (``app/visits/imports.py``).

Uploading a file checks it (its form, and its signature: ``app/visits/signing.py``) and keeps it; the next
page shows whose work the file holds, and only the coordinator's confirmation stores it.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from app.accounts.models import User
from app.accounts.permissions import runs_programme, staff_required
from app.extensions import db
from app.routing import body_limit
from app.visits import bp, imports
from app.visits.models import UnsentWorkUpload

# A file may hold several reports, each with up to six photos of up to 400 KB (base64: a third more).
MAX_FILE_BYTES = 32 * 1024 * 1024


class ImportWorkForm(FlaskForm):
    file = FileField(
        "File of unsent work (.json)",
        validators=[FileRequired("Choose the file the shopper gave you.")],
        description="The file the shopper app saved when the shopper signed out with work not yet "
        f"sent (shopper-unsent-….json), up to {MAX_FILE_BYTES // 1024 // 1024} MB.",
    )


class ConfirmForm(FlaskForm):
    """The confirmation (or discarding) of a checked file: a button, and the CSRF token."""


class NotYourShopper(Exception):
    pass


def get_shopper_of_file(content: dict) -> User:
    """The shopper the file names, once the signed-in coordinator may handle their work (an admin, or a
    coordinator of the shopper's programme). Their account need not be active, nor still a shopper's: the
    file is most often all that is left of someone who has stopped."""
    named = content["shopper"]
    shopper = db.session.get(User, named["id"])
    if shopper is None:
        raise imports.ImportRefused(
            [f"The file names a shopper (number {named['id']}) that this app does not know."]
        )
    if not runs_programme(current_user, shopper.programme_id):
        raise NotYourShopper()
    if shopper.email.casefold() != named["email"].casefold():
        raise imports.ImportRefused(
            [
                f"The file names shopper number {shopper.id} as {named['email']}, but that "
                f"shopper's e-mail address is {shopper.email}: check whose file it is."
            ]
        )
    return shopper


def get_upload(upload_id: int) -> UnsentWorkUpload:
    """The signed-in coordinator's own upload; anyone else's, or one gone, is not found."""
    upload = db.session.get(UnsentWorkUpload, upload_id)
    if upload is None or upload.coordinator_id != current_user.id:
        abort(404, "This file is no longer waiting to be imported: upload it again.")
    return upload


def _page(form, status=200, reasons=(), **context):
    return render_template("review/import.html", form=form, reasons=list(reasons), **context), status


def _checked(form, raw: bytes):
    """The file's content and shopper, or the page that says why it is refused."""
    try:
        content = imports.parse(raw)
        return content, get_shopper_of_file(content), None
    except imports.ImportRefused as error:
        form.file.errors.append("The file was not imported: " + error.reasons[0])
        return None, None, _page(form, 422, reasons=error.reasons)
    except NotYourShopper:
        form.file.errors.append(
            "The file was not imported: it holds the work of a shopper in another programme."
        )
        return None, None, _page(form, 403)


@bp.get("/coordinator/unsent-work")
@staff_required
def form():
    return _page(ImportWorkForm(formdata=None))


@bp.post("/coordinator/unsent-work")
@body_limit(MAX_FILE_BYTES)
@staff_required
def upload():
    form = ImportWorkForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    raw = form.file.data.read()  # the request as a whole is capped (MAX_FILE_BYTES)
    content, shopper, refused = _checked(form, raw)
    if refused:
        return refused
    db.session.execute(sa.delete(UnsentWorkUpload).where(UnsentWorkUpload.coordinator_id == current_user.id))
    upload = UnsentWorkUpload(coordinator_id=current_user.id, shopper_id=shopper.id, content=raw)
    db.session.add(upload)
    db.session.commit()
    return redirect(url_for("visits.confirm", upload_id=upload.id), 303)


@bp.get("/coordinator/unsent-work/<id:upload_id>")
@staff_required
def confirm(upload_id):
    upload = get_upload(upload_id)
    form = ImportWorkForm(formdata=None)
    content, shopper, refused = _checked(form, upload.content)
    if refused:
        return refused
    return _page(form, pending=upload, content=content, shopper=shopper, confirm_form=ConfirmForm())


@bp.post("/coordinator/unsent-work/<id:upload_id>")
@staff_required
def import_work(upload_id):
    upload = get_upload(upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    form = ImportWorkForm(formdata=None)
    content, shopper, refused = _checked(form, upload.content)
    if refused:
        return refused
    report = imports.import_unsent_work(content, shopper, current_user)
    db.session.delete(upload)
    db.session.commit()
    return _page(form, report=report, shopper=shopper)


@bp.post("/coordinator/unsent-work/<id:upload_id>/discard")
@staff_required
def discard(upload_id):
    upload = get_upload(upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    db.session.delete(upload)
    db.session.commit()
    flash("The file was not imported: nothing in it was stored.", "info")
    return redirect(url_for("visits.form"))
