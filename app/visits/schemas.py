"""API input (``*Args``) and output (``*Schema``) for submissions and sync."""

import base64
import binascii
import math
from datetime import UTC, datetime

import marshmallow as ma
from marshmallow import validate

from app.api.fields import StrictBoolean, not_blank
from app.visits.models import SubmissionKind, SubmissionState

MAX_ID = 2**31 - 1
MAX_SYNC_ITEMS = 100
MAX_EVIDENCE_ITEMS = 6
# Decoded size of one photo. The app compresses photos to fit; the whole body is capped by MAX_CONTENT_LENGTH.
MAX_PHOTO_BYTES = 1_000_000
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_ANSWERS = 500
MAX_REPLIES = 20
MAX_TRANSFERS = 20
MAX_CALL_SECONDS = 24 * 3600  # a day: anything longer is a typing slip, not a call
MAX_CALL_MINUTES = 24 * 60
CALL_OUTCOMES = ("resolved", "redirected", "call_back_promised", "unresolved", "abandoned")
# Outcomes of a call someone handled: its handle time (talk + hold) counts in the average (SPEC §6).
HANDLED_OUTCOMES = {"resolved", "call_back_promised", "unresolved"}

_id = dict(strict=True, required=True, validate=validate.Range(min=1, max=MAX_ID))


# A device clock's time, as a time the app can work with: one that converts to UTC (9999-12-31T23:00-05:00
# does not) and that a year of 1 or 9999 (a reset or broken clock, or a probe) would not be. Nearer the
# assignment's window: app/visits/validation.py.
EARLIEST_DEVICE_TIME = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_DEVICE_TIME = datetime(2100, 1, 1, tzinfo=UTC)
IMPLAUSIBLE_TIME = "Not a time a device clock could have shown: it must fall between the years 2000 and 2099."


def plausible_device_time(moment: datetime) -> bool:
    return EARLIEST_DEVICE_TIME <= moment < LATEST_DEVICE_TIME


class DeviceTime(ma.fields.AwareDateTime):
    """A device timestamp: ISO 8601 with an offset (``Z`` is fine), in 2000-2099; naive times are refused.
    Loaded in UTC, so that one moment, however it was spelt, is the same content."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            raise ma.ValidationError(IMPLAUSIBLE_TIME) from None
        if not plausible_device_time(moment):
            raise ma.ValidationError(IMPLAUSIBLE_TIME)
        return moment


def device_time(**kwargs):
    return DeviceTime(format="iso", **kwargs)


def photo_is_a(content_type: str, data: bytes) -> bool:
    """Whether ``data`` begins as a file of ``content_type`` does (its magic number): a photo is stored and
    shown as the type it declares, so what it holds must be that."""
    if content_type == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return data.startswith({"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}[content_type])


class EvidenceArgs(ma.Schema):
    """A small piece of evidence: a photo (base64, at most MAX_PHOTO_BYTES decoded) or a link."""

    id = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "the device's id for it; a photo question's answer names it"},
    )
    kind = ma.fields.String(required=True, validate=validate.OneOf(["photo", "link"]))
    content_type = ma.fields.String(validate=validate.OneOf(PHOTO_TYPES), metadata={"description": "photos"})
    data = ma.fields.String(
        metadata={"description": f"photos: base64, at most {MAX_PHOTO_BYTES} bytes decoded"}
    )
    url = ma.fields.Url(validate=validate.Length(max=2000), metadata={"description": "links"})
    caption = ma.fields.String(load_default="", validate=validate.Length(max=500))
    taken_at = device_time(load_default=None, allow_none=True)

    @ma.validates_schema
    def photo_or_link(self, data, **kwargs):
        if data["kind"] == "photo":
            if "content_type" not in data:
                raise ma.ValidationError("A photo needs its content type.", "content_type")
            if "url" in data:
                raise ma.ValidationError("A photo has no url.", "url")
            encoded = data.get("data")
            if not encoded:
                raise ma.ValidationError("A photo needs its data (base64).", "data")
            too_large = ma.ValidationError(f"The photo is larger than {MAX_PHOTO_BYTES} bytes.", "data")
            if len(encoded) > (MAX_PHOTO_BYTES + 2) // 3 * 4:
                raise too_large
            try:
                decoded = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise ma.ValidationError("Not valid base64.", "data") from None
            if len(decoded) > MAX_PHOTO_BYTES:
                raise too_large
            if not photo_is_a(data["content_type"], decoded):
                raise ma.ValidationError(
                    f"The photo is not a {data['content_type'].removeprefix('image/').upper()} image, as its "
                    "content type says: send the photo as the camera made it.",
                    "data",
                )
        else:
            if "url" not in data:
                raise ma.ValidationError("A link needs its url.", "url")
            for name in ("content_type", "data"):
                if name in data:
                    raise ma.ValidationError("A link has no " + name.replace("_", " ") + ".", name)


SENDERS = ("programme", "own")  # the programme's pseudonymous address, or the shopper's own
FINISHES = ("reply_complete", "wait_limit")
REPLY_COVERS = ("fully", "partly", "not_at_all")
WEBSITE_PROBLEMS = (
    "contrast",
    "text_size",
    "keyboard",
    "screen_reader",
    "pdf_only",
    "captcha",
    "timeout",
    "mobile_layout",
)


class ReplyArgs(ma.Schema):
    received_at = device_time(required=True)
    via = ma.fields.String(load_default="email", validate=validate.OneOf(["email", "letter", "telephone"]))
    summary = ma.fields.String(load_default="", validate=validate.Length(max=2000))
    from_role = ma.fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "who it came from, by role or team: never a member of staff's name"},
    )
    covers_question = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(REPLY_COVERS),
        metadata={"description": "checked against the brief: whether it answers the question asked"},
    )


class WebsiteArgs(ma.Schema):
    """A website shop: where the shopper started, whether and how fast they found the answer, and what got
    in the way. Only for kind ``website``."""

    start_page = ma.fields.String(
        required=True,
        validate=[validate.Length(min=1, max=2000), not_blank],
        metadata={"description": "where the shopper started: an address or a search engine's query"},
    )
    found = StrictBoolean(required=True, metadata={"description": "whether the answer was found"})
    seconds_to_find = ma.fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=24 * 3600),
        metadata={"description": "until the answer was found, or until the shopper gave up"},
    )
    dead_ends = ma.fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=1000))
    dead_end_notes = ma.fields.String(load_default="", validate=validate.Length(max=2000))
    accessibility_problems = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(WEBSITE_PROBLEMS)),
        load_default=list,
        validate=validate.Length(max=len(WEBSITE_PROBLEMS)),
    )
    accessibility_notes = ma.fields.String(load_default="", validate=validate.Length(max=2000))

    @ma.validates_schema
    def timed_when_found(self, data, **kwargs):
        if data.get("found") and data.get("seconds_to_find") is None:
            raise ma.ValidationError("Say how long it took to find the answer.", "seconds_to_find")


def _whole(low: int, high: int, **kwargs):
    return ma.fields.Integer(strict=True, validate=validate.Range(min=low, max=high), **kwargs)


class RecordedMessageArgs(ma.Schema):
    """The recorded message (voicemail, out-of-hours or queue message), against the standard in SPEC §6:
    it gives the service's name, its hours and another number or way to get help."""

    heard = StrictBoolean(required=True)
    gave_name = StrictBoolean(load_default=None, allow_none=True)
    gave_hours = StrictBoolean(load_default=None, allow_none=True)
    gave_alternative = StrictBoolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "another number, e-mail or way to get help"},
    )
    comment = ma.fields.String(load_default="", validate=validate.Length(max=500))

    @ma.validates_schema
    def assessed_when_heard(self, data, **kwargs):
        errors = {}
        for name in ("gave_name", "gave_hours", "gave_alternative"):
            if data.get("heard") and data.get(name) is None:
                errors[name] = ["Say whether the message gave this (true or false)."]
            elif not data.get("heard") and data.get(name) is not None:
                errors[name] = ["Only a message that was heard is assessed."]
        if not data.get("heard") and data.get("comment"):
            errors["comment"] = ["Only a message that was heard is assessed."]
        if errors:
            raise ma.ValidationError(errors)


class TransferArgs(ma.Schema):
    to = ma.fields.String(
        required=True,
        validate=[validate.Length(min=1, max=200), not_blank],
        metadata={
            "description": "the department, team or role put through to: never a member of staff's name"
        },
    )
    announced = StrictBoolean(
        required=True,
        metadata={"description": "whether the shopper was told who they were being put through to, and why"},
    )
    seconds_waiting = _whole(
        0,
        MAX_CALL_SECONDS,
        load_default=None,
        allow_none=True,
        metadata={"description": "waiting (ringing or on hold) until the next person answered"},
    )


TAP_EVENTS = (
    "dialled",
    "answered_person",
    "answered_message",
    "transferred",
    "hold",
    "resumed",
    "resolved",
    "gave_up",
    "ended",
)


class TapArgs(ma.Schema):
    """One tap on the call screen: a moment of the call, on the device's clock."""

    event = ma.fields.String(required=True, validate=validate.OneOf(TAP_EVENTS))
    at = device_time(required=True)


class CallLogArgs(ma.Schema):
    """A telephone shop's measures (SPEC §6 contact-centre and "pillar to post" figures). Only for kind ``call``."""

    dialled_at = device_time(
        required=True, metadata={"description": "device clock, when the number was dialled"}
    )
    seconds_to_answer = _whole(
        0,
        MAX_CALL_SECONDS,
        required=True,
        allow_none=True,
        metadata={
            "description": "until a person answered; null if no one ever did (a recorded message is not an answer)"
        },
    )
    rings = _whole(
        0,
        1000,
        load_default=None,
        allow_none=True,
        metadata={"description": "rings before an answer; null if not counted"},
    )
    recorded_message = ma.fields.Nested(RecordedMessageArgs, required=True)
    transfers = ma.fields.List(
        ma.fields.Nested(TransferArgs), load_default=list, validate=validate.Length(max=MAX_TRANSFERS)
    )
    outcome = ma.fields.String(
        required=True,
        validate=validate.OneOf(CALL_OUTCOMES),
        metadata={
            "description": "resolved; redirected (to another council, service or number); call_back_promised; "
            "unresolved (handled, but no answer given); abandoned (the shopper gave up)"
        },
    )
    abandoned_after_minutes = _whole(
        0,
        MAX_CALL_MINUTES,
        load_default=None,
        allow_none=True,
        metadata={"description": "required if, and only if, the outcome is abandoned"},
    )
    handle_time_seconds = _whole(
        0,
        MAX_CALL_SECONDS,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "talk plus hold; required when someone handled the call "
            "(resolved, call_back_promised, unresolved)"
        },
    )
    taps = ma.fields.List(
        ma.fields.Nested(TapArgs),
        load_default=list,
        validate=validate.Length(max=200),
        metadata={
            "description": "the call screen's taps, in order: the measures above are derived from them"
        },
    )

    @ma.validates_schema
    def consistent(self, data, **kwargs):
        errors = {}
        outcome = data.get("outcome")
        abandoned_after = data.get("abandoned_after_minutes")
        if outcome == "abandoned" and abandoned_after is None:
            errors["abandoned_after_minutes"] = ["Say after how many minutes you gave up."]
        elif outcome is not None and outcome != "abandoned" and abandoned_after is not None:
            errors["abandoned_after_minutes"] = ["Only an abandoned call has this."]
        if outcome in HANDLED_OUTCOMES and data.get("handle_time_seconds") is None:
            errors["handle_time_seconds"] = [
                "Give the handle time (talk plus hold) of a call someone handled."
            ]
        if "seconds_to_answer" in data and data["seconds_to_answer"] is None:
            if data.get("transfers"):
                errors["transfers"] = ["A call no one answered cannot have been transferred."]
            if outcome in HANDLED_OUTCOMES:
                errors["outcome"] = [
                    "A call no one answered can only be redirected (by its message) or abandoned."
                ]
        if errors:
            raise ma.ValidationError(errors)


class AnswerValue(ma.fields.Raw):
    """Any JSON value; checked against the question's type by ``app.visits.validation``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and not math.isfinite(value):
            raise ma.ValidationError("Not a finite number.")
        return value


class SubmissionArgs(ma.Schema):
    """One report, exit interview or call log, as the device sends it. Also one item of POST /sync.

    Unknown fields are refused (422), so that nothing the device meant to send is silently dropped.
    """

    CHECKS_TEXT_ITSELF = True  # app.api.blueprint: services.receive names broken text per item

    uuid = ma.fields.UUID(required=True, metadata={"description": "made by the device when the work started"})
    assignment_id = ma.fields.Integer(**_id)
    kind = ma.fields.Enum(
        SubmissionKind,
        by_value=True,
        required=True,
        metadata={
            "description": "must fit the assignment's channel: in_person→visit, exit_interview→exit_interview, "
            "telephone→call, email→email, letter→letter, website→website"
        },
    )
    questionnaire_id = ma.fields.Integer(**_id)
    questionnaire_version = ma.fields.Integer(**_id, metadata={"description": "the version number"})
    started_at = device_time(required=True)
    completed_at = device_time(required=True)
    answers = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.Length(min=1, max=60)),
        values=AnswerValue(allow_none=True),
        required=True,
        metadata={
            "description": (
                "question key → value. yes_no: true/false; scale: an integer in the question's range; "
                "single_choice: one option value; multi_choice: a list of distinct option values; "
                'number: a number; duration: whole seconds ≥ 0; time: "HH:MM"; text: a string; '
                "photo: the id of a photo in evidence. null = not applicable (where allowed); "
                "leave a key out for not answered."
            )
        },
    )
    notes = ma.fields.String(load_default="", validate=validate.Length(max=10_000))
    commendation = ma.fields.String(
        load_default="",
        validate=validate.Length(max=2_000),
        metadata={
            "description": "exceptional service, described by role at most: never a staff member's name"
        },
    )
    evidence = ma.fields.List(
        ma.fields.Nested(EvidenceArgs), load_default=list, validate=validate.Length(max=MAX_EVIDENCE_ITEMS)
    )
    sent_at = device_time(
        load_default=None,
        allow_none=True,
        metadata={"description": "e-mail and letter shops (required for them): when it was sent"},
    )
    replies = ma.fields.List(
        ma.fields.Nested(ReplyArgs),
        load_default=list,
        validate=validate.Length(max=MAX_REPLIES),
        metadata={"description": "e-mail and letter shops: each reply as it arrived"},
    )
    sent_to = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=320),
        metadata={"description": "e-mail and letter shops: the published address it was sent to"},
    )
    sent_from = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(SENDERS),
        metadata={
            "description": "e-mail shops: from the programme's pseudonymous address, or the shopper's own"
        },
    )
    finished_by = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(FINISHES),
        metadata={
            "description": "e-mail and letter shops: reply_complete (the shopper said the reply is complete) or "
            "wait_limit (no complete reply within the programme's working days: itself a result)"
        },
    )
    website = ma.fields.Nested(
        WebsiteArgs, load_default=None, allow_none=True, metadata={"description": "website shops only"}
    )
    derived_answers = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.Length(min=1, max=60)),
        values=AnswerValue(allow_none=True),
        load_default=None,
        allow_none=True,
        metadata={
            "description": "telephone shops: the answers the call screen's taps gave, by question key; where "
            "`answers` differs the shopper overrode it, and the report is flagged for the reviewer"
        },
    )
    call_log = ma.fields.Nested(
        CallLogArgs,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "telephone shops (kind call) only: the call's measures. Optional, so that a call captured "
            "before the app had a call log is still accepted; the app sends it once the shopper "
            "starts filling it in"
        },
    )

    @ma.validates_schema
    def consistent(self, data, **kwargs):
        errors = {}
        if data.get("call_log") is not None and data.get("kind") not in (None, SubmissionKind.call):
            errors["call_log"] = ["Only a telephone shop (kind call) has a call log."]
        if len(data.get("answers", ())) > MAX_ANSWERS:
            errors["answers"] = [f"At most {MAX_ANSWERS} answers."]
        if "started_at" in data and "completed_at" in data and data["completed_at"] < data["started_at"]:
            errors["completed_at"] = ["Completed before it was started."]
        ids = [item["id"] for item in data.get("evidence", [])]
        if len(ids) != len(set(ids)):
            errors["evidence"] = ["Evidence ids must be distinct."]
        kind = data.get("kind")
        if kind in (SubmissionKind.email, SubmissionKind.letter):
            if data.get("sent_at") is None:
                errors["sent_at"] = [f"Say when the {kind.value} was sent."]
            elif any(reply["received_at"] < data["sent_at"] for reply in data.get("replies", [])):
                errors["replies"] = ["A reply cannot arrive before the message was sent."]
            if data.get("finished_by") == "reply_complete" and not data.get("replies"):
                errors["finished_by"] = ["A report finished on its reply needs the reply: add it first."]
            if kind is SubmissionKind.letter and data.get("sent_from") is not None:
                errors["sent_from"] = ["Only an e-mail is sent from an address."]
        elif kind is not None:
            for name in ("sent_at", "replies", "sent_to", "sent_from", "finished_by"):
                if data.get(name):
                    errors[name] = [
                        "Only e-mail and letter shops record when they were sent, where to, and their replies."
                    ]
        if data.get("derived_answers") is not None and kind not in (None, SubmissionKind.call):
            errors["derived_answers"] = ["Only a telephone shop's call screen derives answers."]
        if data.get("website") is not None and kind not in (None, SubmissionKind.website):
            errors["website"] = ["Only a website shop has a website log."]
        if errors:
            raise ma.ValidationError(errors)


class OpenReportArgs(SubmissionArgs):
    """An e-mail or letter shop sent but not finished, as the phone keeps it: no completion time, no finish."""

    CHECKS_TEXT_ITSELF = False  # one item alone: app.api.blueprint checks its text

    class Meta:
        exclude = ("completed_at", "finished_by", "call_log", "website")

    @ma.validates_schema
    def still_open(self, data, **kwargs):
        if data.get("kind") not in (None, SubmissionKind.email, SubmissionKind.letter):
            raise ma.ValidationError("Only an e-mail or letter shop stays open for its reply.", "kind")


class DeferredNested(ma.fields.Nested):
    """Documented as its nested schema, but loaded as a raw object, so that each item is validated alone."""

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        if not isinstance(value, dict):
            raise ma.ValidationError("Each submission must be an object.")
        return value


class SyncArgs(ma.Schema):
    CHECKS_TEXT_ITSELF = True  # per item, in services.receive: one broken item must not fail the batch

    submissions = ma.fields.List(
        DeferredNested(SubmissionArgs),
        required=True,
        validate=validate.Length(max=MAX_SYNC_ITEMS),
        metadata={"description": f"at most {MAX_SYNC_ITEMS}; each is checked on its own"},
    )


class UTCTime(ma.fields.DateTime):
    """ISO 8601 in UTC, whatever time zone the database connection hands back."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.astimezone(UTC).isoformat()


class EvidenceSchema(ma.Schema):
    """Evidence as stored, without the photo data (the device has it; the body stays small)."""

    id = ma.fields.String()
    kind = ma.fields.String()
    content_type = ma.fields.String()
    size = ma.fields.Integer(metadata={"description": "decoded bytes of a photo"})
    url = ma.fields.String()
    caption = ma.fields.String()
    taken_at = ma.fields.String(allow_none=True)

    @ma.pre_dump
    def photo_size(self, evidence: dict, **kwargs) -> dict:
        data = evidence.get("data")
        if not data:
            return evidence
        return {**evidence, "size": len(data) * 3 // 4 - (len(data) - len(data.rstrip("=")))}


class ReplySchema(ma.Schema):
    received_at = ma.fields.String()
    via = ma.fields.String()
    summary = ma.fields.String()
    from_role = ma.fields.String()
    covers_question = ma.fields.String(allow_none=True)


class WebsiteSchema(ma.Schema):
    start_page = ma.fields.String()
    found = ma.fields.Boolean()
    seconds_to_find = ma.fields.Integer(allow_none=True)
    dead_ends = ma.fields.Integer()
    dead_end_notes = ma.fields.String()
    accessibility_problems = ma.fields.List(ma.fields.String())
    accessibility_notes = ma.fields.String()


class RecordedMessageSchema(ma.Schema):
    heard = ma.fields.Boolean()
    gave_name = ma.fields.Boolean(allow_none=True)
    gave_hours = ma.fields.Boolean(allow_none=True)
    gave_alternative = ma.fields.Boolean(allow_none=True)
    comment = ma.fields.String()


class TransferSchema(ma.Schema):
    to = ma.fields.String()
    announced = ma.fields.Boolean()
    seconds_waiting = ma.fields.Integer(allow_none=True)


class TapSchema(ma.Schema):
    event = ma.fields.String()
    at = ma.fields.String()


class CallLogSchema(ma.Schema):
    """The call log as stored (canonical: ``dialled_at`` in UTC)."""

    taps = ma.fields.List(ma.fields.Nested(TapSchema))
    dialled_at = ma.fields.String()
    seconds_to_answer = ma.fields.Integer(allow_none=True)
    rings = ma.fields.Integer(allow_none=True)
    recorded_message = ma.fields.Nested(RecordedMessageSchema)
    transfers = ma.fields.List(ma.fields.Nested(TransferSchema))
    outcome = ma.fields.String()
    abandoned_after_minutes = ma.fields.Integer(allow_none=True)
    handle_time_seconds = ma.fields.Integer(allow_none=True)


class SubmissionSchema(ma.Schema):
    """The stored submission with its server fields. A replay answers exactly this again."""

    uuid = ma.fields.String()
    assignment_id = ma.fields.Integer()
    kind = ma.fields.Enum(SubmissionKind, by_value=True)
    questionnaire_id = ma.fields.Integer()
    questionnaire_version = ma.fields.Integer()
    started_at = UTCTime()
    completed_at = UTCTime()
    received_at = UTCTime(metadata={"description": "server clock, when this revision arrived"})
    revision = ma.fields.Integer(
        metadata={"description": "1, then +1 each time a returned report is resubmitted"}
    )
    state = ma.fields.Enum(SubmissionState, by_value=True)
    flags = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "for the coordinator: assignment_withdrawn, assignment_cancelled, assignment_declined, "
            "second_report, clock_skew, late, early"
        },
    )
    answers = ma.fields.Dict()
    notes = ma.fields.String()
    commendation = ma.fields.String()
    evidence = ma.fields.List(ma.fields.Nested(EvidenceSchema))
    sent_at = UTCTime(allow_none=True)
    replies = ma.fields.List(ma.fields.Nested(ReplySchema))
    sent_to = ma.fields.String(allow_none=True)
    sent_from = ma.fields.String(allow_none=True)
    finished_by = ma.fields.String(allow_none=True)
    website = ma.fields.Nested(WebsiteSchema, allow_none=True, metadata={"description": "website shops"})
    derived_answers = ma.fields.Dict(allow_none=True)
    call_log = ma.fields.Nested(CallLogSchema, allow_none=True, metadata={"description": "telephone shops"})
    content_hash = ma.fields.String(metadata={"description": "SHA-256 of the canonical content received"})
    review_comment = ma.fields.String(
        metadata={"description": "the coordinator's comment on a returned report"}
    )


class SyncResultSchema(ma.Schema):
    """One item's result; results come in the order of the items sent."""

    uuid = ma.fields.String(allow_none=True, metadata={"description": "canonical (lower-case) form"})
    status = ma.fields.Integer(metadata={"description": "the HTTP status this item would get from PUT alone"})
    code = ma.fields.String(metadata={"description": "the problem code when status >= 400"})
    detail = ma.fields.String()
    errors = ma.fields.Dict(metadata={"description": "per-field messages (422)"})
    submission = ma.fields.Nested(SubmissionSchema, metadata={"description": "when status is 200 or 201"})


class SyncResponseSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(SyncResultSchema))
