"""A shopper's file of unsent work, taken in by their coordinator.

A shopper may sign out of a phone that holds unsent work only once they have exported it to a file
(SPEC §3.8; ``app/static/js/shopper-app/signout.js``, ``exportFile``) and handed it on. This is where the
file ends up. Its form, ``version`` 1::

    {"format": "service-shopper-unsent-work", "version": 1, "exported_at": "2026-11-30T10:04:00.000Z",
     "shopper": {"id": 12, "email": "...", "display_name": "..."},
     "submissions": [<the body of PUT /api/v1/submissions/{uuid}>, ...],   # finished work
     "drafts": [<the same, not finished>, ...],
     "decisions": [{"uuid", "created_at", "method", "path", "body"}, ...],  # answers to offers
     "refused": [{"uuid", "problem"}, ...],                                  # what the server had refused
     "signature": {"session": 41, "hmac": "..."}}                           # who made it: app/visits/signing.py

Only a file signed by the app in a session of the shopper it names is taken (``signing.check``), and the
coordinator confirms whose work it is before anything is stored (``import_routes``).

Each finished item goes through ``services.receive`` as the shopper's own upload would, so an import is
idempotent per UUID exactly as sync is: a file imported twice, or holding work the phone did send after all,
stores nothing twice. What it stores is flagged ``imported``, and its audit events name the coordinator.
Drafts cannot be stored as reports (they are not finished), and answers to offers may be out of date by the
time a file arrives: both are listed for the coordinator to act on, not applied.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC

import marshmallow as ma
import sqlalchemy as sa
from marshmallow import validate

from app import json_provider
from app.api.fields import message_lines
from app.assignments.models import Assignment
from app.errors_domain import ImportRefused
from app.extensions import db
from app.programmes.models import ContactPoint, Organisation
from app.routing import MAX_ID
from app.visits import services, signing
from app.visits.models import Submission
from app.visits.schemas import MAX_SYNC_ITEMS, device_time

FORMAT = "service-shopper-unsent-work"
FORMAT_VERSION = 1
# A phone's whole queue: far more than a shopper keeps unsent, and each item is checked as a PUT body.
MAX_ITEMS = 2_000


_ID = validate.Range(min=1, max=MAX_ID, error="Not a number this app gives anything.")


class _Shopper(ma.Schema):
    id = ma.fields.Integer(required=True, strict=True, validate=_ID)
    email = ma.fields.String(required=True)
    display_name = ma.fields.String(load_default="")

    class Meta:
        unknown = ma.EXCLUDE


class _Draft(ma.Schema):
    """What the import lists of an unfinished draft; the rest of it is not read."""

    uuid = ma.fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    assignment_id = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=_ID)
    kind = ma.fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    started_at = device_time(load_default=None, allow_none=True)

    class Meta:
        unknown = ma.EXCLUDE


class _Decision(ma.Schema):
    uuid = ma.fields.String(load_default="")
    path = ma.fields.String(
        required=True,
        validate=validate.Regexp(
            rf"^/api/v1/assignments/[1-9][0-9]{{0,{len(str(MAX_ID)) - 1}}}/(accept|decline)$",
            error="Not an answer to an offer that the shopper app makes.",
        ),
    )
    body = ma.fields.Dict(load_default=dict)

    class Meta:
        unknown = ma.EXCLUDE

    @ma.validates("path")
    def an_assignment_id(self, path, **kwargs):
        if int(path.split("/")[-2]) > MAX_ID:
            raise ma.ValidationError("Not an answer to an offer that the shopper app makes.")


class UnsentWorkFile(ma.Schema):
    """The file's envelope. Each entry of ``submissions`` is checked later, on its own, as the API checks a
    body: one broken item must not keep the others out. Of a draft, only what the import lists."""

    format = ma.fields.String(
        required=True, validate=validate.Equal(FORMAT, error="Not a file of unsent work.")
    )
    version = ma.fields.Integer(
        required=True,
        strict=True,
        validate=validate.Equal(
            FORMAT_VERSION, error=f"Only version {FORMAT_VERSION} of the file can be imported."
        ),
    )
    exported_at = ma.fields.String(load_default="")
    shopper = ma.fields.Nested(_Shopper, required=True)
    submissions = ma.fields.List(ma.fields.Raw(), load_default=list, validate=validate.Length(max=MAX_ITEMS))
    drafts = ma.fields.List(
        ma.fields.Nested(_Draft), load_default=list, validate=validate.Length(max=MAX_ITEMS)
    )
    decisions = ma.fields.List(
        ma.fields.Nested(_Decision), load_default=list, validate=validate.Length(max=MAX_ITEMS)
    )

    class Meta:
        unknown = ma.EXCLUDE  # "about", "refused" and whatever a later app adds that this one does not need


def parse(raw: bytes) -> dict:
    """The file's content, with ``signer`` (``signing.Signer``: the shopper's session that made it), or
    ImportRefused saying what is wrong with it."""
    file = signing.split(raw)
    try:
        document = json_provider.loads(file.content)
    except json_provider.TooDeep:
        raise ImportRefused(
            [
                f"The file is nested deeper than {json_provider.MAX_DEPTH} levels: "
                "the shopper app never makes such a file."
            ]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportRefused(["The file is not JSON: it is not a file the shopper app exported."]) from None
    if not isinstance(document, dict):
        raise ImportRefused(["The file is not a file of unsent work."])
    try:
        content = UnsentWorkFile().load(document)
    except ma.ValidationError as error:
        raise ImportRefused(message_lines(error.messages, "file")) from None
    content["signer"] = signing.check(file, content["shopper"]["id"])
    return content


@dataclass
class ImportedItem:
    """One finished item of the file and what became of it."""

    uuid: str | None
    assignment_id: int | None
    kind: str | None
    status: int
    code: str | None = None
    detail: str = ""
    errors: dict | None = None
    revised: bool = False
    submission_id: int | None = None  # the stored report's, when there is one
    place: str | None = None  # where the assignment is, when it is the shopper's

    @property
    def error_lines(self) -> list[str]:
        return message_lines(self.errors or {}, "item")

    @property
    def stored_now(self) -> bool:
        return self.status == 201 or self.revised

    @property
    def received_before(self) -> bool:
        return self.status == 200 and not self.revised


@dataclass
class ImportReport:
    items: list[ImportedItem] = field(default_factory=list)
    drafts: list[dict] = field(default_factory=list)  # {uuid, assignment_id, kind, started_at, place}
    decisions: list[dict] = field(default_factory=list)  # {assignment_id, decision, reason, place}

    @property
    def stored(self) -> list[ImportedItem]:
        return [item for item in self.items if item.stored_now]

    @property
    def received_before(self) -> list[ImportedItem]:
        return [item for item in self.items if item.received_before]

    @property
    def refused(self) -> list[ImportedItem]:
        return [item for item in self.items if item.status >= 400]


def import_unsent_work(content: dict, shopper, coordinator) -> ImportReport:
    """Store the file's finished work for ``shopper`` (already checked to be the file's, and the coordinator's
    to handle), committed batch by batch as sync takes them. Returns what became of each item, with the
    drafts and answers to offers listed."""
    report = ImportReport()
    for bodies in _chunks(content["submissions"], MAX_SYNC_ITEMS):  # as many as a sync takes
        outcomes = services.receive_bodies(shopper, bodies, imported_by=coordinator)
        report.items += [_item(raw, outcome) for raw, outcome in zip(bodies, outcomes, strict=False)]
    _link_reports(report.items)
    report.drafts = [
        {**draft, "started_at": draft["started_at"] and draft["started_at"].astimezone(UTC)}
        for draft in content["drafts"]
    ]
    report.decisions = [_decision(entry) for entry in content["decisions"]]
    places = _places(
        shopper,
        {entry["assignment_id"] for entry in [*report.drafts, *report.decisions]}
        | {item.assignment_id for item in report.items},
    )
    for item in report.items:
        item.place = places.get(item.assignment_id)
    for entry in [*report.drafts, *report.decisions]:
        entry["place"] = places.get(entry["assignment_id"])
    return report


def _places(shopper, assignment_ids: set) -> dict[int, str]:
    """Where each of the shopper's assignments is (organisation · contact point): coordinators know work by its
    place. Only the shopper's own: the ids come from a file, and may name anybody's."""
    ids = sorted(i for i in assignment_ids if i is not None)
    places = {}
    for chunk in _chunks(ids, 500):
        places.update(
            (row.id, f"{row.short_name} · {row.name}")
            for row in db.session.execute(
                sa.select(Assignment.id, Organisation.short_name, ContactPoint.name)
                .join(ContactPoint, Assignment.contact_point_id == ContactPoint.id)
                .join(Organisation, ContactPoint.organisation_id == Organisation.id)
                .where(Assignment.id.in_(chunk), Assignment.shopper_id == shopper.id)
            )
        )
    return places


def _text(raw, key) -> str | None:
    value = raw.get(key) if isinstance(raw, dict) else None
    return str(value)[:64] if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _number(raw, key) -> int | None:
    value = raw.get(key) if isinstance(raw, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _item(raw, outcome: services.Outcome) -> ImportedItem:
    return ImportedItem(
        uuid=outcome.uuid,
        assignment_id=_number(raw, "assignment_id"),
        kind=_text(raw, "kind"),
        status=outcome.status,
        code=outcome.code,
        detail=outcome.detail,
        errors=outcome.errors,
        revised=outcome.revised,
    )


def _link_reports(items: list[ImportedItem]) -> None:
    """Each stored or already received item's report id, for a link to it."""
    uuids = {uuid.UUID(item.uuid) for item in items if item.status < 400 and item.uuid}
    ids = {}
    for chunk in _chunks(sorted(uuids), 500):
        ids.update(
            (str(stored), id_)
            for stored, id_ in db.session.execute(
                sa.select(Submission.uuid, Submission.id).where(Submission.uuid.in_(chunk))
            )
        )
    for item in items:
        item.submission_id = ids.get(item.uuid)


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _decision(entry: dict) -> dict:
    """``POST /api/v1/assignments/{id}/accept`` or ``.../decline`` as the coordinator reads it."""
    *_, assignment_id, decision = entry["path"].split("/")  # checked by _Decision
    reason = entry["body"].get("reason") if decision == "decline" else None
    return {
        "assignment_id": int(assignment_id),
        "decision": decision,
        "reason": reason if isinstance(reason, str) else "",
    }
