"""A volunteer's own pages after sign-up: when they can help, and editing their details.

Neither is behind the confidentiality gate: availability and personal details are not a brief, and a
shopper must be able to correct them before (or without) acknowledging anything.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import phones
from app.accounts.models import Role
from app.accounts.permissions import roles_required
from app.extensions import db
from app.recruitment import bp, details
from app.recruitment.forms import AvailabilityForm, DetailsForm
from app.recruitment.personal_data import application_of

volunteers_only = roles_required(Role.applicant, Role.shopper)


@bp.route("/account/availability", methods=["GET", "POST"])
@volunteers_only
def availability():
    user = current_user._get_current_object()
    saved = details.availability_of(user)
    # On a POST the ticks are what was sent, even none at all: an empty body must not fall back on the
    # saved (or default) ticks, as Flask-WTF does when the request carries no form fields.
    form = (
        AvailabilityForm(formdata=request.form)
        if request.method == "POST"
        else AvailabilityForm(data={"available_times": details.times_of(saved)})
    )
    if form.validate_on_submit():
        details.set_availability(user, set(form.available_times.data))
        db.session.commit()
        flash(_("Your availability is saved; new assignments follow it."), "success")
        return redirect(url_for("recruitment.availability"))
    status = 422 if form.errors else 200
    return render_template(
        "recruitment/availability.html", form=form, saved=saved, application=application_of(user)
    ), status


@bp.route("/account/details", methods=["GET", "POST"])
@volunteers_only
def edit_details():
    """Edit my application (an applicant) or my details (a shopper). Staff on loan have only a name here."""
    user = current_user._get_current_object()
    application = application_of(user)
    if application is not None:
        form = DetailsForm(obj=application)
    else:
        form = DetailsForm(data={"full_name": user.display_name})
        for name in details.DETAIL_FIELDS[1:]:
            delattr(form, name)
    form.phone_country = user.programme.country if user.programme else None
    if application is not None and not form.is_submitted():  # the stored E.164 as the volunteer writes it
        form.phone.data = phones.display(application.phone, form.phone_country)
    if form.validate_on_submit():
        values = {name: (form[name].data or "") if name in form else "" for name in details.DETAIL_FIELDS}
        changed = details.update_details(user, application, details.Details(**values))
        db.session.commit()
        flash(_("Your details are saved.") if changed else _("Nothing had changed."), "success")
        return redirect(url_for("recruitment.application"))
    status = 422 if form.errors else 200
    return render_template("recruitment/details.html", form=form, application=application), status
