"""/api/v1/session and /api/v1/gate/*."""

import sqlalchemy as sa
from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.accounts import services
from app.accounts.limits import mark_failed_sign_in, sign_in_limited
from app.accounts.models import Role
from app.accounts.permissions import shopper_required
from app.accounts.schemas import (
    AcknowledgeArgs,
    DeclarationResultSchema,
    DeclareConflictsArgs,
    GateOptionsSchema,
    GateSchema,
    SessionSchema,
    SignInArgs,
    StatementSchema,
)
from app.accounts.sessions import end_session, start_session
from app.api.blueprint import Blueprint
from app.api.errors import raise_as_problem
from app.api.problems import ApiProblem
from app.extensions import db
from app.programmes.models import Organisation, ServiceArea
from app.visits import signing

blp = Blueprint("accounts_api", __name__, description="Session and the shopper's gate")


def session_payload(user):
    return {
        "user": user,
        "gate": services.gate_status(user),
        "csrf_token": generate_csrf(),
        "export_key": signing.session_key(user) if user.has_role(Role.shopper) else None,
    }


@blp.route("/session")
class Session(MethodView):
    @blp.response(200, SessionSchema)
    def get(self):
        """The signed-in user, their gate, and the CSRF token for unsafe requests.

        Signed out: 401 with a ``csrf_token`` to sign in with.
        """
        if not current_user.is_authenticated:
            raise ApiProblem(401, "not_signed_in", "Sign in to continue.", csrf_token=generate_csrf())
        return session_payload(current_user)

    @sign_in_limited
    @blp.arguments(SignInArgs)
    @blp.response(200, SessionSchema)
    def post(self, args):
        """Sign in with e-mail and password (the app's re-sign-in)."""
        user = services.authenticate(args["email"], args["password"])
        if user is None:
            mark_failed_sign_in()
            services.record_failed(args["email"])
            db.session.commit()
            raise ApiProblem(
                401, "invalid_credentials", "That e-mail address and password do not match an account."
            )
        start_session(user)
        services.record_sign_in(user)
        db.session.commit()
        return session_payload(user)

    @blp.response(204)
    def delete(self):
        """Sign out: the session ends on the server too."""
        if current_user.is_authenticated:
            services.record_sign_out(current_user._get_current_object())
            end_session(current_user)
            db.session.commit()
        return Response(status=204)


@blp.route("/gate/confidentiality")
class Confidentiality(MethodView):
    @shopper_required
    @blp.response(200, StatementSchema)
    def get(self):
        """The programme's current confidentiality statement."""
        statement = services.current_statement(current_user.programme_id)
        if statement is None:
            raise ApiProblem(
                404, "no_statement", "The programme has not published a confidentiality statement yet."
            )
        return statement

    @shopper_required
    @blp.arguments(AcknowledgeArgs)
    @blp.response(200, GateSchema)
    def post(self, args):
        """Acknowledge the statement; 409 ``stale_statement_version`` if it is not the current version."""
        with raise_as_problem():
            services.acknowledge_confidentiality(current_user, args["version"])
        db.session.commit()
        return services.gate_status(current_user)


@blp.route("/gate/conflicts")
class Conflicts(MethodView):
    @shopper_required
    @blp.response(200, DeclarationResultSchema)
    def get(self):
        """The conflicts the shopper has on record."""
        return {
            "gate": services.gate_status(current_user),
            "conflicts": services.conflicts_of(current_user),
            "withdrawn_assignment_ids": [],
        }

    @shopper_required
    @blp.arguments(DeclareConflictsArgs)
    @blp.response(200, DeclarationResultSchema)
    def post(self, args):
        """Declare ``{none: true}`` or a list of conflicts; open assignments they touch are withdrawn."""
        withdrawn = []
        with raise_as_problem():
            if args.get("none"):
                services.declare_no_conflicts(current_user)
            else:
                items = [
                    services.ConflictInput(c.get("organisation_id"), c.get("service_area_id"), c["reason"])
                    for c in args["conflicts"]
                ]
                _, withdrawn = services.declare_conflicts(current_user, items)
        db.session.commit()
        return {
            "gate": services.gate_status(current_user),
            "conflicts": services.conflicts_of(current_user),
            "withdrawn_assignment_ids": [a.id for a in withdrawn],
        }


@blp.route("/gate/options")
class ConflictOptions(MethodView):
    @shopper_required
    @blp.response(200, GateOptionsSchema)
    def get(self):
        """The organisations and service areas of the shopper's programme, to name in a conflict.

        Open before the gate is passed (the declaration is part of it). Ids and names only: a shopper
        sees no result, contact detail or anything else of them here (SPEC §1).
        """
        partnership_id = current_user.programme.partnership_id if current_user.programme else None
        named = sa.select(Organisation.id, Organisation.name).where(
            Organisation.partnership_id == partnership_id
        )
        areas = sa.select(ServiceArea.id, ServiceArea.name).where(
            ServiceArea.partnership_id == partnership_id
        )
        return {
            "organisations": db.session.execute(named.order_by(Organisation.name, Organisation.id)).all(),
            "service_areas": db.session.execute(areas.order_by(ServiceArea.name, ServiceArea.id)).all(),
        }
