"""The parts of the permission matrix: who is who (``Cast``), what a response must be (``Expect``), routes.

Feature test packages add their routes' rows in ``tests/<feature>/permission_rows.py`` as
``ROWS = {(method, rule): Route(...)}``, built with these helpers; ``tests/test_permissions.py``
gathers them into one matrix.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from urllib.parse import urlsplit

from app.accounts.models import Role, User
from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Channel, ContactPoint
from tests.conftest import RowTemplate, load_keys
from tests.factories import PASSWORD, make_assignment, make_questionnaire, make_shopper, make_user, make_world

PROBLEM = "application/problem+json"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

ROLES = [
    "signed_out",
    "applicant",
    "shopper",  # passed the confidentiality and conflict gate; holds the "own" assignment
    "shopper_ungated",
    "coordinator",  # of the programme
    "other_coordinator",  # of another programme, in another partnership
    "partner_manager",  # of North District, where the shopper's assignment is
    "other_partner_manager",  # of South District
    "reviewer",  # of the programme: reviews its reports, nothing else
    "admin",
]


class Cast:
    """The people and objects of one test, made when first used (most tests need only a few)."""

    def user(self, role: str) -> User | None:
        return None if role == "signed_out" else getattr(self, role)

    @cached_property
    def world(self):
        return make_world()

    @cached_property
    def shopper(self):
        return make_shopper(self.world)

    @cached_property
    def assignment(self):
        """The gated shopper's own assignment: North District, in person."""
        return make_assignment(self.world, self.shopper)

    @cached_property
    def shopper_ungated(self):
        return make_shopper(self.world, gate_passed=False)

    @cached_property
    def applicant(self):
        return make_user(Role.applicant, programme=self.world.programme)

    @cached_property
    def coordinator(self):
        return make_user(Role.coordinator, programme=self.world.programme)

    @cached_property
    def other_world(self):
        """Another partnership, with a programme of its own."""
        return make_world()

    @cached_property
    def other_coordinator(self):
        return make_user(Role.coordinator, programme=self.other_world.programme)

    @cached_property
    def partner_manager(self):
        return make_user(
            Role.partner_manager, programme=self.world.programme, organisation=self.world.district
        )

    @cached_property
    def other_partner_manager(self):
        return make_user(
            Role.partner_manager, programme=self.world.programme, organisation=self.world.other_district
        )

    @cached_property
    def reviewer(self):
        return make_user(Role.reviewer, programme=self.world.programme)

    @cached_property
    def admin(self):
        return make_user(Role.admin)

    @cached_property
    def other_shopper(self):
        return make_shopper(self.world)

    @cached_property
    def submission_uuid(self):
        return uuid.uuid4()

    @cached_property
    def other_assignment(self):
        """Another shopper's assignment, by telephone (so on the other questionnaire)."""
        return make_assignment(self.world, self.other_shopper, contact_point=self.world.district_phone)

    @classmethod
    def everyone(cls) -> "Cast":
        """A cast with all of the above made already, copied from the rows of the first one.

        The matrix has some 1,500 cases; making their people and objects afresh for each was
        most of its time. The rows go in with a few statements, and each member is loaded
        from them when first used.
        """
        keys = _EVERYONE.copy_in()
        cast = _LoadedCast()
        cast._keys = keys
        return cast


MEMBERS = (
    "world",
    "other_world",
    "shopper",
    "assignment",
    "shopper_ungated",
    "applicant",
    "coordinator",
    "other_coordinator",
    "partner_manager",
    "other_partner_manager",
    "reviewer",
    "admin",
    "other_shopper",
    "other_assignment",
)


def _everyone():
    cast = Cast()
    return {name: getattr(cast, name) for name in MEMBERS}


def _loader(name):
    def load(self):
        return load_keys(self._keys[name], lazy=True)

    return load


_EVERYONE = RowTemplate(_everyone)
_LoadedCast = type("LoadedCast", (Cast,), {name: cached_property(_loader(name)) for name in MEMBERS})


# --- what each response must be -----------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    status: int
    mimetype: str | None = None
    code: str | None = None  # the problem's code
    location: str | Callable | None = None  # a redirect's path (a callable gets the cast)

    def check(self, response, cast):
        assert response.status_code == self.status, response.get_data(as_text=True)[:500]
        if self.mimetype is not None:
            assert response.mimetype == self.mimetype
        if self.code is not None:
            body = response.get_json()
            assert body["code"] == self.code
            assert body["status"] == self.status
        if self.location is not None:
            expected = self.location(cast) if callable(self.location) else self.location
            assert urlsplit(response.headers["Location"]).path == expected


def problem(status, code):
    return Expect(status, PROBLEM, code)


def redirect(location):
    return Expect(302, location=location)


JSON = Expect(200, "application/json")
HTML = Expect(200, "text/html")
NO_CONTENT = Expect(204)
FORBIDDEN_PAGE = Expect(403, "text/html")
NOT_SIGNED_IN = problem(401, "not_signed_in")
FORBIDDEN = problem(403, "forbidden")
NOT_YOURS = problem(403, "not_yours")
GATE_INCOMPLETE = problem(403, "gate_incomplete")
TO_SIGN_IN = redirect("/sign-in")


def row(default=None, **by_role) -> dict:
    """Expectations for every role: ``default`` unless named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    expectations = {role: by_role.get(role, default) for role in ROLES}
    assert None not in expectations.values(), (
        f"no expectation for {[r for r, e in expectations.items() if e is None]}"
    )
    return expectations


def everyone(expectation) -> dict:
    return row(expectation)


def api_for(default=FORBIDDEN, **by_role) -> dict:
    """An /api/v1 route for signed-in users: signed out is 401 ``not_signed_in``."""
    return row(default, signed_out=NOT_SIGNED_IN, **by_role)


def page_for(default=FORBIDDEN_PAGE, **by_role) -> dict:
    """A page for signed-in users: signed out goes to the sign-in page."""
    return row(default, signed_out=TO_SIGN_IN, **by_role)


@dataclass(frozen=True)
class Route:
    url: Callable  # cast -> path
    expect: dict  # role -> Expect
    body: Callable = lambda cast, user: {}  # (cast, acting user) -> client.open keyword arguments


def submission_body(assignment, submission_uuid=None) -> dict:
    """A complete, valid report for ``assignment`` (the factories' questionnaire)."""
    version = assignment.questionnaire_version
    started = utcnow() - timedelta(minutes=30)
    return {
        "uuid": str(submission_uuid or uuid.uuid4()),
        "assignment_id": assignment.id,
        "kind": {Channel.in_person: "visit", Channel.telephone: "call", Channel.email: "email"}[
            assignment.channel
        ],
        "questionnaire_id": version.questionnaire_id,
        "questionnaire_version": version.number,
        "started_at": started.isoformat(),
        "completed_at": (started + timedelta(minutes=20)).isoformat(),
        "answers": {"greeted": True, "helpful": 4, "outcome": "resolved"},
    }


def open_email_body(cast) -> dict:
    """An e-mail shop sent and waiting for its reply, as a phone keeps it open on the server: on an e-mail
    assignment of the cast's shopper, made for the request (the cast's own assignment is a visit)."""
    point = ContactPoint(
        organisation=cast.world.district,
        channel=Channel.email,
        name="North e-mail",
        locator="enquiries@north.example",
        service_areas=[cast.world.waste],
    )
    db.session.add(point)
    db.session.commit()
    version = make_questionnaire(cast.world.programme, Channel.email)
    assignment = make_assignment(cast.world, cast.shopper, contact_point=point, version=version)
    body = submission_body(assignment, cast.submission_uuid)
    del body["completed_at"]
    sent = utcnow() - timedelta(days=1)
    return {
        **body,
        "kind": "email",
        "sent_at": sent.isoformat(),
        "sent_to": "enquiries@north.example",
        "sent_from": "programme",
    }


def _sign_in_body(cast, user):
    """The shopper's credentials signed out or in (the app's re-sign-in); others' e-mail without a password.

    Signing in is open to everyone; checking a password costs an argon2 hash on purpose, so
    only two roles pay for it and the others get the form's or the API's 422.
    """
    if user is None or user is cast.shopper:
        return {"email": cast.shopper.email, "password": PASSWORD}
    return {"email": user.email}
