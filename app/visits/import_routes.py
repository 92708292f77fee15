"""The coordinator's page for a shopper's file of unsent work (``app/visits/imports.py``)."""

from flask import Blueprint, render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from app.accounts.models import User
from app.accounts.permissions import runs_programme, staff_required
from app.extensions import db
from app.routing import body_limit
from app.visits import imports

# A file may hold several reports, each with up to six photos of up to 400 KB (base64: a third more).
MAX_FILE_BYTES = 32 * 1024 * 1024

bp = Blueprint("unsent_work", __name__, url_prefix="/coordinator/unsent-work")


class ImportWorkForm(FlaskForm):
    file = FileField(
        "File of unsent work (.json)",
        validators=[FileRequired("Choose the file the shopper gave you.")],
        description="The file the shopper app saved when the shopper signed out with work not yet "
        f"sent (shopper-unsent-….json), up to {MAX_FILE_BYTES // 1024 // 1024} MB.",
    )


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


def _page(form, status=200, reasons=(), report=None, shopper=None):
    return render_template(
        "review/import.html", form=form, reasons=list(reasons), report=report, shopper=shopper
    ), status


@bp.get("")
@staff_required
def form():
    return _page(ImportWorkForm(formdata=None))


@bp.post("")
@body_limit(MAX_FILE_BYTES)
@staff_required
def import_work():
    form = ImportWorkForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        content = imports.parse(form.file.data.read())  # the request as a whole is capped (MAX_FILE_BYTES)
        shopper = get_shopper_of_file(content)
    except imports.ImportRefused as error:
        form.file.errors.append("The file was not imported: " + error.reasons[0])
        return _page(form, 422, reasons=error.reasons)
    except NotYourShopper:
        form.file.errors.append(
            "The file was not imported: it holds the work of a shopper in another programme."
        )
        return _page(form, 403)
    report = imports.import_unsent_work(content, shopper, current_user)
    return _page(ImportWorkForm(formdata=None), report=report, shopper=shopper)
