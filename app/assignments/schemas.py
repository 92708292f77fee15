import base64
import binascii
from datetime import datetime

import marshmallow as ma
from marshmallow import validate

from app.assignments.forms import DECLINE_REASONS
from app.assignments.manual import CONFLICT_REASON
from app.assignments.services import returned_report
from app.visits.correspondence import open_report_of, reply_wait

DECLINE_REASON_CODES = [choice.value for choice in DECLINE_REASONS]


class OrganisationRefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class ContactPointBriefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    channel = ma.fields.Function(lambda cp: cp.channel.value)
    locator = ma.fields.String()
    opening_hours = ma.fields.String()
    organisation = ma.fields.Nested(OrganisationRefSchema)


class ScenarioBriefSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    persona = ma.fields.String()
    question = ma.fields.String()
    cross_tier = ma.fields.Boolean()
    service_area = ma.fields.Nested(OrganisationRefSchema)


class WaveRefSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.Integer()
    name = ma.fields.String()


class BriefSchema(ma.Schema):
    """What the app needs to carry out one assignment offline. No shopper identity."""

    id = ma.fields.Integer()
    state = ma.fields.Function(lambda a: a.state.value)
    channel = ma.fields.Function(lambda a: a.channel.value)
    window_starts_at = ma.fields.DateTime()
    window_ends_at = ma.fields.DateTime()
    timezone = ma.fields.Function(
        lambda a: a.wave.programme.timezone,
        metadata={
            "description": "the programme's IANA time zone: the app shows the window in it, as the building's clock"
        },
    )
    questionnaire_id = ma.fields.Function(lambda a: a.questionnaire_version.questionnaire_id)
    questionnaire_version = ma.fields.Function(lambda a: a.questionnaire_version.number)
    contact_point = ma.fields.Nested(ContactPointBriefSchema)
    scenario = ma.fields.Nested(ScenarioBriefSchema)
    wave = ma.fields.Nested(WaveRefSchema)
    general_instructions = ma.fields.Function(lambda a: a.wave.programme.general_instructions)
    flagged = ma.fields.Boolean()
    returned_report = ma.fields.Function(
        lambda a: returned_report(a),
        allow_none=True,
        metadata={
            "description": "for a returned assignment: the report's uuid, revision and the coordinator's "
            "review_comment, and its content (the report as it was returned), so that any phone can fix it; "
            "resubmit under that uuid"
        },
    )
    reply_wait = ma.fields.Function(
        lambda a: reply_wait(a),
        allow_none=True,
        metadata={
            "description": "e-mail and letter briefs: working_days the programme waits for a reply, and the "
            "bank_holidays (ISO dates) the phone counts them with"
        },
    )
    open_report = ma.fields.Function(
        lambda a: open_report_of(a),
        allow_none=True,
        metadata={
            "description": "e-mail and letter briefs: the shop sent and waiting for its reply, as a phone last "
            "kept it (PUT /open-reports/{uuid}), so that the reply can be added on any phone"
        },
    )


class BriefListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(BriefSchema))
    next = ma.fields.String(
        allow_none=True, metadata={"description": "the URL of the next page of briefs, or null on the last"}
    )


# Pages small enough for a phone on a poor signal to fetch in one go.
BRIEFS_PER_PAGE, MOST_BRIEFS_PER_PAGE = 50, 100


class BriefCursor(ma.fields.String):
    """Where a page of briefs ends, in their order (window start, id): opaque to the app, which only sends it
    back. Loads as ``(window_starts_at, id)``."""

    default_error_messages = {"invalid": "Not a cursor of this list: follow `next` as it was answered."}

    @staticmethod
    def of(assignment) -> str:
        mark = f"{assignment.window_starts_at.isoformat()}|{assignment.id}"
        return base64.urlsafe_b64encode(mark.encode()).decode().rstrip("=")

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment, _, number = (
                base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().partition("|")
            )
            after = datetime.fromisoformat(moment), int(number)
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise self.make_error("invalid") from error
        if after[0].tzinfo is None:
            raise self.make_error("invalid")
        return after


class BriefPageArgs(ma.Schema):
    limit = ma.fields.Integer(
        load_default=BRIEFS_PER_PAGE,
        validate=validate.Range(min=1, max=MOST_BRIEFS_PER_PAGE),
        metadata={
            "description": f"briefs per page: {BRIEFS_PER_PAGE} unless asked, at most {MOST_BRIEFS_PER_PAGE}"
        },
    )
    cursor = BriefCursor(
        validate=validate.Length(max=100),
        metadata={"description": "where the page starts: as in the `next` URL of the page before"},
    )


class CompactBriefSchema(BriefSchema):
    """A brief whose shared parts (its contact point, scenario and wave, with the programme's time zone and
    general instructions) are referenced by id and sent once in the list beside it."""

    class Meta:
        exclude = ("contact_point", "scenario", "wave", "timezone", "general_instructions")

    contact_point_id = ma.fields.Integer()
    scenario_id = ma.fields.Integer()
    wave_id = ma.fields.Integer()


class WaveBriefSchema(WaveRefSchema):
    timezone = ma.fields.Function(lambda w: w.programme.timezone, metadata={"description": "as in a brief"})
    general_instructions = ma.fields.Function(lambda w: w.programme.general_instructions)


class CompactBriefListSchema(ma.Schema):
    """The briefs with each shared text once: ``items`` refer to ``contact_points``, ``scenarios`` and
    ``waves`` by id. The app puts each brief back together (``BriefSchema``'s shape) before keeping it."""

    cursor = ma.fields.String(metadata={"description": "send it back as `since` to get only what changed"})
    full = ma.fields.Boolean(
        metadata={
            "description": "true: `items` are every brief (replace what you hold); false: only what changed"
        }
    )
    removed = ma.fields.List(
        ma.fields.Integer(),
        metadata={"description": "with `since`: ids of briefs the shopper no longer has; delete them"},
    )
    items = ma.fields.List(ma.fields.Nested(CompactBriefSchema))
    contact_points = ma.fields.List(ma.fields.Nested(ContactPointBriefSchema))
    scenarios = ma.fields.List(ma.fields.Nested(ScenarioBriefSchema))
    waves = ma.fields.List(ma.fields.Nested(WaveBriefSchema))


class BriefsSinceArgs(ma.Schema):
    since = ma.fields.String(
        validate=validate.Length(max=64),
        metadata={"description": "the `cursor` of an earlier answer: only what changed since then"},
    )


class DeclineArgs(ma.Schema):
    """A shopper's answer "no" to an offer (or to work they accepted), with why, as on the web brief page."""

    reason_code = ma.fields.String(
        required=True,
        validate=validate.OneOf(DECLINE_REASON_CODES),
        metadata={
            "description": f"one of {', '.join(DECLINE_REASON_CODES)}; `{CONFLICT_REASON}` files a conflict of "
            "interest with the assignment's organisation and service area, which withdraws every "
            "open assignment it touches"
        },
    )
    reason = ma.fields.String(
        load_default="",
        validate=validate.Length(max=400),
        metadata={
            "description": "in the shopper's words; required for `other`; for `conflict`, the conflict's reason"
        },
    )

    @ma.validates_schema
    def reason_for_other(self, data, **kwargs):
        if data.get("reason_code") == "other" and not data.get("reason", "").strip():
            raise ma.ValidationError("Say briefly why you are declining.", "reason")


class DecisionSchema(ma.Schema):
    """What a decision did. A replayed decision (already accepted, already declined) answers the same."""

    assignment_id = ma.fields.Integer()
    state = ma.fields.String(metadata={"description": "the assignment's state now"})
    replayed = ma.fields.Boolean(
        metadata={"description": "true if the assignment was already so: nothing changed"}
    )
    withdrawn_assignment_ids = ma.fields.List(
        ma.fields.Integer(),
        metadata={"description": "a conflict declared while declining: every assignment it withdrew"},
    )
