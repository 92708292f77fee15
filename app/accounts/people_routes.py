"""Pages: who has which role, invitations to staff accounts, role changes and deactivation."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts import people
from app.accounts.forms import AcceptInviteForm, AccountStateForm, InviteForm, RolesForm
from app.accounts.models import Role, User
from app.accounts.permissions import forbid, not_found, staff_required
from app.accounts.routes import bp
from app.accounts.sessions import start_session
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes.models import Organisation, Programme
from app.recruitment.mail import send_mail
from app.routing import external_url

PER_PAGE = 50


def get_person(user_id: int) -> User:
    """The person behind ``/people/<id>``: 404 if there is none, 403 unless the signed-in user manages them."""
    person = db.session.get(User, user_id)
    if person is None:
        not_found("No such person.")
    if not people.may_manage(current_user, person):
        forbid("not_yours", "This person is not in your programme.")
    return person


def _programmes() -> list[Programme]:
    query = sa.select(Programme).order_by(Programme.name, Programme.id)
    if not current_user.has_role(Role.admin):
        query = query.where(Programme.id == current_user.programme_id)
    return db.session.scalars(query).all()


def _organisation_choices(programmes) -> list[SelectChoice]:
    partnerships = {p.partnership_id for p in programmes}
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.partnership_id.in_(partnerships))
        .order_by(Organisation.name)
    ).all()
    return [SelectChoice(0, "None")] + [SelectChoice(o.id, o.name) for o in organisations]


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(r.value, people.ROLE_LABELS[r]) for r in people.grantable_roles(current_user)]


def _roles_of(form) -> set[Role]:
    return {Role(value) for value in form.roles.data or ()}


def _organisation_of(form) -> Organisation | None:
    return db.session.get(Organisation, form.organisation_id.data) if form.organisation_id.data else None


def _field_for(form, error: DomainError):
    return {
        "organisation_required": form.organisation_id,
        "unknown_organisation": form.organisation_id,
        "programme_required": getattr(form, "programme_id", form.roles),
        "not_your_programme": getattr(form, "programme_id", form.roles),
        "email_taken": getattr(form, "email", form.roles),
    }.get(error.code, form.roles)


@bp.get("/people")
@staff_required
def people_list():
    if current_user.programme_id is None and not current_user.has_role(Role.admin):
        abort(404, "You run no programme yet.")
    role_value = request.args.get("role", "")
    role = Role(role_value) if role_value in {r.value for r in Role} else None
    search = request.args.get("q", "")[:100]
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404, "There is no such page.")
    listing = db.paginate(
        people.people_query(current_user, role, search), page=page, per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "accounts/people.html",
        listing=listing,
        role=role,
        search=search,
        Role=Role,
        labels=people.ROLE_LABELS,
        invites=people.open_invites(current_user),
    )


@bp.route("/people/invite", methods=["GET", "POST"])
@staff_required
def invite():
    programmes = _programmes()
    if not programmes and not current_user.has_role(Role.admin):
        abort(404, "You run no programme yet.")
    form = InviteForm()
    form.roles.choices = _role_choices()
    form.organisation_id.choices = _organisation_choices(programmes)
    if current_user.has_role(Role.admin):
        form.programme_id.choices = [SelectChoice(0, "None (an administrator only)")] + [
            SelectChoice(p.id, p.name) for p in programmes
        ]
    else:  # a coordinator invites to their own programme only
        form.programme_id.choices = [SelectChoice(p.id, p.name) for p in programmes]
        if not form.programme_id.data:
            form.programme_id.data = current_user.programme_id
    if form.validate_on_submit():
        programme = next((p for p in programmes if p.id == form.programme_id.data), None)
        try:
            invitation, token = people.invite(
                current_user,
                form.email.data,
                form.display_name.data,
                _roles_of(form),
                programme,
                _organisation_of(form),
            )
        except DomainError as error:
            db.session.rollback()
            field = _field_for(form, error)
            field.errors = [*field.errors, error.message]
        else:
            subject, body = people.invitation_text(invitation, external_url("accounts.join", token=token))
            send_mail(invitation.email, subject, body, invitation.programme_id)
            db.session.commit()
            flash(
                f"The invitation is sent to {invitation.email}. The link works once, for 7 days.", "success"
            )
            return redirect(url_for("accounts.people_list"))
    status = 422 if form.errors else 200
    return render_template("accounts/invite.html", form=form), status


def _person_page(person, roles_form=None, status=200):
    if roles_form is None:
        roles_form = RolesForm(formdata=None)
        roles_form.roles.data = [r.value for r in person.roles]
        roles_form.organisation_id.data = person.organisation_id or 0
    roles_form.roles.choices = _role_choices()
    roles_form.organisation_id.choices = _organisation_choices([person.programme] if person.programme else [])
    return render_template(
        "accounts/person.html",
        person=person,
        roles_form=roles_form,
        state_form=AccountStateForm(formdata=None),
        labels=people.ROLE_LABELS,
        grantable=set(people.grantable_roles(current_user)),
        is_self=person.id == current_user.id,
    ), status


@bp.get("/people/<id:user_id>")
@staff_required
def person(user_id):
    return _person_page(get_person(user_id))


@bp.post("/people/<id:user_id>/roles")
@staff_required
def change_roles(user_id):
    person = get_person(user_id)
    form = RolesForm()
    form.roles.choices = _role_choices()
    form.organisation_id.choices = _organisation_choices([person.programme] if person.programme else [])
    if form.validate_on_submit():
        try:
            people.set_roles(current_user, person, _roles_of(form), _organisation_of(form))
        except DomainError as error:
            db.session.rollback()
            field = _field_for(form, error)
            field.errors = [*field.errors, error.message]
        else:
            db.session.commit()
            flash(f"{person.display_name}'s roles are saved.", "success")
            return redirect(url_for("accounts.person", user_id=person.id))
    return _person_page(person, form, status=422)


def _change_state(user_id, change, done: str):
    person = get_person(user_id)
    if AccountStateForm().validate_on_submit():
        try:
            change(current_user, person)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(done.format(name=person.display_name), "success")
    return redirect(url_for("accounts.person", user_id=person.id))


@bp.post("/people/<id:user_id>/deactivate")
@staff_required
def deactivate(user_id):
    return _change_state(
        user_id, people.deactivate, "{name}'s account is deactivated and signed out everywhere."
    )


@bp.post("/people/<id:user_id>/reactivate")
@staff_required
def reactivate(user_id):
    return _change_state(user_id, people.reactivate, "{name}'s account can sign in again.")


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token):
    """Accept an invitation: choose a password, and be signed in."""
    try:
        invitation = people.find_invite(token)
    except DomainError as error:
        return render_template(
            "accounts/message.html", title="This invitation does not work", message=error.message
        ), (404 if error.code == "invite_unknown" else 410)
    form = AcceptInviteForm()
    if form.validate_on_submit():
        try:
            user = people.accept_invite(invitation, form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.password.errors = [*form.password.errors, error.message]
        else:
            start_session(user)
            db.session.commit()
            flash("Welcome: your account is ready.", "success")
            return redirect(url_for("main.home"))
    status = 422 if form.errors else 200
    return render_template(
        "accounts/join.html", form=form, invitation=invitation, labels=people.ROLE_LABELS, Role=Role
    ), status
